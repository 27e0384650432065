// Background work that runs beside the HTTP server (expiry reminders, hook delivery, …).
// Each feature contributes a worker; all of them stop on shutdown.
import type { AppContext } from './context';

export interface Worker {
  stop(): Promise<void>;
}

export function startWorkers(_ctx: AppContext): Worker {
  const workers: Worker[] = [];
  return { stop: async () => void (await Promise.all(workers.map((w) => w.stop()))) };
}
