// API keys, their secrets and their audit trail. A key's secrets live in their own collection so a
// rotation with a grace period can keep the old secret valid for a while: each secret document is
// one HMAC hash (unique index) pointing at its key, with `valid_until` set once it is superseded.
import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { snakeTimestamps } from '../shared/mongoose-plugins';

export const permissions = ['read', 'write', 'admin'] as const;

const apiKeySchema = new Schema(
  {
    name: { type: String, required: true, maxlength: 100 },
    permission: { type: String, enum: permissions, required: true },
    /** null = every workspace of the creator whose API access is on. */
    scope_workspace_id: { type: Schema.Types.ObjectId, default: null },
    created_by: { type: Schema.Types.ObjectId, required: true },
    prefix: { type: String, required: true },
    expires_at: { type: Date, default: null },
    revoked_at: { type: Date, default: null },
    revoked_by: { type: Schema.Types.ObjectId, default: null },
    archived_at: { type: Date, default: null },
    last_used_at: { type: Date, default: null },
    last_used_ip: { type: String, default: null },
    last_used_user_agent: { type: String, default: null },
    /** IPs this key was used from (the most recent 100): first use from another is audited. */
    seen_ips: { type: [String], default: [] },
    reminded_7d_at: { type: Date, default: null },
    reminded_1d_at: { type: Date, default: null },
  },
  { strict: true, ...snakeTimestamps },
);
apiKeySchema.index({ created_by: 1, archived_at: 1 });
apiKeySchema.index({ reminded_7d_at: 1, expires_at: 1 });
apiKeySchema.index({ reminded_1d_at: 1, expires_at: 1 });

const secretSchema = new Schema(
  {
    hash: { type: String, required: true },
    key_id: { type: Schema.Types.ObjectId, required: true },
    /** null for the current secret; the end of the grace period for a rotated-out one. */
    valid_until: { type: Date, default: null },
  },
  { strict: true, ...snakeTimestamps },
);
secretSchema.index({ hash: 1 }, { unique: true });
secretSchema.index({ key_id: 1 });
secretSchema.index({ valid_until: 1 }, { expireAfterSeconds: 0 });

export const keyEventTypes = ['created', 'rotated', 'revoked', 'archived', 'first_use_from_ip'] as const;

const keyEventSchema = new Schema(
  {
    key_id: { type: Schema.Types.ObjectId, required: true },
    type: { type: String, enum: keyEventTypes, required: true },
    actor_id: { type: Schema.Types.ObjectId, required: true },
    actor_via: { type: String, enum: ['session', 'api_key'], required: true },
    ip: { type: String, default: null },
    user_agent: { type: String, default: null },
    data: { type: Schema.Types.Mixed, default: undefined },
    occurred_at: { type: Date, required: true },
  },
  { strict: true, versionKey: false },
);
keyEventSchema.index({ key_id: 1, occurred_at: -1 });

export type ApiKey = InferSchemaType<typeof apiKeySchema> & { _id: Types.ObjectId; created_at: Date };
export type ApiKeySecret = InferSchemaType<typeof secretSchema> & { _id: Types.ObjectId };
export type KeyEvent = InferSchemaType<typeof keyEventSchema> & { _id: Types.ObjectId };
export type KeyEventType = (typeof keyEventTypes)[number];

export const ApiKeyModel = mongoose.model('ApiKey', apiKeySchema, 'api_keys');
export const ApiKeySecretModel = mongoose.model('ApiKeySecret', secretSchema, 'api_key_secrets');
export const KeyEventModel = mongoose.model('ApiKeyEvent', keyEventSchema, 'api_key_events');
