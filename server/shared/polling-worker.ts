// A background pass repeated on an interval: never two passes at once, a failed pass is logged
// and retried next time, and stop() waits for the pass in progress.
import type { Logger } from './logger';

export interface Worker {
  stop(): Promise<void>;
}

export function startPollingWorker(
  logger: Logger,
  options: { name: string; intervalMs: number; run: () => Promise<unknown> },
): Worker {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = options
      .run()
      .catch((err: unknown) => logger.warn({ err, worker: options.name }, `${options.name} failed; retrying`))
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
