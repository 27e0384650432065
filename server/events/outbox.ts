// The transactional outbox, kept inside the record itself (docs/decisions/021-*.md). MongoDB
// standalone has no transactions, but a single-document write is atomic: the change and its
// pending event entry are written together, so "the change happened" and "its event is owed" can
// never disagree. The request then publishes the entry (insert the event under the entry's id,
// pull the entry); if the process dies in between, the outbox worker publishes it later.
import mongoose, { Schema, type Model } from 'mongoose';
import { eventTypes, recordEvent, type EventType, type RecordEventInput } from './event.model';
import { isDuplicateKey } from '../shared/errors';

/** Where the entries live on contacts, deals and messages; never part of the wire form. */
export const PENDING_EVENTS = 'pending_events';

const pendingEventSchema = new Schema(
  {
    // `_id` (auto) is the future domain event's id.
    type: { type: String, enum: eventTypes, required: true },
    data: { type: Schema.Types.Mixed, default: undefined },
    occurred_at: { type: Date, required: true },
  },
  { minimize: false },
);

/** The hidden `pending_events` field of contacts, deals and messages (absent until a first change). */
export const pendingEventsField = { type: [pendingEventSchema], default: undefined };

/** The sweep's query (`pending_events.occurred_at` ≤ cutoff); sparse: records never pending stay out. */
export const pendingEventsIndex = [{ [`${PENDING_EVENTS}.occurred_at`]: 1 }, { sparse: true }] as const;

export interface PendingEvent {
  _id: mongoose.Types.ObjectId;
  type: EventType;
  data?: Record<string, unknown>;
  occurred_at: Date;
}

/** A new entry, to be written in the same document write as the change it describes. */
export function pendingEvent(
  type: EventType,
  data: Record<string, unknown> | undefined,
  now: Date,
): PendingEvent {
  return { _id: new mongoose.Types.ObjectId(), type, ...(data ? { data } : {}), occurred_at: now };
}

/** The update operator that records `entries` with a `findOneAndUpdate`'s change. */
export const pushPending = (...entries: PendingEvent[]): Record<string, unknown> => ({
  $push: { [PENDING_EVENTS]: { $each: entries } },
});

/** The entries still pending on a stored record (lean or plain object). */
export const pendingOf = (doc: object): PendingEvent[] =>
  ((doc as Record<string, unknown>)[PENDING_EVENTS] as PendingEvent[] | undefined) ?? [];

/**
 * Inserts one domain event per entry (in order) with the entry's id and `wire` as the record
 * snapshot, then pulls the entries from the record. A duplicate id means someone (the request or
 * another sweeper) already inserted it: that is success, so running this twice inserts nothing
 * twice. Returns how many events this call inserted.
 */
export async function publishPending(
  model: Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any -- any record model
  recordId: mongoose.Types.ObjectId | string,
  entries: readonly PendingEvent[],
  wire: RecordEventInput['record'],
  options: { recovered?: boolean } = {},
): Promise<number> {
  if (entries.length === 0) return 0;
  let inserted = 0;
  for (const entry of entries) {
    try {
      await recordEvent({
        id: entry._id,
        type: entry.type,
        record: wire,
        ...(entry.data ? { data: entry.data } : {}),
        occurredAt: entry.occurred_at,
        ...(options.recovered ? { recovered: true } : {}),
      });
      inserted += 1;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  await model.updateOne(
    { _id: recordId },
    { $pull: { [PENDING_EVENTS]: { _id: mongoose.trusted({ $in: entries.map((e) => e._id) }) } } },
  );
  return inserted;
}
