// Background work that runs beside the HTTP server. Each feature contributes a worker whose
// state lives in MongoDB (so several processes can run them together); all stop on shutdown.
import type { AppContext } from './context';
import { startEventOutboxWorker } from './events/outbox.worker';
import { startDeliveryWorker } from './hooks/delivery.worker';
import { startReminderWorker } from './keys/reminders.worker';
import type { Worker } from './shared/polling-worker';

export type { Worker };

export function startWorkers(ctx: AppContext): Worker {
  const workers: Worker[] = [startReminderWorker(ctx), startDeliveryWorker(ctx), startEventOutboxWorker(ctx)];
  return { stop: async () => void (await Promise.all(workers.map((w) => w.stop()))) };
}
