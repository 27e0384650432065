// Contacts. Email is unique per workspace through a partial unique index (only real emails take
// part), so two concurrent creates cannot both win; the service maps the E11000 to a 409.
import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { pendingEventsField, pendingEventsIndex } from '../events/outbox';

const contactSchema = new Schema(
  {
    workspace_id: { type: Schema.Types.ObjectId, required: true },
    owner_id: { type: Schema.Types.ObjectId, required: true },
    visibility: { type: String, enum: ['private', 'workspace'], required: true, default: 'workspace' },
    name: { type: String, required: true },
    email: { type: String, default: null },
    phone: { type: String, default: null },
    company: { type: String, default: null },
    tags: { type: [String], default: [] },
    custom_fields: { type: Schema.Types.Mixed, default: () => ({}) },
    // Set from ctx.now() by the service (not mongoose timestamps) so tests can move the clock.
    created_at: { type: Date, required: true },
    updated_at: { type: Date, required: true },
    // The change's own domain events until published; never on the wire (docs/decisions/021-*.md).
    pending_events: pendingEventsField,
  },
  { strict: true, versionKey: false, minimize: false },
);
contactSchema.index({ workspace_id: 1, created_at: -1, _id: -1 });
contactSchema.index({ workspace_id: 1, updated_at: -1 });
contactSchema.index(
  { workspace_id: 1, email: 1 },
  { unique: true, name: 'workspace_email_unique', partialFilterExpression: { email: { $type: 'string' } } },
);
contactSchema.index(...pendingEventsIndex);

export type ContactDoc = InferSchemaType<typeof contactSchema> & { _id: Types.ObjectId };
export const ContactModel = mongoose.model('Contact', contactSchema, 'contacts');
