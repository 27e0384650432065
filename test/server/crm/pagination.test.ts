// Cursor pagination: newest first with a stable tiebreak, no duplicates and no gaps while records
// are inserted during the walk, and the shared list filters.
import { startTestApp, type TestApp } from '../../helpers/app';
import { apiUser } from '../../helpers/fixtures';
import { expectProblem, keyClient, type Client } from './crm-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ API_KEY_RATE_LIMIT: '100000' });
});
afterAll(async () => t.stop());

interface Row {
  id: string;
  created_at: string;
}

async function createContacts(api: Client, n: number, prefix: string, parallel = 10): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += parallel) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(parallel, n - i) }, (_, j) =>
        api.post('/contacts', { name: `${prefix} ${i + j}` }),
      ),
    );
    for (const r of batch) {
      expect(r.status).toBe(201);
      ids.push(r.body.id as string);
    }
  }
  return ids;
}

/** Newest first: created_at descending, then id descending. */
function inOrder(rows: Row[]): boolean {
  return rows.every((r, i) => {
    const prev = rows[i - 1];
    if (!prev) return true;
    return prev.created_at > r.created_at || (prev.created_at === r.created_at && prev.id > r.id);
  });
}

describe('GET /api/v1/contacts pagination', () => {
  test('when walking 300 contacts while others are being created, then every one is seen exactly once, in order', async () => {
    const { secret } = await apiUser(t, 'admin');
    const api = keyClient(t, secret);
    const existing = await createContacts(api, 300, 'Seed', 20);

    let walking = true;
    const inserter = (async () => {
      let made = 0;
      while (walking && made < 200) made += (await createContacts(api, 5, 'During', 5)).length;
      return made;
    })();
    const seen: Row[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api.get(`/contacts?limit=7${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      seen.push(...(res.body.data as Row[]));
      cursor = res.body.next_cursor as string | null;
      pages += 1;
    } while (cursor && pages < 500);
    walking = false;
    const inserted = await inserter;

    expect(inserted).toBeGreaterThan(0);
    const ids = seen.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const seenSet = new Set(ids);
    expect(existing.filter((id) => !seenSet.has(id))).toEqual([]);
    expect(inOrder(seen)).toBe(true);
  }, 120_000); // a few hundred writes over HTTP on a shared CI machine

  test('when several records share a created_at, then the id tiebreak keeps pages disjoint', async () => {
    const { secret } = await apiUser(t, 'admin');
    const api = keyClient(t, secret);
    const created = await createContacts(api, 40, 'Burst', 20);
    const seen: Row[] = [];
    let cursor: string | null = null;
    do {
      const res = await api.get(`/contacts?limit=3${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      seen.push(...(res.body.data as Row[]));
      cursor = res.body.next_cursor as string | null;
    } while (cursor);
    expect(seen.map((r) => r.id).sort()).toEqual([...created].sort());
    expect(inOrder(seen)).toBe(true);
  });

  test('when no limit is sent, then pages hold 25; the last page has next_cursor null', async () => {
    const { secret } = await apiUser(t, 'admin');
    const api = keyClient(t, secret);
    await createContacts(api, 30, 'Default');
    const first = await api.get('/contacts').expect(200);
    expect(first.body.data).toHaveLength(25);
    expect(typeof first.body.next_cursor).toBe('string');
    const second = await api.get(`/contacts?cursor=${first.body.next_cursor as string}`).expect(200);
    expect(second.body.data).toHaveLength(5);
    expect(second.body.next_cursor).toBeNull();
  });

  test('when updated_since is sent, then only records updated at or after it are listed', async () => {
    const { secret } = await apiUser(t, 'admin');
    const api = keyClient(t, secret);
    const [old, touched] = await createContacts(api, 2, 'Since');
    t.clock.advance(60_000);
    const since = new Date(t.clock.now().getTime() - 1000).toISOString();
    await api.patch(`/contacts/${touched!}`, { company: 'Now' }).expect(200);
    const fresh = await createContacts(api, 1, 'Fresh');
    const listed = ((await api.get(`/contacts?updated_since=${since}`).expect(200)).body.data as Row[]).map(
      (r) => r.id,
    );
    expect(listed.sort()).toEqual([touched!, fresh[0]!].sort());
    expect(listed).not.toContain(old);
  });

  test('when the cursor is tampered with, then it is 400 invalid_request', async () => {
    const { secret } = await apiUser(t, 'read');
    const api = keyClient(t, secret);
    const forged = Buffer.from(JSON.stringify(['2020-01-01T00:00:00.000Z', { $gt: '' }])).toString(
      'base64url',
    );
    expectProblem(await api.get(`/contacts?cursor=${forged}`), 400, 'invalid_request');
    expectProblem(await api.get('/contacts?cursor=%%%'), 400, 'invalid_request');
  });

  test('when paging deals and messages, then they paginate the same way', async () => {
    const { secret } = await apiUser(t, 'admin');
    const api = keyClient(t, secret);
    const contact = (await api.post('/contacts', { name: 'C' }).expect(201)).body.id as string;
    for (let i = 0; i < 5; i += 1) {
      await api.post('/deals', { title: `D${i}` }).expect(201);
      await api
        .post('/messages', { contact_id: contact, direction: 'inbound', channel: 'note', body: `M${i}` })
        .expect(201);
    }
    for (const path of ['/deals', '/messages']) {
      const page1 = await api.get(`${path}?limit=3`).expect(200);
      const page2 = await api.get(`${path}?limit=3&cursor=${page1.body.next_cursor as string}`).expect(200);
      expect([...page1.body.data, ...page2.body.data]).toHaveLength(5);
      expect(page2.body.next_cursor).toBeNull();
    }
  });
});
