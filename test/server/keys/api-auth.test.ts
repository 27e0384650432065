// Authenticating /api/v1: every row of the spec's error table from real requests, the order of
// checks, and the database cost of a key-authenticated read.
import mongoose from 'mongoose';
import { deactivateUser } from '../../../server/accounts/accounts.service';
import { generateSecret } from '../../../server/keys/key-format';
import { startTestApp, type TestApp } from '../../helpers/app';
import { apiUser, bearer, createKey, enableApiAccess, session, signIn, signUp } from '../../helpers/fixtures';
import { pipelined } from '../../helpers/pipelined';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => t.clock.reset());

let n = 0;
/** Each request from its own address, so the per-IP failure limit does not interfere (it has its own test). */
const get = (path: string) =>
  t
    .request()
    .get(path)
    .set('X-Forwarded-For', `203.0.113.${(n++ % 250) + 1}`);

function expectProblem(
  res: { status: number; body: Record<string, unknown>; headers: Record<string, string> },
  status: number,
  code: string,
) {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
  });
  if (status === 401) expect(res.headers['www-authenticate']).toBe('Bearer');
}

describe('401 missing_api_key / invalid_api_key', () => {
  test('when no Authorization header is sent, then missing_api_key', async () => {
    expectProblem(await get('/api/v1/me'), 401, 'missing_api_key');
  });

  const valid = generateSecret();
  test.each([
    ['garbage', 'Bearer hello'],
    ['wrong prefix', `Bearer sk_${valid.slice(4)}`],
    ['truncated', `Bearer ${valid.slice(0, -1)}`],
    [
      'one character changed',
      `Bearer ${valid.slice(0, 12)}${valid[12] === 'a' ? 'b' : 'a'}${valid.slice(13)}`,
    ],
    ['not Bearer', `Basic ${Buffer.from(`${valid}:`).toString('base64')}`],
    ['bare key', valid],
    ['operator-looking', 'Bearer {"$gt":""}'],
    ['very long', `Bearer sbk_${'a'.repeat(5000)}`],
  ])('when the key is malformed (%s), then invalid_api_key', async (_label, header) => {
    expectProblem(await get('/api/v1/me').set('Authorization', header), 401, 'invalid_api_key');
  });

  test('when the key is well formed but unknown, then invalid_api_key', async () => {
    expectProblem(await get('/api/v1/me').set(bearer(generateSecret())), 401, 'invalid_api_key');
  });

  test.each(['api_key', 'key', 'access_token'])(
    'when the key is sent as ?%s=, then it is refused and the header is named',
    async (param) => {
      const { secret } = await apiUser(t);
      const res = await get(`/api/v1/me?${param}=${secret}`);
      expectProblem(res, 401, 'invalid_api_key');
      expect(res.body.detail).toMatch(/Authorization/);
      const both = await get(`/api/v1/me?${param}=${secret}`).set(bearer(secret));
      expect(both.status).toBe(401);
    },
  );

  test('when a malformed key is sent, then the keys collection is never read', async () => {
    const seen: string[] = [];
    mongoose.set('debug', (collection: string) => void seen.push(collection));
    try {
      await get('/api/v1/me').set('Authorization', `Bearer ${generateSecret().slice(0, -2)}zz`);
    } finally {
      mongoose.set('debug', false);
    }
    expect(seen.filter((c) => c.startsWith('api_key'))).toEqual([]);
  });
});

describe('401 expired_api_key / revoked_api_key', () => {
  test('when a 30d key is past its expires_at, then expired_api_key (no sleeping: the clock moves)', async () => {
    const u = await signUp(t);
    await enableApiAccess(t, u);
    const { secret, key } = await createKey(t, u, { expires_in: '30d' });
    const ok = await get('/api/v1/me').set(bearer(secret));
    expect(ok.status).toBe(200);
    expect(ok.headers['switchboard-key-expires-at']).toBe(key.expires_at);
    t.clock.advance(Date.parse(String(key.expires_at)) - Date.now() - 60_000);
    expect((await get('/api/v1/me').set(bearer(secret))).status).toBe(200);
    t.clock.advance(61_000);
    expectProblem(await get('/api/v1/me').set(bearer(secret)), 401, 'expired_api_key');
  });

  test('when a key never expires, then no expiry header', async () => {
    const { secret } = await apiUser(t);
    const res = await get('/api/v1/me').set(bearer(secret));
    expect(res.headers['switchboard-key-expires-at']).toBeUndefined();
  });

  test('when the key is revoked, then revoked_api_key on the very next request', async () => {
    const { user, secret, keyId } = await apiUser(t);
    expect((await get('/api/v1/me').set(bearer(secret))).status).toBe(200);
    await session(user).post(`/app/api-keys/${keyId}/revoke`).expect(200);
    expectProblem(await get('/api/v1/me').set(bearer(secret)), 401, 'revoked_api_key');
  });

  test('when the creator is deactivated, then their keys fail like revoked keys and their session ends', async () => {
    const { user, secret } = await apiUser(t);
    await deactivateUser(user.id, t.clock.now());
    expectProblem(await get('/api/v1/me').set(bearer(secret)), 401, 'revoked_api_key');
    expect((await session(user).get('/auth/session')).status).toBe(401);
    const login = await t.request().post('/auth/login').send({ email: user.email, password: user.password });
    expect(login.body.code).toBe('invalid_credentials');
  });
});

describe('requests that arrive together (one shared key lookup)', () => {
  test('when different, unknown and revoked keys arrive in one turn, then each request gets its own answer', async () => {
    const a = await apiUser(t);
    const b = await apiUser(t);
    const revoked = await apiUser(t);
    await session(revoked.user).post(`/app/api-keys/${revoked.keyId}/revoke`).expect(200);
    const me = (secret: string) => ({
      path: '/api/v1/me',
      headers: { ...bearer(secret), 'X-Forwarded-For': `203.0.113.${(n++ % 250) + 1}` },
    });
    const responses = await pipelined(await t.listen(), [
      me(a.secret),
      me(b.secret),
      me(generateSecret()),
      me(revoked.secret),
      me(a.secret),
    ]);
    const summary = responses.map((r) => {
      const body = r.body as { code?: string; key?: { id: string }; user?: { id: string } };
      return [r.status, body.code ?? body.key?.id, body.user?.id];
    });
    expect(summary).toEqual([
      [200, a.keyId, a.user.id],
      [200, b.keyId, b.user.id],
      [401, 'invalid_api_key', undefined],
      [401, 'revoked_api_key', undefined],
      [200, a.keyId, a.user.id],
    ]);
  });
});

describe('403 api_access_disabled / insufficient_permission', () => {
  test('when no reachable workspace has API access on, then 403 with the exact detail', async () => {
    const u = await signUp(t);
    const { secret } = await createKey(t, u);
    const res = await get('/api/v1/me').set(bearer(secret));
    expectProblem(res, 403, 'api_access_disabled');
    expect(res.body.detail).toBe('API access is not enabled for this account');
  });

  test('when API access is switched off after the key worked, then the next request is api_access_disabled', async () => {
    const { user, secret } = await apiUser(t);
    expect((await get('/api/v1/contacts').set(bearer(secret))).status).toBe(200);
    await enableApiAccess(t, user, user.workspaceId, false);
    expectProblem(await get('/api/v1/contacts').set(bearer(secret)), 403, 'api_access_disabled');
  });

  test('when a read key creates a contact, then insufficient_permission', async () => {
    const { secret } = await apiUser(t, 'read');
    const res = await t.request().post('/api/v1/contacts').set(bearer(secret)).send({ name: 'X' });
    expectProblem(res, 403, 'insufficient_permission');
    expect(res.body).toMatchObject({ key_permission: 'read', required_permission: 'write' });
  });
});

describe('404 / 422 / 409 through a key', () => {
  test('when a record id is unknown or invalid, then 404 not_found', async () => {
    const { secret } = await apiUser(t);
    expectProblem(
      await get('/api/v1/contacts/0123456789abcdef01234567').set(bearer(secret)),
      404,
      'not_found',
    );
    expect((await get('/api/v1/contacts/not-an-id').set(bearer(secret))).status).toBe(404);
    expect((await get('/api/v1/contacts/%7B%22$gt%22:%22%22%7D').set(bearer(secret))).status).toBe(404);
  });

  test('when the body is invalid, an operator object, oversized or too deep, then 4xx problem+json', async () => {
    const { secret } = await apiUser(t, 'write');
    const post = (body: unknown) =>
      t
        .request()
        .post('/api/v1/contacts')
        .set(bearer(secret))
        .send(body as object);
    const invalid = await post({ name: { $gt: '' } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.code).toBe('invalid_request');
    expect(Array.isArray(invalid.body.errors)).toBe(true);
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) deep = { a: deep };
    const nested = await post({ name: 'x', custom_fields: deep });
    expect(nested.status).toBe(400);
    const big = await post({ name: 'x'.repeat(200_000) });
    expect(big.status).toBe(413);
    for (const res of [invalid, nested, big]) expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  test('when a contact email is taken, then 409 conflict naming the existing record', async () => {
    const { secret } = await apiUser(t, 'write');
    const email = `dup-${Date.now()}@example.test`;
    const first = await t.request().post('/api/v1/contacts').set(bearer(secret)).send({ name: 'A', email });
    const again = await t.request().post('/api/v1/contacts').set(bearer(secret)).send({ name: 'B', email });
    expectProblem(again, 409, 'conflict');
    expect(JSON.stringify(again.body)).toContain(first.body.id);
  });
});

describe('rate-limit headers', () => {
  test('when a key succeeds or fails, then every response carries RateLimit-Policy, RateLimit and X-RateLimit-*', async () => {
    const { user, secret } = await apiUser(t, 'read');
    const responses = [
      await get('/api/v1/me').set(bearer(secret)),
      await get('/api/v1/contacts/0123456789abcdef01234567').set(bearer(secret)),
      await t.request().post('/api/v1/contacts').set(bearer(secret)).send({}),
      await get('/api/v1/me'),
      await get('/api/v1/me').set(bearer(generateSecret())),
      await get('/api/v1/no-such-route').set(bearer(secret)),
    ];
    for (const res of responses) {
      expect(res.headers['ratelimit-policy']).toMatch(/^"[a-z-]+";q=\d+;w=60$/);
      expect(res.headers.ratelimit).toMatch(/^"[a-z-]+";r=\d+;t=\d+$/);
      expect(Number(res.headers['x-ratelimit-limit'])).toBeGreaterThan(0);
      expect(res.headers['x-ratelimit-remaining']).toMatch(/^\d+$/);
      expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000 - 1);
    }
    void user;
  });
});

describe('what a key-authenticated read costs', () => {
  test('when a warmed-up key reads a record, then at most 3 database round trips in total', async () => {
    const { secret } = await apiUser(t, 'admin');
    const created = await t.request().post('/api/v1/contacts').set(bearer(secret)).send({ name: 'Cost' });
    await t.request().get(`/api/v1/contacts/${created.body.id}`).set(bearer(secret)).expect(200);
    const ops: string[] = [];
    mongoose.set('debug', (collection: string, method: string) => void ops.push(`${collection}.${method}`));
    try {
      await t.request().get(`/api/v1/contacts/${created.body.id}`).set(bearer(secret)).expect(200);
    } finally {
      mongoose.set('debug', false);
    }
    expect(ops.length).toBeLessThanOrEqual(3);
    expect(ops).toContain('api_key_secrets.aggregate');
  });
});

test('the authentication path issues no unindexed query', async () => {
  const u = await signUp(t);
  await signIn(t, u);
  expect(await t.ctx.db.unindexedQueries()).toEqual([]);
});
