// The cost target, proved on the real app: a key-authenticated read makes at most three database
// round trips, the query included (key + creator + reach in one aggregate, the rate-limit counter,
// the query), and the last-used write happens at most once a minute per key. Counted with the
// driver's command monitoring on the app's own connection (every command it sends is one trip).
import mongoose from 'mongoose';
import { EmbeddedMongoServer } from '../../server/embedded-mongo';
import { startTestApp, type TestApp } from '../helpers/app';
import { apiUser, bearer, session, type SignedInUser } from '../helpers/fixtures';
import { pipelined } from '../helpers/pipelined';

/** Connection upkeep, not work a request asks for. */
const UPKEEP = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'buildInfo', 'getParameter']);

let own: EmbeddedMongoServer | undefined;
let t: TestApp;
let seen: Array<{ name: string; collection: unknown }> = [];
let user: SignedInUser;
let secret: string;

beforeAll(async () => {
  // Its own database server unless the suite runs against MONGODB_URI; either way the driver's
  // command monitoring is switched on through the connection string (it cannot be turned on later).
  const base = process.env.MONGODB_URI ?? (own = await EmbeddedMongoServer.start()).uri;
  const uri = `${base}${base.includes('?') ? '&' : '?'}monitorCommands=true`;
  t = await startTestApp({ MONGODB_URI: uri });
  mongoose.connection.getClient().on('commandStarted', (e) => {
    if (!UPKEEP.has(e.commandName)) seen.push({ name: e.commandName, collection: e.command[e.commandName] });
  });
  ({ user, secret } = await apiUser(t, 'write'));
  // A first contact, deal and message so lists and single reads return data; the first use of
  // the key from this address is audited (a one-off, counted separately below).
  const c = await t
    .request()
    .post('/api/v1/contacts')
    .set(bearer(secret))
    .send({ name: 'Ada', email: 'ada@example.test' });
  expect(c.status).toBe(201);
  contactId = (c.body as { id: string }).id;
});
afterAll(async () => {
  await t.stop();
  await own?.stop();
});

let contactId = '';

async function tripsOf(
  run: () => Promise<{ status: number }>,
  status = 200,
): Promise<Array<{ name: string; collection: unknown }>> {
  seen = [];
  const res = await run();
  expect(res.status).toBe(status);
  return seen;
}

const keyReads = (): Array<[string, string]> => [
  ['GET /api/v1/me', '/api/v1/me'],
  ['GET /api/v1/contacts', '/api/v1/contacts'],
  ['GET /api/v1/contacts?email=', '/api/v1/contacts?email=ada@example.test'],
  ['GET /api/v1/contacts/:id', `/api/v1/contacts/${contactId}`],
  ['GET /api/v1/deals', '/api/v1/deals'],
  ['GET /api/v1/messages', '/api/v1/messages'],
  ['GET /api/v1/pipelines', '/api/v1/pipelines'],
  ['GET /api/v1/hooks', '/api/v1/hooks'],
];

describe('database round trips per key-authenticated read', () => {
  test('when a key reads, then each read costs at most 3 round trips, the query included', async () => {
    const report: string[] = [];
    for (const [name, path] of keyReads()) {
      const trips = await tripsOf(() => t.request().get(path).set(bearer(secret)));
      report.push(
        `${name}: ${trips.length} (${trips.map((x) => `${x.name} ${String(x.collection)}`).join(', ')})`,
      );
      // Names the route and its commands when it fails.
      expect({ name, trips: trips.map((x) => x.name), within: trips.length <= 3 }).toMatchObject({
        name,
        within: true,
      });
    }
    console.log(`reliability: round trips per key read — ${report.join('; ')}`);
  });

  test('when a session reads the same records, then it costs at most 2 round trips (no rate-limit counter)', async () => {
    const trips = await tripsOf(() => session(user).get('/app/contacts'));
    expect(trips.length).toBeLessThanOrEqual(2);
  });

  test('when a key is used many times within a minute, then last-used is written at most once a minute', async () => {
    const keyWrites = () =>
      seen.filter((x) => x.collection === 'api_keys' && ['update', 'findAndModify'].includes(x.name));
    // Move into a fresh minute: the stored last_used_at is now over a minute old.
    t.clock.advance(61_000);
    let writes = 0;
    for (let i = 0; i < 30; i++) {
      await tripsOf(() => t.request().get('/api/v1/me').set(bearer(secret)));
      writes += keyWrites().length;
    }
    expect(writes).toBe(1);
    // The write rides on a read: with it, that one request still stays within 4 trips, and the
    // steady state (every other request of the minute) is back to at most 3.
    t.clock.advance(61_000);
    const withWrite = await tripsOf(() => t.request().get('/api/v1/contacts').set(bearer(secret)));
    expect(withWrite.filter((x) => x.collection === 'api_keys')).toHaveLength(1);
    expect(withWrite.length).toBeLessThanOrEqual(4);
    const after = await tripsOf(() => t.request().get('/api/v1/contacts').set(bearer(secret)));
    expect(after.length).toBeLessThanOrEqual(3);
  });

  test('when requests arrive together, then they share one key lookup and one rate-limit update, each counted in its own place', async () => {
    const base = await t.listen();
    // Start of a fresh rate-limit window, so the ten hits cannot straddle two.
    t.clock.advance(60_000 - (t.clock.now().getTime() % 60_000) + 1000);
    seen = [];
    const me = { path: '/api/v1/me', headers: bearer(secret) };
    const responses = await pipelined(
      base,
      Array.from({ length: 10 }, () => me),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(seen.filter((x) => x.name === 'aggregate')).toHaveLength(1);
    expect(seen.filter((x) => x.collection === 'rate_limits')).toHaveLength(1);
    // Ten hits, ten consecutive places in the window (none lost, none counted twice).
    const remaining = responses.map((r) => Number(r.headers['x-ratelimit-remaining'])).sort((a, b) => b - a);
    expect(remaining).toEqual(remaining.map((_, i) => remaining[0]! - i));
  });

  test('when session requests arrive together, then they share one account lookup', async () => {
    const login = await t.request().post('/auth/login').send({ email: user.email, password: user.password });
    const setCookies = login.headers['set-cookie'] as unknown as string[];
    const cookie = setCookies.map((c) => c.split(';')[0]).join('; ');
    seen = [];
    const contacts = { path: '/app/contacts', headers: { Cookie: cookie } };
    const responses = await pipelined(
      await t.listen(),
      Array.from({ length: 5 }, () => contacts),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(5).fill(200));
    expect(seen.filter((x) => x.name === 'aggregate' && x.collection === 'users')).toHaveLength(1);
    expect(seen.filter((x) => x.name === 'find' && x.collection === 'contacts')).toHaveLength(5);
  });
});
