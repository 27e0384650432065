// Subscriptions: subscribe (idempotent per key, event and URL), unsubscribe, list; and the
// recent-deliveries view of the Settings page.
import type { Types } from 'mongoose';
import type { Actor } from '../access/actor';
import type { AppContext } from '../context';
import type { EventType } from '../events/event.model';
import { AppError, isDuplicateKey, notFound } from '../shared/errors';
import { withLease } from '../shared/lease';
import { toWire } from '../shared/mongoose-plugins';
import { deliveryPrivateFields, HookDeliveryModel } from './delivery.model';
import type { HookFilterInput, SubscribeInput } from './hooks.schemas';
import { decryptSecret, encryptSecret, generateSigningSecret } from './signing';
import { HookSubscriptionModel, type HookSubscription } from './subscription.model';
import { checkTarget, TargetRefusedError } from './target-guard';

export interface SubscriptionWire {
  id: string;
  event: string;
  target_url: string;
  filters: Record<string, string>;
  created_at: string;
}

export function subscriptionWire(doc: HookSubscription): SubscriptionWire {
  const wire = toWire<SubscriptionWire & Record<string, unknown>>(doc as unknown as Record<string, unknown>);
  return {
    id: wire.id,
    event: wire.event,
    target_url: wire.target_url,
    filters: wire.filters ?? {},
    created_at: wire.created_at as string,
  };
}

/** Returns the subscription and its secret; `created` is false when the same one already existed. */
export async function subscribe(
  ctx: AppContext,
  actor: Actor,
  input: SubscribeInput,
): Promise<{ created: boolean; subscription: SubscriptionWire & { secret: string } }> {
  const keyId = requireKey(actor);
  let url: URL;
  try {
    url = await checkTarget(input.target_url, ctx.config);
  } catch (err) {
    if (!(err instanceof TargetRefusedError)) throw err;
    throw new AppError('invalid_request', `target_url ${err.message}`, {
      errors: [{ field: 'target_url', message: err.message }],
    });
  }
  const target_url = url.toString();
  const filters = input.filters ?? {};
  const resubscribed = async () => {
    const existing = await findSame(keyId, input.event, target_url);
    return (
      existing && { created: false, subscription: withSecret(ctx, await withFilters(existing, filters)) }
    );
  };
  const again = await resubscribed();
  if (again) return again;

  // One new subscription at a time per key, so subscribes racing for the last slots cannot all pass
  // the count (and an identical racer finds the winner's subscription).
  return withLease(`hooks:${keyId}`, async () => {
    const raced = await resubscribed();
    if (raced) return raced;
    const max = ctx.config.HOOKS_MAX_PER_KEY;
    if ((await HookSubscriptionModel.countDocuments({ key_id: keyId })) >= max)
      throw new AppError('limit_reached', `An API key can hold at most ${max} hook subscriptions`, {
        extra: { limit: max },
      });
    const secret = generateSigningSecret();
    const now = ctx.now();
    try {
      const doc = await HookSubscriptionModel.create({
        key_id: keyId,
        user_id: actor.userId,
        event: input.event,
        target_url,
        filters,
        secret_encrypted: encryptSecret(secret, ctx.config.KEY_HASH_SECRET),
        created_at: now,
        updated_at: now,
      });
      return { created: true, subscription: { ...subscriptionWire(doc.toObject()), secret } };
    } catch (err) {
      // The unique index still guards identical subscribes (say, one that outlived its lease).
      const existing = isDuplicateKey(err) ? await resubscribed() : null;
      if (!existing) throw err;
      return existing;
    }
  });
}

function findSame(keyId: string, event: EventType, target_url: string): Promise<HookSubscription | null> {
  return HookSubscriptionModel.findOne({ key_id: keyId, event, target_url }).lean<HookSubscription>();
}

/** Re-subscribing is "make it so": the same subscription, with the filters of the latest request. */
async function withFilters(doc: HookSubscription, filters: HookFilterInput): Promise<HookSubscription> {
  if (sameFilters(subscriptionWire(doc).filters, filters)) return doc;
  const updated = await HookSubscriptionModel.findOneAndUpdate(
    { _id: doc._id },
    { $set: { filters } },
    { returnDocument: 'after' },
  ).lean<HookSubscription>();
  return updated ?? doc;
}

const canonical = (filters: object): string =>
  JSON.stringify(Object.entries(filters).sort(([a], [b]) => a.localeCompare(b)));
const sameFilters = (a: object, b: object): boolean => canonical(a) === canonical(b);

function withSecret(ctx: AppContext, doc: HookSubscription): SubscriptionWire & { secret: string } {
  return {
    ...subscriptionWire(doc),
    secret: decryptSecret(doc.secret_encrypted, ctx.config.KEY_HASH_SECRET),
  };
}

function requireKey(actor: Actor): string {
  if (!actor.keyId) throw new AppError('forbidden', 'Hook subscriptions are made with an API key');
  return actor.keyId;
}

export async function listKeySubscriptions(actor: Actor): Promise<SubscriptionWire[]> {
  const docs = await HookSubscriptionModel.find({ key_id: requireKey(actor) })
    .sort({ created_at: -1 })
    .lean<HookSubscription[]>();
  return docs.map(subscriptionWire);
}

/** Deletes one of the key's own subscriptions; its pending deliveries stop with it. */
export async function unsubscribe(actor: Actor, id: string): Promise<void> {
  const deleted = await HookSubscriptionModel.findOneAndDelete({ _id: id, key_id: requireKey(actor) }).lean();
  if (!deleted) throw notFound('Hook subscription');
  await cancelPending(id, 'subscription deleted');
}

export async function cancelPending(subscriptionId: Types.ObjectId | string, reason: string): Promise<void> {
  await HookDeliveryModel.updateMany(
    { subscription_id: subscriptionId, status: 'pending' },
    { $set: { status: 'cancelled', next_attempt_at: null, last_error: reason } },
  );
}

/** Settings: the subscriptions made by the signed-in user's keys. */
export async function listUserSubscriptions(
  userId: string,
): Promise<(SubscriptionWire & { key_id: string })[]> {
  const docs = await HookSubscriptionModel.find({ user_id: userId })
    .sort({ created_at: -1 })
    .lean<HookSubscription[]>();
  return docs.map((d) => ({ ...subscriptionWire(d), key_id: String(d.key_id) }));
}

export async function recentDeliveries(
  userId: string,
  subscriptionId: string,
  limit: number,
): Promise<unknown[]> {
  const owned = await HookSubscriptionModel.exists({ _id: subscriptionId, user_id: userId });
  if (!owned) throw notFound('Hook subscription');
  const docs = await HookDeliveryModel.find({ subscription_id: subscriptionId })
    .sort({ created_at: -1 })
    .limit(limit)
    .lean();
  return docs.map((d) => ({
    ...toWire<Record<string, unknown>>(d as unknown as Record<string, unknown>, deliveryPrivateFields),
    in_flight: d.lock_token !== null,
  }));
}
