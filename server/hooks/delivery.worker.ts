// STUB: replaced by the REST-hooks issue (outbox fan-out and signed delivery).
import type { AppContext } from '../context';
import type { Worker } from '../workers';

export function startDeliveryWorker(_ctx: AppContext): Worker {
  return { stop: async () => {} };
}
