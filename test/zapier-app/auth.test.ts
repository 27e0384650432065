// Connecting a Switchboard account in Zapier: the auth test against GET /api/v1/me, the connection
// label, and the message a user sees for each way a key can be wrong.
import { apiUser, createKey, enableApiAccess, session } from '../helpers/fixtures';
import { App, failure, run, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.t.stop();
});

const authTest = (apiKey: string) => run<Record<string, unknown>>(App.authentication.test, apiKey);

describe('authentication.test (GET /api/v1/me)', () => {
  it('when the key is valid, then the test passes and the connection label is "email @ workspace", never the secret', async () => {
    const result = await authTest(h.keys.admin);
    const me = await h.api().get('/me');
    expect(App.authentication.connectionLabel).toBe('{{connection_label}}');
    expect(result.connection_label).toBe(`${h.user.email} @ ${me.workspaces[0].name}`);
    expect(JSON.stringify(result)).not.toContain(h.keys.admin);
    expect(result).toMatchObject({ user: { email: h.user.email }, key: { permission: 'admin' } });
  });

  it('when a read-only key connects, then the test passes too (triggers and searches only read)', async () => {
    await expect(authTest(h.keys.read)).resolves.toMatchObject({ key: { permission: 'read' } });
  });

  it('when the key is malformed, then the test fails with invalid_api_key and says where to get a key', async () => {
    const error = await failure(authTest('sbk_not-a-real-key'));
    expect(error).toMatchObject({ name: 'AppError', code: 'invalid_api_key', status: 401 });
    expect(error.message).toContain('sbk_');
    expect(error.message).toContain(`${h.base}/settings`);
  });

  it('when the key was revoked, then the test fails with ExpiredAuthError naming the cause and Settings → API keys', async () => {
    const { id, secret } = await createKey(h.t, h.user, { name: 'to revoke' });
    await authTest(secret);
    expect((await session(h.user).post(`/app/api-keys/${id}/revoke`)).status).toBe(200);
    const error = await failure(authTest(secret));
    expect(error.name).toBe('ExpiredAuthError');
    expect(error.message).toMatch(/has been revoked/);
    expect(error.message).toContain('Settings → API keys');
    expect(error.message).toContain(`${h.base}/settings`);
  });

  it('when no workspace of the key has API access on, then the test fails saying an owner or admin must switch it on', async () => {
    const { user, secret } = await apiUser(h.t, 'write');
    await enableApiAccess(h.t, user, undefined, false);
    const error = await failure(authTest(secret));
    expect(error).toMatchObject({ code: 'api_access_disabled', status: 403 });
    expect(error.message).toMatch(
      /^API access is not enabled for this account: an owner or admin must switch on API access in Settings/,
    );
  });

  // Last: it moves the server clock past the key's expiry (and every session's).
  it('when the key has expired, then the test fails with ExpiredAuthError saying so', async () => {
    const { secret } = await createKey(h.t, h.user, { name: 'short-lived', expires_in: '30d' });
    await authTest(secret);
    h.t.clock.advance(31 * 24 * 3600 * 1000);
    try {
      const error = await failure(authTest(secret));
      expect(error.name).toBe('ExpiredAuthError');
      expect(error.message).toMatch(/has expired/);
      expect(error.message).toContain('Create a new key');
    } finally {
      h.t.clock.reset();
    }
  });
});
