// Express side of Idempotency-Key: mounted inside the record routers on write routes, after
// authentication (the actor is part of the key's identity). The response is stored BEFORE it is
// sent, so a client that retries the moment it reads the first answer is replayed, not refused.
import type { RequestHandler, Response } from 'express';
import type { AppContext } from '../context';
import { AppError } from '../shared/errors';
import { claimRequest, completeRequest, fingerprintOf, releaseRequest } from './idempotency.service';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const MAX_KEY_LENGTH = 255;

export function idempotency(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    const key = req.get(IDEMPOTENCY_HEADER);
    if (key === undefined) return next();
    if (key.length < 1 || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key))
      throw new AppError(
        'invalid_request',
        `${IDEMPOTENCY_HEADER} must be 1–${MAX_KEY_LENGTH} visible ASCII characters`,
        {
          status: 400,
          errors: [{ field: IDEMPOTENCY_HEADER, message: 'Invalid idempotency key' }],
        },
      );
    const actor = req.actor;
    if (!actor) throw new AppError('internal_error', 'Idempotency needs an authenticated actor');
    const owner = actor.keyId ? `key:${actor.keyId}` : `user:${actor.userId}`;
    const fingerprint = fingerprintOf(req.method, req.baseUrl + req.path, req.body);

    const stored = await claimRequest(owner, key, fingerprint, ctx.now());
    if (stored) {
      res.setHeader('Idempotent-Replayed', 'true');
      if (stored.contentType) res.setHeader('Content-Type', stored.contentType);
      res.status(stored.status).end(stored.body ?? undefined);
      return;
    }
    captureResponse(res, async (status, contentType, body) => {
      if (status >= 500) await releaseRequest(owner, key);
      else await completeRequest(owner, key, { status, contentType, body });
    });
    next();
  };
}

/** Runs `persist` with the final response just before its bytes leave, then sends them. */
function captureResponse(
  res: Response,
  persist: (status: number, contentType: string | null, body: string | null) => Promise<void>,
): void {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  let done = false;
  res.end = ((...args: unknown[]) => {
    if (done) return end(...args);
    done = true;
    const [chunk] = args;
    const body =
      chunk === undefined || typeof chunk === 'function'
        ? null
        : Buffer.isBuffer(chunk)
          ? chunk.toString('utf8')
          : String(chunk);
    const contentType = (res.getHeader('Content-Type') as string | undefined) ?? null;
    persist(res.statusCode, contentType, body)
      .catch((err: unknown) => res.req.log?.error({ err }, 'could not store the idempotent response'))
      .finally(() => end(...args));
    return res;
  }) as Response['end'];
}
