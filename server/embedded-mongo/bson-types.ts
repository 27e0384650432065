import type { Document } from 'bson';
import { fail } from './errors';
import { isPlainObject, pathValues } from './values';

// mongod's `$type` query operator; mingo's own has no ObjectId/binData/decimal/timestamp.

const bsonTypeOf = (v: unknown): string | undefined =>
  typeof v === 'object' && v !== null ? (v as { _bsontype?: string })._bsontype : undefined;

/** `$type` aliases and numbers as mongod knows them; mingo's own $type has no ObjectId/binData/decimal. */
const TYPE_TESTS: Record<string, (v: unknown) => boolean> = {
  double: (v) => typeof v === 'number' && !Number.isInteger(v),
  string: (v) => typeof v === 'string',
  object: (v) => isPlainObject(v),
  array: (v) => Array.isArray(v),
  binData: (v) => bsonTypeOf(v) === 'Binary',
  objectId: (v) => bsonTypeOf(v) === 'ObjectId',
  bool: (v) => typeof v === 'boolean',
  date: (v) => v instanceof Date,
  null: (v) => v === null,
  regex: (v) => v instanceof RegExp,
  int: (v) => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 31,
  long: (v) =>
    bsonTypeOf(v) === 'Long' || (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) >= 2 ** 31),
  decimal: (v) => bsonTypeOf(v) === 'Decimal128',
  timestamp: (v) => bsonTypeOf(v) === 'Timestamp',
  number: (v) =>
    typeof v === 'number' || ['Long', 'Decimal128', 'Int32', 'Double'].includes(bsonTypeOf(v) ?? ''),
};
const TYPE_NUMBERS: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
};

export function typeQuery(selector: string, value: unknown): (obj: Document) => boolean {
  const wanted = (Array.isArray(value) ? value : [value]).map((t) => {
    const name = typeof t === 'number' ? TYPE_NUMBERS[t] : (t as string);
    const test = name === undefined ? undefined : TYPE_TESTS[name];
    if (!test) fail('BadValue', `Unknown type name alias: ${String(t)}`);
    return test as (v: unknown) => boolean;
  });
  return (obj) =>
    pathValues(obj, selector).some(
      (v) => wanted.some((t) => t(v)) || (Array.isArray(v) && v.some((el) => wanted.some((t) => t(el)))),
    );
}
