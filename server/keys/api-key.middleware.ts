// `/api/v1` authentication, in order: no key in the URL; `Authorization: Bearer sbk_…` present
// and well formed (checksum, no database); one aggregate by keyed hash; status; rate limit (one
// round trip); reach; the permission table. Failed authentications count against the caller's IP.
import type { Request, RequestHandler, Response } from 'express';
import { ruleFor } from '../access/permissions';
import { requirePermission } from '../access/visibility';
import type { AppContext } from '../context';
import { AppError } from '../shared/errors';
import { hit, rateLimited, setRateLimitHeaders, type RateLimitPolicy } from '../shared/rate-limit';
import { authenticateKey, type AuthenticatedKey } from './key-auth.service';
import { noteKeyUse } from './key-usage';

declare module 'express-serve-static-core' {
  interface Request {
    /** The authenticated key, its creator and scope (public API only). */
    apiKey?: AuthenticatedKey;
  }
}

const URL_KEY_PARAMS = ['api_key', 'apikey', 'key', 'access_token'];
export const KEY_EXPIRY_HEADER = 'Switchboard-Key-Expires-At';

function bearerOf(req: Request): string {
  const query = (req.query ?? {}) as Record<string, unknown>;
  if (URL_KEY_PARAMS.some((p) => p in query))
    throw new AppError(
      'invalid_api_key',
      'API keys are refused in the URL; send it as Authorization: Bearer sbk_…',
    );
  const header = req.headers.authorization;
  if (!header) throw new AppError('missing_api_key', 'Send your API key as Authorization: Bearer sbk_…');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AppError('invalid_api_key', 'Use the Bearer scheme: Authorization: Bearer sbk_…');
  return match[1]!;
}

export function apiKeyAuth(ctx: AppContext): RequestHandler {
  const perKey: RateLimitPolicy = {
    name: 'per-key',
    limit: ctx.config.API_KEY_RATE_LIMIT,
    windowSeconds: 60,
  };
  const failures: RateLimitPolicy = {
    name: 'auth-failures',
    limit: ctx.config.AUTH_FAILURE_RATE_LIMIT,
    windowSeconds: 60,
  };

  /** A failed authentication: counted per IP; past the limit it becomes a 429 instead of a 401. */
  const fail = async (req: Request, res: Response, err: unknown): Promise<never> => {
    if (!(err instanceof AppError) || err.status !== 401) throw err;
    const state = await hit(failures, req.ip ?? 'unknown', ctx.now());
    setRateLimitHeaders(res, state);
    if (state.exceeded)
      throw rateLimited(
        state,
        `Too many failed authentications from this address; retry in ${state.resetSeconds} seconds`,
      );
    throw err;
  };

  return async (req, res, next) => {
    const now = ctx.now();
    const auth = await Promise.resolve()
      .then(() => authenticateKey(bearerOf(req), ctx.config.KEY_HASH_SECRET, now))
      .catch((err: unknown) => fail(req, res, err));
    const { key } = auth;

    const state = await hit(perKey, String(key._id), now);
    setRateLimitHeaders(res, state);
    if (key.expires_at) res.setHeader(KEY_EXPIRY_HEADER, new Date(key.expires_at).toISOString());
    if (state.exceeded) throw rateLimited(state);

    await noteKeyUse(key, req.ip ?? 'unknown', req.headers['user-agent'], now);
    if (auth.reach.length === 0)
      throw new AppError('api_access_disabled', 'API access is not enabled for this account');

    req.apiKey = auth;
    req.actor = {
      userId: String(key.created_by),
      via: 'api_key',
      permission: key.permission as 'read' | 'write' | 'admin',
      keyId: String(key._id),
      workspaces: auth.reach,
    };
    const rule = ruleFor(req.method, req.path);
    if (rule && rule.permission !== 'none') requirePermission(req.actor, rule.permission);
    next();
  };
}
