// The web routes over HTTP: which page each path serves, the redirects, the bundle, and the
// headers that keep the pages safe (CSP without inline scripts, no caching of pages).
import fs from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from '../../helpers/app';
import { findPackageRoot, webAssetsDir } from '../../../server/web/assets';

describe('web pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });

  describe('GET /', () => {
    it('when no session cookie is sent, then it redirects to /signin', async () => {
      const res = await t.request().get('/');
      expect([res.status, res.headers.location]).toEqual([302, '/signin']);
    });

    it('when a session cookie is sent, then it redirects to /settings', async () => {
      const res = await t.request().get('/').set('Cookie', 'sb_session=anything');
      expect([res.status, res.headers.location]).toEqual([302, '/settings']);
    });
  });

  describe('GET /signin and /signup', () => {
    it.each([
      ['/signin', 'Sign in', 'current-password'],
      ['/signup', 'Create your account', 'new-password'],
    ])(
      'when %s is requested, then it serves the form page with its script and a strict CSP',
      async (url, heading, autocomplete) => {
        const res = await t.request().get(url);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
        expect(res.text).toContain(`<h1>${heading}</h1>`);
        expect(res.text).toContain(`autocomplete="${autocomplete}"`);
        expect(res.text).toContain('<script src="/assets/auth.js" defer></script>');
        // No inline script or handler (the CSP would block it anyway).
        expect(res.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+=/i);
      },
    );
  });

  describe('GET /settings', () => {
    it('when no session cookie is sent, then it redirects to sign in and back', async () => {
      const res = await t.request().get('/settings');
      expect([res.status, res.headers.location]).toEqual([302, '/signin?next=%2Fsettings']);
    });

    it('when a session cookie is sent, then it serves the Settings shell (the data comes from the session API)', async () => {
      const res = await t.request().get('/settings').set('Cookie', 'sb_session=anything');
      expect(res.status).toBe(200);
      expect(res.text).toContain('<script src="/assets/settings.js" defer></script>');
      expect(res.text).toContain('id="announcer"');
    });
  });

  describe('GET /assets/*', () => {
    const built = fs.existsSync(path.join(webAssetsDir(), 'settings.js'));

    it('when the bundle is built, then its files are served with types and revalidation', async () => {
      if (!built)
        throw new Error('dist/web is missing: run "node scripts/build-web.mjs" (npm run build does) first');
      const js = await t.request().get('/assets/settings.js');
      expect([js.status, js.headers['content-type'], js.headers['cache-control']]).toEqual([
        200,
        expect.stringMatching(/javascript/),
        'no-cache',
      ]);
      const css = await t.request().get('/assets/app.css');
      expect([css.status, css.headers['content-type']]).toEqual([200, expect.stringMatching(/^text\/css/)]);
    });

    it('when a file does not exist or the path climbs out, then it is a problem+json 404', async () => {
      for (const url of ['/assets/nope.js', '/assets/../package.json', '/assets/%2e%2e/package.json']) {
        const res = await t.request().get(url);
        expect([url, res.status]).toEqual([url, 404]);
        expect(res.text).not.toContain('"dependencies"');
      }
    });
  });

  describe('the bundle location', () => {
    it('when looked up from the source or the built server folder, then both find <repo>/dist/web', () => {
      const repo = path.resolve(__dirname, '../../..');
      expect(findPackageRoot(path.join(repo, 'server/web'))).toBe(repo);
      expect(findPackageRoot(path.join(repo, 'dist/server/web'))).toBe(repo);
      expect(webAssetsDir()).toBe(path.join(repo, 'dist/web'));
    });
  });
});
