import { API_KEY_PATTERN } from '../../../server/keys/key-format';
import { startTestApp, type TestApp } from '../../helpers/app';
import { apiUser, bearer, createKey, enableApiAccess, session, signIn, signUp } from '../../helpers/fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => t.clock.reset());

const DAY = 24 * 3600_000;
const me = (secret: string) => t.request().get('/api/v1/me').set(bearer(secret));

describe('POST /app/api-keys/:id/rotate', () => {
  test('when rotated without grace, then the old secret fails at once and the new one works', async () => {
    const { user, secret, keyId } = await apiUser(t);
    const res = await session(user).post(`/app/api-keys/${keyId}/rotate`, {});
    expect(res.status).toBe(200);
    expect(res.body.secret).toMatch(API_KEY_PATTERN);
    expect(res.body.secret).not.toBe(secret);
    expect(res.body.key).toMatchObject({
      id: keyId,
      name: 'Test key',
      permission: 'admin',
      prefix: res.body.secret.slice(0, 10),
    });
    expect((await me(secret)).status).toBe(401);
    expect((await me(res.body.secret)).status).toBe(200);
  });

  test('when rotated with a 1h grace period, then both work until it ends, then only the new one', async () => {
    const { user, secret, keyId } = await apiUser(t);
    const res = await session(user).post(`/app/api-keys/${keyId}/rotate`, { grace_period: '1h' });
    expect((await me(secret)).status).toBe(200);
    expect((await me(res.body.secret)).status).toBe(200);
    t.clock.advance(3600_000 + 1000);
    expect((await me(secret)).body.code).toBe('invalid_api_key');
    expect((await me(res.body.secret)).status).toBe(200);
  });

  test('when the grace period would outlive the key, then the old secret stops at the key expiry', async () => {
    const u = await signUp(t);
    await enableApiAccess(t, u);
    const k = await createKey(t, u, { expires_in: '30d' });
    t.clock.advance(30 * DAY - 3600_000);
    await signIn(t, u);
    const res = await session(u).post(`/app/api-keys/${k.id}/rotate`, { grace_period: '7d' });
    expect(res.status).toBe(200);
    t.clock.advance(3600_000 + 1000);
    expect((await me(k.secret)).status).toBe(401);
    expect((await me(res.body.secret)).body.code).toBe('expired_api_key');
  });

  test('when the key is revoked or expired, then 409 and no new secret', async () => {
    const u = await signUp(t);
    const revoked = await createKey(t, u);
    const expired = await createKey(t, u, { expires_in: '30d' });
    await session(u).post(`/app/api-keys/${revoked.id}/revoke`).expect(200);
    t.clock.advance(31 * DAY);
    await signIn(t, u);
    for (const id of [revoked.id, expired.id]) {
      const res = await session(u).post(`/app/api-keys/${id}/rotate`, { grace_period: '0' });
      expect(res.status).toBe(409);
      expect(res.body.secret).toBeUndefined();
    }
  });

  test('when the grace period is not one of 0|1h|24h|7d, or the key is not mine, then 422 / 404', async () => {
    const { user, keyId } = await apiUser(t);
    const other = await signUp(t);
    expect((await session(user).post(`/app/api-keys/${keyId}/rotate`, { grace_period: '2h' })).status).toBe(
      422,
    );
    expect((await session(other).post(`/app/api-keys/${keyId}/rotate`, {})).status).toBe(404);
    expect((await session(user).post('/app/api-keys/zzz/rotate', {})).status).toBe(400);
    expect((await session(user).post('/app/api-keys/0123456789abcdef01234567/rotate', {})).status).toBe(404);
  });
});

describe('POST /app/api-keys/:id/revoke and /archive', () => {
  test('when revoked, then the next request fails with revoked_api_key and the key can be archived', async () => {
    const { user, secret, keyId } = await apiUser(t);
    expect((await me(secret)).status).toBe(200);
    const res = await session(user).post(`/app/api-keys/${keyId}/revoke`);
    expect(res.status).toBe(200);
    expect(res.body.key).toMatchObject({ id: keyId, status: 'revoked', revoked_at: expect.any(String) });
    expect(res.body.secret).toBeUndefined();
    const after = await me(secret);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('revoked_api_key');
    const archived = await session(user).post(`/app/api-keys/${keyId}/archive`);
    expect(archived.body.key.status).toBe('archived');
    expect((await me(secret)).body.code).toBe('revoked_api_key');
  });

  test('when archiving an active key, then 409', async () => {
    const { user, keyId } = await apiUser(t);
    const res = await session(user).post(`/app/api-keys/${keyId}/archive`);
    expect(res.status).toBe(409);
  });

  test('when an expired key is archived, then it leaves the lists', async () => {
    const u = await signUp(t);
    const k = await createKey(t, u, { expires_in: '30d' });
    t.clock.advance(31 * DAY);
    await signIn(t, u);
    expect((await session(u).post(`/app/api-keys/${k.id}/archive`)).status).toBe(200);
    const list = await session(u).get('/app/api-keys');
    expect([...list.body.active, ...list.body.revoked]).toEqual([]);
  });

  test('when a stranger revokes my key, then 404 and it still works', async () => {
    const { secret, keyId } = await apiUser(t);
    const stranger = await signUp(t);
    expect((await session(stranger).post(`/app/api-keys/${keyId}/revoke`)).status).toBe(404);
    expect((await me(secret)).status).toBe(200);
  });
});

describe('GET /app/api-keys/:id/events', () => {
  test('when a key is created, used from two IPs, rotated, revoked and archived, then each is audited with actor, time and IP', async () => {
    const { user, secret, keyId } = await apiUser(t);
    await t.request().get('/api/v1/me').set(bearer(secret)).set('X-Forwarded-For', '203.0.113.5').expect(200);
    await t.request().get('/api/v1/me').set(bearer(secret)).set('X-Forwarded-For', '203.0.113.5').expect(200);
    await t.request().get('/api/v1/me').set(bearer(secret)).set('X-Forwarded-For', '203.0.113.6').expect(200);
    await session(user).post(`/app/api-keys/${keyId}/rotate`, {}).expect(200);
    await session(user).post(`/app/api-keys/${keyId}/revoke`).expect(200);
    await session(user).post(`/app/api-keys/${keyId}/archive`).expect(200);
    const res = await session(user).get(`/app/api-keys/${keyId}/events`);
    expect(res.status).toBe(200);
    const types = res.body.data.map((e: { type: string }) => e.type).sort();
    expect(types).toEqual([
      'archived',
      'created',
      'first_use_from_ip',
      'first_use_from_ip',
      'revoked',
      'rotated',
    ]);
    const ips = res.body.data
      .filter((e: { type: string }) => e.type === 'first_use_from_ip')
      .map((e: { ip: string }) => e.ip);
    expect(ips.sort()).toEqual(['203.0.113.5', '203.0.113.6']);
    for (const e of res.body.data) {
      expect(e.actor).toMatchObject({ id: user.id, email: user.email });
      expect(Date.parse(e.occurred_at)).not.toBeNaN();
    }
    expect(JSON.stringify(res.body)).not.toContain(secret);
  });

  test('when the key is not mine, then 404', async () => {
    const { keyId } = await apiUser(t);
    const other = await signUp(t);
    expect((await session(other).get(`/app/api-keys/${keyId}/events`)).status).toBe(404);
  });
});

test('the lifecycle routes issue no unindexed query', async () => {
  expect(await t.ctx.db.unindexedQueries()).toEqual([]);
});
