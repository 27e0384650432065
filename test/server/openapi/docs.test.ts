// /docs over real HTTP: the page, its intro (getting started, every error code, rate limits,
// pagination, hooks signatures, the AI-assistant prompt) and its offline assets, under the CSP.
import { startTestApp, type TestApp } from '../../helpers/app';
import { problems } from '../../../server/shared/errors';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp();
  base = await t.listen();
});
afterAll(async () => t.stop());

describe('GET /docs', () => {
  test('when the page is fetched, then it holds the getting-started guide and an anchor per error code', async () => {
    const res = await fetch(`${base}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const html = await res.text();
    expect(html).toContain('id="getting-started"');
    expect(html).toContain('Settings → API keys');
    expect(html).toContain(
      'curl -H &quot;Authorization: Bearer $SWITCHBOARD_API_KEY&quot; http://localhost:3000/api/v1/me',
    );
    for (const code of Object.keys(problems)) expect(html).toContain(`<a id="error-${code}"></a>`);
    for (const section of [
      'rate-limits',
      'pagination',
      'hooks-and-signature-checking',
      'ask-an-ai-coding-assistant',
    ])
      expect(html).toContain(`id="${section}"`);
    expect(html).toContain('Switchboard-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;');
    expect(html).toContain('RateLimit-Policy');
    expect(html).toMatch(/missing key[\s\S]*invalid[\s\S]*disabled API access[\s\S]*rate limiting/);
    // No inline script: every <script> loads a file (the CSP would block inline code).
    expect(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g)).toBeNull();
  });

  test('when the scripts and styles the page references are fetched, then each is served locally', async () => {
    const html = await (await fetch(`${base}/docs`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(
      expect.arrayContaining([
        '/docs/assets/swagger-ui-bundle.js',
        '/docs/assets/swagger-ui.css',
        '/docs/docs-init.js',
      ]),
    );
    for (const asset of assets) {
      const res = await fetch(`${base}${asset}`);
      expect([asset, res.status]).toEqual([asset, 200]);
      const type = asset.endsWith('.css')
        ? /text\/css/
        : asset.endsWith('.png')
          ? /image\/png/
          : /javascript/;
      expect(res.headers.get('content-type')).toMatch(type);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
  });

  test('when a file of the package that the page does not use is asked for, then it is 404', async () => {
    expect((await fetch(`${base}/docs/assets/index.html`)).status).toBe(404);
    expect((await fetch(`${base}/docs/assets/package.json`)).status).toBe(404);
  });
});
