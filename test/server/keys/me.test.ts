import { startTestApp, type TestApp } from '../../helpers/app';
import {
  addMember,
  apiUser,
  bearer,
  createKey,
  createWorkspace,
  enableApiAccess,
  signUp,
} from '../../helpers/fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

describe('GET /api/v1/me', () => {
  test('when the key is valid, then the creator, the key and the reachable workspaces', async () => {
    const { user, secret, keyId } = await apiUser(t, 'write');
    const res = await t.request().get('/api/v1/me').set(bearer(secret));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: { id: user.id, email: user.email, name: user.name },
      key: {
        id: keyId,
        name: 'Test key',
        prefix: secret.slice(0, 10),
        permission: 'write',
        scope: 'all',
        expires_at: null,
        created_at: expect.any(String),
        last_used_at: expect.any(String),
      },
      workspaces: [
        { id: user.workspaceId, name: expect.any(String), role: 'owner', api_access_enabled: true },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain(secret);
  });

  test('when the scope is all, then every membership is listed with its API-access state', async () => {
    const owner = await signUp(t);
    const u = await signUp(t);
    await enableApiAccess(t, u);
    const off = await createWorkspace(t, owner, 'Off');
    await addMember(t, owner, off, u, 'member');
    const { secret } = await createKey(t, u, { permission: 'read' });
    const res = await t.request().get('/api/v1/me').set(bearer(secret));
    expect(res.body.workspaces).toEqual([
      expect.objectContaining({ id: u.workspaceId, role: 'owner', api_access_enabled: true }),
      expect.objectContaining({ id: off, role: 'member', api_access_enabled: false }),
    ]);
  });

  test('when the key is scoped to one workspace, then only that one, though its creator has more', async () => {
    const u = await signUp(t);
    await enableApiAccess(t, u);
    const second = await createWorkspace(t, u, 'Second', { apiAccess: true });
    const { secret } = await createKey(t, u, { scope: { workspace_id: second } });
    const res = await t.request().get('/api/v1/me').set(bearer(secret));
    expect(res.body.key.scope).toEqual({ workspace_id: second });
    expect(res.body.workspaces.map((w: { id: string }) => w.id)).toEqual([second]);
  });
});
