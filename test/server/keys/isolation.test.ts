// A key acts as its creator at the moment of each request: it reaches only what the creator can
// see now, narrowed by its scope; changes to memberships apply on the very next request.
import { startTestApp, type TestApp } from '../../helpers/app';
import {
  addMember,
  bearer,
  createKey,
  enableApiAccess,
  session,
  signUp,
  type SignedInUser,
} from '../../helpers/fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

/** Owner O's API-enabled workspace W with members A and B; each also owns an API-enabled workspace. */
async function team() {
  const o = await signUp(t);
  const a = await signUp(t);
  const b = await signUp(t);
  for (const u of [o, a, b]) await enableApiAccess(t, u);
  await addMember(t, o, o.workspaceId, a, 'member');
  await addMember(t, o, o.workspaceId, b, 'member');
  return { o, a, b, w: o.workspaceId };
}

async function contact(user: SignedInUser, workspaceId: string, visibility: 'private' | 'workspace') {
  const { secret } = await createKey(t, user, { permission: 'admin' });
  const res = await t
    .request()
    .post('/api/v1/contacts')
    .set(bearer(secret))
    .send({ name: `${visibility} one`, visibility, workspace_id: workspaceId });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const api = (secret: string) => ({
  get: (p: string) => t.request().get(`/api/v1${p}`).set(bearer(secret)),
  patch: (p: string, body: object) => t.request().patch(`/api/v1${p}`).set(bearer(secret)).send(body),
  delete: (p: string) => t.request().delete(`/api/v1${p}`).set(bearer(secret)),
});

describe("another user's private records", () => {
  test('when A uses any scope, then B’s private contact is 404 for read, change and delete, and absent from lists', async () => {
    const { a, b, w } = await team();
    const hidden = await contact(b, w, 'private');
    const keys = [
      (await createKey(t, a, { permission: 'admin', scope: 'all' })).secret,
      (await createKey(t, a, { permission: 'admin', scope: { workspace_id: w } })).secret,
      (await createKey(t, a, { permission: 'admin', scope: { workspace_id: a.workspaceId } })).secret,
    ];
    for (const secret of keys) {
      expect((await api(secret).get(`/contacts/${hidden}`)).status).toBe(404);
      expect((await api(secret).patch(`/contacts/${hidden}`, { name: 'pwned' })).status).toBe(404);
      expect((await api(secret).delete(`/contacts/${hidden}`)).status).toBe(404);
      const list = await api(secret).get('/contacts');
      expect(list.body.data.map((c: { id: string }) => c.id)).not.toContain(hidden);
    }
    const bKey = (await createKey(t, b, { permission: 'read' })).secret;
    expect((await api(bKey).get(`/contacts/${hidden}`)).body.name).toBe('private one');
  });

  test('when a stranger in another workspace guesses the id, then 404', async () => {
    const { b, w } = await team();
    const stranger = await signUp(t);
    await enableApiAccess(t, stranger);
    const shared = await contact(b, w, 'workspace');
    const { secret } = await createKey(t, stranger);
    expect((await api(secret).get(`/contacts/${shared}`)).status).toBe(404);
    expect((await api(secret).delete(`/contacts/${shared}`)).status).toBe(404);
  });
});

describe('scope', () => {
  test('when a key is scoped to one workspace, then it never reaches another, though its creator can', async () => {
    const { a, b, w } = await team();
    const inW = await contact(b, w, 'workspace');
    const mine = await contact(a, a.workspaceId, 'workspace');
    const scopedToMine = (await createKey(t, a, { scope: { workspace_id: a.workspaceId } })).secret;
    const scopedToW = (await createKey(t, a, { scope: { workspace_id: w } })).secret;
    expect((await api(scopedToMine).get(`/contacts/${inW}`)).status).toBe(404);
    expect((await api(scopedToMine).get(`/contacts/${mine}`)).status).toBe(200);
    expect((await api(scopedToW).get(`/contacts/${inW}`)).status).toBe(200);
    expect((await api(scopedToW).get(`/contacts/${mine}`)).status).toBe(404);
    const create = await t
      .request()
      .post('/api/v1/contacts')
      .set(bearer(scopedToMine))
      .send({ name: 'x', workspace_id: w });
    expect(create.status).toBe(404);
  });

  test('when the scoped workspace has API access off, then api_access_disabled even if others are on', async () => {
    const { o, a, w } = await team();
    const { secret } = await createKey(t, a, { scope: { workspace_id: w } });
    await enableApiAccess(t, o, w, false);
    const res = await api(secret).get('/me');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('api_access_disabled');
  });
});

describe('membership changes apply on the next request', () => {
  test('when the creator is removed from a workspace, then the key no longer reaches it', async () => {
    const { o, a, b, w } = await team();
    const shared = await contact(b, w, 'workspace');
    const { secret } = await createKey(t, a, { permission: 'read' });
    expect((await api(secret).get(`/contacts/${shared}`)).status).toBe(200);
    await session(o).delete(`/app/workspaces/${w}/members/${a.id}`).expect(204);
    expect((await api(secret).get(`/contacts/${shared}`)).status).toBe(404);
    expect((await api(secret).get('/me')).body.workspaces.map((x: { id: string }) => x.id)).toEqual([
      a.workspaceId,
    ]);
  });

  test('when the creator loses admin, then the key loses sight of others’ private records', async () => {
    const { o, a, b, w } = await team();
    await session(o).patch(`/app/workspaces/${w}/members/${a.id}`, { role: 'admin' }).expect(200);
    const hidden = await contact(b, w, 'private');
    const { secret } = await createKey(t, a, { permission: 'admin' });
    expect((await api(secret).get(`/contacts/${hidden}`)).status).toBe(200);
    await session(o).patch(`/app/workspaces/${w}/members/${a.id}`, { role: 'member' }).expect(200);
    expect((await api(secret).get(`/contacts/${hidden}`)).status).toBe(404);
  });

  test('when a key scoped to a workspace loses its creator’s membership there, then api_access_disabled', async () => {
    const { o, a, w } = await team();
    const { secret } = await createKey(t, a, { scope: { workspace_id: w } });
    expect((await api(secret).get('/me')).status).toBe(200);
    await session(o).delete(`/app/workspaces/${w}/members/${a.id}`).expect(204);
    expect((await api(secret).get('/me')).body.code).toBe('api_access_disabled');
  });
});
