import { startTestApp, type TestApp } from '../../helpers/app';
import { addMember, createWorkspace, session, signUp } from '../../helpers/fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

describe('GET /app/workspaces', () => {
  test('when signed in, then my workspaces with my role in each', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    const shared = await createWorkspace(t, owner, 'Shared');
    await addMember(t, owner, shared, other, 'member');
    const res = await session(other).get('/app/workspaces');
    expect(res.status).toBe(200);
    expect(res.body.workspaces).toEqual([
      expect.objectContaining({ id: other.workspaceId, role: 'owner' }),
      expect.objectContaining({ id: shared, name: 'Shared', role: 'member', api_access_enabled: false }),
    ]);
  });

  test('when not signed in, then 401 not_signed_in', async () => {
    const res = await t.request().get('/app/workspaces');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('not_signed_in');
  });
});

describe('POST /app/workspaces', () => {
  test('when named, then 201 and the caller owns it', async () => {
    const u = await signUp(t);
    const res = await session(u).post('/app/workspaces', { name: 'Sales EU' });
    expect(res.status).toBe(201);
    expect(res.body.workspace).toMatchObject({ name: 'Sales EU', role: 'owner', api_access_enabled: false });
  });

  test('when the CSRF header is missing, then 403 csrf_failed and nothing is created', async () => {
    const u = await signUp(t);
    const res = await u.agent.post('/app/workspaces').send({ name: 'Nope' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('csrf_failed');
    expect((await session(u).get('/app/workspaces')).body.workspaces).toHaveLength(1);
  });

  test('when the name is missing or an operator, then 422', async () => {
    const u = await signUp(t);
    expect((await session(u).post('/app/workspaces', {})).status).toBe(422);
    expect((await session(u).post('/app/workspaces', { name: { $ne: null } })).status).toBe(422);
  });
});

describe('PATCH /app/workspaces/:id', () => {
  test('when the owner turns API access on, then it is on', async () => {
    const u = await signUp(t);
    const res = await session(u).patch(`/app/workspaces/${u.workspaceId}`, {
      api_access_enabled: true,
      name: 'Renamed',
    });
    expect(res.status).toBe(200);
    expect(res.body.workspace).toMatchObject({
      id: u.workspaceId,
      name: 'Renamed',
      api_access_enabled: true,
    });
  });

  test('when a plain member tries, then 403 forbidden; an admin may', async () => {
    const owner = await signUp(t);
    const member = await signUp(t);
    const admin = await signUp(t);
    await addMember(t, owner, owner.workspaceId, member, 'member');
    await addMember(t, owner, owner.workspaceId, admin, 'admin');
    const denied = await session(member).patch(`/app/workspaces/${owner.workspaceId}`, {
      api_access_enabled: true,
    });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('forbidden');
    const ok = await session(admin).patch(`/app/workspaces/${owner.workspaceId}`, {
      api_access_enabled: true,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.workspace.role).toBe('admin');
  });

  test('when the caller is not a member, or the id is invalid, then 404', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    expect(
      (await session(stranger).patch(`/app/workspaces/${owner.workspaceId}`, { name: 'x' })).status,
    ).toBe(404);
    expect((await session(stranger).patch('/app/workspaces/not-an-id', { name: 'x' })).status).toBe(400);
  });

  test('when the body has unknown fields, then 422', async () => {
    const u = await signUp(t);
    const res = await session(u).patch(`/app/workspaces/${u.workspaceId}`, { created_by: u.id });
    expect(res.status).toBe(422);
  });
});

describe('workspace members', () => {
  test('when the owner adds, lists, promotes and removes a member, then each step holds', async () => {
    const owner = await signUp(t);
    const m = await signUp(t);
    const base = `/app/workspaces/${owner.workspaceId}/members`;
    const added = await session(owner).post(base, { email: m.email, role: 'member' });
    expect(added.status).toBe(201);
    expect(added.body.member).toMatchObject({ user_id: m.id, email: m.email, role: 'member' });
    expect((await session(owner).post(base, { email: m.email, role: 'admin' })).status).toBe(409);
    const list = await session(m).get(base);
    expect(list.body.members.map((x: { user_id: string }) => x.user_id).sort()).toEqual(
      [owner.id, m.id].sort(),
    );
    const promoted = await session(owner).patch(`${base}/${m.id}`, { role: 'admin' });
    expect(promoted.body.member.role).toBe('admin');
    expect((await session(owner).delete(`${base}/${m.id}`)).status).toBe(204);
    expect((await session(m).get('/app/workspaces')).body.workspaces).toHaveLength(1);
  });

  test('when adding an unknown email, then 404; an owner role or operator payload, then 422', async () => {
    const owner = await signUp(t);
    const base = `/app/workspaces/${owner.workspaceId}/members`;
    expect(
      (await session(owner).post(base, { email: 'nobody-here@example.test', role: 'member' })).status,
    ).toBe(404);
    expect((await session(owner).post(base, { email: owner.email, role: 'owner' })).status).toBe(422);
    expect((await session(owner).post(base, { email: { $gt: '' }, role: 'member' })).status).toBe(422);
  });

  test('when anyone tries to remove or demote the owner, then 409', async () => {
    const owner = await signUp(t);
    const admin = await signUp(t);
    await addMember(t, owner, owner.workspaceId, admin, 'admin');
    const base = `/app/workspaces/${owner.workspaceId}/members/${owner.id}`;
    expect((await session(admin).delete(base)).status).toBe(409);
    expect((await session(admin).patch(base, { role: 'member' })).status).toBe(409);
  });

  test('when a member removes someone else, then 403; removing themselves (leaving) works', async () => {
    const owner = await signUp(t);
    const a = await signUp(t);
    const b = await signUp(t);
    await addMember(t, owner, owner.workspaceId, a, 'member');
    await addMember(t, owner, owner.workspaceId, b, 'member');
    const base = `/app/workspaces/${owner.workspaceId}/members`;
    expect((await session(a).delete(`${base}/${b.id}`)).status).toBe(403);
    expect((await session(a).delete(`${base}/${a.id}`)).status).toBe(204);
  });
});

test('the workspace routes issue no unindexed query', async () => {
  expect(await t.ctx.db.unindexedQueries()).toEqual([]);
});
