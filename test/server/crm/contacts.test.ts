// Contacts over /api/v1 (each key permission) and /app (session): CRUD, visibility, email
// uniqueness, bad input. Every test makes its own users and workspaces.
import { startTestApp, type TestApp } from '../../helpers/app';
import {
  addMember,
  apiUser,
  createKey,
  createWorkspace,
  enableApiAccess,
  session,
  signUp,
  type SignedInUser,
} from '../../helpers/fixtures';
import { RECORD_FIELDS, expectProblem, keyClient, uniqueEmail, type Client } from './crm-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ API_KEY_RATE_LIMIT: '10000' });
});
afterAll(async () => t.stop());

/** An owner with API access on, and an admin-permission key. */
async function owner(): Promise<{ user: SignedInUser; api: Client; secret: string }> {
  const { user, secret } = await apiUser(t, 'admin');
  return { user, api: keyClient(t, secret), secret };
}

/** A user added to `ws` with `role`, with a key of `permission` scoped to that workspace. */
async function memberOf(
  o: SignedInUser,
  role: 'admin' | 'member',
  permission: 'read' | 'write' | 'admin' = 'admin',
) {
  const user = await signUp(t);
  await addMember(t, o, o.workspaceId, user, role);
  const { secret } = await createKey(t, user, { permission, scope: { workspace_id: o.workspaceId } });
  return { user, api: keyClient(t, secret) };
}

const countContacts = async (api: Client): Promise<number> =>
  ((await api.get('/contacts?limit=100').expect(200)).body as { data: unknown[] }).data.length;

describe('POST /api/v1/contacts', () => {
  test('when a write key sends a valid contact, then it is created with the standard record fields', async () => {
    const { user } = await apiUser(t, 'read');
    const { secret } = await createKey(t, user, { permission: 'write' });
    const email = uniqueEmail().toUpperCase();
    const res = await keyClient(t, secret)
      .post('/contacts', {
        name: ' Ada Lovelace ',
        email,
        phone: '+1 555',
        company: 'AE',
        tags: ['vip'],
        custom_fields: { plan: 'pro', seats: 3, beta: true, note: null },
      })
      .expect(201);
    for (const f of RECORD_FIELDS) expect(res.body).toHaveProperty(f);
    expect(res.body).toMatchObject({
      name: 'Ada Lovelace',
      email: email.toLowerCase(),
      owner_id: user.id,
      workspace_id: user.workspaceId,
      visibility: 'workspace',
      tags: ['vip'],
      custom_fields: { plan: 'pro', seats: 3, beta: true, note: null },
    });
    expect(new Date(res.body.created_at as string).toISOString()).toBe(res.body.created_at);
  });

  test('when a read key posts, then it is 403 insufficient_permission and nothing is written', async () => {
    const { user } = await apiUser(t, 'admin');
    const { secret } = await createKey(t, user, { permission: 'read' });
    expectProblem(
      await keyClient(t, secret).post('/contacts', { name: 'Nope' }),
      403,
      'insufficient_permission',
    );
    expect(await countContacts(keyClient(t, secret))).toBe(0);
  });

  test('when the email is already used in the workspace, then it is 409 conflict naming the existing contact', async () => {
    const { api } = await owner();
    const email = uniqueEmail();
    const first = await api.post('/contacts', { name: 'First', email }).expect(201);
    const body = expectProblem(
      await api.post('/contacts', { name: 'Second', email: email.toUpperCase() }),
      409,
      'conflict',
    );
    expect(body.existing_id).toBe(first.body.id);
    expect(body.detail).toContain(first.body.id as string);
    expect(await countContacts(api)).toBe(1);
  });

  test('when the same email is used in another workspace, then both are created', async () => {
    const a = await owner();
    const b = await owner();
    const email = uniqueEmail();
    await a.api.post('/contacts', { name: 'A', email }).expect(201);
    await b.api.post('/contacts', { name: 'B', email }).expect(201);
  });

  test('when many creates race with one email, then exactly one wins and the others name it', async () => {
    const { api } = await owner();
    const email = uniqueEmail();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api.post('/contacts', { name: `R${i}`, email })),
    );
    const winners = results.filter((r) => r.status === 201);
    expect(winners).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201))
      expect(expectProblem(r, 409, 'conflict').existing_id).toBe(winners[0]!.body.id);
    expect(await countContacts(api)).toBe(1);
  });

  test.each([
    ['a missing name', { email: 'x@example.com' }],
    ['an empty name', { name: '   ' }],
    ['a name of the wrong type', { name: 42 }],
    ['a NoSQL operator as the name', { name: { $gt: '' } }],
    ['a NoSQL operator as the email', { name: 'X', email: { $ne: null } }],
    ['an invalid email', { name: 'X', email: 'not-an-email' }],
    ['an unknown field', { name: 'X', is_admin: true }],
    ['an operator as a custom field key', { name: 'X', custom_fields: { $where: 'sleep(1)' } }],
    ['a custom field key with a dot', { name: 'X', custom_fields: { 'a.b': 1 } }],
    ['a nested custom field value', { name: 'X', custom_fields: { plan: { $gt: '' } } }],
    [
      '51 custom fields',
      { name: 'X', custom_fields: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, i])) },
    ],
    ['51 tags', { name: 'X', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }],
    ['a tag of 51 characters', { name: 'X', tags: ['x'.repeat(51)] }],
    ['a name of 201 characters', { name: 'x'.repeat(201) }],
    ['a bad visibility', { name: 'X', visibility: 'public' }],
    ['a malformed owner_id', { name: 'X', owner_id: 'abc' }],
    ['an array body', [{ name: 'X' }]],
  ])('when the body has %s, then it is 422 invalid_request and nothing is written', async (_label, body) => {
    const { api } = await owner();
    const res = await api.post('/contacts', body);
    expectProblem(res, 422, 'invalid_request');
    expect(Array.isArray(res.body.errors)).toBe(true);
    expect(await countContacts(api)).toBe(0);
  });

  test('when the body is not JSON, then it is a 4xx problem and nothing is written', async () => {
    const { api, secret } = await owner();
    const res = await t
      .request()
      .post('/api/v1/contacts')
      .set('Authorization', `Bearer ${secret}`)
      .set('Content-Type', 'application/json')
      .send('{"name":');
    expectProblem(res, 400, 'invalid_request');
    expect(await countContacts(api)).toBe(0);
  });

  test('when workspace_id names a workspace of another user, then it is 404 and nothing is written', async () => {
    const a = await owner();
    const b = await owner();
    expectProblem(
      await a.api.post('/contacts', { name: 'X', workspace_id: b.user.workspaceId }),
      404,
      'not_found',
    );
    expect(await countContacts(a.api)).toBe(0);
    expect(await countContacts(b.api)).toBe(0);
  });

  test('when the key reaches several workspaces and names none, then it is 422; naming one creates it there', async () => {
    const { user, api } = await owner();
    const second = await createWorkspace(t, user, undefined, { apiAccess: true });
    expectProblem(await api.post('/contacts', { name: 'X' }), 422, 'invalid_request');
    const res = await api.post('/contacts', { name: 'X', workspace_id: second }).expect(201);
    expect(res.body.workspace_id).toBe(second);
  });

  test('when a member sets owner_id to someone else, then it is 403; an admin may give it to a member', async () => {
    const o = await owner();
    const member = await memberOf(o.user, 'member');
    const admin = await memberOf(o.user, 'admin');
    expectProblem(await member.api.post('/contacts', { name: 'X', owner_id: o.user.id }), 403, 'forbidden');
    const given = await admin.api
      .post('/contacts', { name: 'Y', owner_id: member.user.id, visibility: 'private' })
      .expect(201);
    expect(given.body.owner_id).toBe(member.user.id);
    await member.api.get(`/contacts/${given.body.id as string}`).expect(200);
    const stranger = await signUp(t);
    expectProblem(
      await admin.api.post('/contacts', { name: 'Z', owner_id: stranger.id }),
      422,
      'invalid_request',
    );
  });
});

describe('GET /api/v1/contacts/:id', () => {
  test('when the contact is private, then only its owner and workspace owners/admins can read it', async () => {
    const o = await owner();
    const m1 = await memberOf(o.user, 'member', 'read');
    const m2 = await memberOf(o.user, 'member', 'write');
    const admin = await memberOf(o.user, 'admin', 'read');
    const mine = await m2.api.post('/contacts', { name: 'Secret', visibility: 'private' }).expect(201);
    const id = mine.body.id as string;
    await m2.api.get(`/contacts/${id}`).expect(200);
    await o.api.get(`/contacts/${id}`).expect(200);
    await admin.api.get(`/contacts/${id}`).expect(200);
    expectProblem(await m1.api.get(`/contacts/${id}`), 404, 'not_found');
    const listed = (await m1.api.get('/contacts').expect(200)).body.data as Array<{ id: string }>;
    expect(listed.map((c) => c.id)).not.toContain(id);
  });

  test('when the contact is workspace-visible, then every member can read it', async () => {
    const o = await owner();
    const m = await memberOf(o.user, 'member', 'read');
    const c = await o.api.post('/contacts', { name: 'Shared' }).expect(201);
    await m.api.get(`/contacts/${c.body.id as string}`).expect(200);
  });

  test('when the contact belongs to another workspace, or the id is malformed, then it is 404', async () => {
    const a = await owner();
    const b = await owner();
    const c = await b.api.post('/contacts', { name: 'Theirs' }).expect(201);
    expectProblem(await a.api.get(`/contacts/${c.body.id as string}`), 404, 'not_found');
    expectProblem(await a.api.get('/contacts/not-an-id'), 404, 'not_found');
    expectProblem(await a.api.get('/contacts/000000000000000000000000'), 404, 'not_found');
  });
});

describe('GET /api/v1/contacts', () => {
  test('when filtering by email, then the one contact with that email is returned, whatever the case', async () => {
    const { api } = await owner();
    const email = uniqueEmail();
    const c = await api.post('/contacts', { name: 'Find me', email }).expect(201);
    await api.post('/contacts', { name: 'Other', email: uniqueEmail() }).expect(201);
    const res = await api.get(`/contacts?email=${encodeURIComponent(email.toUpperCase())}`).expect(200);
    expect(res.body).toEqual({ data: [c.body], next_cursor: null });
    const none = await api.get(`/contacts?email=${encodeURIComponent(uniqueEmail())}`).expect(200);
    expect(none.body).toEqual({ data: [], next_cursor: null });
  });

  test.each([
    ['an operator in the query', '/contacts?email[$ne]=x'],
    ['an unknown parameter', '/contacts?sort=name'],
    ['a limit above 100', '/contacts?limit=101'],
    ['a limit of 0', '/contacts?limit=0'],
    ['a repeated limit', '/contacts?limit=1&limit=2'],
    ['a forged cursor', '/contacts?cursor=bm90LWEtY3Vyc29y'],
    ['a bad updated_since', '/contacts?updated_since=yesterday'],
    ['a malformed workspace_id', '/contacts?workspace_id=abc'],
  ])('when the query has %s, then it is 400 invalid_request', async (_label, path) => {
    const { api } = await owner();
    expectProblem(await api.get(path), 400, 'invalid_request');
  });
});

describe('PATCH /api/v1/contacts/:id', () => {
  test('when fields are sent, then only they change; null clears optional fields', async () => {
    const { api } = await owner();
    const c = await api
      .post('/contacts', {
        name: 'Ada',
        email: uniqueEmail(),
        phone: '1',
        company: 'AE',
        tags: ['a'],
        custom_fields: { x: 1 },
      })
      .expect(201);
    t.clock.advance(1000);
    const res = await api
      .patch(`/contacts/${c.body.id as string}`, {
        company: 'New Co',
        phone: null,
        email: null,
        tags: null,
        custom_fields: null,
      })
      .expect(200);
    expect(res.body).toMatchObject({
      name: 'Ada',
      company: 'New Co',
      phone: null,
      email: null,
      tags: [],
      custom_fields: {},
    });
    expect(res.body.updated_at > c.body.updated_at).toBe(true);
    expect(res.body.created_at).toBe(c.body.created_at);
    expect((await api.get(`/contacts/${c.body.id as string}`).expect(200)).body).toEqual(res.body);
  });

  test('when a read key patches, then it is 403 and nothing changes', async () => {
    const o = await owner();
    const { secret } = await createKey(t, o.user, { permission: 'read' });
    const c = await o.api.post('/contacts', { name: 'Ada' }).expect(201);
    expectProblem(
      await keyClient(t, secret).patch(`/contacts/${c.body.id as string}`, { name: 'Eve' }),
      403,
      'insufficient_permission',
    );
    expect((await o.api.get(`/contacts/${c.body.id as string}`)).body.name).toBe('Ada');
  });

  test.each([
    ['an unknown field', { nickname: 'A' }],
    ['a null name', { name: null }],
    ['an operator', { name: { $set: 'x' } }],
    ['workspace_id (a contact cannot move)', { workspace_id: '000000000000000000000000' }],
  ])('when the body has %s, then it is 422 and nothing changes', async (_label, body) => {
    const { api } = await owner();
    const c = await api.post('/contacts', { name: 'Ada' }).expect(201);
    expectProblem(await api.patch(`/contacts/${c.body.id as string}`, body), 422, 'invalid_request');
    expect((await api.get(`/contacts/${c.body.id as string}`)).body).toEqual(c.body);
  });

  test('when the new email is taken, then it is 409 naming the other contact', async () => {
    const { api } = await owner();
    const email = uniqueEmail();
    const a = await api.post('/contacts', { name: 'A', email }).expect(201);
    const b = await api.post('/contacts', { name: 'B' }).expect(201);
    const body = expectProblem(
      await api.patch(`/contacts/${b.body.id as string}`, { email }),
      409,
      'conflict',
    );
    expect(body.existing_id).toBe(a.body.id);
  });

  test("when a member changes the visibility of someone else's contact, then it is 403; its owner may", async () => {
    const o = await owner();
    const m = await memberOf(o.user, 'member', 'write');
    const theirs = await o.api.post('/contacts', { name: 'Owner’s' }).expect(201);
    expectProblem(
      await m.api.patch(`/contacts/${theirs.body.id as string}`, { visibility: 'private' }),
      403,
      'forbidden',
    );
    await m.api.patch(`/contacts/${theirs.body.id as string}`, { company: 'Fine' }).expect(200);
    const mine = await m.api.post('/contacts', { name: 'Mine' }).expect(201);
    await m.api.patch(`/contacts/${mine.body.id as string}`, { visibility: 'private' }).expect(200);
    expectProblem(
      await (await memberOf(o.user, 'member', 'read')).api.get(`/contacts/${mine.body.id as string}`),
      404,
      'not_found',
    );
  });

  test('when the contact cannot be seen, then it is 404', async () => {
    const a = await owner();
    const b = await owner();
    const c = await b.api.post('/contacts', { name: 'Theirs' }).expect(201);
    expectProblem(
      await a.api.patch(`/contacts/${c.body.id as string}`, { name: 'Mine now' }),
      404,
      'not_found',
    );
    expect((await b.api.get(`/contacts/${c.body.id as string}`)).body.name).toBe('Theirs');
  });
});

describe('DELETE /api/v1/contacts/:id', () => {
  test('when an admin key deletes its own contact, then it is 204 and gone', async () => {
    const { api } = await owner();
    const c = await api.post('/contacts', { name: 'Bye' }).expect(201);
    await api.delete(`/contacts/${c.body.id as string}`).expect(204);
    expectProblem(await api.get(`/contacts/${c.body.id as string}`), 404, 'not_found');
  });

  test('when a write key deletes, then it is 403 insufficient_permission', async () => {
    const o = await owner();
    const { secret } = await createKey(t, o.user, { permission: 'write' });
    const c = await o.api.post('/contacts', { name: 'Stay' }).expect(201);
    expectProblem(
      await keyClient(t, secret).delete(`/contacts/${c.body.id as string}`),
      403,
      'insufficient_permission',
    );
    await o.api.get(`/contacts/${c.body.id as string}`).expect(200);
  });

  test("when a member deletes someone else's contact, then it is 403 forbidden; a workspace admin may", async () => {
    const o = await owner();
    const m = await memberOf(o.user, 'member', 'admin');
    const admin = await memberOf(o.user, 'admin', 'admin');
    const c = await o.api.post('/contacts', { name: 'Owner’s' }).expect(201);
    expectProblem(await m.api.delete(`/contacts/${c.body.id as string}`), 403, 'forbidden');
    await admin.api.delete(`/contacts/${c.body.id as string}`).expect(204);
  });

  test('when the contact belongs to another workspace, then it is 404 and it stays', async () => {
    const a = await owner();
    const b = await owner();
    const c = await b.api.post('/contacts', { name: 'Theirs' }).expect(201);
    expectProblem(await a.api.delete(`/contacts/${c.body.id as string}`), 404, 'not_found');
    await b.api.get(`/contacts/${c.body.id as string}`).expect(200);
  });
});

describe('/app/contacts (session API)', () => {
  test('when a signed-in user uses the session API, then the same records and rules apply', async () => {
    const { user, api } = await owner();
    const s = session(user);
    const created = await s.post('/app/contacts', { name: 'Via session', email: uniqueEmail() }).expect(201);
    expect(created.body.owner_id).toBe(user.id);
    expect((await api.get(`/contacts/${created.body.id as string}`).expect(200)).body).toEqual(created.body);
    const listed = await s.get('/app/contacts').expect(200);
    expect((listed.body.data as Array<{ id: string }>).map((c) => c.id)).toContain(created.body.id);
    await s.patch(`/app/contacts/${created.body.id as string}`, { company: 'S' }).expect(200);
    expectProblem(await s.post('/app/contacts', { name: 'X', extra: 1 }), 422, 'invalid_request');
    await s.delete(`/app/contacts/${created.body.id as string}`).expect(204);
    expectProblem(await s.get(`/app/contacts/${created.body.id as string}`), 404, 'not_found');
  });

  test('when the session API is used without the CSRF header or without a session, then it is refused', async () => {
    const { user } = await owner();
    expect((await user.agent.post('/app/contacts').send({ name: 'X' })).status).toBe(403);
    expectProblem(await t.request().get('/app/contacts'), 401, 'not_signed_in');
  });

  test('when API access is off, then the session API still works (it is not the public API)', async () => {
    const user = await signUp(t);
    await session(user).post('/app/contacts', { name: 'Offline' }).expect(201);
  });
});

describe('scope and API access', () => {
  test('when a key is scoped to one workspace, then records of the other are invisible and unreachable', async () => {
    const { user, api: allKey } = await owner();
    const second = await createWorkspace(t, user, undefined, { apiAccess: true });
    const { secret } = await createKey(t, user, { scope: { workspace_id: user.workspaceId } });
    const scoped = keyClient(t, secret);
    const there = await allKey.post('/contacts', { name: 'There', workspace_id: second }).expect(201);
    const here = await scoped.post('/contacts', { name: 'Here' }).expect(201);
    expect(here.body.workspace_id).toBe(user.workspaceId);
    expectProblem(await scoped.get(`/contacts/${there.body.id as string}`), 404, 'not_found');
    expectProblem(await scoped.post('/contacts', { name: 'X', workspace_id: second }), 404, 'not_found');
    expect(((await scoped.get('/contacts').expect(200)).body.data as unknown[]).length).toBe(1);
    expect(((await allKey.get('/contacts').expect(200)).body.data as unknown[]).length).toBe(2);
    expect(
      ((await allKey.get(`/contacts?workspace_id=${second}`).expect(200)).body.data as unknown[]).length,
    ).toBe(1);
  });

  test('when API access is turned off, then the workspace drops out of reach; with none left it is 403', async () => {
    const { user, api } = await owner();
    const second = await createWorkspace(t, user, undefined, { apiAccess: true });
    const c = await api.post('/contacts', { name: 'In second', workspace_id: second }).expect(201);
    await enableApiAccess(t, user, second, false);
    expectProblem(await api.get(`/contacts/${c.body.id as string}`), 404, 'not_found');
    await enableApiAccess(t, user, user.workspaceId, false);
    const body = expectProblem(await api.get('/contacts'), 403, 'api_access_disabled');
    expect(body.detail).toBe('API access is not enabled for this account');
  });
});
