import type { Document } from 'bson';
import type { Predicate } from './engine';
import { equalityKeys, fieldKeys, type Index } from './indexes';
import { orderable, type OrderedEntries, type OrderedEntry, type Pos } from './ordered-index';
import { equalityValues, rangeBound, type Bound } from './planner';
import type { Collection } from './store';
import { compareValues, isPlainObject, pathValues, typeRank } from './values';

// Sorted pages by walking an ordered index, the way mongod answers
// find({ workspace_id: { $in: [...] }, ... }).sort({ created_at: -1, _id: -1 }).limit(26) from
// { workspace_id: 1, created_at: -1, _id: -1 }: one run of entries per pinned leading value, merged
// in sort order, each candidate checked by the full matcher, stopping once the page is full.
// See docs/decisions/065-embedded-ordered-index-walks.md.

/** More leading-value combinations than this are not worth merging. */
const MAX_RUNS = 64;
/** A hash-narrowed candidate set this small is cheaper to sort than an index is to walk. */
const SMALL_CANDIDATES = 256;

interface WalkPlan {
  index: Index;
  ordered: OrderedEntries;
  /** Leading index fields pinned by equality; the walk runs over fields k… (then _id). */
  k: number;
  reverse: boolean;
  /** One value per pinned field for each run. */
  prefixes: unknown[][];
  bound?: Bound;
}

/**
 * Walks the page's candidates in sort order when an index can: returns up to `want` matching
 * documents, exactly the first `want` of "match everything, then sort" — or undefined when no
 * index fits (the caller then sorts).
 */
export function walkPage(
  coll: Collection,
  filter: Document,
  sort: Document,
  matches: Predicate,
  want: number,
): Document[] | undefined {
  const eq = equalityValues(filter);
  if (eq.has('_id')) return undefined; // an _id lookup reads a handful of documents
  const plan = planWalk(coll, eq, sort);
  if (!plan) return undefined;
  const sortField = Object.keys(sort)[0] as string;
  plan.bound = rangeBound(filter, sortField, Number(sort[sortField]) < 0);
  // Another index pinning more fields narrows the candidates: a small set is simply sorted, a large
  // one filters the walk with a Set lookup before the (far costlier) matcher runs.
  const narrowed = narrowerIds(coll, eq, plan.k);
  if (narrowed && narrowed.size <= SMALL_CANDIDATES) return undefined;
  const prefilter = equalityPrefilter(eq, plan.index.fields.slice(0, plan.k));
  const out: Document[] = [];
  for (const entry of walk(plan)) {
    if (narrowed && !narrowed.has(entry.idKey)) continue;
    const doc = coll.docs.get(entry.idKey);
    if (!doc || !prefilter(doc) || !matches(doc)) continue;
    out.push(doc);
    if (out.length >= want) break;
  }
  return out;
}

function planWalk(coll: Collection, eq: Map<string, unknown[]>, sortSpec: Document): WalkPlan | undefined {
  const sort = Object.entries(sortSpec).map(([f, d]): [string, number] => [f, Number(d) < 0 ? -1 : 1]);
  let best: WalkPlan | undefined;
  for (const index of coll.indexes) {
    const ordered = index.ordered;
    // Every document must have its place in the walk, or the walk could miss a match.
    if (!ordered || index.unordered > 0 || ordered.size !== coll.docs.size) continue;
    let pinned = 0;
    while (pinned < index.fields.length && eq.has(index.fields[pinned] as string)) pinned++;
    for (let k = pinned; k >= 0 && k > (best?.k ?? -1); k--) {
      const reverse = direction(index, k, sort);
      const prefixes = reverse === undefined ? undefined : runPrefixes(index.fields.slice(0, k), eq);
      if (reverse === undefined || !prefixes) continue;
      best = { index, ordered, k, reverse, prefixes };
      break;
    }
  }
  return best;
}

/**
 * Whether the index order after its first k fields (then _id ascending, the tie-break) is the sort
 * (false) or its exact reverse (true). The sort must end with _id: only a total order makes the
 * walk's order exactly the stable sort's.
 */
function direction(index: Index, k: number, sort: Array<[string, number]>): boolean | undefined {
  const order = index.fields.slice(k).map((f): [string, number] => [f, index.spec.key[f] as number]);
  if (!index.fields.includes('_id')) order.push(['_id', 1]);
  if (sort.length === 0 || sort.length > order.length || sort[sort.length - 1]?.[0] !== '_id')
    return undefined;
  const reverse = sort[0]?.[1] !== order[0]?.[1];
  const fits = sort.every(([f, d], i) => order[i]?.[0] === f && (order[i]?.[1] !== d) === reverse);
  return fits ? reverse : undefined;
}

/** Every combination of the pinned fields' values (deduplicated in index value order). */
function runPrefixes(fields: string[], eq: Map<string, unknown[]>): unknown[][] | undefined {
  let prefixes: unknown[][] = [[]];
  for (const field of fields) {
    const values = eq.get(field) as unknown[];
    if (!values.every((v) => orderable(v))) return undefined;
    const sorted = [...values].sort(compareValues);
    const distinct = sorted.filter((v, i) => i === 0 || compareValues(sorted[i - 1], v) !== 0);
    prefixes = prefixes.flatMap((p) => distinct.map((v) => [...p, v]));
    if (prefixes.length > MAX_RUNS) return undefined;
  }
  return prefixes;
}

/** The runs merged in sort order (the runs' entries differ in their prefix only). */
function* walk(plan: WalkPlan): Generator<OrderedEntry> {
  const runs = plan.prefixes.map((prefix) => run(plan, prefix));
  if (runs.length === 1) return yield* runs[0] as Generator<OrderedEntry>;
  const heads = runs.map((r) => r.next());
  const sign = plan.reverse ? -1 : 1;
  for (;;) {
    let best = -1;
    heads.forEach((h, i) => {
      const current = heads[best]?.value as OrderedEntry;
      if (!h.done && (best < 0 || sign * plan.ordered.compareFrom(h.value, current, plan.k) < 0)) best = i;
    });
    if (best < 0) return;
    yield heads[best]?.value as OrderedEntry;
    heads[best] = (runs[best] as Generator<OrderedEntry>).next();
  }
}

/**
 * One run: the entries carrying `prefix`, in walk order. With a bound on the first sort field, the
 * entries of the bound's type on the wrong side of it are skipped by two binary searches.
 */
function* run(plan: WalkPlan, prefix: unknown[]): Generator<OrderedEntry> {
  const { ordered, k, reverse, bound } = plan;
  const dirs = ordered.dirs;
  const inRun = (e: OrderedEntry): number => {
    for (let i = 0; i < k; i++) {
      const c = compareValues(e.vals[i], prefix[i]) * (dirs[i] as number);
      if (c) return c;
    }
    return 0;
  };
  const seek = (past: (e: OrderedEntry) => boolean): Pos =>
    ordered.seek((e) => {
      const c = inRun(e);
      return c > 0 || (c === 0 && past(e));
    });
  const lo = seek(() => true);
  const hi = seek(() => false);
  if (!bound) return yield* ordered.between(lo, hi, reverse);
  // Index-order sign of the first walked field; `_id` when every index field is pinned.
  const d = k < dirs.length ? (dirs[k] as number) : 1;
  const valueOf = (e: OrderedEntry): unknown => (k < dirs.length ? e.vals[k] : e.id);
  const rankPast = (e: OrderedEntry): number => d * (typeRank(valueOf(e)) - bound.rank);
  const side = (e: OrderedEntry): number => d * compareValues(valueOf(e), bound.value);
  // Skipped: values of the bound's type beyond it, at the start (walking forward) or the end of that type's block.
  const [skipFrom, skipTo] = !reverse
    ? [seek((e) => rankPast(e) >= 0), seek((e) => rankPast(e) > 0 || (rankPast(e) === 0 && side(e) >= 0))]
    : [seek((e) => rankPast(e) > 0 || (rankPast(e) === 0 && side(e) > 0)), seek((e) => rankPast(e) > 0)];
  const parts: Array<[Pos, Pos]> = [
    [lo, skipFrom],
    [skipTo, hi],
  ];
  for (const [from, to] of reverse ? parts.reverse() : parts) yield* ordered.between(from, to, reverse);
}

/** The ids a hash index pinning more than the walk's k leading fields selects (as Collection.candidates). */
function narrowerIds(coll: Collection, eq: Map<string, unknown[]>, k: number): Set<string> | undefined {
  let best: Set<string> | undefined;
  let bestLen = k;
  for (const index of coll.indexes) {
    let len = 0;
    while (len < index.fields.length && eq.has(index.fields[len] as string)) len++;
    if (len <= bestLen) continue;
    const found = index.lookup(index.fields.slice(0, len).map((f) => eq.get(f) as unknown[]));
    if (found) [best, bestLen] = [found, len];
  }
  return best;
}

const scalar = (v: unknown): boolean => v !== null && v !== undefined && !isPlainObject(v) && orderable(v);

/**
 * A cheap necessary condition before the matcher: the filter's other scalar equality fields, checked
 * the way a hash index lookup would (so `{ email: x }` does not cost a mingo match per entry).
 * Nulls (which also match missing paths under arrays) and numeric path parts are left to the matcher.
 */
function equalityPrefilter(eq: Map<string, unknown[]>, pinned: string[]): (doc: Document) => boolean {
  const checks = [...eq]
    .filter(([f, vals]) => !pinned.includes(f) && !/(^|\.)\d+(\.|$)/.test(f) && vals.every(scalar))
    .map(([f, vals]): [string, Set<string>] => [f, new Set(equalityKeys(vals))]);
  if (checks.length === 0) return () => true;
  return (doc) =>
    checks.every(([f, keys]) => {
      for (const key of fieldKeys(pathValues(doc, f)).all) if (keys.has(key)) return true;
      return false;
    });
}
