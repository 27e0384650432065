// Two real server processes on one database: revocation, rotation and rate limits hold in both,
// because nothing about a key is cached in a process.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { EmbeddedMongoServer } from '../../../server/embedded-mongo';
import { startServerProcess, type ServerProcess } from '../../helpers/server-process';

jest.setTimeout(120_000);

let db: EmbeddedMongoServer;
let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
  db = await EmbeddedMongoServer.start();
  const env = {
    MONGODB_URI: `${db.uri.replace(/\/?(\?.*)?$/, '')}/sb_multi${db.uri.includes('?') ? db.uri.slice(db.uri.indexOf('?')) : ''}`,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    KEY_HASH_SECRET: randomBytes(32).toString('hex'),
    API_KEY_RATE_LIMIT: '6',
    DATA_DIR: path.join(os.tmpdir(), `sb-multi-${randomBytes(4).toString('hex')}`),
  };
  [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.stop();
});

async function signUpOn(url: string) {
  const agent = supertest.agent(url);
  const res = await agent.post('/auth/signup').send({
    email: `mp-${randomBytes(6).toString('hex')}@example.test`,
    password: 'correct horse battery',
    name: 'MP',
  });
  expect(res.status).toBe(201);
  const csrf = /csrf_token=([^;]+)/.exec((res.headers['set-cookie'] as unknown as string[]).join(';'))![1]!;
  const workspaceId = res.body.workspaces[0].id as string;
  const post = (p: string, body: object = {}) =>
    agent.post(p).set('X-CSRF-Token', decodeURIComponent(csrf)).send(body);
  await agent
    .patch(`/app/workspaces/${workspaceId}`)
    .set('X-CSRF-Token', decodeURIComponent(csrf))
    .send({ api_access_enabled: true })
    .expect(200);
  return { post };
}

const me = (url: string, secret: string) =>
  supertest(url).get('/api/v1/me').set('Authorization', `Bearer ${secret}`);

describe('two server processes on one database', () => {
  test('when a key is revoked through one process, then both refuse it on the next request', async () => {
    const s = await signUpOn(a.baseUrl);
    const created = await s.post('/app/api-keys', {
      name: 'mp',
      permission: 'read',
      expires_in: 'never',
      scope: 'all',
    });
    const { secret } = created.body;
    expect((await me(a.baseUrl, secret)).status).toBe(200);
    expect((await me(b.baseUrl, secret)).status).toBe(200);
    await s.post(`/app/api-keys/${created.body.key.id}/revoke`).expect(200);
    expect((await me(a.baseUrl, secret)).body.code).toBe('revoked_api_key');
    expect((await me(b.baseUrl, secret)).body.code).toBe('revoked_api_key');
  });

  test('when a key is rotated through one process, then the other refuses the old secret at once', async () => {
    const s = await signUpOn(b.baseUrl);
    const created = await s.post('/app/api-keys', {
      name: 'mp',
      permission: 'read',
      expires_in: 'never',
      scope: 'all',
    });
    expect((await me(a.baseUrl, created.body.secret)).status).toBe(200);
    const rotated = await s.post(`/app/api-keys/${created.body.key.id}/rotate`, { grace_period: '0' });
    expect((await me(a.baseUrl, created.body.secret)).status).toBe(401);
    expect((await me(a.baseUrl, rotated.body.secret)).status).toBe(200);
    expect((await me(b.baseUrl, rotated.body.secret)).status).toBe(200);
  });

  test('when requests with one key alternate between processes, then they share one rate limit', async () => {
    const s = await signUpOn(a.baseUrl);
    // Retry if the 8 requests straddle a minute boundary (the fixed window resets there).
    for (let attempt = 0; attempt < 3; attempt++) {
      const { secret } = (
        await s.post('/app/api-keys', { name: 'rl', permission: 'read', expires_in: 'never', scope: 'all' })
      ).body;
      const responses = [];
      for (let i = 0; i < 8; i++) responses.push(await me(i % 2 ? b.baseUrl : a.baseUrl, secret));
      const windows = new Set(responses.map((r) => r.headers['x-ratelimit-reset']));
      if (windows.size > 1) continue;
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
      expect(responses[7]!.body.code).toBe('rate_limited');
      expect(Number(responses[7]!.headers['retry-after'])).toBeGreaterThan(0);
      expect(responses[5]!.headers['x-ratelimit-remaining']).toBe('0');
      return;
    }
    throw new Error('could not fit 8 requests into one rate-limit window');
  });
});
