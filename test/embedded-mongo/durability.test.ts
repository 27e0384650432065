// Embedded-only: the CLI as a child process, durability across kill -9, journal compaction and the lock file.
import fs from 'node:fs';
import path from 'node:path';
import { EmbeddedMongoServer } from '../../server/embedded-mongo';
import { cleanUp, startCli, tempDir, withClient } from './cli-child';

afterAll(cleanUp);

test('an acknowledged write survives kill -9, and a torn journal tail is ignored', async () => {
  const dir = tempDir();
  const first = await startCli(dir);
  await withClient(first.uri, async (client) => {
    const users = client.db('app').collection('users');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ email: 'kept@x.io', n: 1 });
    await users.updateOne({ email: 'kept@x.io' }, { $inc: { n: 1 } });
  });
  first.child.kill('SIGKILL');
  expect(await first.exited).toBeNull();
  // A crash mid-append leaves a partial entry at the end of the journal.
  const journal = fs.readdirSync(dir).find((f) => f.startsWith('journal-')) as string;
  fs.appendFileSync(path.join(dir, journal), Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5]));

  const second = await startCli(dir);
  await withClient(second.uri, async (client) => {
    const users = client.db('app').collection('users');
    expect(await users.findOne({ email: 'kept@x.io' }, { projection: { _id: 0 } })).toEqual({
      email: 'kept@x.io',
      n: 2,
    });
    await expect(users.insertOne({ email: 'kept@x.io' })).rejects.toMatchObject({ code: 11000 });
    await users.insertOne({ email: 'after@x.io' });
  });
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  expect(fs.existsSync(path.join(dir, 'mongod.lock'))).toBe(false);

  const third = await startCli(dir);
  await withClient(third.uri, async (client) => {
    expect(await client.db('app').collection('users').countDocuments()).toBe(2);
  });
  third.child.kill('SIGKILL');
  await third.exited;
});

test('the journal is compacted into a snapshot and a restart still has everything', async () => {
  const dir = tempDir();
  const first = await startCli(dir, ['--journal-max-entries', '100']);
  await withClient(first.uri, async (client) => {
    const items = client.db('app').collection('items');
    await items.createIndex({ sku: 1 }, { unique: true });
    await items.insertMany(Array.from({ length: 250 }, (_, i) => ({ sku: `s${i}`, qty: i })));
    await items.updateMany({ qty: { $lt: 10 } }, { $set: { low: true } });
    await items.deleteMany({ qty: { $gte: 200 } });
    for (let i = 0; i < 30; i++) await items.updateOne({ sku: 's100' }, { $inc: { qty: 1 } });
    await client.db('app').collection('gone').insertOne({ x: 1 });
    await client.db('app').collection('gone').drop();
  });
  // Snapshots are written in the background: let the last one finish, so the files are predictable.
  const count = (msg: string): number => first.logs.filter((l) => l.msg === msg).length;
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    const started = count('embedded-mongo: compaction started');
    if (started > 0 && started === count('embedded-mongo: journal compacted')) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(count('embedded-mongo: journal compacted')).toBeGreaterThanOrEqual(1);
  first.child.kill('SIGKILL');
  await first.exited;
  const files = fs.readdirSync(dir).sort();
  expect(files).toContain('snapshot.bin');
  expect(files.filter((f) => f.startsWith('journal-'))).toHaveLength(1);
  const journal = files.find((f) => f.startsWith('journal-')) as string;
  expect(Number(/journal-(\d+)/.exec(journal)?.[1])).toBeGreaterThan(0);
  expect(fs.statSync(path.join(dir, journal)).size).toBeLessThan(
    fs.statSync(path.join(dir, 'snapshot.bin')).size,
  );

  const second = await startCli(dir, ['--journal-max-entries', '100']);
  await withClient(second.uri, async (client) => {
    const app = client.db('app');
    const items = app.collection('items');
    expect(await items.countDocuments()).toBe(200);
    expect(await items.countDocuments({ low: true })).toBe(10);
    expect(await items.findOne({ sku: 's100' }, { projection: { _id: 0 } })).toEqual({
      sku: 's100',
      qty: 130,
    });
    expect((await app.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name)).toEqual([
      'items',
    ]);
    await expect(items.insertOne({ sku: 's1' })).rejects.toMatchObject({ code: 11000 });
  });
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
});

test('a second process cannot open a data directory that is in use', async () => {
  const dir = tempDir();
  const running = await startCli(dir);
  await expect(EmbeddedMongoServer.start({ dataDir: dir })).rejects.toThrow(/already in use by process \d+/);
  running.child.kill('SIGTERM');
  expect(await running.exited).toBe(0);
  // Once released, the directory opens in-process (and a durable in-process server stops cleanly).
  const inProcess = await EmbeddedMongoServer.start({ dataDir: dir });
  await inProcess.stop();
});
