// The browser side of Switchboard: the sign-in, sign-up and Settings pages and their bundle
// (built by scripts/build-web.mjs into dist/web). Mounted last, after every API, so it can never
// shadow one. The pages hold no data: Settings reads everything from the session API.
import express, { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context';
import { missingAssets, webAssetsDir } from './assets';
import { renderPage, type PageName } from './pages';

/** Named by the accounts feature; only its presence is checked here (the session API validates it). */
const SESSION_COOKIE = 'sb_session';

export function webRoutes(ctx: AppContext): Router {
  const dir = webAssetsDir();
  const missing = missingAssets(dir);
  if (missing.length) {
    ctx.logger.warn({ dir, missing }, 'web assets missing: run "npm run build" to build the Settings page');
  }
  const html = new Map<PageName, string>(
    (['signin', 'signup', 'settings'] as const).map((p) => [p, renderPage(p)]),
  );
  const send = (page: PageName) => (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(html.get(page));
  };
  const signedIn = (req: Request) => typeof req.cookies?.[SESSION_COOKIE] === 'string';

  return Router()
    .use(
      '/assets',
      // no-cache = revalidate by ETag each time: names are not hashed, so a rebuild shows at once.
      express.static(dir, {
        index: false,
        redirect: false,
        setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
      }),
    )
    .get('/', (req, res) => res.redirect(signedIn(req) ? '/settings' : '/signin'))
    .get('/signin', send('signin'))
    .get('/signup', send('signup'))
    .get('/settings', (req, res) => {
      // Only a cheap hint: a stale cookie still gets the page, whose script then sends it to /signin.
      if (signedIn(req)) send('settings')(req, res);
      else res.redirect(`/signin?next=${encodeURIComponent('/settings')}`);
    });
}
