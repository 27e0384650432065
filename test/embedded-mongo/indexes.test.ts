import type { Db } from 'mongodb';
import { useDriverTarget } from './target';

const conn = useDriverTarget();
let db: Db;
beforeAll(() => void ({ db } = conn));

test('re-creating an identical index is a no-op; conflicting specs fail with 85/86', async () => {
  const coll = db.collection('specs');
  await coll.createIndex({ a: 1 }, { name: 'a_idx' });
  expect(await coll.createIndex({ a: 1 }, { name: 'a_idx' })).toBe('a_idx');
  await expect(coll.createIndex({ b: 1 }, { name: 'a_idx' })).rejects.toMatchObject({ code: 86 });
  await expect(coll.createIndex({ a: 1 }, { name: 'other' })).rejects.toMatchObject({ code: 85 });
  expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'a_idx']);
});

test('a unique index cannot be built over duplicate data', async () => {
  const coll = db.collection('builddup');
  await coll.insertMany([{ e: 'x' }, { e: 'x' }]);
  await expect(coll.createIndex({ e: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
  expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
});

test('missing fields index as null on a non-sparse unique index', async () => {
  const coll = db.collection('nulls');
  await coll.createIndex({ code: 1 }, { unique: true });
  await coll.insertOne({ other: 1 });
  await expect(coll.insertOne({ other: 2 })).rejects.toMatchObject({ code: 11000, keyValue: { code: null } });
  await expect(coll.insertOne({ code: null })).rejects.toMatchObject({ code: 11000 });
});

test('unique multikey: elements are unique across documents, not within one', async () => {
  const coll = db.collection('multikey');
  await coll.createIndex({ tags: 1 }, { unique: true });
  await coll.insertOne({ tags: ['a', 'b', 'b'] });
  await expect(coll.insertOne({ tags: ['c', 'a'] })).rejects.toMatchObject({ code: 11000 });
  await coll.insertOne({ tags: ['c'] });
  expect((await coll.find({ tags: 'b' }).toArray()).length).toBe(1);
  expect((await coll.find({ tags: ['a', 'b', 'b'] }).toArray()).length).toBe(1);
});

test('updates that would violate a unique index fail and leave the document unchanged', async () => {
  const coll = db.collection('uniqupd');
  await coll.createIndex({ u: 1 }, { unique: true });
  await coll.insertMany([
    { k: 1, u: 'one' },
    { k: 2, u: 'two' },
  ]);
  await expect(coll.updateOne({ k: 2 }, { $set: { u: 'one' } })).rejects.toMatchObject({
    code: 11000,
    keyValue: { u: 'one' },
  });
  expect(await coll.findOne({ k: 2 }, { projection: { _id: 0 } })).toEqual({ k: 2, u: 'two' });
  // The freed key can be reused once the holder changes.
  await coll.updateOne({ k: 1 }, { $set: { u: 'uno' } });
  await coll.updateOne({ k: 2 }, { $set: { u: 'one' } });
  expect(await coll.findOne({ u: 'one' })).toMatchObject({ k: 2 });
});

test('compound index lookups by prefix and with $in find the right documents', async () => {
  const coll = db.collection('compound');
  await coll.createIndex({ org: 1, role: 1, name: 1 });
  await coll.insertMany([
    { org: 'a', role: 'admin', name: 'x' },
    { org: 'a', role: 'user', name: 'y' },
    { org: 'b', role: 'admin', name: 'z' },
  ]);
  const names = async (filter: object): Promise<string[]> =>
    (await coll.find(filter).toArray()).map((d) => d.name as string).sort();
  expect(await names({ org: 'a' })).toEqual(['x', 'y']);
  expect(await names({ org: { $in: ['a', 'b'] }, role: 'admin' })).toEqual(['x', 'z']);
  expect(await names({ org: 'a', role: 'admin', name: { $ne: 'x' } })).toEqual([]);
  expect(await names({ role: 'admin' })).toEqual(['x', 'z']);
});
