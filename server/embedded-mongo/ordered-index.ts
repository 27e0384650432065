import type { Document } from 'bson';
import { compareValues, isPlainObject } from './values';

// The ordered side of an index: its entries sorted by the key pattern (each field in its direction),
// tie-broken by _id ascending, so a sorted page can walk the entries in order and stop after `limit`
// matches instead of sorting a workspace. Order comes from compareValues, the same comparison
// sortDocuments uses, so a walk yields exactly the order of "match everything, then sort".

/** A document's place in an ordered index: its key values (one per field) and its _id. */
export interface OrderedKey {
  vals: unknown[];
  id: unknown;
}

export interface OrderedEntry extends OrderedKey {
  /** keyOf(_id): the document's key in Collection.docs. */
  idKey: string;
}

/** A position: chunk number and offset in it; { c: chunks.length, o: 0 } is the end. */
export interface Pos {
  c: number;
  o: number;
}

/**
 * Whether compareValues orders `v` as a consistent total order that agrees with equality matching
 * (no NaN, no invalid Date, no Decimal128/Long/Binary whose comparison is approximate). Arrays are
 * refused at the top level: a multikey document sorts by its min/max element, which one entry
 * position cannot express.
 */
export function orderable(v: unknown, nested = false): boolean {
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return !Number.isNaN(v);
  if (typeof v !== 'object') return false;
  if (v instanceof Date) return !Number.isNaN(v.getTime());
  if (Array.isArray(v)) return nested && v.every((x) => orderable(x, true));
  if (isPlainObject(v)) return Object.values(v).every((x) => orderable(x, true));
  return (v as { _bsontype?: string })._bsontype === 'ObjectId';
}

/**
 * The ordered key of a document for the index fields, or null when it cannot be placed: a path
 * that crosses an array (multikey: matching and sorting then see several values) or an unorderable value.
 */
export function orderedKey(doc: Document, fields: string[]): OrderedKey | null {
  const vals: unknown[] = [];
  for (const field of fields) {
    let value: unknown = doc;
    for (const part of field.split('.')) {
      if (Array.isArray(value)) return null;
      value = isPlainObject(value) ? value[part] : undefined;
    }
    if (!orderable(value)) return null;
    vals.push(value);
  }
  return orderable(doc._id) ? { vals, id: doc._id } : null;
}

/** Chunk size bound: inserts splice at most this many pointers, the chunk list stays ~n/256 long. */
const MAX_CHUNK = 512;

/** A sorted list in chunks (a flat B-tree): O(log n) search, O(√n)-ish insert/delete. */
export class OrderedEntries {
  private chunks: OrderedEntry[][] = [];
  size = 0;

  constructor(readonly dirs: number[]) {}

  /** Index order of two entries from field `from` on (then _id): the order inside one equality run. */
  compareFrom(a: OrderedKey, b: OrderedKey, from = 0): number {
    for (let i = from; i < this.dirs.length; i++) {
      const c = compareValues(a.vals[i], b.vals[i]) * (this.dirs[i] as number);
      if (c) return c;
    }
    return compareValues(a.id, b.id);
  }

  insert(entry: OrderedEntry): void {
    this.size++;
    if (this.chunks.length === 0) {
      this.chunks.push([entry]);
      return;
    }
    const at = this.seek((e) => this.compareFrom(e, entry) >= 0);
    const c = Math.min(at.c, this.chunks.length - 1);
    const chunk = this.chunks[c] as OrderedEntry[];
    chunk.splice(at.c === c ? at.o : chunk.length, 0, entry);
    if (chunk.length > MAX_CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(MAX_CHUNK / 2));
  }

  delete(key: OrderedKey, idKey: string): void {
    let at = this.seek((e) => this.compareFrom(e, key) >= 0);
    if (this.at(at)?.idKey !== idKey) at = this.find(idKey); // only if a stored key changed under us
    const chunk = this.chunks[at.c];
    if (!chunk) return;
    chunk.splice(at.o, 1);
    this.size--;
    if (chunk.length === 0) this.chunks.splice(at.c, 1);
  }

  at(p: Pos): OrderedEntry | undefined {
    return this.chunks[p.c]?.[p.o];
  }

  /** First position whose entry satisfies `past`, which must be false…false true…true in index order. */
  seek(past: (e: OrderedEntry) => boolean): Pos {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid] as OrderedEntry[];
      if (past(chunk[chunk.length - 1] as OrderedEntry)) hi = mid;
      else lo = mid + 1;
    }
    const chunk = this.chunks[lo];
    if (!chunk) return { c: lo, o: 0 };
    let a = 0;
    let b = chunk.length - 1; // the last entry satisfies `past`
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (past(chunk[mid] as OrderedEntry)) b = mid;
      else a = mid + 1;
    }
    return { c: lo, o: a };
  }

  /** Entries in [from, to), in index order or reversed. */
  *between(from: Pos, to: Pos, reverse: boolean): Generator<OrderedEntry> {
    if (!reverse) {
      let { c, o } = from;
      while (c < to.c || (c === to.c && o < to.o)) {
        const chunk = this.chunks[c] as OrderedEntry[];
        yield chunk[o] as OrderedEntry;
        if (++o >= chunk.length) [c, o] = [c + 1, 0];
      }
      return;
    }
    let { c, o } = to;
    for (;;) {
      if (o === 0) {
        if (c === 0) return;
        c--;
        o = (this.chunks[c] as OrderedEntry[]).length;
      }
      o--;
      if (c < from.c || (c === from.c && o < from.o)) return;
      yield (this.chunks[c] as OrderedEntry[])[o] as OrderedEntry;
    }
  }

  private find(idKey: string): Pos {
    for (let c = 0; c < this.chunks.length; c++) {
      const o = (this.chunks[c] as OrderedEntry[]).findIndex((e) => e.idKey === idKey);
      if (o >= 0) return { c, o };
    }
    return { c: this.chunks.length, o: 0 };
  }
}
