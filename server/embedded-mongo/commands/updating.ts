// Shared by `update` and `findAndModify`: how one update statement turns an old document into a new one.
import { ObjectId, type Document } from 'bson';
import { applyOperators, applyPipelineUpdate, classifyUpdate, type UpdateKind } from '../engine';
import { fail } from '../errors';
import { MAX_BSON_BYTES } from '../wire';
import { bsonSize, cloneValue, isPlainObject, keyOf } from '../values';

export interface UpdateSpec {
  filter: Document;
  u: Document | Document[];
  kind: UpdateKind;
  arrayFilters?: Document[];
}

export function parseUpdate(filter: Document, u: unknown, arrayFilters: unknown, multi: boolean): UpdateSpec {
  const kind = classifyUpdate(u);
  if (multi && kind === 'replacement')
    fail('FailedToParse', 'multi update is not supported for replacement-style update');
  if (arrayFilters !== undefined && (!Array.isArray(arrayFilters) || !arrayFilters.every(isPlainObject))) {
    fail('TypeMismatch', 'arrayFilters must be an array of objects');
  }
  if (arrayFilters !== undefined && kind !== 'operators')
    fail(
      'FailedToParse',
      'arrayFilters may not be specified for pipeline-style or replacement-style updates',
    );
  return {
    filter,
    u: u as Document | Document[],
    kind,
    arrayFilters: arrayFilters as Document[] | undefined,
  };
}

/** mongod keeps `_id` as the first field. */
function idFirst(doc: Document): Document {
  if (Object.keys(doc)[0] === '_id' || !('_id' in doc)) return doc;
  const { _id, ...rest } = doc;
  return { _id: _id as unknown, ...rest };
}

export function checkSize(doc: Document): void {
  const size = bsonSize(doc);
  if (size > MAX_BSON_BYTES)
    fail(
      'BSONObjectTooLarge',
      `object to insert too large. size in bytes: ${size}, max size: ${MAX_BSON_BYTES}`,
    );
}

/** The new version of `old` (never mutated). With `inserting`, `old` is the upsert seed. */
export function updatedDocument(old: Document, spec: UpdateSpec, inserting: boolean): Document {
  let doc: Document;
  if (spec.kind === 'replacement') {
    const replacement = cloneValue(spec.u as Document);
    doc = '_id' in old && !('_id' in replacement) ? { _id: old._id, ...replacement } : replacement;
  } else if (spec.kind === 'operators') {
    doc = cloneValue(old);
    applyOperators(doc, spec.u as Document, spec.filter, spec.arrayFilters, inserting);
  } else {
    doc = applyPipelineUpdate(cloneValue(old), spec.u as Document[]);
  }
  if ('_id' in old) {
    if (!('_id' in doc)) doc = { _id: old._id, ...doc };
    else if (keyOf(doc._id) !== keyOf(old._id)) {
      fail(
        'ImmutableField',
        inserting
          ? "After applying the update, the (immutable) field '_id' was found to have been altered"
          : "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    }
  }
  if (!('_id' in doc)) doc = { _id: new ObjectId(), ...doc };
  doc = idFirst(doc);
  checkSize(doc);
  return doc;
}

/** The document an upsert starts from: the filter's equality conditions (mongod copies those too). */
export function upsertSeed(filter: Document, kind: UpdateKind): Document {
  const seed: Document = {};
  const visit = (f: Document): void => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) v.forEach((b) => isPlainObject(b) && visit(b));
      if (k.startsWith('$')) continue;
      if (kind === 'replacement' && k !== '_id') continue;
      if (isPlainObject(v) && Object.keys(v).some((op) => op.startsWith('$'))) {
        if ('$eq' in v) setPath(seed, k, v.$eq);
        else if (Array.isArray(v.$in) && v.$in.length === 1) setPath(seed, k, v.$in[0]);
        continue;
      }
      if (!(v instanceof RegExp)) setPath(seed, k, v);
    }
  };
  visit(filter);
  return seed;
}

function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(at[part])) at[part] = {};
    at = at[part] as Document;
  }
  at[parts[parts.length - 1] as string] = cloneValue(value);
}

export const unchanged = (a: Document, b: Document): boolean => keyOf(a) === keyOf(b);
