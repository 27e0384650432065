// One zod schema per request shape. A failure is a 422 listing every field, never a 500.
import type { ZodType } from 'zod';
import { z } from './zod';
import { AppError, type FieldError } from './errors';

export type Source = 'body' | 'query' | 'params' | 'headers';

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : undefined;
    const field =
      [...issue.path.map(String), ...(unknownKeys?.length === 1 ? unknownKeys : [])].join('.') || '(root)';
    return {
      field,
      message: unknownKeys
        ? `Unknown field${unknownKeys.length > 1 ? 's' : ''}: ${unknownKeys.join(', ')}`
        : issue.message,
      code: issue.code,
    };
  });
}

/** Parses input against a schema; query and params failures are 400, body failures 422. */
export function parse<S extends ZodType>(schema: S, value: unknown, source: Source = 'body'): z.output<S> {
  const result = schema.safeParse(value ?? (source === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const errors = fieldErrors(result.error);
  const detail =
    value === undefined && source === 'body'
      ? 'A JSON request body is required'
      : `Invalid ${source === 'body' ? 'request body' : source}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`;
  throw new AppError('invalid_request', detail.slice(0, 500), {
    status: source === 'body' ? 422 : 400,
    errors,
  });
}

/** A 24-hex MongoDB id as a string; anything else is treated as "no such record". */
export const objectId = z.string().regex(/^[a-fA-F0-9]{24}$/, 'must be a 24-character hexadecimal id');
