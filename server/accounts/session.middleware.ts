// `/app` authentication: a valid session JWT (cookie), the CSRF double submit on state-changing
// requests (checked before any database read), then ONE aggregate for the user and memberships.
import type { Request, RequestHandler } from 'express';
import type { AppContext } from '../context';
import { AppError } from '../shared/errors';
import { loadAccount, type Account } from './accounts.service';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, csrfMatches, verifySessionToken } from './session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in user's account as loaded by requireSession (session API only). */
    account?: Account;
  }
}

export function requireSession(ctx: AppContext): RequestHandler {
  return async (req, _res, next) => {
    req.account = await authenticateSession(ctx, req);
    req.actor = {
      userId: String(req.account.user._id),
      via: 'session',
      permission: 'admin',
      workspaces: req.account.workspaces.map(({ id, name, role, api_access_enabled }) => ({
        id,
        name,
        role,
        api_access_enabled,
      })),
    };
    next();
  };
}

export async function authenticateSession(ctx: AppContext, req: Request): Promise<Account> {
  const cookies = (req.cookies ?? {}) as Record<string, unknown>;
  const claims = verifySessionToken(ctx, cookies[SESSION_COOKIE]);
  if (!claims) throw new AppError('not_signed_in', 'Sign in first (your session is missing or has expired)');
  if (!SAFE_METHODS.has(req.method) && !csrfMatches(claims, req.headers[CSRF_HEADER], cookies[CSRF_COOKIE]))
    throw new AppError('csrf_failed', 'Send the csrf_token cookie value in the X-CSRF-Token header');
  const account = await loadAccount(claims.sub);
  if (!account || account.user.deactivated_at || account.user.session_version !== claims.sv)
    throw new AppError('not_signed_in', 'Sign in first (your session has ended)');
  return account;
}
