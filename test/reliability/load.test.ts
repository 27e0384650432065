// Load: 2,000 mixed authenticated requests from 50 concurrent clients holding several keys → no
// 5xx, every response what its request deserves, every acknowledged write readable afterwards;
// then a low per-key limit → each key gets exactly its limit, then 429 with Retry-After.
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app';
import { apiUser, createKey } from '../helpers/fixtures';
import { bearerHeader, isProblem, pool, send, type Reply } from './http';

const REQUESTS = 2000;
const CLIENTS = 50;

interface Holder {
  write: string;
  read: string;
  contactId: string;
}

interface Plan {
  method: 'GET' | 'POST';
  path: string;
  secret: string;
  body?: Record<string, unknown>;
  expect: number;
  /** Where an acknowledged write is re-read afterwards. */
  readBack?: 'contacts' | 'deals' | 'messages';
}

/** A deterministic mix: reads and writes of every record type, and refused writes by read keys. */
function planOf(i: number, h: Holder): Plan {
  const slot = i % 20;
  const email = `load-${randomUUID()}@example.test`;
  if (slot < 5)
    return {
      method: 'POST',
      path: '/api/v1/contacts',
      secret: h.write,
      body: { name: `Load ${i}`, email },
      expect: 201,
      readBack: 'contacts',
    };
  if (slot < 7)
    return {
      method: 'POST',
      path: '/api/v1/deals',
      secret: h.write,
      body: { title: `Deal ${i}`, value: i },
      expect: 201,
      readBack: 'deals',
    };
  if (slot < 9)
    return {
      method: 'POST',
      path: '/api/v1/messages',
      secret: h.write,
      body: { contact_id: h.contactId, direction: 'inbound', channel: 'email', body: `Message ${i}` },
      expect: 201,
      readBack: 'messages',
    };
  if (slot < 13)
    return {
      method: 'GET',
      path: '/api/v1/contacts?limit=25',
      secret: i % 2 ? h.read : h.write,
      expect: 200,
    };
  if (slot < 15) return { method: 'GET', path: '/api/v1/me', secret: h.read, expect: 200 };
  if (slot < 16) return { method: 'GET', path: '/api/v1/deals', secret: h.read, expect: 200 };
  if (slot < 17) return { method: 'GET', path: '/api/v1/messages', secret: h.read, expect: 200 };
  if (slot < 18)
    return { method: 'GET', path: `/api/v1/contacts/${h.contactId}`, secret: h.read, expect: 200 };
  if (slot < 19) return { method: 'GET', path: '/api/v1/pipelines', secret: h.read, expect: 200 };
  return { method: 'POST', path: '/api/v1/contacts', secret: h.read, body: { name: 'Refused' }, expect: 403 };
}

describe('2,000 mixed requests from 50 concurrent clients', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp({ API_KEY_RATE_LIMIT: '100000' });
    base = await t.listen();
  });
  afterAll(async () => {
    await t.stop();
  });

  test('when 50 clients with 10 keys send 2,000 mixed requests, then no 5xx, each gets its expected status, every acknowledged write is readable', async () => {
    const holders: Holder[] = [];
    for (let u = 0; u < 5; u++) {
      const { user, secret } = await apiUser(t, 'write');
      const read = (await createKey(t, user, { name: 'Read', permission: 'read' })).secret;
      const c = await send(base, 'POST', '/api/v1/contacts', {
        headers: bearerHeader(secret),
        body: { name: 'Anchor' },
      });
      expect(c.status).toBe(201);
      holders.push({ write: secret, read, contactId: (c.body as { id: string }).id });
    }
    const plans = Array.from({ length: REQUESTS }, (_, i) => planOf(i, holders[i % holders.length]!));
    const replies: Reply[] = new Array<Reply>(REQUESTS);
    const started = Date.now();
    await pool(plans, CLIENTS, async (p, i) => {
      replies[i] = await send(base, p.method, p.path, { headers: bearerHeader(p.secret), body: p.body });
    });

    const loadMs = Date.now() - started;
    const serverErrors = replies.filter((r) => r.status >= 500);
    expect(serverErrors.map((r) => r.text)).toEqual([]);
    const unexpected = plans.flatMap((p, i) =>
      replies[i]!.status === p.expect ? [] : [`${p.method} ${p.path} → ${replies[i]!.status}`],
    );
    expect(unexpected).toEqual([]);
    for (const r of replies.filter((x) => x.status >= 400)) expect(isProblem(r)).toBe(true);

    const acknowledged = plans.flatMap((p, i) =>
      p.readBack ? [{ p, written: replies[i]!.body as Record<string, unknown> & { id: string } }] : [],
    );
    expect(acknowledged.length).toBeGreaterThanOrEqual(REQUESTS * 0.4);
    // Read back through the lists (every page), as a client syncing would: each acknowledged
    // write is there, exactly as acknowledged.
    const stored = new Map<string, string>();
    for (const h of holders)
      for (const type of ['contacts', 'deals', 'messages'])
        for (let cursor: string | null = ''; cursor !== null;) {
          const page = await send(
            base,
            'GET',
            `/api/v1/${type}?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
            {
              headers: bearerHeader(h.write),
            },
          );
          expect(page.status).toBe(200);
          const body = page.body as { data: Array<{ id: string }>; next_cursor: string | null };
          for (const r of body.data) stored.set(`${type}/${r.id}`, JSON.stringify(r));
          cursor = body.next_cursor;
        }
    const lost = acknowledged.filter(
      ({ p, written }) => stored.get(`${p.readBack}/${written.id}`) !== JSON.stringify(written),
    );
    expect(lost.map(({ p, written }) => `${p.readBack}/${written.id}`)).toEqual([]);
    console.log(
      `reliability: load ${REQUESTS} requests / ${CLIENTS} clients / 10 keys, ${acknowledged.length} writes read back, load ${loadMs} ms`,
    );
  }, 120_000);
});

describe('per-key rate limit under concurrent load', () => {
  const LIMIT = 25;
  const PER_KEY = 40;
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp({ API_KEY_RATE_LIMIT: String(LIMIT) });
    base = await t.listen();
  });
  afterAll(async () => {
    await t.stop();
  });

  test('when 4 keys each send 40 requests at once, then each gets exactly 25 answers, then 429 with Retry-After; other keys are untouched', async () => {
    const keys: string[] = [];
    for (let u = 0; u < 2; u++) {
      const { user, secret } = await apiUser(t, 'write');
      keys.push(secret, (await createKey(t, user, { name: 'Second', permission: 'read' })).secret);
    }
    const bystander = (await apiUser(t, 'read')).secret;
    // Start a fresh fixed window (with ~59 s to spare) so the burst cannot straddle two windows.
    const now = t.clock.now().getTime();
    t.clock.advance(60_000 - (now % 60_000) + 1000);

    // Interleaved, so every key's requests are in flight together.
    const plans = Array.from({ length: PER_KEY }, (_, i) =>
      keys.map((secret) =>
        i % 3 === 0
          ? { secret, method: 'POST', path: '/api/v1/contacts', body: { name: `Burst ${i}` } }
          : { secret, method: 'GET', path: i % 2 ? '/api/v1/me' : '/api/v1/contacts', body: undefined },
      ),
    ).flat();
    const results: Array<{ secret: string; reply: Reply }> = [];
    await pool(plans, 50, async (p) => {
      results.push({
        secret: p.secret,
        reply: await send(base, p.method, p.path, { headers: bearerHeader(p.secret), body: p.body }),
      });
    });

    expect(results.filter((r) => r.reply.status >= 500)).toEqual([]);
    for (const secret of keys) {
      const mine = results.filter((r) => r.secret === secret).map((r) => r.reply);
      const limited = mine.filter((r) => r.status === 429);
      const served = mine.filter((r) => r.status !== 429);
      expect({ served: served.length, limited: limited.length }).toEqual({
        served: LIMIT,
        limited: PER_KEY - LIMIT,
      });
      // Each counted request saw its own place in the window: remaining LIMIT-1 … 0, once each.
      const remaining = served
        .map((r) => Number(r.headers.get('x-ratelimit-remaining')))
        .sort((a, b) => a - b);
      expect(remaining).toEqual(Array.from({ length: LIMIT }, (_, i) => i));
      for (const r of served) expect(r.headers.get('ratelimit-policy')).toBe(`"per-key";q=${LIMIT};w=60`);
      for (const r of limited) {
        expect(isProblem(r)).toBe(true);
        expect((r.body as { code: string }).code).toBe('rate_limited');
        const retryAfter = Number(r.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
      }
    }
    const other = await send(base, 'GET', '/api/v1/me', { headers: bearerHeader(bystander) });
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - 1));
    // The next window serves the exhausted keys again.
    t.clock.advance(60_000);
    expect((await send(base, 'GET', '/api/v1/me', { headers: bearerHeader(keys[0]!) })).status).toBe(200);
  });
});
