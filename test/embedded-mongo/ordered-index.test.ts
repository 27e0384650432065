// Sorted pages walked from ordered indexes must return exactly "match everything, then sort stably,
// then skip/limit": checked through the driver against plain JS and against the collection-scan
// path (`hint({ $natural: 1 })`), on random data with ties, updates and deletes in between.
import { ObjectId, type Collection, type Db, type Document } from 'mongodb';
import { walkPage } from '../../server/embedded-mongo/index-walk';
import { compileFilter } from '../../server/embedded-mongo/engine';
import { Store } from '../../server/embedded-mongo/store';
import { useDriverTarget } from './target';

const conn = useDriverTarget();
let db: Db;
beforeAll(() => void ({ db } = conn));

/** A seeded generator (mulberry32), so a failure replays identically. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORKSPACES = Array.from({ length: 4 }, () => new ObjectId());
const USERS = Array.from({ length: 3 }, () => new ObjectId());
const STATUSES = ['open', 'won', 'lost'];
const BASE = Date.UTC(2026, 0, 1);

interface Rec {
  _id: ObjectId;
  workspace_id: ObjectId;
  owner_id: ObjectId;
  visibility: string;
  status: string;
  email: string;
  created_at: Date;
  updated_at: Date;
}

function makeRecord(rnd: () => number, pick: <T>(xs: T[]) => T): Omit<Rec, '_id'> {
  // Few distinct times, so created_at ties (broken by _id) are common.
  const at = new Date(BASE + Math.floor(rnd() * 40) * 1000);
  return {
    workspace_id: pick(WORKSPACES),
    owner_id: pick(USERS),
    visibility: rnd() < 0.3 ? 'private' : 'workspace',
    status: pick(STATUSES),
    email: `p${Math.floor(rnd() * 20)}@example.com`,
    created_at: at,
    updated_at: new Date(at.getTime() + Math.floor(rnd() * 5) * 1000),
  };
}

type Sort = { created_at: 1 | -1; _id: 1 | -1 };

interface Query {
  ws: ObjectId[];
  admin: ObjectId[];
  me: ObjectId;
  status?: string;
  email?: string;
  since?: Date;
  sort: Sort;
}

const hex = (id: ObjectId): string => id.toHexString();
const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** The API's filter shape (server/shared/pagination.ts), with the cursor condition for either direction. */
function filterOf(q: Query, after?: Rec): Document {
  const all: Document[] = [
    {
      workspace_id: { $in: q.ws },
      $or: [{ workspace_id: { $in: q.admin } }, { visibility: 'workspace' }, { owner_id: q.me }],
    },
  ];
  if (q.status) all.push({ status: q.status });
  if (q.email) all.push({ email: q.email });
  if (q.since) all.push({ updated_at: { $gte: q.since } });
  if (after) {
    const op = q.sort.created_at < 0 ? '$lt' : '$gt';
    const idOp = q.sort._id < 0 ? '$lt' : '$gt';
    all.push({
      $or: [
        { created_at: { [op]: after.created_at } },
        { created_at: after.created_at, _id: { [idOp]: after._id } },
      ],
    });
  }
  return { $and: all };
}

/** The same query in plain JS over the stored records. */
function reference(records: Rec[], q: Query, after: Rec | undefined): Rec[] {
  const inIds = (id: ObjectId, ids: ObjectId[]): boolean => ids.some((x) => x.equals(id));
  const order = (a: Rec, b: Rec): number =>
    sign(a.created_at.getTime() - b.created_at.getTime()) * q.sort.created_at ||
    (hex(a._id) < hex(b._id) ? -1 : hex(a._id) > hex(b._id) ? 1 : 0) * q.sort._id;
  return records
    .filter(
      (r) =>
        inIds(r.workspace_id, q.ws) &&
        (inIds(r.workspace_id, q.admin) || r.visibility === 'workspace' || r.owner_id.equals(q.me)) &&
        (!q.status || r.status === q.status) &&
        (!q.email || r.email === q.email) &&
        (!q.since || r.updated_at >= q.since) &&
        (!after || order(after, r) < 0),
    )
    .sort(order);
}

const ids = (docs: Document[]): string[] => docs.map((d) => hex(d._id as ObjectId));

describe('sorted pages walked from ordered indexes', () => {
  test('when random pages are read between random writes, then each equals the plain-JS result', async () => {
    const rnd = random(20261123);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const coll: Collection<Rec> = db.collection<Rec>('records');
    await coll.createIndex({ workspace_id: 1, created_at: -1, _id: -1 });
    await coll.createIndex({ workspace_id: 1, status: 1, created_at: -1 });
    await coll.createIndex({ workspace_id: 1, updated_at: -1 });
    const seed = Array.from({ length: 400 }, () => ({ _id: new ObjectId(), ...makeRecord(rnd, pick) }));
    await coll.insertMany(seed);
    const records = new Map(seed.map((r) => [hex(r._id), r]));
    const sorts: Sort[] = [
      { created_at: -1, _id: -1 },
      { created_at: 1, _id: 1 },
      { created_at: -1, _id: 1 },
      { created_at: 1, _id: -1 },
    ];
    let pages = 0;
    for (let round = 0; round < 6; round++) {
      for (let n = 0; n < 10; n++) {
        const ws = [...WORKSPACES].sort(() => rnd() - 0.5).slice(0, 1 + Math.floor(rnd() * 3));
        const q: Query = {
          ws,
          admin: ws.filter(() => rnd() < 0.3),
          me: pick(USERS),
          status: rnd() < 0.3 ? pick(STATUSES) : undefined,
          email: rnd() < 0.15 ? `p${Math.floor(rnd() * 20)}@example.com` : undefined,
          since: rnd() < 0.2 ? new Date(BASE + Math.floor(rnd() * 40) * 1000) : undefined,
          sort: pick(sorts),
        };
        const limit = 1 + Math.floor(rnd() * 12);
        const expected = reference([...records.values()], q, undefined);
        let after: Rec | undefined;
        for (let page = 0; page < 5; page++) {
          const got = await coll.find(filterOf(q, after)).sort(q.sort).limit(limit).toArray();
          const want = reference([...records.values()], q, after).slice(0, limit);
          expect(ids(got)).toEqual(ids(want));
          expect(ids(got)).toEqual(ids(expected.slice(page * limit, (page + 1) * limit)));
          pages++;
          if (got.length < limit) break;
          after = records.get(hex(got[got.length - 1]?._id as ObjectId));
        }
        const skip = Math.floor(rnd() * 10);
        const skipped = await coll.find(filterOf(q)).sort(q.sort).skip(skip).limit(limit).toArray();
        expect(ids(skipped)).toEqual(ids(expected.slice(skip, skip + limit)));
      }
      // Writes in between: moves in time and across workspaces, status changes, deletes, inserts.
      for (let w = 0; w < 60; w++) {
        const victim = pick([...records.values()]);
        const change = rnd();
        if (change < 0.25) {
          await coll.deleteOne({ _id: victim._id });
          records.delete(hex(victim._id));
        } else if (change < 0.5) {
          const fresh = { _id: new ObjectId(), ...makeRecord(rnd, pick) };
          await coll.insertOne(fresh);
          records.set(hex(fresh._id), fresh);
        } else {
          const next = { ...victim, ...makeRecord(rnd, pick), _id: victim._id };
          const { _id, ...fields } = next;
          await coll.updateOne({ _id }, { $set: fields });
          records.set(hex(victim._id), next);
        }
      }
    }
    expect(pages).toBeGreaterThan(150);
  });

  test('when values are missing, null, of mixed types or arrays, then pages equal the collection scan', async () => {
    const rnd = random(7);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const coll = db.collection('mixed');
    await coll.createIndex({ workspace_id: 1, created_at: 1 }); // ascending, _id tie-break implicit
    const oddValues = [null, undefined, 'text', 5, 5.5, true, { at: 1 }];
    const docs = Array.from({ length: 250 }, () => {
      const doc: Document = { ...makeRecord(rnd, pick) };
      if (rnd() < 0.2) doc.created_at = pick(oddValues);
      if (doc.created_at === undefined) delete doc.created_at;
      return doc;
    });
    await coll.insertMany(docs);
    const compare = async (): Promise<void> => {
      for (let n = 0; n < 15; n++) {
        const ws = [...WORKSPACES].sort(() => rnd() - 0.5).slice(0, 1 + Math.floor(rnd() * 3));
        const dir = pick([1, -1] as const);
        const sort = { created_at: dir, _id: dir };
        const bound = new Date(BASE + Math.floor(rnd() * 40) * 1000);
        const filters: Document[] = [
          { workspace_id: { $in: ws } },
          { workspace_id: { $in: ws }, created_at: { [dir < 0 ? '$lte' : '$gte']: bound } },
          { workspace_id: { $in: ws }, $or: [{ created_at: { $lt: bound } }, { created_at: bound }] },
          { workspace_id: { $in: ws }, created_at: { $in: [null, 'text', bound] } },
        ];
        for (const filter of filters) {
          const limit = 1 + Math.floor(rnd() * 30);
          const walked = await coll.find(filter).sort(sort).limit(limit).toArray();
          const scanned = await coll.find(filter).sort(sort).limit(limit).hint({ $natural: 1 }).toArray();
          expect(ids(walked)).toEqual(ids(scanned));
        }
      }
    };
    await compare();
    // An array value makes the index multikey (the walk steps aside); removing it brings the walk back.
    const { insertedId } = await coll.insertOne({
      workspace_id: WORKSPACES[0],
      created_at: [new Date(BASE)],
    });
    await compare();
    await coll.deleteOne({ _id: insertedId });
    await compare();
  });

  test('when findOneAndUpdate has a sort, then it takes the first document in that order', async () => {
    const coll = db.collection('claims');
    await coll.createIndex({ workspace_id: 1, created_at: -1, _id: -1 });
    const ws = new ObjectId();
    const at = new Date(BASE);
    const inserted = await coll.insertMany([
      { workspace_id: ws, created_at: at, claimed: false },
      { workspace_id: ws, created_at: at, claimed: false },
      { workspace_id: ws, created_at: new Date(BASE - 1000), claimed: false },
    ]);
    // The two at the newest time tie on created_at; the larger _id comes first.
    const [first, second] = [inserted.insertedIds[0], inserted.insertedIds[1]] as ObjectId[];
    const newest = hex(first as ObjectId) > hex(second as ObjectId) ? first : second;
    const claimed = await coll.findOneAndUpdate(
      { workspace_id: { $in: [ws] }, claimed: false },
      { $set: { claimed: true } },
      { sort: { created_at: -1, _id: -1 } },
    );
    expect(hex(claimed?._id as ObjectId)).toBe(hex(newest as ObjectId));
  });
});

describe('walkPage (which queries walk an index)', () => {
  const store = new Store();
  const { coll } = store.ensureCollection('unit', 'contacts');
  coll.createIndex({ v: 2, key: { workspace_id: 1, created_at: -1, _id: -1 }, name: 'ws_created' });
  const ws = new ObjectId();
  for (let i = 0; i < 50; i++)
    coll.insert({ _id: new ObjectId(), workspace_id: ws, created_at: new Date(BASE + i) });
  const filter = { workspace_id: { $in: [ws] } };

  test('when the sort follows the index after its pinned field, then the page is walked', () => {
    const page = walkPage(coll, filter, { created_at: -1, _id: -1 }, compileFilter(filter), 3);
    expect(page?.map((d) => (d.created_at as Date).getTime())).toEqual([BASE + 49, BASE + 48, BASE + 47]);
    const reversed = walkPage(coll, filter, { created_at: 1, _id: 1 }, compileFilter(filter), 2);
    expect(reversed?.map((d) => (d.created_at as Date).getTime())).toEqual([BASE, BASE + 1]);
  });

  test('when the sort is not a total order ending in _id, or mixes directions, then it is not walked', () => {
    expect(walkPage(coll, filter, { created_at: -1 }, compileFilter(filter), 3)).toBeUndefined();
    expect(walkPage(coll, filter, { created_at: -1, _id: 1 }, compileFilter(filter), 3)).toBeUndefined();
    expect(
      walkPage(coll, { name: 'x' }, { name: 1, _id: 1 }, compileFilter({ name: 'x' }), 3),
    ).toBeUndefined();
  });
});
