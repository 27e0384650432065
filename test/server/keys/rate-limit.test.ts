import { generateSecret } from '../../../server/keys/key-format';
import { startTestApp, type TestApp } from '../../helpers/app';
import { apiUser, bearer } from '../../helpers/fixtures';
import { pipelined } from '../../helpers/pipelined';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ API_KEY_RATE_LIMIT: '5', AUTH_FAILURE_RATE_LIMIT: '3' });
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => t.clock.reset());

/** Pins the test clock to the start of a fresh minute so a window boundary never splits a test. */
function freshWindow() {
  const now = t.clock.now().getTime();
  t.clock.advance(60_000 - (now % 60_000) + 1000);
}

describe('per-key limit (API_KEY_RATE_LIMIT per minute)', () => {
  test('when a key exceeds its limit, then 429 rate_limited with Retry-After, and the next window admits it again', async () => {
    const { secret } = await apiUser(t, 'read');
    freshWindow();
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 6; i++) {
      last = await t.request().get('/api/v1/me').set(bearer(secret));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last!.body.code).toBe('rate_limited');
    expect(last!.headers['content-type']).toMatch(/problem\+json/);
    const retryAfter = Number(last!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(last!.headers['ratelimit-policy']).toBe('"per-key";q=5;w=60');
    expect(last!.headers.ratelimit).toBe(`"per-key";r=0;t=${retryAfter}`);
    expect(last!.headers['x-ratelimit-remaining']).toBe('0');
    t.clock.advance(retryAfter * 1000);
    expect((await t.request().get('/api/v1/me').set(bearer(secret))).status).toBe(200);
  });

  test('when more requests than the limit arrive together, then exactly the limit is admitted, each in its own place', async () => {
    const { secret } = await apiUser(t, 'read');
    freshWindow();
    const me = { path: '/api/v1/me', headers: bearer(secret) };
    const responses = await pipelined(
      await t.listen(),
      Array.from({ length: 8 }, () => me),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const remaining = responses
      .filter((r) => r.status === 200)
      .map((r) => r.headers['x-ratelimit-remaining']);
    expect(remaining.sort()).toEqual(['0', '1', '2', '3', '4']);
  });

  test('when one key is exhausted, then another key of the same user is not', async () => {
    const a = await apiUser(t, 'read');
    const b = await apiUser(t, 'read');
    freshWindow();
    for (let i = 0; i < 6; i++) await t.request().get('/api/v1/me').set(bearer(a.secret));
    const res = await t.request().get('/api/v1/me').set(bearer(b.secret));
    expect(res.status).toBe(200);
    expect(res.headers['x-ratelimit-remaining']).toBe('4');
  });
});

describe('failed authentications per IP (AUTH_FAILURE_RATE_LIMIT per minute)', () => {
  test('when an address keeps failing, then it gets 429 instead of 401, while other addresses do not', async () => {
    freshWindow();
    const from = (ip: string) => t.request().get('/api/v1/me').set('X-Forwarded-For', ip);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await from('192.0.2.10').set(bearer(generateSecret()))).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const blocked = await from('192.0.2.10');
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    expect(blocked.headers['ratelimit-policy']).toBe('"auth-failures";q=3;w=60');
    expect((await from('192.0.2.11').set(bearer(generateSecret()))).status).toBe(401);
  });

  test('when a key is valid, then failures from the same address do not block it', async () => {
    const { secret } = await apiUser(t, 'read');
    freshWindow();
    for (let i = 0; i < 5; i++) await t.request().get('/api/v1/me').set('X-Forwarded-For', '192.0.2.20');
    expect(
      (await t.request().get('/api/v1/me').set('X-Forwarded-For', '192.0.2.20').set(bearer(secret))).status,
    ).toBe(200);
  });
});

describe('last used', () => {
  test('when a key is used repeatedly within a minute, then last_used_at is written once, then again after a minute', async () => {
    const { user, secret, keyId } = await apiUser(t, 'read');
    freshWindow();
    const keyOf = async () =>
      (await user.agent.get('/app/api-keys')).body.active.find((k: { id: string }) => k.id === keyId) as {
        last_used_at: string;
        last_used_ip: string;
        last_used_user_agent: string;
      };
    await t
      .request()
      .get('/api/v1/me')
      .set(bearer(secret))
      .set('User-Agent', 'zapier/1')
      .set('X-Forwarded-For', '192.0.2.30');
    const first = await keyOf();
    expect(first).toMatchObject({ last_used_ip: '192.0.2.30', last_used_user_agent: 'zapier/1' });
    t.clock.advance(20_000);
    await t
      .request()
      .get('/api/v1/me')
      .set(bearer(secret))
      .set('User-Agent', 'zapier/2')
      .set('X-Forwarded-For', '192.0.2.30');
    expect((await keyOf()).last_used_at).toBe(first.last_used_at);
    t.clock.advance(45_000);
    await t
      .request()
      .get('/api/v1/me')
      .set(bearer(secret))
      .set('User-Agent', 'zapier/3')
      .set('X-Forwarded-For', '192.0.2.30');
    const later = await keyOf();
    expect(Date.parse(later.last_used_at)).toBeGreaterThan(Date.parse(first.last_used_at));
    expect(later.last_used_user_agent).toBe('zapier/3');
  });
});
