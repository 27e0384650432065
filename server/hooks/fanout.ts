// Fan-out: turns each undispatched domain event into one delivery per subscription that wants it
// and whose key could read the record now. Crash-safe by construction: the event is claimed with
// a lease, deliveries are unique per (event, subscription), and the event is marked dispatched
// only after they all exist, so a process dying anywhere in between leads to a redo, not a loss
// and not a duplicate.
import mongoose from 'mongoose';
import type { AppContext } from '../context';
import { DomainEventModel, type DomainEvent } from '../events/event.model';
import { HookDeliveryModel } from './delivery.model';
import { keyActorCache, mayRead, workspaceMemberIds } from './key-access';
import { matchesFilters, payloadOf } from './payload';
import { HookSubscriptionModel, type HookSubscription } from './subscription.model';

const DISPATCH_LEASE_MS = 30_000;

type ClaimedEvent = DomainEvent & { _id: mongoose.Types.ObjectId };

async function claimEvent(now: Date): Promise<ClaimedEvent | null> {
  return DomainEventModel.findOneAndUpdate(
    {
      dispatched_at: null,
      $or: [{ dispatch_locked_until: null }, { dispatch_locked_until: mongoose.trusted({ $lte: now }) }],
    },
    { $set: { dispatch_locked_until: new Date(now.getTime() + DISPATCH_LEASE_MS) } },
    { sort: { occurred_at: 1 }, returnDocument: 'after' },
  ).lean<ClaimedEvent>();
}

/** Fans out up to `max` events; returns how many deliveries it created. */
export async function dispatchOnce(ctx: AppContext, max = 100): Promise<number> {
  let created = 0;
  for (let i = 0; i < max; i++) {
    const now = ctx.now();
    const event = await claimEvent(now);
    if (!event) break;
    created += await fanOut(event, now);
    await DomainEventModel.updateOne(
      { _id: event._id },
      { $set: { dispatched_at: now, dispatch_locked_until: null } },
    );
  }
  return created;
}

async function fanOut(event: ClaimedEvent, now: Date): Promise<number> {
  // Only members of the record's workspace can have a key that reads it.
  const members = await workspaceMemberIds(event.workspace_id);
  if (members.length === 0) return 0;
  const subscriptions = await HookSubscriptionModel.find({
    event: event.type,
    user_id: mongoose.trusted({ $in: members }),
  }).lean<HookSubscription[]>();
  const actorOf = keyActorCache(now);
  const body = JSON.stringify(payloadOf(event));
  let created = 0;
  for (const sub of subscriptions) {
    if (!matchesFilters(sub.filters, event)) continue;
    if (!mayRead(await actorOf(String(sub.key_id)), event)) continue;
    created += await createDelivery(event, sub, body, now);
  }
  return created;
}

async function createDelivery(
  event: ClaimedEvent,
  sub: HookSubscription,
  body: string,
  now: Date,
): Promise<number> {
  try {
    await HookDeliveryModel.create({
      event_id: event._id,
      subscription_id: sub._id,
      key_id: sub.key_id,
      event_type: event.type,
      body,
      workspace_id: event.workspace_id,
      owner_id: event.owner_id,
      visibility: event.visibility,
      next_attempt_at: now,
      created_at: now,
      updated_at: now,
    });
    return 1;
  } catch (err) {
    // Already created by an earlier run that died before marking the event dispatched.
    if ((err as { code?: number }).code === 11000) return 0;
    throw err;
  }
}
