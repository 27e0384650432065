import { Long, type Document } from 'bson';
import { fail } from './errors';
import { MAX_BSON_BYTES } from './wire';
import { bsonSize } from './values';

interface Cursor {
  ns: string;
  docs: Document[];
  pos: number;
  lastUsed: number;
}

/** A reply's batch must fit in one 16 MiB reply document, whatever the requested batch size. */
const BATCH_BYTES = MAX_BSON_BYTES - 64 * 1024;

/**
 * Open cursors of the whole server (not of a connection: the driver may send getMore on any pooled
 * connection). Results are materialised when the cursor opens; later writes do not affect them.
 */
export class Cursors {
  private readonly open = new Map<number, Cursor>();
  private nextId = 1;

  constructor(private readonly idleMs: number) {}

  /** Returns the first-batch reply for `docs`, registering a cursor if more remain. */
  first(ns: string, docs: Document[], batchSize: number | undefined, singleBatch: boolean): Document {
    const cursor: Cursor = { ns, docs, pos: 0, lastUsed: Date.now() };
    const batch = take(cursor, batchSize ?? 101);
    let id = 0;
    if (!singleBatch && cursor.pos < docs.length) {
      id = this.nextId++;
      this.open.set(id, cursor);
    }
    return { cursor: { firstBatch: batch, id: Long.fromNumber(id), ns }, ok: 1 };
  }

  more(ns: string, id: number, batchSize: number | undefined): Document {
    const cursor = this.open.get(id);
    if (!cursor) return fail('CursorNotFound', `cursor id ${id} not found`);
    if (cursor.ns !== ns)
      fail(
        'IllegalOperation',
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    cursor.lastUsed = Date.now();
    const batch = take(cursor, batchSize || Number.MAX_SAFE_INTEGER);
    const done = cursor.pos >= cursor.docs.length;
    if (done) this.open.delete(id);
    return { cursor: { nextBatch: batch, id: Long.fromNumber(done ? 0 : id), ns }, ok: 1 };
  }

  kill(ids: number[]): { cursorsKilled: Long[]; cursorsNotFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.open.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    return { cursorsKilled: killed, cursorsNotFound: notFound };
  }

  reap(now = Date.now()): void {
    for (const [id, cursor] of this.open) if (now - cursor.lastUsed > this.idleMs) this.open.delete(id);
  }

  get size(): number {
    return this.open.size;
  }

  clear(): void {
    this.open.clear();
  }
}

function take(cursor: Cursor, batchSize: number): Document[] {
  const limit = batchSize < 0 ? 101 : batchSize;
  const batch: Document[] = [];
  let bytes = 0;
  while (cursor.pos < cursor.docs.length && batch.length < limit) {
    const doc = cursor.docs[cursor.pos] as Document;
    bytes += bsonSize(doc);
    if (batch.length > 0 && bytes > BATCH_BYTES) break;
    batch.push(doc);
    cursor.pos++;
  }
  return batch;
}
