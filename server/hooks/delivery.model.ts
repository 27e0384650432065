// The delivery outbox: one document per (event, subscription). Workers in any process claim a
// due one atomically by pushing its next_attempt_at past a lease, so a process that dies
// mid-delivery only delays it until the lease ends; nothing about it lives in memory.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { eventTypes } from '../events/event.model';
import { snakeTimestamps, toJSONPlugin } from '../shared/mongoose-plugins';

export const deliveryStatuses = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

const deliverySchema = new Schema(
  {
    event_id: { type: Schema.Types.ObjectId, required: true },
    subscription_id: { type: Schema.Types.ObjectId, required: true },
    key_id: { type: Schema.Types.ObjectId, required: true },
    event_type: { type: String, enum: eventTypes, required: true },
    /** The exact JSON body sent on every attempt (only the signature's timestamp changes). */
    body: { type: String, required: true },
    /** The record's access facts, re-checked against the key before each attempt. */
    workspace_id: { type: Schema.Types.ObjectId, required: true },
    owner_id: { type: Schema.Types.ObjectId, required: true },
    visibility: { type: String, enum: ['private', 'workspace'], required: true },
    status: { type: String, enum: deliveryStatuses, required: true, default: 'pending' },
    /** Attempts started (a claim counts, even if its process died before an answer). */
    attempts: { type: Number, required: true, default: 0 },
    /** When a worker may (re)try it: the retry time, or while in flight the end of the claim's lease. */
    next_attempt_at: { type: Date, default: null },
    /** The current claim (null when none); a result is written only by the claim holder. */
    lock_token: { type: String, default: null },
    last_attempt_at: { type: Date, default: null },
    last_response_status: { type: Number, default: null },
    last_error: { type: String, default: null },
    delivered_at: { type: Date, default: null },
  },
  { strict: true, ...snakeTimestamps },
);
deliverySchema.index({ event_id: 1, subscription_id: 1 }, { unique: true });
deliverySchema.index({ status: 1, next_attempt_at: 1 });
deliverySchema.index({ subscription_id: 1, created_at: -1 });
// The log of past deliveries is kept for 30 days (long after the 24 h+ retry window).
deliverySchema.index({ created_at: 1 }, { expireAfterSeconds: 30 * 24 * 3600 });
/** Internal fields: the body (a copy of the record) and the access facts stay on the server. */
export const deliveryPrivateFields = [
  'body',
  'lock_token',
  'workspace_id',
  'owner_id',
  'visibility',
  'key_id',
] as const;
deliverySchema.plugin(toJSONPlugin, { private: deliveryPrivateFields });

export type HookDelivery = InferSchemaType<typeof deliverySchema> & { _id: mongoose.Types.ObjectId };
export const HookDeliveryModel = mongoose.model('HookDelivery', deliverySchema, 'hook_deliveries');
