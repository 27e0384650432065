import type { Document } from 'bson';
import { isPlainObject } from './values';

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
