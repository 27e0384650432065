import type { Document } from 'bson';
import { compileFilter, type Predicate } from './engine';
import { CommandError, fail } from './errors';
import { formatDupKey, isPlainObject, keyOf, pathValues } from './values';

/** Separates the per-field keys of a compound key; keyOf never emits it unescaped (strings are JSON). */
const SEP = '\u0001';
/** Marks the key of a whole array value, so `{tags: [1, 2]}` can be found by exact-array equality. */
const WHOLE = 'W';

export interface IndexKeys {
  /** prefixes[k]: keys over fields[0..k], including whole-array keys. */
  prefixes: string[][];
  /** Full keys that must be unique across documents. */
  unique: string[];
}

const combine = (acc: string[], keys: string[], i: number): string[] =>
  acc.flatMap((prefix) => keys.map((k) => (i === 0 ? k : prefix + SEP + k)));

export interface IndexSpec {
  v?: number;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

const KNOWN_OPTIONS = new Set([
  'v',
  'key',
  'name',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'background',
  'ns',
]);

export function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([f, d]) => `${f}_${String(d)}`)
    .join('_');
}

/** Validates a createIndexes entry and normalises it to the shape listIndexes reports. */
export function normaliseSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw) || !isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    return fail('CannotCreateIndex', 'Index keys cannot be empty.');
  }
  for (const opt of Object.keys(raw)) {
    if (!KNOWN_OPTIONS.has(opt))
      fail(
        'InvalidOptions',
        `The field '${opt}' is not valid for an index specification. Specification: ${JSON.stringify(raw)}`,
      );
  }
  for (const [field, dir] of Object.entries(raw.key)) {
    if (dir === 1 || dir === -1 || dir === 'hashed') continue;
    if (typeof dir === 'string')
      fail(
        'CannotCreateIndex',
        `Index type '${dir}' on field '${field}' is not supported by the embedded server`,
      );
    fail(
      'CannotCreateIndex',
      `Values in the index key pattern can only be 1, -1 or a string index type; found ${String(dir)} for ${field}`,
    );
  }
  const spec: IndexSpec = {
    v: 2,
    key: raw.key,
    name: typeof raw.name === 'string' ? raw.name : defaultIndexName(raw.key),
  };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (raw.partialFilterExpression !== undefined) {
    if (!isPlainObject(raw.partialFilterExpression))
      fail('TypeMismatch', 'partialFilterExpression must be an object');
    spec.partialFilterExpression = raw.partialFilterExpression as Document;
  }
  if (raw.expireAfterSeconds !== undefined) {
    const s = Number(raw.expireAfterSeconds);
    if (!Number.isFinite(s) || s < 0)
      fail('CannotCreateIndex', "TTL index 'expireAfterSeconds' option must be a non-negative number");
    if (Object.keys(raw.key).length !== 1)
      fail('CannotCreateIndex', 'TTL indexes are single-field indexes, compound indexes do not support TTL');
    spec.expireAfterSeconds = s;
  }
  return spec;
}

const OPTION_FIELDS = ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds'] as const;
export const sameKey = (a: IndexSpec, b: IndexSpec): boolean => keyOf(a.key) === keyOf(b.key);
export const sameOptions = (a: IndexSpec, b: IndexSpec): boolean =>
  OPTION_FIELDS.every((f) => keyOf(a[f]) === keyOf(b[f]));

/**
 * A hash index: for every prefix of the key pattern a map from key string to the ids of the documents
 * carrying it, so equality lookups on any prefix cost O(1) regardless of collection size.
 */
export class Index {
  readonly fields: string[];
  readonly partial: Predicate | undefined;
  /** prefixes[k] maps keys built from fields[0..k] to document id keys. */
  private readonly prefixes: Array<Map<string, Set<string>>>;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : undefined;
    this.prefixes = this.fields.map(() => new Map());
  }

  get name(): string {
    return this.spec.name;
  }

  /** The keys a document is filed under; null when it is not in this index (sparse/partial). */
  keysFor(doc: Document): IndexKeys | null {
    if (this.partial && !this.partial(doc)) return null;
    const perField = this.fields.map((f) => pathValues(doc, f));
    if (this.spec.sparse && perField.every((vals) => vals.length === 0)) return null;
    if (perField.filter((vals) => vals.some(Array.isArray)).length > 1) {
      fail('CannotIndexParallelArrays', `cannot index parallel arrays [${this.fields.join('] [')}]`);
    }
    // Like mongod, an array is indexed by its elements (multikey); the whole-array key only serves lookups.
    const elementKeys: string[][] = [];
    const lookupKeys: string[][] = [];
    for (const vals of perField) {
      const elements = new Set<string>();
      const all = new Set<string>();
      if (vals.length === 0) elements.add('n');
      for (const v of vals) {
        if (!Array.isArray(v)) elements.add(keyOf(v));
        else {
          all.add(WHOLE + keyOf(v));
          if (v.length === 0) elements.add('n');
          for (const el of v) elements.add(keyOf(el));
        }
      }
      for (const k of elements) all.add(k);
      elementKeys.push([...elements]);
      lookupKeys.push([...all]);
    }
    const prefixes: string[][] = [];
    let acc = [''];
    lookupKeys.forEach((keys, i) => {
      acc = combine(acc, keys, i);
      prefixes.push(acc);
    });
    const unique = elementKeys.reduce<string[]>((accU, keys, i) => combine(accU, keys, i), ['']);
    return { prefixes, unique };
  }

  /** Throws mongod's E11000 error if another document already holds one of these full keys. */
  checkUnique(ns: string, id: string, keys: IndexKeys | null, doc: Document): void {
    if (!this.spec.unique || !keys) return;
    const map = this.prefixes[this.fields.length - 1] as Map<string, Set<string>>;
    for (const key of keys.unique) {
      const holders = map.get(key);
      if (holders && (holders.size > 1 || !holders.has(id))) throw this.duplicateError(ns, doc);
    }
  }

  duplicateError(ns: string, doc: Document): CommandError {
    const keyValue: Document = {};
    for (const f of this.fields) keyValue[f] = pathValues(doc, f)[0] ?? null;
    return new CommandError(
      'DuplicateKey',
      `E11000 duplicate key error collection: ${ns} index: ${this.name} dup key: ${formatDupKey(keyValue)}`,
      {
        keyPattern: this.spec.key,
        keyValue,
      },
    );
  }

  add(id: string, keys: IndexKeys | null): void {
    if (!keys) return;
    keys.prefixes.forEach((list, i) => {
      const map = this.prefixes[i] as Map<string, Set<string>>;
      for (const k of list) {
        let set = map.get(k);
        if (!set) map.set(k, (set = new Set()));
        set.add(id);
      }
    });
  }

  remove(id: string, keys: IndexKeys | null): void {
    if (!keys) return;
    keys.prefixes.forEach((list, i) => {
      const map = this.prefixes[i] as Map<string, Set<string>>;
      for (const k of list) {
        const set = map.get(k);
        set?.delete(id);
        if (set?.size === 0) map.delete(k);
      }
    });
  }

  /** Ids for equality values on the first `perField.length` fields, or undefined if this index cannot answer. */
  lookup(perField: unknown[][]): Set<string> | undefined {
    if (this.partial || perField.length === 0 || perField.length > this.fields.length) return undefined;
    if (this.spec.sparse && perField.some((vals) => vals.some((v) => v === null || v === undefined)))
      return undefined;
    let keys = [''];
    perField.forEach((vals, i) => {
      const fieldKeys = vals.flatMap((v) => (Array.isArray(v) ? [keyOf(v), WHOLE + keyOf(v)] : [keyOf(v)]));
      keys = combine(keys, fieldKeys, i);
    });
    const map = this.prefixes[perField.length - 1] as Map<string, Set<string>>;
    const out = new Set<string>();
    for (const k of keys) for (const id of map.get(k) ?? []) out.add(id);
    return out;
  }
}
