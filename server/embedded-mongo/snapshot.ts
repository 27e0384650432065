// The snapshot file: a point-in-time copy of every collection, written in the background.
// Records (see entries.ts): { o: 'gen', gen }, then per collection 'ci', its 'ii's and 'p's, then { o: 'end' }.
// `gen` is the first journal generation NOT contained in the snapshot.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Document } from 'bson';
import { decodeAll, encode } from './entries';
import type { IndexSpec } from './indexes';
import type { Change, Store } from './store';

export const SNAPSHOT = 'snapshot.bin';
export const SNAPSHOT_TMP = `${SNAPSHOT}.tmp`;

/** A batch of records is written (and the event loop gets a turn) after this many documents ... */
const BATCH_DOCS = 512;
/** ... or this many bytes ... */
const BATCH_BYTES = 1 << 20;
/** ... or this much serialization time, whichever comes first. */
const SLICE_MS = 8;

export interface SnapshotView {
  gen: number;
  collections: Array<{ ns: string; specs: IndexSpec[]; docs: Document[] }>;
}

/**
 * The state as it is right now, in O(documents) pointer copies. Consistent because stored documents
 * are never mutated in place (writes swap in a new object, see Collection.replace), so later writes
 * cannot change what this view holds.
 */
export function captureView(store: Store, gen: number): SnapshotView {
  const collections: SnapshotView['collections'] = [];
  for (const colls of store.dbs.values()) {
    for (const coll of colls.values())
      collections.push({
        ns: coll.ns,
        specs: coll.indexes.map((i) => i.spec),
        docs: [...coll.docs.values()],
      });
  }
  return { gen, collections };
}

function* records(view: SnapshotView): Generator<Document> {
  yield { o: 'gen', gen: view.gen };
  for (const { ns, specs, docs } of view.collections) {
    yield { o: 'ci', ns };
    for (const spec of specs) yield { o: 'ii', ns, spec };
    for (const d of docs) yield { o: 'p', ns, d };
  }
  yield { o: 'end' };
}

export interface WriteOptions {
  /** Checked between batches: once aborted, the temp file is removed and the old snapshot stays. */
  signal: AbortSignal;
  /** Test hook: pause this long between batches, to widen the window in which a crash can hit. */
  batchDelayMs: number;
}

/**
 * Serializes the view to `snapshot.bin.tmp` in small batches, yielding to the event loop between them,
 * then fsyncs it, renames it over `snapshot.bin` (atomic) and fsyncs the directory.
 */
export async function writeSnapshot(dir: string, view: SnapshotView, options: WriteOptions): Promise<void> {
  const tmp = path.join(dir, SNAPSHOT_TMP);
  const file = await fsp.open(tmp, 'w');
  let open = true;
  try {
    let batch: Buffer[] = [];
    let bytes = 0;
    let sliceStart = performance.now();
    const flush = async (): Promise<void> => {
      const buf = Buffer.concat(batch);
      [batch, bytes] = [[], 0];
      for (let off = 0; off < buf.length;) off += (await file.write(buf, off)).bytesWritten;
      if (options.batchDelayMs > 0) await sleep(options.batchDelayMs);
      else await nextTurn();
      if (options.signal.aborted) throw new Error('compaction abandoned');
      sliceStart = performance.now();
    };
    for (const record of records(view)) {
      const buf = encode(record);
      batch.push(buf);
      bytes += buf.length;
      if (batch.length >= BATCH_DOCS || bytes >= BATCH_BYTES || performance.now() - sliceStart >= SLICE_MS)
        await flush();
    }
    await flush();
    await file.sync();
    open = false;
    await file.close();
    await fsp.rename(tmp, path.join(dir, SNAPSHOT));
  } catch (err) {
    if (open) await file.close().catch(() => {});
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  // The rename must be durable before the caller deletes the journals it replaces.
  await syncDir(dir);
}

export async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fsp.open(dir, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // Some platforms cannot fsync a directory; there the rename is as durable as the OS makes it.
  }
}

export function syncDirSync(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // As above.
  }
}

/** Replays `snapshot.bin` (if any) through `apply`; returns its generation, 0 without a snapshot. */
export function loadSnapshot(dir: string, apply: (change: Change) => void): number {
  fs.rmSync(path.join(dir, SNAPSHOT_TMP), { force: true }); // an unfinished compaction
  const file = path.join(dir, SNAPSHOT);
  if (!fs.existsSync(file)) return 0;
  const { entries } = decodeAll(fs.readFileSync(file));
  const head = entries[0];
  // Never happens to a snapshot we wrote (it only appears by rename once complete): refuse to guess.
  if (head?.o !== 'gen' || entries[entries.length - 1]?.o !== 'end')
    throw new Error(`embedded-mongo: snapshot ${file} is incomplete`);
  for (let i = 1; i < entries.length - 1; i++) apply(entries[i] as Change);
  return Number(head.gen);
}
