import { MongoClient, MongoServerError, ObjectId, type Db } from 'mongodb';
import { useDriverTarget, type Target } from './target';

const conn = useDriverTarget();
let target: Target;
let client: MongoClient;
let db: Db;
beforeAll(() => void ({ target, client, db } = conn));

describe('handshake and admin commands', () => {
  test('ping, buildInfo and hello look like a standalone mongod', async () => {
    expect(await db.command({ ping: 1 })).toMatchObject({ ok: 1 });
    const info = await db.admin().command({ buildInfo: 1 });
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    const hello = await db.admin().command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, ok: 1 });
    expect(hello.setName).toBeUndefined();
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(hello.logicalSessionTimeoutMinutes).toBe(30);
  });

  test('an unknown command fails with CommandNotFound (59)', async () => {
    await expect(db.command({ definitelyNotACommand: 1 })).rejects.toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
    });
  });

  test('transactions are refused like a standalone mongod (IllegalOperation, 20)', async () => {
    const coll = db.collection('txn');
    await coll.insertOne({ plain: true });
    const session = client.startSession();
    try {
      // The driver wraps a write's IllegalOperation in an error suggesting retryWrites=false; the server's error is kept.
      const err = await session
        .withTransaction(async () => coll.insertOne({ inTxn: true }, { session }))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MongoServerError);
      const original = (err as { originalError?: MongoServerError }).originalError;
      expect(original).toMatchObject({
        code: 20,
        codeName: 'IllegalOperation',
        message: 'Transaction numbers are only allowed on a replica set member or mongos',
      });
    } finally {
      await session.endSession();
    }
    expect(await coll.countDocuments({ inTxn: true })).toBe(0);
    expect(await coll.countDocuments({ plain: true })).toBe(1);
    const raw = await db
      .command({ find: 'txn', filter: {}, txnNumber: 1, startTransaction: true, autocommit: false })
      .catch((e: unknown) => e);
    expect(raw).toMatchObject({
      code: 20,
      codeName: 'IllegalOperation',
      errmsg: 'Transaction numbers are only allowed on a replica set member or mongos',
    });
  });
});

describe('CRUD', () => {
  test('insert generates ObjectIds and find returns exact BSON types', async () => {
    const coll = db.collection('crud');
    const when = new Date('2024-01-02T03:04:05.678Z');
    const res = await coll.insertMany([
      { name: 'a', when, n: 1.5 },
      { name: 'b', n: 2 },
    ]);
    expect(res.insertedIds[0]).toBeInstanceOf(ObjectId);
    const a = await coll.findOne({ _id: res.insertedIds[0] });
    expect(a).toEqual({ _id: res.insertedIds[0], name: 'a', when, n: 1.5 });
    expect(Object.keys(a ?? {})[0]).toBe('_id');
    expect(await coll.findOne({ when: { $gte: new Date('2024-01-01') } })).toMatchObject({ name: 'a' });
  });

  test('duplicate _id is an E11000 write error; unordered inserts continue', async () => {
    const coll = db.collection('dups');
    await coll.insertOne({ _id: 1 as never, v: 1 });
    const err = await coll
      .insertMany([{ _id: 2 as never }, { _id: 1 as never }, { _id: 3 as never }], { ordered: false })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect((err as MongoServerError).code).toBe(11000);
    expect(await coll.countDocuments()).toBe(3);
    const ordered = await coll
      .insertMany([{ _id: 4 as never }, { _id: 1 as never }, { _id: 5 as never }])
      .catch((e: unknown) => e);
    expect((ordered as MongoServerError).code).toBe(11000);
    expect(await coll.countDocuments({ _id: 5 as never })).toBe(0);
  });

  test('query operators', async () => {
    const coll = db.collection('ops');
    await coll.insertMany([
      { k: 1, tags: ['x', 'y'], s: 'apple', sub: { v: 1 }, arr: [{ a: 1, b: 2 }] },
      { k: 2, tags: ['y'], s: 'banana', nul: null, arr: [{ a: 1, b: 3 }] },
      { k: 3, tags: [], s: 'cherry' },
    ]);
    const ks = async (filter: object): Promise<number[]> =>
      (await coll.find(filter).sort({ k: 1 }).toArray()).map((d) => d.k as number);
    expect(await ks({ k: { $in: [1, 3] } })).toEqual([1, 3]);
    expect(await ks({ tags: 'y' })).toEqual([1, 2]);
    expect(await ks({ tags: { $all: ['x', 'y'] } })).toEqual([1]);
    expect(await ks({ tags: { $size: 0 } })).toEqual([3]);
    expect(await ks({ s: { $regex: '^b' } })).toEqual([2]);
    expect(await ks({ s: /ERR/i })).toEqual([3]);
    expect(await ks({ nul: null })).toEqual([1, 2, 3]);
    expect(await ks({ nul: { $exists: true } })).toEqual([2]);
    expect(await ks({ 'sub.v': 1 })).toEqual([1]);
    expect(await ks({ arr: { $elemMatch: { a: 1, b: 3 } } })).toEqual([2]);
    expect(await ks({ $or: [{ k: 1 }, { s: 'cherry' }] })).toEqual([1, 3]);
    expect(await ks({ $expr: { $gt: ['$k', 1] } })).toEqual([2, 3]);
    expect(await ks({ s: { $type: 'string' }, k: { $ne: 2 } })).toEqual([1, 3]);
    expect(await ks({ _id: { $type: 'objectId' }, k: { $lte: 1 } })).toEqual([1]);
    await expect(coll.find({ k: { $bogus: 1 } }).toArray()).rejects.toMatchObject({ code: 2 });
  });

  test('sort follows BSON type order, projection, skip and limit', async () => {
    const coll = db.collection('sorting');
    await coll.insertMany([
      { v: 'str' },
      { v: 10 },
      { v: null },
      { v: new Date(0) },
      { v: 2 },
      {},
      { v: new ObjectId() },
    ]);
    const types = (
      await coll
        .find({}, { projection: { _id: 0 } })
        .sort({ v: 1, _id: 1 })
        .toArray()
    ).map((d) =>
      d.v === undefined
        ? 'missing'
        : d.v === null
          ? 'null'
          : d.v instanceof Date
            ? 'date'
            : d.v instanceof ObjectId
              ? 'oid'
              : typeof d.v,
    );
    // null and missing compare equal in mongod, so they keep insertion order between themselves.
    expect(types).toEqual(['null', 'missing', 'number', 'number', 'string', 'oid', 'date']);
    const page = await coll
      .find({ v: { $type: 'number' } })
      .sort({ v: -1 })
      .skip(1)
      .limit(1)
      .toArray();
    expect(page.map((d) => d.v)).toEqual([2]);
    const projected = await coll.findOne({ v: 10 }, { projection: { v: 1, _id: 0 } });
    expect(projected).toEqual({ v: 10 });
  });

  test('update operators, multi, arrayFilters, replacement and immutable _id', async () => {
    const coll = db.collection<{
      k: number;
      n?: number;
      list: number[];
      grades?: number[];
      replaced?: boolean;
    }>('updates');
    await coll.insertMany([
      { k: 1, n: 1, list: [1, 2, 3], grades: [80, 95, 100] },
      { k: 2, n: 1, list: [] },
    ]);
    const r = await coll.updateMany({}, { $inc: { n: 2 }, $push: { list: 9 } });
    expect(r).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    await coll.updateOne({ k: 1 }, { $set: { 'grades.$[g]': 0 } }, { arrayFilters: [{ g: { $gte: 95 } }] });
    await expect(
      coll.updateOne({ k: 1 }, { $pull: { list: 2 }, $addToSet: { list: 1 } }),
    ).rejects.toMatchObject({ code: 40 });
    await coll.updateOne({ k: 1 }, { $pull: { list: 2 }, $unset: { n: '' } });
    await coll.updateOne({ k: 1 }, { $addToSet: { list: 1 } });
    expect(await coll.findOne({ k: 1 }, { projection: { _id: 0 } })).toEqual({
      k: 1,
      list: [1, 3, 9],
      grades: [80, 0, 0],
    });
    const noop = await coll.updateOne({ k: 2 }, { $set: { n: 3 } });
    expect(noop).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    await coll.replaceOne({ k: 2 }, { k: 2, replaced: true } as never);
    expect(await coll.findOne({ k: 2 }, { projection: { _id: 0 } })).toEqual({ k: 2, replaced: true });
    await expect(coll.updateOne({ k: 2 }, { $set: { _id: new ObjectId() } as never })).rejects.toMatchObject({
      code: 66,
    });
    await expect(coll.updateOne({ k: 2 }, { $frob: { a: 1 } } as never)).rejects.toMatchObject({ code: 9 });
    await coll.updateOne({ k: 2 }, [{ $set: { double: { $multiply: ['$k', 2] } } }]);
    expect(await coll.findOne({ k: 2 })).toMatchObject({ double: 4 });
  });

  test('upsert copies filter equality fields and applies $setOnInsert only on insert', async () => {
    const coll = db.collection('upserts');
    const first = await coll.updateOne(
      { email: 'u@x', 'profile.tier': 'gold', age: { $gt: 3 } },
      { $set: { seen: 1 }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);
    expect(first.upsertedId).toBeInstanceOf(ObjectId);
    const doc = await coll.findOne({ _id: first.upsertedId as ObjectId });
    expect(doc).toEqual({
      _id: first.upsertedId,
      email: 'u@x',
      profile: { tier: 'gold' },
      seen: 1,
      created: true,
    });
    const second = await coll.updateOne(
      { email: 'u@x' },
      { $set: { seen: 2 }, $setOnInsert: { created: false } },
      { upsert: true },
    );
    expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await coll.findOne({ email: 'u@x' })).toMatchObject({ seen: 2, created: true });
  });

  test('delete one and many', async () => {
    const coll = db.collection('deletes');
    await coll.insertMany([{ g: 1 }, { g: 1 }, { g: 2 }]);
    expect((await coll.deleteOne({ g: 1 })).deletedCount).toBe(1);
    expect((await coll.deleteMany({})).deletedCount).toBe(2);
    expect(await coll.countDocuments()).toBe(0);
  });

  test('findAndModify variants', async () => {
    const coll = db.collection('fam');
    await coll.insertMany([
      { q: 1, v: 1 },
      { q: 1, v: 2 },
    ]);
    const before = await coll.findOneAndUpdate(
      { q: 1 },
      { $inc: { v: 10 } },
      { sort: { v: -1 }, returnDocument: 'before' },
    );
    expect(before).toMatchObject({ v: 2 });
    const after = await coll.findOneAndUpdate(
      { q: 1, v: 1 },
      { $inc: { v: 10 } },
      { returnDocument: 'after', projection: { _id: 0, v: 1 } },
    );
    expect(after).toEqual({ v: 11 });
    const full = await coll.findOneAndUpdate(
      { q: 9 },
      { $set: { v: 0 } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(full.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(full.lastErrorObject?.upserted).toBeInstanceOf(ObjectId);
    expect(full.value).toMatchObject({ q: 9, v: 0 });
    const missing = await coll.findOneAndUpdate({ q: 404 }, { $set: { v: 0 } });
    expect(missing).toBeNull();
    const replaced = await coll.findOneAndReplace(
      { q: 9 },
      { q: 9, replaced: true },
      { returnDocument: 'after' },
    );
    expect(replaced).toMatchObject({ q: 9, replaced: true });
    const removed = await coll.findOneAndDelete({ q: 1 }, { sort: { v: 1 } });
    expect(removed).toMatchObject({ v: 11 });
    expect(await coll.countDocuments({ q: 1 })).toBe(1);
  });

  test('cursors: getMore across batches and killCursors', async () => {
    const coll = db.collection('cursors');
    await coll.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const all = await coll.find({}, { batchSize: 50 }).sort({ i: 1 }).toArray();
    expect(all.map((d) => d.i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    const first = await db.command({ find: 'cursors', filter: {}, batchSize: 50 });
    expect(first.cursor.firstBatch).toHaveLength(50);
    expect(first.cursor.id.toString()).not.toBe('0');
    const more = await db.command({ getMore: first.cursor.id, collection: 'cursors', batchSize: 150 });
    expect(more.cursor.nextBatch).toHaveLength(150);
    const killed = await db.command({ killCursors: 'cursors', cursors: [first.cursor.id] });
    expect(killed.cursorsKilled.map(String)).toEqual([first.cursor.id.toString()]);
    await expect(db.command({ getMore: first.cursor.id, collection: 'cursors' })).rejects.toMatchObject({
      code: 43,
    });
    const limited = await coll.find({}).limit(120).toArray();
    expect(limited).toHaveLength(120);
  });

  test('count, distinct and estimatedDocumentCount', async () => {
    const coll = db.collection('counting');
    await coll.insertMany([{ c: 'a', t: ['x', 'y'] }, { c: 'b', t: ['y'] }, { c: 'a' }]);
    expect(await coll.countDocuments({ c: 'a' })).toBe(2);
    expect(await coll.countDocuments({}, { limit: 2 })).toBe(2);
    expect(await coll.estimatedDocumentCount()).toBe(3);
    expect((await coll.distinct('c')).sort()).toEqual(['a', 'b']);
    expect((await coll.distinct('t', { c: 'a' })).sort()).toEqual(['x', 'y']);
  });
});

describe('aggregation', () => {
  beforeAll(async () => {
    await db.collection('orders').insertMany([
      { user: 'u1', total: 10, items: ['a', 'b'] },
      { user: 'u1', total: 5, items: ['c'] },
      { user: 'u2', total: 7, items: [] },
    ]);
    await db.collection('people').insertMany([
      { _id: 'u1' as never, name: 'Ann' },
      { _id: 'u2' as never, name: 'Bob' },
    ]);
  });

  test('$match/$group/$sort/$project', async () => {
    const out = await db
      .collection('orders')
      .aggregate([
        { $match: { total: { $gt: 1 } } },
        { $group: { _id: '$user', sum: { $sum: '$total' }, n: { $sum: 1 } } },
        { $sort: { sum: -1 } },
        { $project: { _id: 0, user: '$_id', sum: 1, n: 1 } },
      ])
      .toArray();
    expect(out).toEqual([
      { sum: 15, n: 2, user: 'u1' },
      { sum: 7, n: 1, user: 'u2' },
    ]);
  });

  test('an equality $lookup joins the same documents through an index, a sparse index or none (null, arrays, paths through arrays)', async () => {
    await db
      .collection('lk_local')
      .insertMany([
        { _id: 1, ref: 'a' },
        { _id: 2, ref: ['a', 'b'] },
        { _id: 3 },
        { _id: 4, ref: null },
        { _id: 5, nested: [{ ref: 'b' }, { ref: 'c' }] },
        { _id: 6, ref: { x: 1 } },
        { _id: 7, nested: [{ ref: ['x', 'y'] }] },
      ] as never[]);
    const foreign = [
      { _id: 'f1', key: 'a' },
      { _id: 'f2', key: 'b' },
      { _id: 'f3', key: ['c', 'd'] },
      { _id: 'f4' },
      { _id: 'f5', key: null },
      { _id: 'f6', key: { x: 1 } },
      { _id: 'f7', key: [['x', 'y']] },
      { _id: 'f8', key: 'x' },
    ];
    for (const name of ['lk_indexed', 'lk_sparse', 'lk_plain'])
      await db.collection(name).insertMany(foreign as never[]);
    await db.collection('lk_indexed').createIndex({ key: 1 });
    await db.collection('lk_sparse').createIndex({ key: 1 }, { sparse: true });
    const joined = async (from: string) =>
      (
        await db
          .collection('lk_local')
          .aggregate([
            { $match: { _id: { $gte: 1 } } },
            { $lookup: { from, localField: 'ref', foreignField: 'key', as: 'byRef' } },
            { $lookup: { from, localField: 'nested.ref', foreignField: 'key', as: 'byPath' } },
            { $sort: { _id: 1 } },
          ])
          .toArray()
      ).map((d) => [
        d._id,
        (d.byRef as Array<{ _id: string }>).map((f) => f._id).sort(),
        (d.byPath as Array<{ _id: string }>).map((f) => f._id).sort(),
      ]);
    const nullish = ['f4', 'f5'];
    const expected = [
      [1, ['f1'], nullish],
      [2, ['f1', 'f2'], nullish],
      [3, nullish, nullish],
      [4, nullish, nullish],
      [5, nullish, ['f2', 'f3']],
      [6, ['f6'], nullish],
    ];
    const plain = await joined('lk_plain');
    expect(plain.slice(0, 6)).toEqual(expected);
    // An array at the end of a path through arrays: engines differ, but never with the index.
    expect(plain[6]!.slice(0, 2)).toEqual([7, nullish]);
    expect(await joined('lk_indexed')).toEqual(plain);
    expect(await joined('lk_sparse')).toEqual(plain);
    expect(await joined('lk_missing')).toEqual(plain.map(([id]) => [id, [], []]));
  });

  test('$lookup sees other collections of the database; $unwind, $count, $addFields, $facet', async () => {
    const joined = await db
      .collection('people')
      .aggregate([
        { $lookup: { from: 'orders', localField: '_id', foreignField: 'user', as: 'orders' } },
        { $addFields: { count: { $size: '$orders' } } },
        { $sort: { _id: 1 } },
        { $project: { name: 1, count: 1 } },
      ])
      .toArray();
    expect(joined).toEqual([
      { _id: 'u1', name: 'Ann', count: 2 },
      { _id: 'u2', name: 'Bob', count: 1 },
    ]);
    const items = await db
      .collection('orders')
      .aggregate([{ $unwind: '$items' }, { $count: 'n' }])
      .toArray();
    expect(items).toEqual([{ n: 3 }]);
    const facets = await db
      .collection('orders')
      .aggregate([
        { $facet: { big: [{ $match: { total: { $gte: 7 } } }, { $count: 'n' }], all: [{ $count: 'n' }] } },
      ])
      .toArray();
    expect(facets).toEqual([{ big: [{ n: 2 }], all: [{ n: 3 }] }]);
    // The stored documents must not be changed by pipeline stages.
    expect(await db.collection('people').findOne({ _id: 'u1' as never })).toEqual({ _id: 'u1', name: 'Ann' });
  });

  test('aggregate cursors page with getMore; unknown stages are refused', async () => {
    const cursor = db.collection('cursors').aggregate([{ $match: { i: { $lt: 200 } } }], { batchSize: 30 });
    expect((await cursor.toArray()).length).toBe(200);
    await expect(
      db
        .collection('orders')
        .aggregate([{ $nope: {} }])
        .toArray(),
    ).rejects.toMatchObject({ code: 40324 });
  });
});

describe('collections and indexes', () => {
  test('listCollections, listIndexes, dropIndexes, drop and dropDatabase', async () => {
    const other = client.db(`${target.dbName}_ddl`);
    await other.createCollection('alpha');
    await expect(other.createCollection('alpha')).rejects.toMatchObject({ code: 48 });
    await other
      .collection('beta')
      .createIndexes([{ key: { a: 1 } }, { key: { b: 1, c: -1 }, name: 'bc', unique: true }]);
    const names = (await other.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['alpha', 'beta']);
    expect((await other.listCollections({ name: 'beta' }).toArray()).map((c) => c.name)).toEqual(['beta']);
    const indexes = await other.collection('beta').listIndexes().toArray();
    expect(indexes.map((i) => i.name)).toEqual(['_id_', 'a_1', 'bc']);
    expect(indexes[2]).toMatchObject({ key: { b: 1, c: -1 }, unique: true });
    await other.collection('beta').dropIndex('a_1');
    await expect(other.collection('beta').dropIndex('a_1')).rejects.toMatchObject({ code: 27 });
    await expect(other.collection('beta').dropIndex('_id_')).rejects.toMatchObject({ code: 72 });
    expect((await other.collection('beta').listIndexes().toArray()).map((i) => i.name)).toEqual([
      '_id_',
      'bc',
    ]);
    await expect(other.collection('nothere').listIndexes().toArray()).rejects.toMatchObject({ code: 26 });
    expect(await other.collection('alpha').drop()).toBe(true);
    const dbs = (await client.db().admin().listDatabases()).databases.map((d) => d.name);
    expect(dbs).toContain(`${target.dbName}_ddl`);
    await other.dropDatabase();
    const after = (await client.db().admin().listDatabases()).databases.map((d) => d.name);
    expect(after).not.toContain(`${target.dbName}_ddl`);
  });
});
