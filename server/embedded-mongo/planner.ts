import type { Document } from 'bson';
import { compareValues, isPlainObject, typeRank } from './values';

// Which equality values a filter pins each field to: the input for hash-index lookups.

/** Field → equality values from literal, `$eq` and `$in` conditions (also inside `$and`). */
export function equalityValues(filter: Document): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const visit = (f: Document): void => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) v.forEach((branch) => isPlainObject(branch) && visit(branch));
      if (k.startsWith('$') || out.has(k)) continue;
      const vals = equalityOf(v);
      if (vals) out.set(k, vals);
    }
  };
  visit(filter);
  return out;
}

function equalityOf(v: unknown): unknown[] | undefined {
  if (v instanceof RegExp) return undefined;
  if (!isPlainObject(v)) return [v];
  const keys = Object.keys(v);
  if (!keys.some((k) => k.startsWith('$'))) return [v];
  if ('$eq' in v && !(v.$eq instanceof RegExp)) return [v.$eq];
  if (Array.isArray(v.$in) && !v.$in.some((x) => x instanceof RegExp || isPlainObject(x))) return v.$in;
  return undefined;
}

/** A bound every document matching a filter respects on one field, for values of the bound's type. */
export interface Bound {
  value: unknown;
  rank: number;
}

/** Types whose `$lt`/`$gt` in mingo agree with compareValues (and with mongod's type bracketing). */
const boundable = (v: unknown): boolean =>
  typeof v === 'string' ||
  (typeof v === 'number' && !Number.isNaN(v)) ||
  (v instanceof Date && !Number.isNaN(v.getTime()));

const looser = (a: Bound, b: Bound, upper: boolean): Bound =>
  compareValues(b.value, a.value) > 0 === upper ? b : a;

/**
 * The largest (`upper`) or smallest value `field` can have in a document matching `filter`, as far
 * as values of the bound's type go (mongod's type bracketing: `$lt: date` only matches dates) —
 * inclusive, so a walk may start there. Reads top-level and `$and` conditions, and an `$or` whose
 * every branch is bounded (the pagination cursor `$or` of `$lt` and equality).
 */
export function rangeBound(filter: Document, field: string, upper: boolean): Bound | undefined {
  const found: Bound[] = [];
  for (const [k, v] of Object.entries(filter)) {
    if (k === field) found.push(...conditionBounds(v, upper));
    else if (k === '$and' && Array.isArray(v)) {
      for (const branch of v) {
        const b = isPlainObject(branch) ? rangeBound(branch, field, upper) : undefined;
        if (b) found.push(b);
      }
    } else if (k === '$or' && Array.isArray(v) && v.length > 0) {
      const each = v.map((branch) => (isPlainObject(branch) ? rangeBound(branch, field, upper) : undefined));
      const first = each[0];
      if (first && each.every((b) => b && b.rank === first.rank))
        found.push((each as Bound[]).reduce((a, b) => looser(a, b, upper)));
    }
  }
  const first = found[0];
  if (!first) return undefined;
  // Every bound holds; of those of one type the tightest is the most useful.
  return found.filter((b) => b.rank === first.rank).reduce((a, b) => (looser(a, b, upper) === a ? b : a));
}

function conditionBounds(cond: unknown, upper: boolean): Bound[] {
  const of = (value: unknown): Bound[] => (boundable(value) ? [{ value, rank: typeRank(value) }] : []);
  if (!isPlainObject(cond) || !Object.keys(cond).some((k) => k.startsWith('$'))) return of(cond);
  const out = of(cond.$eq);
  for (const op of upper ? ['$lt', '$lte'] : ['$gt', '$gte']) out.push(...of(cond[op]));
  const all: Bound[] = Array.isArray(cond.$in) ? cond.$in.flatMap(of) : [];
  const first = all[0];
  if (first && all.length === cond.$in.length && all.every((b) => b.rank === first.rank))
    out.push(all.reduce((a, b) => looser(a, b, upper)));
  return out;
}
