// The hooks worker of one process: every HOOKS_POLL_INTERVAL_MS it fans out new domain events and
// starts due deliveries (up to HOOKS_DELIVERY_CONCURRENCY at once). All of its state is in
// MongoDB; the loop only decides how often to look, never whether something gets delivered.
import type { AppContext } from '../context';
import type { Worker } from '../shared/polling-worker';
import { attemptDelivery, claimDelivery } from './delivery';
import { dispatchOnce } from './fanout';

export function startDeliveryWorker(ctx: AppContext): Worker {
  const interval = ctx.config.HOOKS_POLL_INTERVAL_MS;
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let wake: () => void = () => {};

  const startDue = async () => {
    while (inFlight.size < ctx.config.HOOKS_DELIVERY_CONCURRENCY && !stopping.signal.aborted) {
      const claimed = await claimDelivery(ctx);
      if (!claimed) return;
      const attempt: Promise<void> = attemptDelivery(ctx, claimed, stopping.signal)
        .catch((err: unknown) =>
          ctx.logger.error(
            { err },
            'hook delivery attempt crashed; its lease will expire and it will be retried',
          ),
        )
        .finally(() => inFlight.delete(attempt));
      inFlight.add(attempt);
    }
  };

  const loop = (async () => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      try {
        await dispatchOnce(ctx);
        await startDue();
        failures = 0;
      } catch (err) {
        if (stopping.signal.aborted) break;
        failures++;
        // A database outage: say so once per streak, and poll less often until it is back.
        if (failures === 1) ctx.logger.error({ err }, 'hooks worker: polling failed; retrying');
      }
      const pause = Math.min(interval * 2 ** Math.min(failures, 5), 5000);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();

  return {
    async stop() {
      stopping.abort();
      wake();
      await loop;
      await Promise.allSettled([...inFlight]);
    },
  };
}

// The worker's single steps, for tests that drive the clock instead of waiting on the loop.
export { dispatchOnce } from './fanout';
export { deliverDue } from './delivery';
