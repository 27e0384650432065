// Cursor pagination shared by every list endpoint: newest first by created_at, then _id (a stable
// tiebreak), with an opaque cursor holding the last item's sort key. A page is one index range
// scan whatever the collection size, and records inserted while a client walks never shift pages.
import mongoose, { type Model } from 'mongoose';
import { AppError } from './errors';
import { z } from './zod';

/** A record id in a query (both cases: zod-to-openapi cannot render the `i` regex flag). */
const idField = z.string().regex(/^[a-fA-F0-9]{24}$/, 'must be a 24-character hexadecimal id');

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 25;

/** Query parameters every list accepts; features `.extend()` it with their filters. */
export const listQuerySchema = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_LIMIT)
      .default(DEFAULT_LIMIT)
      .openapi({ description: `Page size, 1–${MAX_LIMIT}.`, example: DEFAULT_LIMIT }),
    cursor: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'The `next_cursor` of the previous page; omit for the first page.' }),
    updated_since: z.iso.datetime({ offset: true }).optional().openapi({
      description: 'Only records updated at or after this ISO-8601 time.',
      example: '2025-01-01T00:00:00Z',
    }),
    workspace_id: idField
      .optional()
      .openapi({ description: 'Only records of this workspace (when the caller reaches several).' }),
  })
  .strict();

export type ListQuery = z.output<typeof listQuerySchema>;

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

interface SortKey {
  created_at: Date;
  _id: mongoose.Types.ObjectId;
}

export function encodeCursor(doc: SortKey): string {
  return Buffer.from(JSON.stringify([doc.created_at.toISOString(), doc._id.toHexString()])).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): SortKey {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const created = new Date(String(at));
    if (
      typeof at !== 'string' ||
      Number.isNaN(created.getTime()) ||
      typeof id !== 'string' ||
      !/^[a-f0-9]{24}$/.test(id)
    )
      throw new Error('bad cursor');
    return { created_at: created, _id: new mongoose.Types.ObjectId(id) };
  } catch {
    throw new AppError('invalid_request', 'The cursor is not valid; use the next_cursor of a previous page', {
      status: 400,
      errors: [{ field: 'cursor', message: 'Not a cursor returned by this endpoint' }],
    });
  }
}

/** The filter for "strictly after this cursor" in newest-first order. */
function afterCursor(cursor: SortKey): Record<string, unknown> {
  return {
    $or: [
      { created_at: mongoose.trusted({ $lt: cursor.created_at }) },
      { created_at: cursor.created_at, _id: mongoose.trusted({ $lt: cursor._id }) },
    ],
  };
}

/**
 * One page of `model` matching every filter in `filters` (the visibility filter first).
 * Reads limit + 1 documents to know whether another page exists without a count.
 */
export async function paginate<W>(
  model: Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any -- any record model
  filters: Array<Record<string, unknown>>,
  query: Pick<ListQuery, 'limit' | 'cursor' | 'updated_since'>,
  toWire: (doc: Record<string, unknown>) => W,
): Promise<Page<W>> {
  const all = [...filters];
  if (query.updated_since)
    all.push({ updated_at: mongoose.trusted({ $gte: new Date(query.updated_since) }) });
  if (query.cursor) all.push(afterCursor(decodeCursor(query.cursor)));
  const docs = (await model
    .find({ $and: all })
    .sort({ created_at: -1, _id: -1 })
    .limit(query.limit + 1)
    .lean()) as unknown as Array<Record<string, unknown> & SortKey>;
  const page = docs.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    data: page.map(toWire),
    next_cursor: docs.length > query.limit && last ? encodeCursor(last) : null,
  };
}
