// Embedded-only features: index-coverage reporting, the TTL sweep and idle-cursor reaping.
import { MongoClient, type Db } from 'mongodb';
import { EmbeddedMongoServer } from '../../server/embedded-mongo';

let server: EmbeddedMongoServer;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  server = await EmbeddedMongoServer.start({ indexCoverage: true, ttlIntervalMs: 100, cursorTimeoutMs: 300 });
  client = await MongoClient.connect(server.uri);
  db = client.db('cov');
  await db
    .collection('people')
    .createIndexes([{ key: { email: 1 }, unique: true }, { key: { org: 1, createdAt: -1 } }]);
  await db.collection('people').insertMany([
    { email: 'a@x', org: 'o', age: 30, createdAt: new Date() },
    { email: 'b@x', org: 'o', age: 40, createdAt: new Date() },
  ]);
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

describe('index coverage', () => {
  beforeEach(() => server.clearUnindexedQueries());

  test('indexed filters are not recorded', async () => {
    const people = db.collection('people');
    await people.findOne({ email: 'a@x' });
    await people.find({ org: 'o' }).sort({ createdAt: -1 }).toArray();
    await people.find({ email: { $in: ['a@x', 'b@x'] } }).toArray();
    await people.find({ $or: [{ email: 'a@x' }, { org: 'p' }] }).toArray();
    await people.find({ org: { $gte: 'a' }, age: 30 }).toArray();
    await people.updateOne({ email: 'a@x' }, { $set: { seen: true } });
    await people.findOne({ _id: (await people.findOne({ email: 'a@x' }))?._id });
    await people.aggregate([{ $match: { org: 'o' } }, { $group: { _id: null, n: { $sum: 1 } } }]).toArray();
    await people.estimatedDocumentCount();
    await people.find({}).sort({ email: 1 }).toArray();
    await db.collection('system.profile').find({ x: 1 }).toArray();
    await client.db('admin').collection('anything').find({ x: 1 }).toArray();
    expect(server.unindexedQueries()).toEqual([]);
  });

  test('unindexed filters are recorded per operation and exposed through sbUnindexedQueries', async () => {
    const people = db.collection('people');
    await people
      .find({ age: { $gt: 20 } })
      .sort({ age: 1 })
      .toArray();
    await people
      .find({ age: { $gt: 25 } })
      .sort({ age: 1 })
      .toArray(); // same shape: reported once
    await people.updateMany({ age: 30 }, { $set: { x: 1 } });
    await people.deleteMany({ nope: true });
    await people.countDocuments({ age: 30 });
    await people.distinct('age', { age: { $gt: 1 } });
    await people.find({}).toArray();
    await people.find({ email: { $ne: 'a@x' } }).toArray();
    await people.find({ $or: [{ email: 'a@x' }, { age: 1 }] }).toArray();
    await people.findOneAndUpdate({ age: 40 }, { $set: { y: 1 } });
    const recorded = server.unindexedQueries();
    expect(recorded).toEqual([
      { ns: 'cov.people', op: 'find', filter: { age: { $gt: 20 } }, sort: { age: 1 } },
      { ns: 'cov.people', op: 'update', filter: { age: 30 } },
      { ns: 'cov.people', op: 'delete', filter: { nope: true } },
      { ns: 'cov.people', op: 'aggregate', filter: { age: 30 } },
      { ns: 'cov.people', op: 'distinct', filter: { age: { $gt: 1 } } },
      { ns: 'cov.people', op: 'find', filter: {} },
      { ns: 'cov.people', op: 'find', filter: { email: { $ne: 'a@x' } } },
      { ns: 'cov.people', op: 'find', filter: { $or: [{ email: 'a@x' }, { age: 1 }] } },
      { ns: 'cov.people', op: 'findAndModify', filter: { age: 40 } },
    ]);
    const reply = await client.db('admin').command({ sbUnindexedQueries: 1, clear: true });
    expect(reply.ok).toBe(1);
    expect(reply.queries).toEqual(recorded);
    expect(server.unindexedQueries()).toEqual([]);
  });

  test('coverage is off by default', async () => {
    const quiet = await EmbeddedMongoServer.start();
    const c = await MongoClient.connect(quiet.uri);
    try {
      await c.db('q').collection('c').find({ anything: 1 }).toArray();
      expect(quiet.unindexedQueries()).toEqual([]);
    } finally {
      await c.close();
      await quiet.stop();
    }
  });
});

test('the TTL sweep removes expired documents (earliest date of an array) and keeps the rest', async () => {
  const sessions = db.collection('sessions');
  await sessions.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
  const past = new Date(Date.now() - 60_000);
  const future = new Date(Date.now() + 3_600_000);
  await sessions.insertMany([
    { k: 'old', at: past },
    { k: 'mixed', at: [future, past] },
    { k: 'fresh', at: future },
    { k: 'notADate', at: 'yesterday' },
  ]);
  const deadline = Date.now() + 3000;
  while ((await sessions.countDocuments({ k: { $in: ['old', 'mixed'] } })) > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect((await sessions.find({}).toArray()).map((d) => d.k).sort()).toEqual(['fresh', 'notADate']);
});

test('idle cursors are reaped; their ids then fail with CursorNotFound (43)', async () => {
  await db.collection('many').insertMany(Array.from({ length: 20 }, (_, i) => ({ i })));
  const first = await db.command({ find: 'many', batchSize: 5 });
  await new Promise((r) => setTimeout(r, 700));
  await expect(db.command({ getMore: first.cursor.id, collection: 'many' })).rejects.toMatchObject({
    code: 43,
    codeName: 'CursorNotFound',
  });
});
