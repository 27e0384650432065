// Delivery attempts: claim a due delivery atomically (a lease on next_attempt_at), re-check the
// subscription and its key, POST the signed body, record the outcome. 2xx delivered; 410 removes
// the subscription; anything else is retried with exponential backoff and jitter for at least
// RETRY_WINDOW_MS, then failed.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { AppContext } from '../context';
import { HookDeliveryModel, type HookDelivery } from './delivery.model';
import { cancelPending } from './hooks.service';
import { postJson, type PostResult } from './http-post';
import { mayRead, resolveKeyActor } from './key-access';
import { decryptSecret, signatureHeader } from './signing';
import { HookSubscriptionModel, type HookSubscription } from './subscription.model';
import { checkTargetSyntax, guardedLookup, TargetRefusedError } from './target-guard';

export const RETRY_WINDOW_MS = 24 * 3600_000;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 3600_000;
const USER_AGENT = 'Switchboard-Hooks/1';

/** Delay before retry n (1 = after the first failure): 30 s, 1 min, 2 min … capped at 1 h, each × [0.5, 1). */
export function retryDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, failedAttempts - 1), MAX_RETRY_MS);
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Long enough that a live attempt (deadline + bookkeeping) always ends before another may claim it. */
export const leaseMs = (ctx: AppContext): number => ctx.config.HOOKS_DELIVERY_TIMEOUT_MS * 2 + 2000;

export type Claimed = HookDelivery & { lock_token: string };

export async function claimDelivery(ctx: AppContext): Promise<Claimed | null> {
  const now = ctx.now();
  return HookDeliveryModel.findOneAndUpdate(
    { status: 'pending', next_attempt_at: mongoose.trusted({ $lte: now }) },
    {
      $set: {
        lock_token: randomUUID(),
        next_attempt_at: new Date(now.getTime() + leaseMs(ctx)),
        last_attempt_at: now,
      },
      $inc: { attempts: 1 },
    },
    { sort: { next_attempt_at: 1 }, returnDocument: 'after' },
  ).lean<Claimed>();
}

/** Claims and delivers every due delivery, HOOKS_DELIVERY_CONCURRENCY at a time; returns how many attempts it made. */
export async function deliverDue(ctx: AppContext): Promise<number> {
  let total = 0;
  for (;;) {
    const batch: Promise<void>[] = [];
    while (batch.length < ctx.config.HOOKS_DELIVERY_CONCURRENCY) {
      const claimed = await claimDelivery(ctx);
      if (!claimed) break;
      batch.push(attemptDelivery(ctx, claimed));
    }
    if (batch.length === 0) return total;
    await Promise.all(batch);
    total += batch.length;
  }
}

/** Writes an outcome only if this attempt still holds the claim (a late answer after the lease ended is dropped). */
function finish(d: Claimed, update: Partial<HookDelivery>) {
  return HookDeliveryModel.updateOne(
    { _id: d._id, lock_token: d.lock_token },
    { $set: { ...update, lock_token: null } },
  );
}

export async function attemptDelivery(ctx: AppContext, d: Claimed, signal?: AbortSignal): Promise<void> {
  const sub = await HookSubscriptionModel.findById(d.subscription_id).lean<HookSubscription>();
  if (!sub) return void (await finish(d, cancelled('the subscription was deleted')));
  const actor = await resolveKeyActor(String(sub.key_id), ctx.now());
  if (!actor) return void (await finish(d, cancelled('the API key was revoked, expired or archived')));
  if (!mayRead(actor, d))
    return void (await finish(d, cancelled('the API key can no longer read this record')));

  const result = await post(ctx, sub, d, signal);
  const now = ctx.now();
  if (signal?.aborted) {
    // This process is stopping: hand the delivery straight back so another process retries it now.
    return void (await finish(d, {
      next_attempt_at: now,
      last_error: 'interrupted: a worker stopped mid-delivery',
    }));
  }
  const status = 'status' in result ? result.status : null;
  const error = 'error' in result ? result.error : null;
  if (status !== null && status >= 200 && status < 300) {
    await finish(d, {
      status: 'delivered',
      delivered_at: now,
      next_attempt_at: null,
      last_response_status: status,
      last_error: null,
    });
  } else if (status === 410) {
    // The receiver says the subscription is gone for good (Zapier does this when a Zap is off).
    await HookSubscriptionModel.deleteOne({ _id: sub._id });
    await finish(d, {
      ...cancelled('the target answered 410 Gone: subscription removed'),
      last_response_status: 410,
    });
    await cancelPending(sub._id, 'the target answered 410 Gone: subscription removed');
  } else {
    const giveUp = now.getTime() - new Date(d.created_at).getTime() >= RETRY_WINDOW_MS;
    const retryAt = new Date(now.getTime() + retryDelayMs(d.attempts));
    await finish(d, {
      status: giveUp ? 'failed' : 'pending',
      next_attempt_at: giveUp ? null : retryAt,
      last_response_status: status,
      last_error: error ?? `the target answered HTTP ${status}`,
    });
    ctx.logger.info(
      {
        delivery_id: String(d._id),
        subscription_id: String(sub._id),
        attempt: d.attempts,
        status,
        error,
        gave_up: giveUp,
      },
      'hook delivery attempt failed',
    );
  }
}

const cancelled = (reason: string): Partial<HookDelivery> => ({
  status: 'cancelled',
  next_attempt_at: null,
  last_error: reason,
});

async function post(
  ctx: AppContext,
  sub: HookSubscription,
  d: Claimed,
  signal?: AbortSignal,
): Promise<PostResult> {
  let url: URL;
  try {
    url = checkTargetSyntax(sub.target_url, ctx.config);
  } catch (err) {
    if (err instanceof TargetRefusedError) return { error: `target refused: ${err.message}` };
    throw err;
  }
  const t = Math.floor(ctx.now().getTime() / 1000);
  let secret: string;
  try {
    secret = decryptSecret(sub.secret_encrypted, ctx.config.KEY_HASH_SECRET);
  } catch {
    // KEY_HASH_SECRET changed since the subscription was made: fail (and eventually give up) visibly.
    return { error: 'the signing secret cannot be read (server secret changed); subscribe again' };
  }
  return postJson(url, d.body, {
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': USER_AGENT,
      'Switchboard-Event-Id': String(d.event_id),
      'Switchboard-Event-Type': d.event_type,
      'Switchboard-Delivery-Id': String(d._id),
      'Switchboard-Signature': signatureHeader(secret, t, d.body),
    },
    timeoutMs: ctx.config.HOOKS_DELIVERY_TIMEOUT_MS,
    lookup: guardedLookup(ctx.config),
    signal,
  });
}
