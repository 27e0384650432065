// Deals: a value in a pipeline stage, optionally about a contact. Indexed for every list filter
// the Zapier app uses (pipeline/stage, contact, status), each behind workspace_id.
import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { pendingEventsField, pendingEventsIndex } from '../events/outbox';

export const dealStatuses = ['open', 'won', 'lost'] as const;

const dealSchema = new Schema(
  {
    workspace_id: { type: Schema.Types.ObjectId, required: true },
    owner_id: { type: Schema.Types.ObjectId, required: true },
    visibility: { type: String, enum: ['private', 'workspace'], required: true, default: 'workspace' },
    title: { type: String, required: true },
    value: { type: Number, required: true, min: 0 },
    currency: { type: String, required: true },
    pipeline_id: { type: Schema.Types.ObjectId, required: true },
    stage_id: { type: Schema.Types.ObjectId, required: true },
    contact_id: { type: Schema.Types.ObjectId, default: null },
    status: { type: String, enum: dealStatuses, required: true, default: 'open' },
    // Set from ctx.now() by the service (not mongoose timestamps) so tests can move the clock.
    created_at: { type: Date, required: true },
    updated_at: { type: Date, required: true },
    // The change's own domain events until published; never on the wire (docs/decisions/021-*.md).
    pending_events: pendingEventsField,
  },
  { strict: true, versionKey: false },
);
dealSchema.index({ workspace_id: 1, created_at: -1, _id: -1 });
dealSchema.index({ workspace_id: 1, updated_at: -1 });
dealSchema.index({ workspace_id: 1, pipeline_id: 1, stage_id: 1, created_at: -1 });
dealSchema.index({ workspace_id: 1, contact_id: 1, created_at: -1 });
dealSchema.index({ workspace_id: 1, status: 1, created_at: -1 });
dealSchema.index(...pendingEventsIndex);

export type DealDoc = InferSchemaType<typeof dealSchema> & { _id: Types.ObjectId };
export const DealModel = mongoose.model('Deal', dealSchema, 'deals');
