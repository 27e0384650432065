// A secret appears in exactly two places: the create and the rotate response. Never in another
// response, never in a log line (logs captured at debug level), never stored in plain text.
import mongoose from 'mongoose';
import { startTestApp, type TestApp } from '../../helpers/app';
import { apiUser, bearer, createKey, session, signUp } from '../../helpers/fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: 'trace' });
});
afterAll(async () => {
  await t.stop();
});

test('when keys go through their whole life, then no other response, log line or stored document holds a secret', async () => {
  const bodies: string[] = [];
  const keep = <R extends { text?: string; body?: unknown; headers?: unknown }>(res: R): R => {
    bodies.push(JSON.stringify({ body: res.body, text: res.text, headers: res.headers }));
    return res;
  };
  const { user, secret, keyId } = await apiUser(t, 'write');
  const other = await createKey(t, user, { name: 'second', permission: 'read', expires_in: '30d' });
  const s = session(user);

  keep(await t.request().get('/api/v1/me').set(bearer(secret)));
  keep(await t.request().get(`/api/v1/me?api_key=${secret}`));
  keep(await t.request().get('/api/v1/contacts').set(bearer(other.secret)));
  keep(await t.request().post('/api/v1/contacts').set(bearer(other.secret)).send({ name: 'x' }));
  keep(
    await t
      .request()
      .get('/api/v1/me')
      .set('Authorization', `Bearer ${secret.slice(0, -1)}`),
  );
  keep(await t.request().post('/api/v1/contacts').set(bearer(secret)).send({ name: secret }));
  keep(await s.get('/app/api-keys?include=archived'));
  keep(await s.get(`/app/api-keys/${keyId}/events`));
  keep(await s.get(`/app/workspaces/${user.workspaceId}/api-keys`));
  const rotated = await s.post(`/app/api-keys/${keyId}/rotate`, { grace_period: '1h' });
  expect(rotated.status).toBe(200);
  keep(await t.request().get('/api/v1/me').set(bearer(rotated.body.secret)));
  keep(await s.post(`/app/api-keys/${keyId}/revoke`));
  keep(await s.post(`/app/api-keys/${keyId}/archive`));
  keep(await s.get('/app/api-keys?include=archived'));
  keep(await t.request().get('/api/v1/me').set(bearer(rotated.body.secret)));

  const secrets = [secret, other.secret, rotated.body.secret as string];
  // The contact named after the secret is the caller's own data echoed back; everything else must be clean.
  const foreign = bodies.filter((b) => !b.includes('"name":"sbk_'));
  for (const value of secrets) {
    const random = value.slice(10); // everything past the displayed prefix
    for (const b of foreign) expect(b).not.toContain(random);
    for (const line of t.logs) expect(line).not.toContain(random);
  }
  expect(t.logs.length).toBeGreaterThan(10);

  const db = mongoose.connection.db!;
  for (const name of ['api_keys', 'api_key_secrets', 'api_key_events', 'users', 'rate_limits']) {
    const dump = JSON.stringify(await db.collection(name).find({}).toArray());
    for (const value of secrets) expect(dump).not.toContain(value.slice(10));
  }
});

test('when a user signs up and in, then the password is in no response and no log line', async () => {
  const u = await signUp(t);
  const res = await t.request().post('/auth/login').send({ email: u.email, password: u.password });
  expect(JSON.stringify(res.body)).not.toContain(u.password);
  for (const line of t.logs) expect(line).not.toContain(u.password);
});
