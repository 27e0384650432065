// Stored results of writes sent with an Idempotency-Key, kept 24 h (TTL index) so a retried
// request replays the first response instead of repeating the change — on every server instance.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const idempotencySchema = new Schema(
  {
    /** Who sent it: `key:<api key id>` or `user:<user id>` (sessions); keys never collide across callers. */
    actor: { type: String, required: true },
    key: { type: String, required: true },
    /** sha-256 of method, path and canonical body: a reuse with anything else is a conflict. */
    fingerprint: { type: String, required: true },
    state: { type: String, enum: ['processing', 'done'], required: true },
    status: { type: Number, default: null },
    content_type: { type: String, default: null },
    body: { type: String, default: null },
    created_at: { type: Date, required: true },
    expires_at: { type: Date, required: true },
  },
  { strict: true },
);
idempotencySchema.index({ actor: 1, key: 1 }, { unique: true });
idempotencySchema.index({ expires_at: 1 }, { expireAfterSeconds: 0 });

export type IdempotencyRecord = InferSchemaType<typeof idempotencySchema>;
export const IdempotencyModel = mongoose.model('IdempotencyKey', idempotencySchema, 'idempotency_keys');
