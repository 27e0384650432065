import mongoose, { Schema, type Connection } from 'mongoose';
import { startTarget, type Target } from './target';

let target: Target;
let conn: Connection;

const userSchema = new Schema({
  email: { type: String, required: true, unique: true },
  name: { type: String, required: true, minlength: 2 },
  org: String,
  handle: { type: String, unique: true, sparse: true },
  phone: String,
  logins: { type: Number, default: 0 },
  tags: [String],
  manager: { type: Schema.Types.ObjectId, ref: 'User' },
});
userSchema.index({ org: 1, name: 1 }, { unique: true });
userSchema.index({ phone: 1 }, { unique: true, partialFilterExpression: { phone: { $type: 'string' } } });

const sessionSchema = new Schema({ user: String, createdAt: { type: Date, expires: 60 } });

beforeAll(async () => {
  target = await startTarget();
  conn = await mongoose
    .createConnection(target.uri, { dbName: target.dbName, serverSelectionTimeoutMS: 5000 })
    .asPromise();
  conn.model('User', userSchema);
  conn.model('Session', sessionSchema);
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
});

afterAll(async () => {
  await conn?.dropDatabase();
  await conn?.close();
  await target?.stop();
});

const User = () => conn.model('User');

test('mongoose creates the declared indexes, including TTL', async () => {
  const indexes = await User().collection.listIndexes().toArray();
  const byName = Object.fromEntries(indexes.map((i) => [i.name, i]));
  expect(byName.email_1).toMatchObject({ unique: true });
  expect(byName.handle_1).toMatchObject({ unique: true, sparse: true });
  expect(byName.org_1_name_1).toMatchObject({ key: { org: 1, name: 1 }, unique: true });
  expect(byName.phone_1).toMatchObject({ partialFilterExpression: { phone: { $type: 'string' } } });
  const ttl = await conn.model('Session').collection.listIndexes().toArray();
  expect(ttl.find((i) => i.name === 'createdAt_1')).toMatchObject({ expireAfterSeconds: 60 });
});

test('unique, compound, sparse and partial unique indexes', async () => {
  await User().create({ email: 'a@x.io', name: 'Ann', org: 'o1' });
  const dup = await User()
    .create({ email: 'a@x.io', name: 'Another' })
    .catch((e: unknown) => e);
  // mongoose bundles its own copy of the driver, so its error class is the one to check against.
  expect(dup).toBeInstanceOf(mongoose.mongo.MongoServerError);
  expect(dup).toMatchObject({ code: 11000, keyValue: { email: 'a@x.io' }, keyPattern: { email: 1 } });
  expect((dup as Error).message).toContain('index: email_1 dup key: { email: "a@x.io" }');

  await User().create({ email: 'b@x.io', name: 'Ann', org: 'o2' });
  await expect(User().create({ email: 'c@x.io', name: 'Ann', org: 'o1' })).rejects.toMatchObject({
    code: 11000,
    keyValue: { org: 'o1', name: 'Ann' },
  });

  // sparse: any number of documents without `handle`, but a handle is unique.
  await User().create({ email: 'h1@x.io', name: 'H1', handle: 'hh' });
  await expect(User().create({ email: 'h2@x.io', name: 'H2', handle: 'hh' })).rejects.toMatchObject({
    code: 11000,
  });

  // partial: only string phones take part in the unique index.
  await User().create({ email: 'p1@x.io', name: 'P1', phone: '123' });
  await expect(User().create({ email: 'p2@x.io', name: 'P2', phone: '123' })).rejects.toMatchObject({
    code: 11000,
  });
  await User().collection.insertMany([
    { email: 'p3@x.io', name: 'P3', phone: 5 },
    { email: 'p4@x.io', name: 'P4', phone: 5 },
  ]);
});

test('validation happens before the server is involved', async () => {
  await expect(User().create({ email: 'v@x.io', name: 'V' })).rejects.toBeInstanceOf(
    mongoose.Error.ValidationError,
  );
  expect(await User().countDocuments({ email: 'v@x.io' })).toBe(0);
});

test('update operators, findOneAndUpdate, countDocuments and lean', async () => {
  const u = await User().create({ email: 'ops@x.io', name: 'Ops', tags: ['a'] });
  await User().updateOne({ _id: u._id }, { $inc: { logins: 2 }, $push: { tags: 'b' } });
  await User().updateOne({ _id: u._id }, { $addToSet: { tags: 'a' }, $set: { org: 'o9' } });
  await User().updateOne({ _id: u._id }, { $pull: { tags: 'a' }, $unset: { org: 1 } });
  const lean = await User().findById(u._id).lean();
  expect(lean).toMatchObject({ logins: 2, tags: ['b'] });
  expect(lean && 'org' in lean).toBe(false);
  const updated = await User().findOneAndUpdate(
    { email: 'ops@x.io' },
    { $inc: { logins: 1 } },
    { returnDocument: 'after' },
  );
  expect(updated?.get('logins')).toBe(3);
  const upserted = await User().findOneAndUpdate(
    { email: 'new@x.io' },
    { $setOnInsert: { name: 'New' } },
    { upsert: true, returnDocument: 'after' },
  );
  expect(upserted?.get('name')).toBe('New');
  expect(await User().countDocuments({ logins: { $gte: 3 } })).toBe(1);
  expect(await User().countDocuments({ email: /@x\.io$/ })).toBeGreaterThan(5);
});

test('populate resolves references with a second query', async () => {
  const boss = await User().create({ email: 'boss@x.io', name: 'Boss' });
  await User().create({ email: 'emp@x.io', name: 'Emp', manager: boss._id });
  const emp = await User()
    .findOne({ email: 'emp@x.io' })
    .populate('manager')
    .lean<{ manager: { email: string } }>();
  expect(emp?.manager.email).toBe('boss@x.io');
});
