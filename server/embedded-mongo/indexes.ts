import type { Document } from 'bson';
import { compileFilter, type Predicate } from './engine';
import { CommandError, fail } from './errors';
import type { IndexSpec } from './index-spec';
import { OrderedEntries, orderedKey, type OrderedKey } from './ordered-index';
import { formatDupKey, keyOf, pathValues } from './values';

export { defaultIndexName, normaliseSpec, sameKey, sameOptions, type IndexSpec } from './index-spec';

/** Separates the per-field keys of a compound key; keyOf never emits it unescaped (strings are JSON). */
const SEP = '\u0001';
/** Marks the key of a whole array value, so `{tags: [1, 2]}` can be found by exact-array equality. */
const WHOLE = 'W';

export interface IndexKeys {
  /** prefixes[k]: keys over fields[0..k], including whole-array keys. */
  prefixes: string[][];
  /** Full keys that must be unique across documents. */
  unique: string[];
  /** The entry in the ordered structure; null when the document cannot be placed there (see Index.unordered). */
  ordered?: OrderedKey | null;
}

const combine = (acc: string[], keys: string[], i: number): string[] =>
  acc.flatMap((prefix) => keys.map((k) => (i === 0 ? k : prefix + SEP + k)));

/**
 * The keys one field's path values are filed under. Like mongod, an array is indexed by its elements
 * (multikey); the whole-array key (in `all` only) serves exact-array lookups.
 */
export function fieldKeys(vals: unknown[]): { elements: Set<string>; all: Set<string> } {
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
  return { elements, all };
}

/** The keys an equality condition's values look up (an array value: as a whole or as an element). */
export const equalityKeys = (vals: unknown[]): string[] =>
  vals.flatMap((v) => (Array.isArray(v) ? [keyOf(v), WHOLE + keyOf(v)] : [keyOf(v)]));

/**
 * A hash index: for every prefix of the key pattern a map from key string to the ids of the documents
 * carrying it, so equality lookups on any prefix cost O(1) regardless of collection size. Plain
 * (not sparse/partial/hashed) indexes also keep their entries in key order for sorted pages.
 */
export class Index {
  readonly fields: string[];
  readonly partial: Predicate | undefined;
  /** prefixes[k] maps keys built from fields[0..k] to document id keys. */
  private readonly prefixes: Array<Map<string, Set<string>>>;
  /** Entries in key order; absent for sparse/partial/hashed indexes, which do not hold every document. */
  readonly ordered: OrderedEntries | undefined;
  /** Documents held here that `ordered` cannot place (arrays, NaN…); while any exist it must not be walked. */
  unordered = 0;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : undefined;
    this.prefixes = this.fields.map(() => new Map());
    const dirs = this.fields.map((f) => spec.key[f] as unknown);
    if (!this.partial && !spec.sparse && dirs.every((d) => d === 1 || d === -1))
      this.ordered = new OrderedEntries(dirs as number[]);
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
    const elementKeys: string[][] = [];
    const lookupKeys: string[][] = [];
    for (const vals of perField) {
      const { elements, all } = fieldKeys(vals);
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
    if (!this.ordered) return { prefixes, unique };
    return { prefixes, unique, ordered: orderedKey(doc, this.fields) };
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
    if (keys.ordered) this.ordered?.insert({ vals: keys.ordered.vals, id: keys.ordered.id, idKey: id });
    else if (keys.ordered === null) this.unordered++;
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
    if (keys.ordered) this.ordered?.delete(keys.ordered, id);
    else if (keys.ordered === null) this.unordered--;
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
    perField.forEach((vals, i) => (keys = combine(keys, equalityKeys(vals), i)));
    const map = this.prefixes[perField.length - 1] as Map<string, Set<string>>;
    const out = new Set<string>();
    for (const k of keys) for (const id of map.get(k) ?? []) out.add(id);
    return out;
  }
}
