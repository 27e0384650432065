// Bad input, generated with fast-check over every /api/v1, /app and /auth route: random types,
// huge strings, deep nesting, prototype-pollution keys, MongoDB operators, invalid UTF-8, wrong
// content types, bad credentials. Phase 1: requests made certainly invalid ("poisoned") must all
// be a 4xx problem+json and change nothing at all. Phase 2: unconstrained requests must never be
// a 5xx and never change the victim's data. The app must still be healthy, and Object.prototype
// unpolluted, at the end.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import mongoose from 'mongoose';
import { startTestApp, type TestApp } from '../helpers/app';
import { apiUser, bearer, createKey, type SignedInUser } from '../helpers/fixtures';
import {
  badIds,
  badKeys,
  bodyFor,
  deepJson,
  hex24,
  invalidJsonBodies,
  poisonsFor,
  queryArb,
  routes,
  wrongContentTypes,
  type IdKind,
  type Poison,
  type Route,
} from './fuzz-cases';
import { isProblem, pool, send, sendRaw, type Reply } from './http';

const POISONED = 3000;
const RANDOM = 2200;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

let t: TestApp;
let base = '';
let victim: SignedInUser;
const ids = {} as Record<IdKind, string>;
const creds = { attackerAdmin: '', attackerRead: '', victimRead: '', cookie: '', csrf: '' };

beforeAll(async () => {
  t = await startTestApp({
    API_KEY_RATE_LIMIT: '100000',
    AUTH_FAILURE_RATE_LIMIT: '100000',
    SIGNIN_RATE_LIMIT: '100000',
  });
  base = await t.listen();
  const v = await apiUser(t, 'admin');
  victim = v.user;
  creds.victimRead = (await createKey(t, victim, { name: 'victim read', permission: 'read' })).secret;
  const post = async (path: string, body: object) => {
    const res = await t.request().post(path).set(bearer(v.secret)).send(body);
    expect(res.status).toBe(201);
    return (res.body as { id: string }).id;
  };
  ids.contacts = await post('/api/v1/contacts', { name: 'Victim', email: 'victim@example.test' });
  ids.deals = await post('/api/v1/deals', { title: 'Victim deal', contact_id: ids.contacts });
  ids.messages = await post('/api/v1/messages', {
    contact_id: ids.contacts,
    direction: 'inbound',
    channel: 'email',
    body: 'Hi',
  });
  ids.pipelines = (
    (await t.request().get('/api/v1/pipelines').set(bearer(v.secret))).body as { data: Array<{ id: string }> }
  ).data[0]!.id;
  ids.workspace = victim.workspaceId;
  ids.key = v.keyId;
  ids.user = victim.id;
  ids.hook = new mongoose.Types.ObjectId().toHexString();

  const a = await apiUser(t, 'admin');
  creds.attackerAdmin = a.secret;
  creds.attackerRead = (await createKey(t, a.user, { name: 'attacker read', permission: 'read' })).secret;
  // A fetch-side session for the attacker (the fixture's cookie jar lives in supertest).
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: a.user.email, password: a.user.password }),
  });
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]!);
  creds.cookie = cookies.join('; ');
  creds.csrf = decodeURIComponent(
    cookies.find((c) => c.startsWith('csrf_token='))!.slice('csrf_token='.length),
  );
}, 60_000);

afterAll(async () => {
  await t.stop();
});

interface Spec {
  route: Route;
  poison?: Poison;
  pick: number;
  body: Record<string, unknown>;
  query: Array<[string, string]>;
  depth: number;
  invalidUtf8: boolean;
  randomId: string;
}

const specArb = (poisoned: boolean): fc.Arbitrary<Spec> =>
  fc.constantFrom(...routes).chain((route) =>
    fc.record({
      route: fc.constant(route),
      poison: poisoned ? fc.constantFrom(...poisonsFor(route)) : fc.constant(undefined),
      pick: fc.nat(1000),
      body: bodyFor(route),
      query: queryArb,
      depth: fc.integer({ min: 21, max: 400 }),
      invalidUtf8: fc.boolean(),
      randomId: hex24,
    }),
  );

/** Turns a spec into an HTTP request. Never names the attacker's own records. */
function build(spec: Spec): {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
} {
  const { route, poison, pick } = spec;
  const headers: Record<string, string> = {};
  let n = 0;
  const path = route.path.replace(/:id/g, () => {
    const kind = route.ids![n++]!;
    if (poison === 'bad-id') return badIds[pick % badIds.length]!;
    const options = [
      ids[kind],
      spec.randomId,
      ...(poison ? [] : [encodeURIComponent(badIds[pick % badIds.length]!)]),
    ];
    return options[pick % options.length]!;
  });
  const query = [...spec.query];
  if (poison === 'bad-query')
    query.push(
      (
        [
          ['limit', '0'],
          ['limit', 'abc'],
          ['__proto__', 'x'],
          ['email[$ne]', 'x'],
          ['zz_unknown', '1'],
          ['updated_since', 'yesterday'],
          ['workspace_id', '{"$gt":""}'],
        ] as Array<[string, string]>
      )[pick % 7]!,
    );
  // Random queries never carry a valid key: that would be a credential, not input.
  const qs = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

  if (route.surface === 'key') {
    const valid = [creds.attackerAdmin, creds.attackerRead, creds.victimRead];
    if (poison === 'bad-auth') {
      const bad = badKeys[pick % badKeys.length]!;
      if (bad) headers.authorization = bad;
    } else if (!poison && pick % 10 === 0)
      headers.authorization = badKeys[pick % badKeys.length] || 'Bearer x';
    else headers.authorization = `Bearer ${valid[pick % valid.length]}`;
  }
  if (route.surface === 'session') {
    const badCookie = poison === 'bad-auth' || (!poison && pick % 10 === 0);
    if (badCookie) {
      const forged = [
        '',
        'sb_session=garbage',
        'sb_session=eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
        `sb_session=${'a'.repeat(3000)}`,
      ];
      const c = forged[pick % forged.length]!;
      if (c) headers.cookie = c;
      if (pick % 3 === 0) headers.authorization = `Bearer ${creds.attackerAdmin}`; // a key never opens /app
    } else headers.cookie = creds.cookie;
    // Logging out would end the attacker's session for the rest of the run: never a valid CSRF there.
    const badCsrf = poison === 'bad-csrf' || route.path === '/auth/logout';
    headers['x-csrf-token'] = badCsrf ? ['', 'x', creds.csrf + 'x'][pick % 3]! : creds.csrf;
  }

  const json = JSON.stringify(spec.body);
  let body: string | Uint8Array | undefined =
    route.method === 'POST' || route.method === 'PATCH' || pick % 7 === 0 ? json : undefined;
  let type: string | undefined = body === undefined ? undefined : 'application/json';
  const splice = (member: string) => (json === '{}' ? `{${member}}` : `{${member},${json.slice(1)}`);
  if (poison === 'unknown-key') body = splice(`"zz_unknown_${pick}":1`);
  if (poison === 'proto-key')
    body = splice(
      pick % 2 ? '"__proto__":{"polluted":"yes"}' : '"constructor":{"prototype":{"polluted":"yes"}}',
    );
  if (poison === 'invalid-json') body = invalidJsonBodies[pick % invalidJsonBodies.length];
  if (poison === 'deep-nesting') body = deepJson(spec.depth);
  if (poison === 'too-large') body = `{"name":"${'x'.repeat(110_000)}"}`;
  if (poison && ['invalid-json', 'deep-nesting', 'too-large'].includes(poison)) type = 'application/json';
  if (poison === 'wrong-content-type' || (!poison && body !== undefined && pick % 9 === 0))
    type = wrongContentTypes[pick % wrongContentTypes.length];
  if (spec.invalidUtf8 && typeof body === 'string' && !poison?.startsWith('too')) {
    const raw = Buffer.from(body);
    const at = Math.max(1, raw.indexOf(0x22) + 1); // inside the first string, if any
    body = Buffer.concat([raw.subarray(0, at), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), raw.subarray(at)]);
  }
  if (type) headers['content-type'] = type;
  return { method: route.method, path: qs ? `${path}?${qs}` : path, headers, body };
}

const VOLATILE = new Set(['last_used_at', 'last_used_ip', 'last_used_user_agent', 'seen_ips', 'updated_at']);
const COLLECTIONS = [
  'users',
  'workspaces',
  'memberships',
  'api_keys',
  'api_key_secrets',
  'contacts',
  'deals',
  'messages',
  'pipelines',
  'hook_subscriptions',
  'domain_events',
];

/** The stored data (minus key usage bookkeeping), optionally only what belongs to the victim. */
async function snapshot(onlyVictim: boolean): Promise<string> {
  const db = mongoose.connection.db!;
  const w = new mongoose.Types.ObjectId(victim.workspaceId);
  const u = new mongoose.Types.ObjectId(victim.id);
  const filters: Record<string, object> = onlyVictim
    ? {
        users: { _id: u },
        workspaces: { _id: w },
        memberships: { workspace_id: w },
        api_keys: { created_by: u },
        api_key_secrets: {},
      }
    : {};
  const out: Record<string, unknown> = {};
  for (const name of COLLECTIONS) {
    if (onlyVictim && name === 'api_key_secrets') continue;
    const filter = filters[name] ?? (onlyVictim ? { workspace_id: w } : {});
    const docs = await db.collection(name).find(filter).sort({ _id: 1 }).toArray();
    out[name] = docs.map((d) =>
      Object.fromEntries(Object.entries(d).filter(([k]) => !(name === 'api_keys' && VOLATILE.has(k)))),
    );
  }
  return JSON.stringify(out);
}

async function runAll(specs: Spec[]): Promise<Array<{ spec: Spec; reply: Reply }>> {
  const out: Array<{ spec: Spec; reply: Reply }> = [];
  await pool(specs, 16, async (spec) => {
    const r = build(spec);
    out.push({ spec, reply: await sendRaw(base, r.method, r.path, r.headers, r.body) });
  });
  return out;
}

const label = (s: Spec, r: Reply) =>
  `${s.route.method} ${s.route.path} poison=${s.poison ?? '-'} pick=${s.pick} → ${r.status} ${r.text.slice(0, 160)}`;

describe('fuzzed requests to every route', () => {
  let ran = 0;
  const statuses: Record<number, number> = {};
  const tally = (results: Array<{ reply: Reply }>) => {
    ran += results.length;
    for (const { reply } of results) statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
  };
  afterAll(() =>
    console.log(
      `reliability: ${ran} fuzz requests (seed ${SEED}; FUZZ_SEED=${SEED} replays them); statuses ${JSON.stringify(statuses)}`,
    ),
  );

  test('when a request is certainly invalid, then it is a 4xx problem+json and nothing stored changes', async () => {
    const before = await snapshot(false);
    const specs = fc.sample(specArb(true), { numRuns: POISONED, seed: SEED });
    const results = await runAll(specs);
    tally(results);
    const wrong = results.filter(
      ({ reply }) => reply.status < 400 || reply.status >= 500 || !isProblem(reply),
    );
    expect(wrong.slice(0, 15).map(({ spec, reply }) => label(spec, reply))).toEqual([]);
    expect(await snapshot(false)).toBe(before);
    const poisons = new Set(results.map((r) => r.spec.poison));
    expect(poisons.size).toBeGreaterThanOrEqual(10);
  }, 150_000);

  test('when requests are unconstrained, then never a 5xx, every error is problem+json, and the victim’s data is unchanged', async () => {
    const before = await snapshot(true);
    const specs = fc.sample(specArb(false), { numRuns: RANDOM, seed: SEED + 1 });
    const results = await runAll(specs);
    tally(results);
    const wrong = results.filter(
      ({ reply }) => reply.status >= 500 || (reply.status >= 400 && !isProblem(reply)),
    );
    expect(wrong.slice(0, 15).map(({ spec, reply }) => label(spec, reply))).toEqual([]);
    expect(await snapshot(true)).toBe(before);
  }, 150_000);

  test('when the fuzz is over, then the app still serves, and no prototype was polluted', async () => {
    expect((await send(base, 'GET', '/health')).status).toBe(200);
    const me = await send(base, 'GET', '/api/v1/me', {
      headers: { authorization: `Bearer ${creds.victimRead}` },
    });
    expect(me.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    const contact = await send(base, 'POST', '/api/v1/contacts', {
      headers: { authorization: `Bearer ${creds.attackerAdmin}` },
      body: { name: 'After the fuzz', email: `after-${randomUUID()}@example.test` },
    });
    expect(contact.status).toBe(201);
  });
});
