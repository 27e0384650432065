import { startTestApp, type TestApp } from '../../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

describe('GET /health', () => {
  it('when the database is up, then it reports ok and the tier in use', async () => {
    const res = await t.request().get('/health');
    expect(res.status).toBe(200);
    const expected = process.env.MONGODB_URI ? 'mongodb' : t.ctx.db.tier;
    expect(res.body).toEqual({ status: 'ok', db: expected });
    expect(['mongodb', 'memory-server', 'embedded']).toContain(res.body.db);
  });

  it('when no MONGODB_URI and no mongod binary are configured, then the embedded tier is chosen', () => {
    if (process.env.MONGODB_URI || process.env.MONGOMS_SYSTEM_BINARY) {
      expect(t.ctx.db.tier).not.toBe('embedded');
    } else {
      expect(t.ctx.db.tier).toBe('embedded');
    }
  });
});
