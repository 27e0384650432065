// The outbox sweep: publishes pending event entries that their request left behind (the process
// died, or the database went away, between the record write and the event insert). A request
// normally publishes its entry within milliseconds, so only entries older than STALE_MS are taken.
// Several processes may sweep at once: the event insert is idempotent by the entry's id and the
// entry is pulled by id, so a double sweep inserts nothing twice.
import mongoose, { type Model } from 'mongoose';
import { ContactModel } from '../contacts/contact.model';
import { contactToWire } from '../contacts/contacts.service';
import type { AppContext } from '../context';
import { DealModel } from '../deals/deal.model';
import { dealToWire } from '../deals/deals.service';
import { MessageModel } from '../messages/message.model';
import { messageToWire } from '../messages/messages.service';
import { startPollingWorker, type Worker } from '../shared/polling-worker';
import type { RecordEventInput } from './event.model';
import { PENDING_EVENTS, publishPending, type PendingEvent } from './outbox';

const INTERVAL_MS = 2000;
/** An entry younger than this may still be published by its own request. */
export const STALE_MS = 5000;
const BATCH = 100;
/** Batches per collection per tick, so one tick stays short; the next tick takes the rest. */
const MAX_BATCHES = 10;

type Wire = RecordEventInput['record'];
type AnyModel = Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- any record model

const outboxes: Array<{ model: AnyModel; wire: (doc: Record<string, unknown>) => Wire }> = [
  { model: ContactModel, wire: (d) => contactToWire(d) as unknown as Wire },
  { model: DealModel, wire: (d) => dealToWire(d) as unknown as Wire },
  { model: MessageModel, wire: (d) => messageToWire(d) as unknown as Wire },
];

type WithPending = Record<string, unknown> & {
  _id: mongoose.Types.ObjectId;
  pending_events?: PendingEvent[];
};

async function sweepModel(model: AnyModel, wire: (doc: Record<string, unknown>) => Wire, cutoff: Date) {
  let published = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    // System work, not an actor's read: every workspace's records are swept (like the hooks fan-out).
    const docs = await model
      .find({ [`${PENDING_EVENTS}.occurred_at`]: mongoose.trusted({ $lte: cutoff }) })
      .limit(BATCH)
      .lean<WithPending[]>();
    for (const doc of docs) {
      const due = (doc.pending_events ?? []).filter((e) => new Date(e.occurred_at) <= cutoff);
      // The snapshot is the record as it is now (the state at the change is not stored).
      published += await publishPending(model, doc._id, due, wire(doc), { recovered: true });
    }
    if (docs.length < BATCH) break;
  }
  return published;
}

/** One pass over contacts, deals and messages; returns how many events it inserted (for tests). */
export async function sweepPendingEvents(ctx: AppContext): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - STALE_MS);
  let published = 0;
  for (const { model, wire } of outboxes) published += await sweepModel(model, wire, cutoff);
  if (published > 0) ctx.logger.warn({ published }, 'event outbox: published events left pending by a crash');
  return published;
}

export function startEventOutboxWorker(ctx: AppContext): Worker {
  return startPollingWorker(ctx.logger, {
    name: 'event outbox sweep',
    intervalMs: INTERVAL_MS,
    run: () => sweepPendingEvents(ctx),
  });
}
