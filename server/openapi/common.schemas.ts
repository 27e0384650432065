// Wire shapes shared by every record resource: the standard record fields, the list envelope,
// the id path parameter and the problem+json error body. Used by the routes (validation) and by
// the OpenAPI document, so the two cannot drift.
import { AppError, problems, type ProblemCode } from '../shared/errors';
import { z } from '../shared/zod';

export const visibilitySchema = z.enum(['private', 'workspace']).openapi('Visibility', {
  description:
    '`private`: only the owner (and workspace owners/admins) can see it; `workspace`: every member.',
});

const idString = (description: string) =>
  z.string().openapi({ description, example: '665f1c2b9a1e4b0012345678' });
const isoTime = (description: string) =>
  z.string().openapi({ description, format: 'date-time', example: '2025-06-01T12:00:00.000Z' });

/** `id, workspace_id, owner_id, visibility, created_at, updated_at`: on every record. */
export const recordWireFields = {
  id: idString('The record id.'),
  workspace_id: idString('The workspace the record belongs to.'),
  owner_id: idString('The user who owns the record.'),
  visibility: visibilitySchema,
  created_at: isoTime('When the record was created (ISO-8601 UTC).'),
  updated_at: isoTime('When the record last changed (ISO-8601 UTC).'),
};

/** Fields a create may set on any record (the owner defaults to the caller). */
/**
 * A record id in a body or query. (shared/validation's `objectId` carries the `i` flag, which
 * zod-to-openapi renders as an invalid pattern, so the public schemas spell out both cases.)
 */
export const idField = z.string().regex(/^[a-fA-F0-9]{24}$/, 'must be a 24-character hexadecimal id');

export const ownershipInput = {
  workspace_id: idField
    .optional()
    .openapi({ description: 'Required when the caller reaches several workspaces.' }),
  owner_id: idField.optional().openapi({
    description: 'Defaults to the caller; workspace owners/admins may give the record to another member.',
  }),
  visibility: visibilitySchema.optional(),
};

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      data: z.array(item),
      next_cursor: z
        .string()
        .nullable()
        .openapi({ description: 'Pass as `cursor` to get the next page; null on the last page.' }),
    })
    .openapi(name);
}

/** `:id` path parameter. A malformed id cannot name a record, so it is a 404 like a missing one. */
export const idParamsSchema = z.object({ id: z.string().openapi({ description: 'The record id.' }) });

export function parseId(params: unknown, what: string): string {
  const id = (params as { id?: unknown })?.id;
  if (typeof id !== 'string' || !/^[a-f0-9]{24}$/i.test(id))
    throw new AppError('not_found', `${what} not found`);
  return id.toLowerCase();
}

export const problemCodes = Object.keys(problems) as [ProblemCode, ...ProblemCode[]];

export const problemSchema = z
  .object({
    type: z.string().openapi({ description: 'A link to this code in the docs: `/docs#error-<code>`.' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().openapi({ description: 'What went wrong, for humans.' }),
    code: z.enum(problemCodes).openapi({ description: 'Stable machine-readable code; branch on this.' }),
    errors: z
      .array(z.object({ field: z.string(), message: z.string(), code: z.string().optional() }))
      .optional()
      .openapi({ description: 'Per-field problems of an `invalid_request`.' }),
    existing_id: z
      .string()
      .optional()
      .openapi({ description: 'For a `conflict` on a unique field: the existing record.' }),
    request_id: z.string().optional().openapi({ description: 'Quote it when asking for support.' }),
  })
  .openapi('Problem', { description: 'An error, as application/problem+json (RFC 9457).' });
