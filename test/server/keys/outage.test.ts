// A database outage is a 503 with Retry-After, never a 401 or a 500: this file runs the app on its
// own embedded database server and stops it mid-test.
import { EmbeddedMongoServer } from '../../../server/embedded-mongo';
import { startTestApp, type TestApp } from '../../helpers/app';
import { apiUser, bearer, session } from '../../helpers/fixtures';

let db: EmbeddedMongoServer;
let t: TestApp;
beforeAll(async () => {
  db = await EmbeddedMongoServer.start();
  t = await startTestApp({ MONGODB_URI: db.uri });
});
afterAll(async () => {
  await t.stop().catch(() => undefined);
});

describe('503 service_unavailable', () => {
  test('when the database stops, then key and session requests get 503 with Retry-After', async () => {
    const { user, secret } = await apiUser(t);
    expect((await t.request().get('/api/v1/me').set(bearer(secret))).status).toBe(200);
    await db.stop();
    const viaKey = await t.request().get('/api/v1/me').set(bearer(secret));
    expect(viaKey.status).toBe(503);
    expect(viaKey.body.code).toBe('service_unavailable');
    expect(Number(viaKey.headers['retry-after'])).toBeGreaterThan(0);
    expect(viaKey.headers['content-type']).toMatch(/problem\+json/);
    const viaSession = await session(user).get('/app/api-keys');
    expect(viaSession.status).toBe(503);
    expect(viaSession.body.code).toBe('service_unavailable');
  });
});
