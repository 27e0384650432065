// `/auth`: sign up, sign in, sign out, who am I. Sign-up and sign-in are rate limited per IP;
// failed sign-ins are also counted per email and slowed past a threshold.
import { Router, type Request } from 'express';
import type { AppContext } from '../context';
import { hit, peek, rateLimited, setRateLimitHeaders, type RateLimitPolicy } from '../shared/rate-limit';
import { parse } from '../shared/validation';
import { accountView, logIn, signOut, signUp } from './accounts.service';
import { logInBody, signUpBody } from './accounts.schemas';
import { authenticateSession, requireSession } from './session.middleware';
import { endSession, startSession } from './session';

/** Failed sign-ins per email before further attempts are refused for the rest of the window. */
const EMAIL_FAILURES: RateLimitPolicy = { name: 'signin-failures', limit: 10, windowSeconds: 15 * 60 };

export function authRoutes(ctx: AppContext): Router {
  const perIp: RateLimitPolicy = { name: 'signin', limit: ctx.config.SIGNIN_RATE_LIMIT, windowSeconds: 60 };
  const limitIp = async (req: Request, res: import('express').Response) => {
    const state = await hit(perIp, req.ip ?? 'unknown', ctx.now());
    setRateLimitHeaders(res, state);
    if (state.exceeded) throw rateLimited(state);
  };

  return Router()
    .post('/signup', async (req, res) => {
      await limitIp(req, res);
      const body = parse(signUpBody, req.body);
      const account = await signUp(body, ctx.now());
      startSession(ctx, res, { id: String(account.user._id), sessionVersion: account.user.session_version });
      res.status(201).json(accountView(account));
    })
    .post('/login', async (req, res) => {
      await limitIp(req, res);
      const body = parse(logInBody, req.body);
      const failures = await peek(EMAIL_FAILURES, body.email, ctx.now());
      if (failures.count >= EMAIL_FAILURES.limit)
        throw rateLimited(
          failures,
          `Too many failed sign-ins for this email; retry in ${failures.resetSeconds} seconds`,
        );
      const account = await logIn(body).catch(async (err: unknown) => {
        await hit(EMAIL_FAILURES, body.email, ctx.now());
        throw err;
      });
      startSession(ctx, res, { id: String(account.user._id), sessionVersion: account.user.session_version });
      res.json(accountView(account));
    })
    .post('/logout', async (req, res) => {
      const account = await authenticateSession(ctx, req);
      await signOut(String(account.user._id));
      endSession(ctx, res);
      res.status(204).end();
    })
    .get('/session', requireSession(ctx), (req, res) => {
      res.json(accountView(req.account!));
    });
}
