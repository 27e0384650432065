// The rules of Idempotency-Key (Stripe's): same caller + key + request within 24 h → the first
// response again; the same key with another request → 409; a duplicate while the first is still
// running → 409 "still being processed" (the first may yet fail, so it cannot be replayed).
import { createHash } from 'node:crypto';
import { AppError, isDuplicateKey } from '../shared/errors';
import { IdempotencyModel } from './idempotency.model';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A "processing" entry older than this belongs to a request that died; a retry may take it over. */
export const ABANDONED_AFTER_MS = 60 * 1000;

export interface StoredResponse {
  status: number;
  contentType: string | null;
  body: string | null;
}

/** JSON with sorted keys, so `{a,b}` and `{b,a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

export function fingerprintOf(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method}\n${path}\n${canonical(body ?? null)}`)
    .digest('hex');
}

/**
 * Claims `key` for this request. Returns null when the caller should run the request (and later
 * `completeRequest`), or the stored response to replay. Throws 409 on a conflict.
 */
export async function claimRequest(
  actor: string,
  key: string,
  fingerprint: string,
  now: Date,
): Promise<StoredResponse | null> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await IdempotencyModel.create({
        actor,
        key,
        fingerprint,
        state: 'processing',
        created_at: now,
        expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      });
      return null;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const existing = await IdempotencyModel.findOne({ actor, key }).lean();
    if (!existing) continue; // expired and removed between the insert and the read: claim again
    const stale =
      existing.expires_at <= now ||
      (existing.state === 'processing' && now.getTime() - existing.created_at.getTime() > ABANDONED_AFTER_MS);
    if (stale) {
      // Conditional on the exact entry, so two retries cannot both take over the same stale claim.
      await IdempotencyModel.deleteOne({ _id: existing._id, actor, key, created_at: existing.created_at });
      continue;
    }
    if (existing.fingerprint !== fingerprint)
      throw new AppError(
        'conflict',
        'This Idempotency-Key was already used with a different request (method, path or body); use a new key',
      );
    if (existing.state === 'processing')
      throw new AppError(
        'conflict',
        'A request with this Idempotency-Key is still being processed; retry shortly',
        {
          headers: { 'Retry-After': '1' },
        },
      );
    return {
      status: existing.status ?? 200,
      contentType: existing.content_type ?? null,
      body: existing.body ?? null,
    };
  }
  throw new AppError(
    'conflict',
    'A request with this Idempotency-Key is still being processed; retry shortly',
    {
      headers: { 'Retry-After': '1' },
    },
  );
}

export async function completeRequest(actor: string, key: string, response: StoredResponse): Promise<void> {
  await IdempotencyModel.updateOne(
    { actor, key, state: 'processing' },
    {
      $set: {
        state: 'done',
        status: response.status,
        content_type: response.contentType,
        body: response.body,
      },
    },
  );
}

/** A server error is not a result: forget the claim so a retry runs the request again. */
export async function releaseRequest(actor: string, key: string): Promise<void> {
  await IdempotencyModel.deleteOne({ actor, key, state: 'processing' });
}
