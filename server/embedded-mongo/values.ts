import { BSON, ObjectId, type Document } from 'bson';

export const isPlainObject = (v: unknown): v is Document =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

const bsonTypeOf = (v: object): string | undefined => (v as { _bsontype?: string })._bsontype;

/**
 * Copies plain objects, arrays and Dates (the mutable parts); bson value classes are immutable in practice
 * and are shared so they serialise back exactly.
 */
export function cloneValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneValue) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isPlainObject(v)) {
    const out: Document = {};
    for (const k of Object.keys(v)) out[k] = cloneValue(v[k]);
    return out as T;
  }
  return v;
}

/**
 * A canonical string per BSON value, equal exactly when mongod's index would treat the values as equal
 * (all numeric types compare by value; null and missing are the same key).
 */
export function keyOf(v: unknown): string {
  if (v === null || v === undefined) return 'n';
  switch (typeof v) {
    case 'number':
      return 'N' + (Object.is(v, -0) ? '0' : String(v));
    case 'bigint':
      return 'N' + String(v);
    case 'string':
      return 'S' + JSON.stringify(v);
    case 'boolean':
      return v ? 'B1' : 'B0';
    case 'object':
      break;
    default:
      return 'U' + String(v);
  }
  if (Array.isArray(v)) return 'A[' + v.map(keyOf).join(',') + ']';
  if (v instanceof Date) return 'D' + v.getTime();
  if (v instanceof RegExp) return 'R' + JSON.stringify([v.source, v.flags]);
  if (isPlainObject(v)) return 'O{' + Object.keys(v).map((k) => JSON.stringify(k) + ':' + keyOf(v[k])) + '}';
  switch (bsonTypeOf(v)) {
    case 'ObjectId':
      return 'I' + (v as ObjectId).toHexString();
    case 'Long':
    case 'Int32':
    case 'Double':
      return 'N' + String((v as { toNumber?: () => number; valueOf: () => number }).valueOf());
    default:
      return 'T' + JSON.stringify(BSON.EJSON.serialize({ v }, { relaxed: false }));
  }
}

/** Values at a dotted path, descending through arrays the way mongod's index key generation does. */
export function pathValues(doc: unknown, path: string): unknown[] {
  const parts = path.split('.');
  const out: unknown[] = [];
  const walk = (value: unknown, i: number): void => {
    if (i === parts.length) {
      out.push(value);
      return;
    }
    if (Array.isArray(value)) {
      const part = parts[i] as string;
      if (/^\d+$/.test(part) && value.length > Number(part)) walk(value[Number(part)], i + 1);
      else for (const el of value) if (typeof el === 'object' && el !== null) walk(el, i);
      return;
    }
    if (typeof value !== 'object' || value === null || !isPlainObject(value)) return;
    const next = value[parts[i] as string];
    if (next === undefined) return;
    walk(next, i + 1);
  };
  walk(doc, 0);
  return out;
}

/** mongod's BSON comparison order for sorting mixed types (null/missing < numbers < strings < ...). */
export function typeRank(v: unknown): number {
  if (v === null || v === undefined) return 1;
  if (typeof v === 'number' || typeof v === 'bigint') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 5;
  if (typeof v === 'boolean') return 8;
  if (v instanceof Date) return 9;
  if (v instanceof RegExp) return 11;
  if (isPlainObject(v)) return 4;
  const t = bsonTypeOf(v as object);
  if (t === 'Long' || t === 'Int32' || t === 'Double' || t === 'Decimal128') return 2;
  if (t === 'Binary') return 6;
  if (t === 'ObjectId') return 7;
  if (t === 'Timestamp') return 10;
  if (t === 'MinKey') return 0;
  if (t === 'MaxKey') return 12;
  return 4;
}

const cmp = <T>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

const isObjectId = (v: unknown): v is ObjectId =>
  typeof v === 'object' && v !== null && bsonTypeOf(v) === 'ObjectId' && !isPlainObject(v);

export function compareValues(a: unknown, b: unknown): number {
  // Fast paths for what index keys mostly hold (same results as the general path below).
  if (a instanceof Date && b instanceof Date) return cmp(a.getTime(), b.getTime());
  if (isObjectId(a) && isObjectId(b)) return compareObjectIds(a, b);
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 2:
      return cmp(Number(a), Number(b));
    case 3:
      return cmp(a as string, b as string);
    case 5: {
      const xs = a as unknown[];
      const ys = b as unknown[];
      for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
        const c = compareValues(xs[i], ys[i]);
        if (c) return c;
      }
      return xs.length - ys.length;
    }
    case 4: {
      const ka = Object.keys(a as Document);
      const kb = Object.keys(b as Document);
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
        const c = cmp(ka[i], kb[i]) || compareValues((a as Document)[ka[i]!], (b as Document)[kb[i]!]);
        if (c) return c;
      }
      return ka.length - kb.length;
    }
    case 7:
      return compareObjectIds(a as ObjectId, b as ObjectId);
    case 8:
      return cmp(Number(a), Number(b));
    case 9:
      return cmp((a as Date).getTime(), (b as Date).getTime());
    default:
      return cmp(String(a), String(b));
  }
}

type Words = { i0?: unknown; i1?: unknown; i2?: unknown; i3?: unknown };

/**
 * Byte order (= hex order) without building strings: ordered indexes compare ObjectIds a lot. bson 7
 * keeps the 12 bytes as four big-endian 24-bit ints (`id` would allocate a copy); other versions fall
 * back to hex.
 */
function compareObjectIds(a: ObjectId, b: ObjectId): number {
  const x = a as unknown as Words;
  const y = b as unknown as Words;
  if (typeof x.i0 !== 'number' || typeof y.i0 !== 'number') return cmp(a.toHexString(), b.toHexString());
  return (
    x.i0 - y.i0 ||
    (x.i1 as number) - (y.i1 as number) ||
    (x.i2 as number) - (y.i2 as number) ||
    (x.i3 as number) - (y.i3 as number)
  );
}

/** Sorts by a mongod sort spec; arrays sort by their smallest (asc) or largest (desc) element. */
export function sortDocuments(docs: Document[], spec: Document): Document[] {
  const fields = Object.entries(spec).map(([path, dir]) => ({ path, dir: Number(dir) < 0 ? -1 : 1 }));
  const keyFor = (doc: Document, path: string, dir: number): unknown => {
    // Fast path for the common case (a top-level scalar), same result as the general one below.
    if (!path.includes('.') && !Array.isArray(doc[path])) return doc[path];
    const values = pathValues(doc, path).flatMap((v) => (Array.isArray(v) && v.length > 0 ? v : [v]));
    if (values.length === 0) return undefined;
    return values.reduce((best, v) => (compareValues(v, best) * dir < 0 ? v : best));
  };
  const decorated = docs.map((doc, i) => ({ doc, i, keys: fields.map((f) => keyFor(doc, f.path, f.dir)) }));
  decorated.sort((x, y) => {
    for (let f = 0; f < fields.length; f++) {
      const c = compareValues(x.keys[f], y.keys[f]) * fields[f]!.dir;
      if (c) return c;
    }
    return x.i - y.i;
  });
  return decorated.map((d) => d.doc);
}

export const bsonSize = (doc: Document): number => BSON.calculateObjectSize(doc, { ignoreUndefined: true });

/** mongod's rendering of a duplicate key value inside an E11000 message, e.g. `{ email: "x" }`. */
export function formatDupKey(keyValue: Document): string {
  const parts = Object.entries(keyValue).map(([k, v]) => `${k}: ${formatValue(v)}`);
  return `{ ${parts.join(', ')} }`;
}

function formatValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof ObjectId) return `ObjectId('${v.toHexString()}')`;
  if (Array.isArray(v)) return `[ ${v.map(formatValue).join(', ')} ]`;
  if (isPlainObject(v)) return formatDupKey(v);
  return String(v);
}
