// How long does journal compaction stall the embedded server's event loop at ~130k documents?
// Seeds a durable server, then compacts while clients keep pinging and writing, and reports the
// longest event-loop stall (monitorEventLoopDelay + a 5 ms interval drift probe) and the slowest
// client round trip during compaction.
// Run: node --require ./test/embedded-mongo/register-ts.js bench/embedded-mongo-compaction.ts [docs]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { EmbeddedMongoServer } from '../server/embedded-mongo';

const DOCS = Number(process.argv[2] ?? 130_000);
const CLIENT_LOOPS = 8;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-compaction-bench-'));
  // A huge journal limit while seeding: only the measured compaction runs.
  const server = await EmbeddedMongoServer.start({
    dataDir: dir,
    journalMaxEntries: 1e9,
    journalMaxBytes: 2 ** 40,
  });
  const client = await MongoClient.connect(`${server.uri}bench`, { maxPoolSize: CLIENT_LOOPS + 2 });
  try {
    const coll = client.db().collection('counters');
    await coll.createIndex({ key: 1 }, { unique: true });
    const seedStart = Date.now();
    for (let from = 0; from < DOCS; from += 5000) {
      const batch = Array.from({ length: Math.min(5000, DOCS - from) }, (_, j) => ({
        key: `ratelimit:key_${from + j}:window`,
        email: `user${from + j}@example.com`,
        count: (from + j) % 120,
        window_start: new Date(1_700_000_000_000 + (from + j) * 1000),
        tags: ['a', 'b'],
      }));
      await coll.insertMany(batch);
    }
    const seedMs = Date.now() - seedStart;

    const rows = [];
    for (const phase of ['no compaction (2 s)', 'compaction'] as const) {
      const row = await underLoad(
        async () => {
          if (phase === 'compaction') await server.compact();
          else await new Promise((resolve) => setTimeout(resolve, 2000));
        },
        (i, loop) =>
          loop % 2 === 0
            ? client.db().command({ ping: 1 })
            : coll.updateOne(
                { key: `ratelimit:key_${(i * 7919 + loop) % DOCS}:window` },
                { $inc: { count: 1 } },
              ),
      );
      rows.push({ phase, docs: DOCS, ...row });
    }
    const snapshotMiB = +(fs.statSync(path.join(dir, 'snapshot.bin')).size / 2 ** 20).toFixed(1);
    console.log(`seeded ${DOCS} documents in ${seedMs} ms; snapshot ${snapshotMiB} MiB`);
    console.table(rows);
  } finally {
    await client.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `work` while CLIENT_LOOPS clients keep sending `request`; reports stalls seen meanwhile. */
async function underLoad(
  work: () => Promise<void>,
  request: (i: number, loop: number) => Promise<unknown>,
): Promise<Record<string, number>> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  let maxDrift = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    maxDrift = Math.max(maxDrift, now - last - 5);
    last = now;
  }, 5);
  let running = true;
  let served = 0;
  let slowest = 0;
  const loops = Array.from({ length: CLIENT_LOOPS }, async (_, loop) => {
    for (let i = 0; running; i++) {
      const started = performance.now();
      await request(i, loop);
      slowest = Math.max(slowest, performance.now() - started);
      served++;
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the loops reach a steady state
  // (Not histogram.reset(): it makes the histogram drop its next sample, which may be the stall.)
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, 20)); // its first sample is only a baseline
  [maxDrift, slowest, served] = [0, 0, 0];
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  // A synchronous compaction stalls inside `work`: give the probes a turn to see it.
  await new Promise((resolve) => setTimeout(resolve, 50));
  histogram.disable();
  running = false;
  clearInterval(probe);
  await Promise.all(loops);
  return {
    'duration (ms)': Math.round(ms),
    'max loop delay (ms)': Math.round(histogram.max / 1e6),
    'max drift (ms)': Math.round(maxDrift),
    'slowest request (ms)': Math.round(slowest),
    'requests served': served,
  };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
