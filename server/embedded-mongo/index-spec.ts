import type { Document } from 'bson';
import { fail } from './errors';
import { isPlainObject, keyOf } from './values';

// createIndexes specifications: validation, default names, and the "same index?" comparisons.

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
