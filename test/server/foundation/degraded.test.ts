// The database going away: /health says so (503 degraded) and comes back by itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedMongoServer } from '../../../server/embedded-mongo';
import { startTestApp, type TestApp } from '../../helpers/app';

let t: TestApp;
let db: EmbeddedMongoServer;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-degraded-'));

beforeAll(async () => {
  db = await EmbeddedMongoServer.start({ dataDir });
  t = await startTestApp({ MONGODB_URI: `${db.uri}sb_degraded` });
});
afterAll(async () => {
  await t.stop();
  await db.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function healthWithin(ms: number, status: number): Promise<{ status: number; body: unknown }> {
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await t.request().get('/health');
    if (res.status === status || Date.now() > deadline) return { status: res.status, body: res.body };
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('GET /health while the database is unreachable', () => {
  it('when the database stops, then it answers 503 degraded; when it returns, then ok again', async () => {
    expect((await t.request().get('/health')).body).toEqual({ status: 'ok', db: 'mongodb' });
    const port = db.port;
    await db.stop();
    expect(await healthWithin(15000, 503)).toEqual({
      status: 503,
      body: { status: 'degraded', db: 'mongodb' },
    });
    db = await EmbeddedMongoServer.start({ dataDir, port });
    expect(await healthWithin(15000, 200)).toEqual({ status: 200, body: { status: 'ok', db: 'mongodb' } });
  });
});
