// List pages through the driver against the embedded server, shaped exactly like the API's
// (visibility filter, newest first by created_at then _id, limit 26): does a page among 100,000
// documents cost about what it costs among 10,000? (It should: pages walk an ordered index.)
// Run: node --require ./test/embedded-mongo/register-ts.js bench/embedded-mongo-pages.ts
import { MongoClient, ObjectId, type Document } from 'mongodb';
import { EmbeddedMongoServer } from '../server/embedded-mongo';

const PAGES = 500;
const LIMIT = 26;
const SIZES = (process.env.BENCH_PAGE_SIZES ?? '10000,100000').split(',').map(Number);
const SORT = { created_at: -1, _id: -1 } as const;

/** The visibility filter a member (not an admin) gets: workspace records plus their own private ones. */
function visible(ws: ObjectId, me: ObjectId): Document {
  return {
    workspace_id: { $in: [ws] },
    $or: [{ workspace_id: { $in: [] } }, { visibility: 'workspace' }, { owner_id: me }],
  };
}

async function time(fn: (i: number) => Promise<unknown>): Promise<{ total: number; p99: number }> {
  for (let i = 0; i < 100; i++) await fn(i); // warm-up (JIT)
  const each: number[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < PAGES; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    each.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const total = Number(process.hrtime.bigint() - start) / 1e6;
  each.sort((a, b) => a - b);
  return { total, p99: each[Math.floor(each.length * 0.99)] ?? 0 };
}

async function main(): Promise<void> {
  const server = await EmbeddedMongoServer.start();
  const client = await MongoClient.connect(`${server.uri}bench`);
  const rows: Array<Record<string, string | number>> = [];
  try {
    for (const size of SIZES) {
      const coll = client.db().collection(`contacts_${size}`);
      await coll.createIndex({ workspace_id: 1, created_at: -1, _id: -1 });
      await coll.createIndex({ workspace_id: 1, updated_at: -1 });
      const [ws, other, me, them] = [new ObjectId(), new ObjectId(), new ObjectId(), new ObjectId()];
      const base = Date.UTC(2026, 0, 1);
      const insertStart = Date.now();
      for (let from = 0; from < size; from += 10_000) {
        const batch = Array.from({ length: Math.min(10_000, size - from) }, (_, j) => {
          const n = from + j;
          // Every fifth pair shares a created_at (ties are broken by _id); a few private records of others.
          const at = new Date(base + Math.floor(n / 2) * 1000);
          return {
            workspace_id: n % 50 === 0 ? other : ws,
            owner_id: n % 7 === 0 ? them : me,
            visibility: n % 7 === 0 && n % 3 === 0 ? 'private' : 'workspace',
            name: `Contact ${n}`,
            email: `c${n}@example.com`,
            created_at: at,
            updated_at: at,
          };
        });
        await coll.insertMany(batch);
      }
      const insertMs = Date.now() - insertStart;
      // Cursor positions spread over the whole workspace (a deep page costs what a first page does).
      const keys = await coll
        .find({ workspace_id: ws }, { projection: { created_at: 1 } })
        .sort(SORT)
        .toArray();
      const first = await time(() => coll.find(visible(ws, me)).sort(SORT).limit(LIMIT).toArray());
      const cursor = await time(async (i) => {
        const at = keys[(i * 7919) % keys.length] as Document;
        const after = {
          $or: [{ created_at: { $lt: at.created_at } }, { created_at: at.created_at, _id: { $lt: at._id } }],
        };
        const page = await coll
          .find({ $and: [visible(ws, me), after] })
          .sort(SORT)
          .limit(LIMIT)
          .toArray();
        if (page.length > 0 && (page[0] as Document).created_at > at.created_at)
          throw new Error('cursor page starts before its cursor');
      });
      rows.push({
        docs: size,
        'insert (ms)': insertMs,
        [`${PAGES}× first page ms`]: Math.round(first.total),
        'ms/page (first)': +(first.total / PAGES).toFixed(2),
        'p99 ms (first)': +first.p99.toFixed(2),
        [`${PAGES}× cursor page ms`]: Math.round(cursor.total),
        'ms/page (cursor)': +(cursor.total / PAGES).toFixed(2),
        'p99 ms (cursor)': +cursor.p99.toFixed(2),
      });
    }
  } finally {
    await client.close();
    await server.stop();
  }
  console.table(rows);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
