// Embedded-only: compaction writes the snapshot in the background while the server keeps serving,
// and a crash at any point of it (kill -9, or the disk as it is mid-way) loses no acknowledged write.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from 'mongodb';
import { cleanUp, startCli, tempDir, withClient } from './cli-child';
import { closeAll, copyOfDisk, dump, journals, open, reopenedDump } from './data-dir';

afterAll(async () => {
  await closeAll(); // only left over when a test failed half-way
  cleanUp();
});

async function seed(db: Db, count: number, from = 0): Promise<void> {
  const items = db.collection('items');
  await items.createIndex({ n: 1 }, { unique: true });
  for (let at = from; at < from + count; at += 5000) {
    const size = Math.min(5000, from + count - at);
    await items.insertMany(Array.from({ length: size }, (_, i) => ({ n: at + i, label: `item ${at + i}` })));
  }
}

describe('compaction', () => {
  test('when writes arrive during a compaction, then they are all there after a restart, whatever the crash point', async () => {
    const dir = tempDir();
    const { server, db, close } = await open(dir, { compactionBatchDelayMs: 80 });
    await seed(db, 5000);
    const compacted = server.compact();
    expect(server.journalStats()).toMatchObject({ gen: 1, entries: 0, compacting: true });

    const items = db.collection('items');
    await items.insertMany(Array.from({ length: 200 }, (_, i) => ({ n: 10_000 + i, during: true })));
    await items.updateMany({ n: { $lt: 100 } }, { $set: { touched: true } });
    await items.deleteMany({ n: { $gte: 4900, $lt: 5000 } });
    await items.updateOne({ n: 7 }, { $inc: { n: 100_000 } });
    await db.collection('later').insertOne({ x: 1 });
    await db.collection('later').createIndex({ x: 1 });
    await items.dropIndex('n_1');
    expect(server.journalStats()?.compacting).toBe(true); // all of the above happened mid-compaction
    const midway = await dump(db);
    const crashedMidway = copyOfDisk(dir);
    expect(journals(crashedMidway)).toEqual(['journal-0.bin', 'journal-1.bin']);

    await compacted;
    expect(server.journalStats()).toMatchObject({ gen: 1, compacting: false });
    expect(journals(dir)).toEqual(['journal-1.bin']);
    expect(fs.existsSync(path.join(dir, 'snapshot.bin.tmp'))).toBe(false);
    const final = await dump(db);
    expect(final).toEqual(midway);
    // Crashed after the rename but before the old journal was deleted.
    const crashedAfterRename = copyOfDisk(dir);
    fs.copyFileSync(
      path.join(crashedMidway, 'journal-0.bin'),
      path.join(crashedAfterRename, 'journal-0.bin'),
    );
    await close();

    expect((final.items as { docs: unknown[] }).docs).toHaveLength(5100);
    expect(await reopenedDump(dir)).toEqual(final);
    expect(await reopenedDump(crashedMidway)).toEqual(final);
    expect(fs.existsSync(path.join(crashedMidway, 'snapshot.bin.tmp'))).toBe(false);
    expect(await reopenedDump(crashedAfterRename)).toEqual(final);
    expect(journals(crashedAfterRename)).toEqual(['journal-1.bin']);
  });

  test('when the process is killed with -9 during a compaction, then no acknowledged write is lost', async () => {
    const dir = tempDir();
    const limit = ['--journal-max-entries', '5000'];
    const first = await startCli(dir, [...limit, '--compaction-batch-delay-ms', '100']);
    const acknowledged: number[] = [];
    await withClient(first.uri, async (client) => {
      const db = client.db('app');
      await db.collection('items').insertMany(Array.from({ length: 4990 }, (_, n) => ({ n })));
      const started = first.waitForLog(/compaction started/);
      let compacting = false;
      void started.then(() => (compacting = true));
      for (let w = 0; acknowledged.length < 30 || !compacting; w++) {
        await db.collection('writes').insertOne({ w });
        await db.collection('items').updateOne({ n: 1 }, { $inc: { bumps: 1 } });
        if (compacting) acknowledged.push(w); // acknowledged after the compaction began
      }
      expect(acknowledged.length).toBeGreaterThanOrEqual(30);
    });
    expect(first.logs.some((l) => l.msg === 'embedded-mongo: journal compacted')).toBe(false);
    expect(fs.existsSync(path.join(dir, 'snapshot.bin.tmp'))).toBe(true);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const writes = (acknowledged.at(-1) as number) + 1;

    const second = await startCli(dir, limit);
    await withClient(second.uri, async (client) => {
      const db = client.db('app');
      expect(await db.collection('writes').countDocuments()).toBe(writes);
      expect(await db.collection('writes').distinct('w')).toEqual(
        Array.from({ length: writes }, (_, w) => w),
      );
      expect(await db.collection('items').countDocuments()).toBe(4990);
      expect(await db.collection('items').findOne({ n: 1 })).toMatchObject({ bumps: writes });
      // More than a journal's worth is not in a snapshot yet: the next write starts a compaction.
      await db.collection('writes').insertOne({ w: writes });
      await second.waitForLog(/journal compacted/);
    });
    expect(fs.existsSync(path.join(dir, 'snapshot.bin'))).toBe(true);
    expect(journals(dir)).toEqual(['journal-2.bin']);
    second.child.kill('SIGKILL');
    await second.exited;

    const third = await startCli(dir, limit);
    await withClient(third.uri, async (client) => {
      expect(await client.db('app').collection('writes').countDocuments()).toBe(writes + 1);
    });
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  });

  test('when stop() comes during a compaction, then it is abandoned and a restart has everything', async () => {
    const dir = tempDir();
    const { server, db, close } = await open(dir, { compactionBatchDelayMs: 200 });
    await seed(db, 3000);
    void server.compact();
    await db.collection('items').insertOne({ n: -1, during: true });
    const before = await dump(db);
    await close();
    // Abandoned, not awaited: a finished compaction (~1.2 s here) would have left a snapshot.bin.
    expect(fs.readdirSync(dir).sort()).toEqual(['journal-0.bin', 'journal-1.bin']);
    expect(await reopenedDump(dir)).toEqual(before);
  });

  test('when a snapshot cannot be written, then the server keeps serving and a later one replaces all journals', async () => {
    const dir = tempDir();
    const logs: string[] = [];
    const { server, db, close } = await open(dir, { onLog: (_level, msg) => logs.push(msg) });
    await seed(db, 100);
    fs.mkdirSync(path.join(dir, 'snapshot.bin.tmp')); // the snapshot file cannot be created
    await server.compact();
    expect(logs).toContain('embedded-mongo: compaction failed');
    expect(journals(dir)).toEqual(['journal-0.bin', 'journal-1.bin']);
    await db.collection('items').insertOne({ n: -1 });
    fs.rmdirSync(path.join(dir, 'snapshot.bin.tmp'));
    const before = await dump(db);
    await server.compact();
    expect(fs.readdirSync(dir).sort()).toEqual(['journal-2.bin', 'mongod.lock', 'snapshot.bin']);
    await close();
    expect(await reopenedDump(dir)).toEqual(before);
  });

  test('when many compactions ran, then a restart has everything and only the newest journal is left', async () => {
    const dir = tempDir();
    const { server, db, close } = await open(dir, { journalMaxEntries: 50 });
    const items = db.collection('items');
    for (let round = 0; round < 20; round++) {
      await items.insertMany(Array.from({ length: 30 }, (_, i) => ({ n: round * 100 + i, round })));
      await items.updateMany({ round }, { $set: { seen: round } });
      await items.deleteOne({ n: round * 100 });
    }
    for (const deadline = Date.now() + 10_000; server.journalStats()?.compacting && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const stats = server.journalStats();
    expect(stats).toMatchObject({ compacting: false });
    expect(stats?.gen).toBeGreaterThanOrEqual(5);
    const before = await dump(db);
    await close();
    expect(fs.readdirSync(dir).sort()).toEqual([`journal-${stats?.gen}.bin`, 'snapshot.bin']);
    const after = await reopenedDump(dir);
    expect(after).toEqual(before);
    expect((after.items as { docs: unknown[] }).docs).toHaveLength(20 * 29);
  });

  test('when a large state is compacted, then the server keeps answering while it runs', async () => {
    const dir = tempDir();
    const { server, client, db, close } = await open(dir);
    await seed(db, 40_000);
    const admin = client.db('admin');
    const compacted = server.compact();
    let done = false;
    void compacted.then(() => (done = true));
    let answered = 0;
    for (let i = 0; !done; i++) {
      await admin.command({ ping: 1 });
      await db.collection('items').updateOne({ n: i }, { $set: { pinged: true } });
      answered += 1;
    }
    // A synchronous snapshot of 40,000 documents would answer nothing until it is done (the loop
    // would see `done` at once); here dozens of requests complete during it. How long the longest
    // one waited is a figure for the benchmark (bench/embedded-mongo-compaction.ts), not a test.
    expect(answered).toBeGreaterThanOrEqual(20);
    expect(await db.collection('items').countDocuments({ pinged: true })).toBe(answered);
    await close();
  });
});
