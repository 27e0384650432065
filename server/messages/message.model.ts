// Messages exchanged with a contact. Immutable through the public API (created and read only).
import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { pendingEventsField, pendingEventsIndex } from '../events/outbox';

export const directions = ['inbound', 'outbound'] as const;
export const channels = ['email', 'sms', 'chat', 'note'] as const;

const messageSchema = new Schema(
  {
    workspace_id: { type: Schema.Types.ObjectId, required: true },
    owner_id: { type: Schema.Types.ObjectId, required: true },
    visibility: { type: String, enum: ['private', 'workspace'], required: true, default: 'workspace' },
    contact_id: { type: Schema.Types.ObjectId, required: true },
    direction: { type: String, enum: directions, required: true },
    channel: { type: String, enum: channels, required: true },
    subject: { type: String, default: null },
    body: { type: String, required: true },
    sent_at: { type: Date, required: true },
    // Set from ctx.now() by the service (not mongoose timestamps) so tests can move the clock.
    created_at: { type: Date, required: true },
    updated_at: { type: Date, required: true },
    // The change's own domain events until published; never on the wire (docs/decisions/021-*.md).
    pending_events: pendingEventsField,
  },
  { strict: true, versionKey: false },
);
messageSchema.index({ workspace_id: 1, created_at: -1, _id: -1 });
messageSchema.index({ workspace_id: 1, updated_at: -1 });
messageSchema.index({ workspace_id: 1, contact_id: 1, created_at: -1 });
messageSchema.index({ workspace_id: 1, direction: 1, channel: 1, created_at: -1 });
messageSchema.index(...pendingEventsIndex);

export type MessageDoc = InferSchemaType<typeof messageSchema> & { _id: Types.ObjectId };
export const MessageModel = mongoose.model('Message', messageSchema, 'messages');
