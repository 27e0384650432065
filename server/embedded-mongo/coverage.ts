// Index-coverage check. The rule (kept deliberately simple, see README):
//   a filter is served when some declared index's leading field appears in it with a non-negated
//   condition (a literal, $eq, $in, $gt, $gte, $lt, $lte), directly or in an $and branch, or when
//   every branch of a top-level $or is itself served. `_id` equality/$in is served by the _id index.
//   An empty filter is served only when the sort's first field leads some index; an empty-filter
//   `count` is answered from metadata and never recorded.
import type { Document } from 'bson';
import type { Collection } from './store';
import { isPlainObject } from './values';

export type CoverageOp = 'find' | 'update' | 'delete' | 'findAndModify' | 'count' | 'distinct' | 'aggregate';

export interface UnindexedQuery {
  ns: string;
  op: CoverageOp;
  filter: unknown;
  sort?: unknown;
}

const MAX_RECORDS = 1000;
const RANGE_OPS = ['$eq', '$in', '$gt', '$gte', '$lt', '$lte'];
const IGNORED_DBS = new Set(['admin', 'config', 'local']);

function conditionUsable(cond: unknown): boolean {
  if (!isPlainObject(cond)) return true;
  const keys = Object.keys(cond);
  if (!keys.some((k) => k.startsWith('$'))) return true;
  return keys.some((k) => RANGE_OPS.includes(k));
}

function idEquality(cond: unknown): boolean {
  if (!isPlainObject(cond) || !Object.keys(cond).some((k) => k.startsWith('$'))) return true;
  return '$eq' in cond || '$in' in cond;
}

function fieldServed(filter: Document, field: string): boolean {
  if (field in filter && conditionUsable(filter[field])) return true;
  const and = filter.$and;
  return Array.isArray(and) && and.some((b) => isPlainObject(b) && fieldServed(b, field));
}

export function filterServed(filter: Document, leadingFields: string[]): boolean {
  if ('_id' in filter && idEquality(filter._id)) return true;
  if (leadingFields.some((f) => fieldServed(filter, f))) return true;
  const or = filter.$or;
  if (
    Array.isArray(or) &&
    or.length > 0 &&
    or.every((b) => isPlainObject(b) && filterServed(b, leadingFields))
  )
    return true;
  const and = filter.$and;
  return Array.isArray(and) && and.some((b) => isPlainObject(b) && filterServed(b, leadingFields));
}

export class Coverage {
  private records: UnindexedQuery[] = [];
  private readonly seen = new Set<string>();

  constructor(readonly enabled: boolean) {}

  /** Records the query if no declared index can serve it. `coll` is undefined for a missing collection. */
  check(
    coll: Collection | undefined,
    ns: string,
    op: CoverageOp,
    filter: unknown,
    sort?: unknown,
    distinctKey?: string,
  ): void {
    if (!this.enabled) return;
    const [db, ...rest] = ns.split('.');
    const name = rest.join('.');
    if (IGNORED_DBS.has(db ?? '') || name.startsWith('system.')) return;
    const f = isPlainObject(filter) ? filter : {};
    const leading = (coll?.indexes ?? []).map((i) => i.fields[0] as string);
    const empty = Object.keys(f).length === 0;
    if (empty && op === 'count') return;
    if (!empty && filterServed(f, leading)) return;
    if (empty) {
      const sortFirst = isPlainObject(sort) ? Object.keys(sort)[0] : undefined;
      if (sortFirst !== undefined && (sortFirst === '_id' || leading.includes(sortFirst))) return;
      if (distinctKey !== undefined && leading.includes(distinctKey)) return;
    }
    const record: UnindexedQuery = { ns, op, filter: f };
    if (sort !== undefined && isPlainObject(sort) && Object.keys(sort).length > 0) record.sort = sort;
    const key = JSON.stringify([ns, op, shape(f), shape(record.sort)]);
    if (this.seen.has(key) || this.records.length >= MAX_RECORDS) return;
    this.seen.add(key);
    this.records.push(record);
  }

  list(): UnindexedQuery[] {
    return [...this.records];
  }

  clear(): void {
    this.records = [];
    this.seen.clear();
  }
}

/** The filter with values blanked, so the same query with different values is reported once. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length > 0 ? [shape(v[0])] : [];
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
  return typeof v;
}
