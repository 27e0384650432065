// A REST-hook subscription: one API key asking for one event type at one URL, with optional
// filters. It belongs to the key (the key's holder manages it) and acts with the key's reach.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { eventTypes } from '../events/event.model';
import { snakeTimestamps, toJSONPlugin } from '../shared/mongoose-plugins';

const filtersSchema = new Schema(
  {
    pipeline_id: { type: Schema.Types.ObjectId },
    stage_id: { type: Schema.Types.ObjectId },
    direction: { type: String, enum: ['inbound', 'outbound'] },
    channel: { type: String, enum: ['email', 'sms', 'chat', 'note'] },
  },
  { _id: false, strict: true },
);

const subscriptionSchema = new Schema(
  {
    key_id: { type: Schema.Types.ObjectId, required: true },
    /** The key's creator, for the Settings page's view of "my subscriptions". */
    user_id: { type: Schema.Types.ObjectId, required: true },
    event: { type: String, enum: eventTypes, required: true },
    target_url: { type: String, required: true },
    filters: { type: filtersSchema, default: () => ({}) },
    /** The signing secret, AES-256-GCM encrypted (see signing.ts); never leaves in a list. */
    secret_encrypted: { type: String, required: true },
  },
  { strict: true, ...snakeTimestamps },
);
// Idempotent subscribe (same key, event, URL) and the per-key list.
subscriptionSchema.index({ key_id: 1, event: 1, target_url: 1 }, { unique: true });
// Fan-out finds the subscribers of an event type among the workspace's members.
subscriptionSchema.index({ event: 1, user_id: 1 });
subscriptionSchema.index({ user_id: 1, created_at: -1 });
subscriptionSchema.plugin(toJSONPlugin, { private: ['secret_encrypted'] });

export type HookSubscription = InferSchemaType<typeof subscriptionSchema> & { _id: mongoose.Types.ObjectId };
export type HookFilters = NonNullable<HookSubscription['filters']>;
export const HookSubscriptionModel = mongoose.model(
  'HookSubscription',
  subscriptionSchema,
  'hook_subscriptions',
);
