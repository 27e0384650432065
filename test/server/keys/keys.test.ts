import { API_KEY_PATTERN } from '../../../server/keys/key-format';
import { startTestApp, type TestApp } from '../../helpers/app';
import {
  addMember,
  apiUser,
  bearer,
  createKey,
  createWorkspace,
  enableApiAccess,
  session,
  signIn,
  signUp,
} from '../../helpers/fixtures';

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

describe('POST /app/api-keys', () => {
  test('when valid, then 201 with the key metadata and the secret once', async () => {
    const u = await signUp(t);
    const res = await session(u).post('/app/api-keys', {
      name: 'Zapier Integration',
      permission: 'read',
      expires_in: '30d',
      scope: 'all',
    });
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(API_KEY_PATTERN);
    expect(res.body.key).toEqual({
      id: expect.any(String),
      name: 'Zapier Integration',
      prefix: res.body.secret.slice(0, 10),
      permission: 'read',
      scope: 'all',
      status: 'active',
      created_at: expect.any(String),
      expires_at: expect.any(String),
      last_used_at: null,
      last_used_ip: null,
      last_used_user_agent: null,
      revoked_at: null,
      archived_at: null,
      created_by: u.id,
    });
    const days = (Date.parse(res.body.key.expires_at) - Date.parse(res.body.key.created_at)) / DAY;
    expect(Math.round(days)).toBe(30);
    expect(JSON.stringify(res.body.key)).not.toContain(res.body.secret.slice(10));
  });

  test.each([
    [{ name: '', permission: 'read', expires_in: 'never', scope: 'all' }, 'name'],
    [{ name: 'x'.repeat(101), permission: 'read', expires_in: 'never', scope: 'all' }, 'name'],
    [{ name: 'k', permission: 'owner', expires_in: 'never', scope: 'all' }, 'permission'],
    [{ name: 'k', permission: 'read', expires_in: '2d', scope: 'all' }, 'expires_in'],
    [{ name: 'k', permission: 'read', expires_in: 'never', scope: { workspace_id: { $gt: '' } } }, 'scope'],
    [{ name: 'k', permission: 'read', expires_in: 'never', scope: 'all', secret: 'sbk_mine' }, 'secret'],
  ])('when the body is invalid (%j), then 422 naming %s', async (body, field) => {
    const u = await signUp(t);
    const res = await session(u).post('/app/api-keys', body);
    expect(res.status).toBe(422);
    expect(res.body.errors.some((e: { field: string }) => e.field.startsWith(field))).toBe(true);
  });

  test('when the scope names a workspace I do not belong to, then 422', async () => {
    const u = await signUp(t);
    const other = await signUp(t);
    const res = await session(u).post('/app/api-keys', {
      name: 'k',
      permission: 'read',
      expires_in: 'never',
      scope: { workspace_id: other.workspaceId },
    });
    expect(res.status).toBe(422);
  });

  test('when creates race for the last slots, then exactly the free slots are filled and the rest get limit_reached', async () => {
    const u = await signUp(t);
    for (let i = 0; i < 22; i++) await createKey(t, u, { name: `k${i}` });
    const body = (i: number) => ({
      name: `racer ${i}`,
      permission: 'read',
      expires_in: 'never',
      scope: 'all',
    });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => session(u).post('/app/api-keys', body(i))),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(
      Array(5).fill('limit_reached'),
    );
    expect(((await session(u).get('/app/api-keys')).body.active as unknown[]).length).toBe(25);
  });

  test('when the user already has 25 active keys, then 409 limit_reached; revoking one frees a slot', async () => {
    const u = await signUp(t);
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await createKey(t, u, { name: `k${i}` })).id);
    const res = await session(u).post('/app/api-keys', {
      name: 'one more',
      permission: 'read',
      expires_in: 'never',
      scope: 'all',
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('limit_reached');
    await session(u).post(`/app/api-keys/${ids[0]}/revoke`).expect(200);
    expect(
      (
        await session(u).post('/app/api-keys', {
          name: 'one more',
          permission: 'read',
          expires_in: 'never',
          scope: 'all',
        })
      ).status,
    ).toBe(201);
  });

  test('when called with an API key instead of a session, then 401 not_signed_in (a key can never manage keys)', async () => {
    const { secret } = await apiUser(t);
    const res = await t
      .request()
      .post('/app/api-keys')
      .set(bearer(secret))
      .send({ name: 'k', permission: 'admin', expires_in: 'never', scope: 'all' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('not_signed_in');
  });
});

describe('GET /app/api-keys', () => {
  test('when keys are active, revoked, expired and archived, then each lands in its list', async () => {
    const u = await signUp(t);
    const active = await createKey(t, u, { name: 'active' });
    const revoked = await createKey(t, u, { name: 'revoked' });
    const archived = await createKey(t, u, { name: 'archived' });
    const expiring = await createKey(t, u, { name: 'expiring', expires_in: '30d' });
    await session(u).post(`/app/api-keys/${revoked.id}/revoke`).expect(200);
    await session(u).post(`/app/api-keys/${archived.id}/revoke`).expect(200);
    await session(u).post(`/app/api-keys/${archived.id}/archive`).expect(200);
    t.clock.advance(31 * DAY);
    await signIn(t, u);
    const res = await session(u).get('/app/api-keys');
    expect(res.status).toBe(200);
    const names = (list: Array<{ name: string }>) => list.map((k) => k.name).sort();
    expect(names(res.body.active)).toEqual(['active']);
    expect(names(res.body.revoked)).toEqual(['expiring', 'revoked']);
    expect(res.body.archived).toBeUndefined();
    expect(res.body.revoked.find((k: { id: string }) => k.id === expiring.id).status).toBe('expired');
    const all = await session(u).get('/app/api-keys?include=archived');
    expect(names(all.body.archived)).toEqual(['archived']);
    expect(JSON.stringify(all.body)).not.toContain(active.secret);
  });

  test('when a key expires within 7 days, then a reminder banner names it', async () => {
    const u = await signUp(t);
    const k = await createKey(t, u, { name: 'soon', expires_in: '30d' });
    expect((await session(u).get('/app/api-keys')).body.reminders).toEqual([]);
    t.clock.advance(25 * DAY);
    await signIn(t, u);
    const res = await session(u).get('/app/api-keys');
    expect(res.body.reminders).toEqual([
      expect.objectContaining({
        key_id: k.id,
        name: 'soon',
        days_left: 5,
        message: expect.stringContaining('expires in 5 days'),
      }),
    ]);
  });

  test('when another user has keys, then they are not in my lists', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    await createKey(t, b);
    const res = await session(a).get('/app/api-keys?include=archived');
    expect([...res.body.active, ...res.body.revoked, ...res.body.archived]).toEqual([]);
  });

  test('when the query has unknown parameters, then 400', async () => {
    const u = await signUp(t);
    expect((await session(u).get('/app/api-keys?include=everything')).status).toBe(400);
  });
});

describe('GET /app/workspaces/:id/api-keys (admin view)', () => {
  test('when an owner looks, then the keys of members that reach the workspace, without secrets, and they may revoke them', async () => {
    const owner = await signUp(t);
    const member = await signUp(t);
    await enableApiAccess(t, owner);
    await addMember(t, owner, owner.workspaceId, member, 'member');
    const elsewhere = await createWorkspace(t, member, 'Private one');
    const all = await createKey(t, member, { name: 'all' });
    const scopedHere = await createKey(t, member, {
      name: 'here',
      scope: { workspace_id: owner.workspaceId },
    });
    await createKey(t, member, { name: 'elsewhere', scope: { workspace_id: elsewhere } });
    const res = await session(owner).get(`/app/workspaces/${owner.workspaceId}/api-keys`);
    expect(res.status).toBe(200);
    expect(res.body.data.map((k: { name: string }) => k.name).sort()).toEqual(['all', 'here']);
    expect(res.body.data[0].creator).toMatchObject({ id: member.id, email: member.email });
    expect(JSON.stringify(res.body)).not.toContain(all.secret);
    expect(JSON.stringify(res.body)).not.toContain(scopedHere.secret);

    const revoked = await session(owner).post(`/app/api-keys/${all.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect((await me(all.secret)).body.code).toBe('revoked_api_key');
    const events = await session(member).get(`/app/api-keys/${all.id}/events`);
    expect(events.body.data.find((e: { type: string }) => e.type === 'revoked').actor.id).toBe(owner.id);
  });

  test('when a plain member looks, then 403; a stranger, 404; an owner cannot revoke a key scoped elsewhere', async () => {
    const owner = await signUp(t);
    const member = await signUp(t);
    const stranger = await signUp(t);
    await addMember(t, owner, owner.workspaceId, member, 'member');
    expect((await session(member).get(`/app/workspaces/${owner.workspaceId}/api-keys`)).status).toBe(403);
    expect((await session(stranger).get(`/app/workspaces/${owner.workspaceId}/api-keys`)).status).toBe(404);
    const k = await createKey(t, member, { scope: { workspace_id: member.workspaceId } });
    expect((await session(owner).post(`/app/api-keys/${k.id}/revoke`)).status).toBe(404);
  });
});

test('the key routes issue no unindexed query', async () => {
  expect(await t.ctx.db.unindexedQueries()).toEqual([]);
});
