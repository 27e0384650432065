import type { Document } from 'bson';
import { CommandError, fail } from './errors';
import { Index, sameKey, sameOptions, type IndexKeys, type IndexSpec } from './indexes';
import { equalityValues } from './planner';
import { formatDupKey, isPlainObject, keyOf } from './values';

/** One logical change; the journal persists exactly these and replays them through `apply`. */
export type Change =
  | { o: 'ci'; ns: string }
  | { o: 'cd'; ns: string }
  | { o: 'dd'; db: string }
  | { o: 'ii'; ns: string; spec: IndexSpec }
  | { o: 'id'; ns: string; name: string }
  | { o: 'p'; ns: string; d: Document }
  | { o: 'r'; ns: string; id: unknown };

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export function splitNs(ns: string): [string, string] {
  const dot = ns.indexOf('.');
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}

export class Store {
  readonly dbs = new Map<string, Map<string, Collection>>();
  /** Set by the journal; called synchronously for every change. */
  onChange: (change: Change) => void = () => {};

  collection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  ensureCollection(db: string, name: string): { coll: Collection; created: boolean } {
    const existing = this.collection(db, name);
    if (existing) return { coll: existing, created: false };
    if (!name || name.includes('$') || !db || /[/\\. "$]/.test(db))
      fail('InvalidNamespace', `Invalid namespace specified '${db}.${name}'`);
    let colls = this.dbs.get(db);
    if (!colls) this.dbs.set(db, (colls = new Map()));
    const coll = new Collection(this, db, name);
    colls.set(name, coll);
    this.onChange({ o: 'ci', ns: coll.ns });
    return { coll, created: true };
  }

  dropCollection(db: string, name: string): boolean {
    const colls = this.dbs.get(db);
    if (!colls?.delete(name)) return false;
    if (colls.size === 0) this.dbs.delete(db);
    this.onChange({ o: 'cd', ns: `${db}.${name}` });
    return true;
  }

  dropDatabase(db: string): void {
    if (this.dbs.delete(db)) this.onChange({ o: 'dd', db });
  }

  /** Replays a journalled change without re-validating it (it was valid when first applied). */
  apply(change: Change): void {
    if (change.o === 'dd') return this.dropDatabase(change.db);
    const [db, name] = splitNs(change.ns);
    if (change.o === 'cd') return void this.dropCollection(db, name);
    const { coll } = this.ensureCollection(db, name);
    if (change.o === 'ii') coll.createIndex(change.spec);
    else if (change.o === 'id') coll.dropIndex(change.name);
    else if (change.o === 'p') coll.put(change.d);
    else if (change.o === 'r') coll.removeById(change.id);
  }
}

export class Collection {
  /** Documents in insertion (natural) order, keyed by keyOf(_id). */
  readonly docs = new Map<string, Document>();
  readonly indexes: Index[] = [];

  constructor(
    readonly store: Store,
    readonly db: string,
    readonly name: string,
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...this.indexes.map((i) => i.spec)];
  }

  insert(doc: Document): void {
    checkId(doc._id);
    const id = keyOf(doc._id);
    if (this.docs.has(id)) throw idDuplicate(this.ns, doc._id);
    const keys = this.indexes.map((index) => index.keysFor(doc));
    this.indexes.forEach((index, i) => index.checkUnique(this.ns, id, keys[i] ?? null, doc));
    this.indexes.forEach((index, i) => index.add(id, keys[i] ?? null));
    this.docs.set(id, doc);
    this.store.onChange({ o: 'p', ns: this.ns, d: doc });
  }

  /** Swaps in a new version of a stored document (same _id); stored documents are never mutated in place. */
  replace(oldDoc: Document, newDoc: Document): void {
    const id = keyOf(oldDoc._id);
    const oldKeys = this.indexes.map((index) => index.keysFor(oldDoc));
    const newKeys = this.indexes.map((index) => index.keysFor(newDoc));
    // Checked while the old keys are still present: they belong to this same id, so they never conflict.
    this.indexes.forEach((index, i) => index.checkUnique(this.ns, id, newKeys[i] ?? null, newDoc));
    this.indexes.forEach((index, i) => {
      index.remove(id, oldKeys[i] ?? null);
      index.add(id, newKeys[i] ?? null);
    });
    this.docs.set(id, newDoc);
    this.store.onChange({ o: 'p', ns: this.ns, d: newDoc });
  }

  /** Insert-or-replace without unique checks, for journal replay. */
  put(doc: Document): void {
    const old = this.docs.get(keyOf(doc._id));
    if (old) this.removeById(old._id, false);
    const id = keyOf(doc._id);
    for (const index of this.indexes) index.add(id, safeKeys(index, doc));
    this.docs.set(id, doc);
  }

  remove(doc: Document): void {
    this.removeById(doc._id);
  }

  removeById(idValue: unknown, log = true): void {
    const id = keyOf(idValue);
    const doc = this.docs.get(id);
    if (!doc) return;
    for (const index of this.indexes) index.remove(id, safeKeys(index, doc));
    this.docs.delete(id);
    if (log) this.store.onChange({ o: 'r', ns: this.ns, id: idValue });
  }

  /** Adds an index over the existing documents; 'exists' when an identical one is already there. */
  createIndex(spec: IndexSpec): 'created' | 'exists' {
    for (const existing of this.indexSpecs()) {
      const sameName = existing.name === spec.name;
      if (sameName && sameKey(existing, spec) && sameOptions(existing, spec)) return 'exists';
      if (sameName) {
        fail(
          'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`,
        );
      }
      if (
        sameKey(existing, spec) &&
        keyOf(existing.partialFilterExpression) === keyOf(spec.partialFilterExpression)
      ) {
        if (sameOptions(existing, spec))
          fail('IndexOptionsConflict', `Index already exists with a different name: ${existing.name}`);
        fail(
          'IndexOptionsConflict',
          `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`,
        );
      }
    }
    if (spec.key._id !== undefined && Object.keys(spec.key).length === 1 && spec.unique === false)
      return 'exists';
    const index = new Index(spec);
    for (const [id, doc] of this.docs) {
      const keys = index.keysFor(doc);
      try {
        index.checkUnique(this.ns, id, keys, doc);
      } catch (err) {
        if (err instanceof CommandError)
          throw new CommandError(
            'DuplicateKey',
            `Index build failed: ${this.ns} :: caused by :: ${err.message}`,
            err.extra,
          );
        throw err;
      }
      index.add(id, keys);
    }
    this.indexes.push(index);
    this.store.onChange({ o: 'ii', ns: this.ns, spec });
    return 'created';
  }

  dropIndex(name: string): void {
    const at = this.indexes.findIndex((i) => i.name === name);
    if (at < 0) return;
    this.indexes.splice(at, 1);
    this.store.onChange({ o: 'id', ns: this.ns, name });
  }

  /** A superset of the documents matching `filter`, narrowed by `_id` or a secondary hash index when possible. */
  candidates(filter: unknown): Document[] {
    const eq = isPlainObject(filter) ? equalityValues(filter) : new Map<string, unknown[]>();
    const ids = eq.get('_id');
    if (ids) return [...new Set(ids.map(keyOf))].flatMap((id) => this.docs.get(id) ?? []);
    let best: Set<string> | undefined;
    let bestLen = 0;
    for (const index of this.indexes) {
      let len = 0;
      while (len < index.fields.length && eq.has(index.fields[len] as string)) len++;
      if (len <= bestLen) continue;
      const found = index.lookup(index.fields.slice(0, len).map((f) => eq.get(f) as unknown[]));
      if (found) [best, bestLen] = [found, len];
    }
    if (!best) return [...this.docs.values()];
    return [...best].flatMap((id) => this.docs.get(id) ?? []);
  }
}

function safeKeys(index: Index, doc: Document): IndexKeys | null {
  try {
    return index.keysFor(doc);
  } catch {
    return null;
  }
}

function checkId(id: unknown): void {
  if (Array.isArray(id)) fail('BadValue', `can't use an array for _id`);
  if (id instanceof RegExp) fail('BadValue', `can't use a regex for _id`);
  if (isPlainObject(id) && Object.keys(id).some((k) => k.startsWith('$')))
    fail('BadValue', `_id fields may not contain '$'-prefixed fields`);
}

export function idDuplicate(ns: string, id: unknown): CommandError {
  return new CommandError(
    'DuplicateKey',
    `E11000 duplicate key error collection: ${ns} index: _id_ dup key: ${formatDupKey({ _id: id })}`,
    {
      keyPattern: { _id: 1 },
      keyValue: { _id: id },
    },
  );
}
