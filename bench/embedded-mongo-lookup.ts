// Equality lookups through the driver against the embedded server: does finding one document among
// 100,000 cost about what it costs among 10? (It should: `_id` and secondary indexes are hash maps,
// and an equality `$lookup` reads only the foreign documents its local values can match.)
// Run: node --require ./test/embedded-mongo/register-ts.js bench/embedded-mongo-lookup.ts
import { MongoClient, type ObjectId } from 'mongodb';
import { EmbeddedMongoServer } from '../server/embedded-mongo';

const LOOKUPS = 2000;
const SIZES = [10, 100_000];

async function time(fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 1000; i++) await fn(i); // warm-up (JIT), so the first size is not penalised
  const start = process.hrtime.bigint();
  for (let i = 0; i < LOOKUPS; i++) await fn(i);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const server = await EmbeddedMongoServer.start();
  const client = await MongoClient.connect(`${server.uri}bench`);
  const rows: Array<Record<string, string | number>> = [];
  try {
    for (const size of SIZES) {
      const coll = client.db().collection<{ _id?: ObjectId; email: string; n: number }>(`users_${size}`);
      await coll.createIndex({ email: 1 }, { unique: true });
      const insertStart = Date.now();
      const ids: ObjectId[] = [];
      for (let from = 0; from < size; from += 10_000) {
        const batch = Array.from({ length: Math.min(10_000, size - from) }, (_, i) => ({
          email: `user${from + i}@example.com`,
          n: from + i,
        }));
        const res = await coll.insertMany(batch);
        ids.push(...Object.values(res.insertedIds));
      }
      const insertMs = Date.now() - insertStart;
      const byEmail = await time((i) => coll.findOne({ email: `user${(i * 7919) % size}@example.com` }));
      const byId = await time((i) => coll.findOne({ _id: ids[(i * 7919) % size] }));
      const joined = await time((i) =>
        coll
          .aggregate([
            { $match: { _id: ids[(i * 7919) % size] } },
            {
              $lookup: { from: coll.collectionName, localField: 'email', foreignField: 'email', as: 'same' },
            },
          ])
          .toArray(),
      );
      const found = await coll.findOne({ email: `user${size - 1}@example.com` });
      if (found?.n !== size - 1) throw new Error('lookup returned the wrong document');
      rows.push({
        docs: size,
        'insert (ms)': insertMs,
        [`${LOOKUPS}× findOne({email}) ms`]: Math.round(byEmail),
        'µs/op (email)': Math.round((byEmail * 1000) / LOOKUPS),
        [`${LOOKUPS}× findOne({_id}) ms`]: Math.round(byId),
        'µs/op (_id)': Math.round((byId * 1000) / LOOKUPS),
        'µs/op ($match _id + $lookup email)': Math.round((joined * 1000) / LOOKUPS),
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
