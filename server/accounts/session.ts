// Session tokens: an HS256 JWT in the httpOnly `sb_session` cookie and a readable `csrf_token`
// cookie. The JWT carries a hash of the CSRF token, so the double-submitted value must be the one
// issued with this session (an injected cookie cannot be paired with someone else's session).
import {
  createHash,
  createSecretKey,
  randomBytes,
  randomUUID,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import type { CookieOptions, Response } from 'express';
import jwt from 'jsonwebtoken';
import type { AppContext } from '../context';

export const SESSION_COOKIE = 'sb_session';
export const CSRF_COOKIE = 'csrf_token';
export const CSRF_HEADER = 'x-csrf-token';

export interface SessionClaims {
  sub: string;
  /** The user's session_version at sign-in; sign-out bumps it, ending every older session. */
  sv: number;
  /** sha256 of the CSRF token issued with this session. */
  csrf: string;
  iat: number;
  exp: number;
  jti: string;
}

// jsonwebtoken turns a string secret into a key object on every call, trying (and failing) to
// parse it as a public key first: a measurable cost on every session request. Do it once.
const signingKeys = new Map<string, KeyObject>();
function signingKey(secret: string): KeyObject {
  let key = signingKeys.get(secret);
  if (!key) signingKeys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

const sha256 = (value: string): string => createHash('sha256').update(value).digest('base64url');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieOptions(ctx: AppContext, httpOnly: boolean): CookieOptions {
  return {
    httpOnly,
    sameSite: 'lax',
    secure: ctx.config.isProduction,
    path: '/',
    maxAge: ctx.config.SESSION_TTL_MINUTES * 60_000,
  };
}

/** Signs a session for the user and sets both cookies on the response. */
export function startSession(
  ctx: AppContext,
  res: Response,
  user: { id: string; sessionVersion: number },
): void {
  const csrf = randomBytes(32).toString('base64url');
  const iat = Math.floor(ctx.now().getTime() / 1000);
  const claims: SessionClaims = {
    sub: user.id,
    sv: user.sessionVersion,
    csrf: sha256(csrf),
    iat,
    exp: iat + ctx.config.SESSION_TTL_MINUTES * 60,
    jti: randomUUID(),
  };
  const token = jwt.sign(claims, signingKey(ctx.config.SESSION_SECRET), { algorithm: 'HS256' });
  res.cookie(SESSION_COOKIE, token, cookieOptions(ctx, true));
  res.cookie(CSRF_COOKIE, csrf, cookieOptions(ctx, false));
}

export function endSession(ctx: AppContext, res: Response): void {
  const { maxAge: _maxAge, ...options } = cookieOptions(ctx, true);
  res.clearCookie(SESSION_COOKIE, options);
  res.clearCookie(CSRF_COOKIE, { ...options, httpOnly: false });
}

/** The claims of a valid, unexpired token (by the app clock), else undefined. */
export function verifySessionToken(ctx: AppContext, token: unknown): SessionClaims | undefined {
  if (typeof token !== 'string' || token.length > 2048) return undefined;
  try {
    const claims = jwt.verify(token, signingKey(ctx.config.SESSION_SECRET), {
      algorithms: ['HS256'],
      clockTimestamp: Math.floor(ctx.now().getTime() / 1000),
    }) as Partial<SessionClaims>;
    const ok =
      typeof claims.sub === 'string' &&
      /^[a-f0-9]{24}$/.test(claims.sub) &&
      typeof claims.sv === 'number' &&
      typeof claims.csrf === 'string';
    return ok ? (claims as SessionClaims) : undefined;
  } catch {
    return undefined;
  }
}

/** Double submit: the header equals the cookie, and both are the token issued with this session. */
export function csrfMatches(claims: SessionClaims, header: unknown, cookie: unknown): boolean {
  if (typeof header !== 'string' || typeof cookie !== 'string' || header.length > 200) return false;
  return safeEqual(header, cookie) && safeEqual(sha256(header), claims.csrf);
}
