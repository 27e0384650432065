import type { Document } from 'bson';
import { project, runPipeline, validatePipeline } from '../engine';
import { fail } from '../errors';
import { cloneValue, compareValues, isPlainObject, keyOf, pathValues } from '../values';
import {
  checkFields,
  collectionName,
  optCount,
  optDoc,
  naturalHint,
  selectDocs,
  validateSort,
  type Handler,
} from './context';

const REFUSED_FIND_OPTIONS = [
  'min',
  'max',
  'returnKey',
  'showRecordId',
  'tailable',
  'awaitData',
  'oplogReplay',
];

export const find: Handler = (cmd, ctx) => {
  for (const opt of REFUSED_FIND_OPTIONS)
    if (cmd[opt]) fail('CommandNotSupported', `find option '${opt}' is not supported by the embedded server`);
  checkFields(cmd, 'find', [
    'filter',
    'sort',
    'projection',
    'skip',
    'limit',
    'batchSize',
    'singleBatch',
    'let',
    'collation',
    'allowPartialResults',
    'readOnce',
    ...REFUSED_FIND_OPTIONS,
  ]);
  const name = collectionName(cmd, 'find');
  const ns = `${ctx.db}.${name}`;
  const filter = optDoc(cmd, 'filter', 'find') ?? {};
  const sort = optDoc(cmd, 'sort', 'find');
  validateSort(sort);
  const projection = optDoc(cmd, 'projection', 'find');
  const skip = optCount(cmd, 'skip', 'find');
  const limit = optCount(cmd, 'limit', 'find') ?? 0;
  const batchSize = optCount(cmd, 'batchSize', 'find');
  const coll = ctx.store.collection(ctx.db, name);
  ctx.coverage.check(coll, ns, 'find', filter, sort);
  const docs = selectDocs(coll, filter, { sort, skip, limit, natural: naturalHint(cmd.hint) });
  const out = projection ? project(docs, projection, filter) : docs;
  const firstBatch = limit > 0 && batchSize !== undefined ? Math.min(limit, batchSize) : batchSize;
  return ctx.cursors.first(
    ns,
    out,
    firstBatch,
    cmd.singleBatch === true || (limit > 0 && (batchSize ?? 101) >= limit),
  );
};

export const getMore: Handler = (cmd, ctx) => {
  checkFields(cmd, 'getMore', ['collection', 'batchSize', 'term', 'lastKnownCommittedOpTime']);
  const id = Number(cmd.getMore);
  if (!Number.isSafeInteger(id))
    fail('TypeMismatch', "BSON field 'getMore.getMore' is the wrong type, expected type 'long'");
  const name = collectionName(cmd, 'collection');
  return ctx.cursors.more(`${ctx.db}.${name}`, id, optCount(cmd, 'batchSize', 'getMore'));
};

export const killCursors: Handler = (cmd, ctx) => {
  checkFields(cmd, 'killCursors', ['cursors']);
  collectionName(cmd, 'killCursors');
  if (!Array.isArray(cmd.cursors))
    fail('TypeMismatch', "BSON field 'killCursors.cursors' is missing or not an array");
  const result = ctx.cursors.kill((cmd.cursors as unknown[]).map(Number));
  return { ...result, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

export const count: Handler = (cmd, ctx) => {
  checkFields(cmd, 'count', ['query', 'limit', 'skip', 'fields', 'collation']);
  const name = collectionName(cmd, 'count');
  const query = optDoc(cmd, 'query', 'count') ?? {};
  const coll = ctx.store.collection(ctx.db, name);
  ctx.coverage.check(coll, `${ctx.db}.${name}`, 'count', query);
  // mongod treats a negative count limit like its absolute value.
  const limit = Math.abs(Number(cmd.limit ?? 0)) || 0;
  const skip = optCount(cmd, 'skip', 'count') ?? 0;
  const n =
    Object.keys(query).length === 0 && coll
      ? Math.max(0, coll.docs.size - skip)
      : selectDocs(coll, query, { skip }).length;
  return { n: limit > 0 ? Math.min(n, limit) : n, ok: 1 };
};

export const distinct: Handler = (cmd, ctx) => {
  checkFields(cmd, 'distinct', ['key', 'query', 'collation']);
  const name = collectionName(cmd, 'distinct');
  if (typeof cmd.key !== 'string')
    fail('TypeMismatch', "BSON field 'distinct.key' is missing or not a string");
  const key = cmd.key as string;
  const query = optDoc(cmd, 'query', 'distinct') ?? {};
  const coll = ctx.store.collection(ctx.db, name);
  ctx.coverage.check(coll, `${ctx.db}.${name}`, 'distinct', query, undefined, key);
  const seen = new Map<string, unknown>();
  for (const doc of selectDocs(coll, query)) {
    for (const v of pathValues(doc, key)) {
      // Like mongod, array values contribute their elements.
      for (const el of Array.isArray(v) ? v : [v]) if (!seen.has(keyOf(el))) seen.set(keyOf(el), el);
    }
  }
  return { values: [...seen.values()].sort(compareValues), ok: 1 };
};

export const aggregate: Handler = (cmd, ctx) => {
  checkFields(cmd, 'aggregate', [
    'pipeline',
    'cursor',
    'explain',
    'let',
    'collation',
    'fromMongos',
    'needsMerge',
  ]);
  if (cmd.explain) fail('CommandNotSupported', 'explain is not supported by the embedded server');
  const cursor = optDoc(cmd, 'cursor', 'aggregate');
  if (!cursor)
    fail('FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
  const pipeline = validatePipeline(cmd.pipeline);
  const first = pipeline[0];
  const dbLevel = cmd.aggregate === 1;
  if (dbLevel && !(first && '$documents' in first))
    fail('InvalidNamespace', "{aggregate: 1} is not valid for '$match'; a collection is required.");
  const name = dbLevel ? '$cmd.aggregate' : collectionName(cmd, 'aggregate');
  const ns = `${ctx.db}.${name}`;
  const coll = dbLevel ? undefined : ctx.store.collection(ctx.db, name);
  const match = first && isPlainObject(first.$match) ? (first.$match as Document) : {};
  const sortStage = pipeline[match === first?.$match ? 1 : 0];
  if (!dbLevel)
    ctx.coverage.check(
      coll,
      ns,
      'aggregate',
      match,
      sortStage && isPlainObject(sortStage.$sort) ? sortStage.$sort : undefined,
    );
  // mingo may modify its inputs in place, so it only ever sees copies of stored documents.
  const input = coll ? coll.candidates(match).map(cloneValue) : [];
  const resolved = new Map<string, Document[]>();
  const resolve = (other: string): Document[] => {
    let docs = resolved.get(other);
    if (!docs)
      resolved.set(
        other,
        (docs = [...(ctx.store.collection(ctx.db, other)?.docs.values() ?? [])].map(cloneValue)),
      );
    return docs;
  };
  const variables = optDoc(cmd, 'let', 'aggregate');
  // An equality $lookup is run on its own, against only the foreign documents its local values can
  // match (found through the foreign collection's indexes), as mongod does; the stages between
  // such lookups run through mingo as before.
  let docs = input;
  let stages: Document[] = [];
  for (const stage of pipeline) {
    const lookup = equalityLookup(stage);
    if (!lookup) {
      stages.push(stage);
      continue;
    }
    if (stages.length) docs = runPipeline(docs, stages, resolve, variables);
    stages = [];
    const joinable = lookupCandidates(ctx.store.collection(ctx.db, lookup.from), lookup, docs);
    docs = runPipeline(
      docs,
      [stage],
      (other) => (other === lookup.from ? joinable : resolve(other)),
      variables,
    );
    // mingo puts an `undefined` in the joined array for each element of an array local value that
    // matched nothing (the driver then sees null); mongod joins only documents.
    for (const doc of docs) doc[lookup.as] = (doc[lookup.as] as unknown[]).filter((x) => x != null);
  }
  const out = stages.length ? runPipeline(docs, stages, resolve, variables) : docs;
  return ctx.cursors.first(ns, out, optCount(cursor as Document, 'batchSize', 'aggregate.cursor'), false);
};

interface EqualityLookup {
  from: string;
  as: string;
  localField: string;
  foreignField: string;
}

/** A `$lookup` joining on `localField` = `foreignField` only (no `let`, no sub-pipeline). */
function equalityLookup(stage: Document): EqualityLookup | undefined {
  const spec = stage.$lookup as Document | undefined;
  if (!isPlainObject(spec) || Object.keys(stage).length !== 1) return undefined;
  const { from, localField, foreignField, as } = spec;
  if (Object.keys(spec).length !== 4 || typeof as !== 'string' || as.includes('.')) return undefined;
  if (typeof from !== 'string' || typeof localField !== 'string' || typeof foreignField !== 'string')
    return undefined;
  return { from, as, localField, foreignField };
}

type StoredCollection = ReturnType<Parameters<Handler>[1]['store']['collection']>;

/**
 * Copies of the foreign documents the lookup can join to `docs`: an `$in` of every local value,
 * narrowed by the foreign collection's `_id` or a hash index (all documents when none serves it, or
 * when a local value is an array or a document, whose matching rules an index lookup does not model).
 */
function lookupCandidates(coll: StoredCollection, lookup: EqualityLookup, docs: Document[]): Document[] {
  if (!coll) return [];
  const values = new Map<string, unknown>();
  let scalarOnly = true;
  for (const doc of docs) {
    const raw = pathValues(doc, lookup.localField);
    // An array at the end of a path through arrays is an array of arrays to mingo: whole-collection path.
    if (lookup.localField.includes('.') && raw.some(Array.isArray)) scalarOnly = false;
    const found = raw.flatMap((v) => (Array.isArray(v) ? v : [v]));
    if (found.length === 0) found.push(null);
    for (const v of found) {
      if (Array.isArray(v) || isPlainObject(v) || v instanceof RegExp) scalarOnly = false;
      values.set(keyOf(v ?? null), v ?? null);
    }
  }
  const matching = scalarOnly
    ? coll.candidates({ [lookup.foreignField]: { $in: [...values.values()] } })
    : [...coll.docs.values()];
  return matching.map(cloneValue);
}
