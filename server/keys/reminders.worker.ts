// STUB: replaced by the API-keys issue (7-day and 1-day expiry reminders).
import type { AppContext } from '../context';
import type { Worker } from '../workers';

export function startReminderWorker(_ctx: AppContext): Worker {
  return { stop: async () => {} };
}
