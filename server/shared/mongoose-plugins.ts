// The wire shape of every record: `_id` becomes `id`, ids are strings, times ISO-8601 UTC,
// internal fields (`__v`, anything listed in `private`) never leave the server.
import { Types, type Schema } from 'mongoose';

function wireValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Types.ObjectId) return value.toHexString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(wireValue);
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) put(out, key, wireValue((value as Record<string, unknown>)[key]));
  return out;
}

/** `out[key] = v`, except that an own `__proto__` key stays a plain key instead of setting the prototype. */
function put(out: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  else out[key] = v;
}

/** Turns a stored document (lean or hydrated-to-object) into its JSON wire form. */
export function toWire<T = Record<string, unknown>>(
  doc: Record<string, unknown>,
  hidden: readonly string[] = [],
): T {
  const out: Record<string, unknown> = { id: wireValue(doc._id) };
  for (const key of Object.keys(doc))
    if (key !== '_id' && key !== '__v' && !hidden.includes(key)) put(out, key, wireValue(doc[key]));
  return out as T;
}

export function toJSONPlugin(schema: Schema, options: { private?: readonly string[] } = {}): void {
  schema.set('toJSON', {
    virtuals: false,
    versionKey: false,
    transform: (_doc, ret) => toWire(ret as Record<string, unknown>, options.private ?? []),
  });
}

/** Timestamps are stored and sent in snake_case. */
export const snakeTimestamps = { timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' } } as const;
