// Fixed-window counters in MongoDB, so every server process sharing the database enforces the
// same limit. One round trip per hit: an upserting findOneAndUpdate `$inc` on the window's
// document; a TTL index throws old windows away. Hits arriving together are coalesced: one `$inc`
// by their number per window, each hit getting its own place in the count (exactly as if they had
// been sent one by one).
import mongoose, { Schema } from 'mongoose';
import type { Response } from 'express';
import { coalesce } from './coalesce';
import { AppError, isDuplicateKey } from './errors';

const counterSchema = new Schema(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true, default: 0 },
    expires_at: { type: Date, required: true },
  },
  { strict: true, versionKey: false },
);
counterSchema.index({ expires_at: 1 }, { expireAfterSeconds: 0 });

export const RateLimitCounterModel = mongoose.model('RateLimitCounter', counterSchema, 'rate_limits');

export interface RateLimitPolicy {
  /** Names the policy in the `RateLimit-Policy` / `RateLimit` headers, e.g. "per-key". */
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimitState {
  policy: RateLimitPolicy;
  count: number;
  remaining: number;
  /** Seconds until the window ends (≥ 1). */
  resetSeconds: number;
  /** The window end, for the legacy X-RateLimit-Reset (Unix seconds). */
  resetAt: Date;
  exceeded: boolean;
}

function windowOf(policy: RateLimitPolicy, subject: string, now: Date): { id: string; end: Date } {
  const size = policy.windowSeconds * 1000;
  const start = Math.floor(now.getTime() / size) * size;
  return { id: `${policy.name}:${subject}:${start}`, end: new Date(start + size) };
}

function stateOf(policy: RateLimitPolicy, count: number, end: Date, now: Date): RateLimitState {
  return {
    policy,
    count,
    remaining: Math.max(0, policy.limit - count),
    resetSeconds: Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000)),
    resetAt: end,
    exceeded: count > policy.limit,
  };
}

/** Adds `n` to a window's counter (creating it) and returns the count after. */
async function increment(id: string, n: number, expiresAt: Date): Promise<number> {
  const update = { $inc: { count: n }, $setOnInsert: { expires_at: expiresAt } };
  const run = () =>
    RateLimitCounterModel.findOneAndUpdate({ _id: id }, update, { upsert: true, returnDocument: 'after' })
      .lean()
      .exec();
  // Two processes upserting the same new window race on the _id; the loser simply retries as an update.
  const doc = await run().catch((err: unknown) => (isDuplicateKey(err) ? run() : Promise.reject(err)));
  return doc?.count ?? n;
}

interface Hit {
  id: string;
  expiresAt: Date;
}

/** Each hit's count: one increment per window for all the hits that arrived together. */
const countHits = coalesce<Hit, number>(async (hits) => {
  const perWindow = new Map<string, Hit[]>();
  for (const h of hits) {
    const group = perWindow.get(h.id);
    if (group) group.push(h);
    else perWindow.set(h.id, [h]);
  }
  const after = new Map<string, number | Error>();
  await Promise.all(
    [...perWindow].map(([id, group]) =>
      increment(id, group.length, group[0]!.expiresAt).then(
        (count) => void after.set(id, count),
        (err: unknown) => void after.set(id, err instanceof Error ? err : new Error(String(err))),
      ),
    ),
  );
  const placed = new Map<string, number>();
  return hits.map((h) => {
    const count = after.get(h.id)!;
    if (count instanceof Error) return count;
    const place = (placed.get(h.id) ?? 0) + 1;
    placed.set(h.id, place);
    return count - perWindow.get(h.id)!.length + place;
  });
});

/** Counts one hit for `subject` in the current window and returns the state after it. */
export async function hit(policy: RateLimitPolicy, subject: string, now: Date): Promise<RateLimitState> {
  const { id, end } = windowOf(policy, subject, now);
  const count = await countHits({ id, expiresAt: new Date(end.getTime() + 60_000) });
  return stateOf(policy, count, end, now);
}

/** Reads the current window without counting (for checks that only count failures). */
export async function peek(policy: RateLimitPolicy, subject: string, now: Date): Promise<RateLimitState> {
  const { id, end } = windowOf(policy, subject, now);
  const doc = await RateLimitCounterModel.findById(id).lean().exec();
  return stateOf(policy, doc?.count ?? 0, end, now);
}

/**
 * Sets the IETF draft headers (draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy` and
 * `RateLimit` as structured fields) and the legacy `X-RateLimit-*` trio.
 */
export function setRateLimitHeaders(res: Response, state: RateLimitState): void {
  const { policy } = state;
  res.setHeader('RateLimit-Policy', `"${policy.name}";q=${policy.limit};w=${policy.windowSeconds}`);
  res.setHeader('RateLimit', `"${policy.name}";r=${state.remaining};t=${state.resetSeconds}`);
  res.setHeader('X-RateLimit-Limit', String(policy.limit));
  res.setHeader('X-RateLimit-Remaining', String(state.remaining));
  res.setHeader('X-RateLimit-Reset', String(Math.floor(state.resetAt.getTime() / 1000)));
}

export function rateLimited(state: RateLimitState, detail?: string): AppError {
  return new AppError(
    'rate_limited',
    detail ??
      `Rate limit of ${state.policy.limit} requests per ${state.policy.windowSeconds} seconds exceeded; retry in ${state.resetSeconds} seconds`,
    { headers: { 'Retry-After': String(state.resetSeconds) } },
  );
}
