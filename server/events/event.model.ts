// Domain events: every change to a record ends up here exactly once. The change itself carries
// the event as a pending entry (server/events/outbox.ts), so a process dying between the record
// write and this insert delays the event, never loses it (docs/decisions/021-*.md).
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { toJSONPlugin } from '../shared/mongoose-plugins';

export const eventTypes = [
  'contact.created',
  'contact.updated',
  'deal.created',
  'deal.updated',
  'deal.stage_changed',
  'message.created',
] as const;
export type EventType = (typeof eventTypes)[number];

const eventSchema = new Schema(
  {
    type: { type: String, enum: eventTypes, required: true },
    workspace_id: { type: Schema.Types.ObjectId, required: true },
    owner_id: { type: Schema.Types.ObjectId, required: true },
    visibility: { type: String, enum: ['private', 'workspace'], required: true },
    record_id: { type: Schema.Types.ObjectId, required: true },
    /** The record exactly as GET returns it at the time of the change (wire form). */
    record: { type: Schema.Types.Mixed, required: true },
    /** Extra facts of the change, e.g. { from_stage_id, to_stage_id, pipeline_id } for deal.stage_changed. */
    data: { type: Schema.Types.Mixed, default: undefined },
    occurred_at: { type: Date, required: true },
    /** Set once the hooks fan-out has turned the event into deliveries (the outbox's claim marker). */
    dispatched_at: { type: Date, default: null },
    /** While one process fans the event out, others skip it until this lease ends (hooks outbox). */
    dispatch_locked_until: { type: Date, default: null },
    /** True when the outbox sweep (not the request) published it: `record` is the record as it was then. */
    recovered: { type: Boolean, default: undefined },
  },
  { strict: true, minimize: false },
);
eventSchema.index({ dispatched_at: 1, occurred_at: 1 });
eventSchema.index({ workspace_id: 1, occurred_at: -1 });
eventSchema.plugin(toJSONPlugin);

export type DomainEvent = InferSchemaType<typeof eventSchema>;
export const DomainEventModel = mongoose.model('DomainEvent', eventSchema, 'domain_events');

export interface RecordEventInput {
  type: EventType;
  record: {
    id: string;
    workspace_id: string;
    owner_id: string;
    visibility: 'private' | 'workspace';
  } & Record<string, unknown>;
  data?: Record<string, unknown>;
  occurredAt: Date;
  /** The event id, chosen before the record write (its pending entry's id) so the insert is idempotent. */
  id?: mongoose.Types.ObjectId;
  recovered?: boolean;
}

export async function recordEvent(input: RecordEventInput): Promise<void> {
  await DomainEventModel.create({
    ...(input.id ? { _id: input.id } : {}),
    ...(input.recovered ? { recovered: true } : {}),
    type: input.type,
    workspace_id: input.record.workspace_id,
    owner_id: input.record.owner_id,
    visibility: input.record.visibility,
    record_id: input.record.id,
    record: input.record,
    data: input.data,
    occurred_at: input.occurredAt,
  });
}
