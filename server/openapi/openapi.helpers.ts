// Building blocks for registering routes in the OpenAPI document: the problem+json responses,
// the rate-limit headers every /api/v1 response carries, and the Idempotency-Key header.
// Other features (keys, hooks) may use these so every operation documents errors the same way.
import type { ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from '../shared/zod';
import { problemSchema } from './common.schemas';

export const BEARER_AUTH = 'bearerAuth';

export const rateLimitHeaders = {
  'RateLimit-Policy': {
    description: 'The quota policy (draft-ietf-httpapi-ratelimit-headers), e.g. `"per-key";q=120;w=60`.',
    schema: { type: 'string' as const },
  },
  RateLimit: {
    description: 'What is left of the quota, e.g. `"per-key";r=117;t=42`.',
    schema: { type: 'string' as const },
  },
  'X-RateLimit-Limit': {
    description: 'Requests allowed per window (legacy header).',
    schema: { type: 'integer' as const },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left in this window (legacy header).',
    schema: { type: 'integer' as const },
  },
  'X-RateLimit-Reset': {
    description: 'When the window resets, as Unix time in seconds (legacy header, as GitHub sends it).',
    schema: { type: 'integer' as const },
  },
  'Switchboard-Key-Expires-At': {
    description: 'When the calling key expires (ISO-8601); absent for keys that never expire.',
    schema: { type: 'string' as const, format: 'date-time' },
  },
};

export const jsonContent = (schema: z.ZodType) => ({ 'application/json': { schema } });

export function ok(description: string, schema?: z.ZodType): ResponseConfig {
  return { description, headers: rateLimitHeaders, ...(schema ? { content: jsonContent(schema) } : {}) };
}

function problem(
  description: string,
  extraHeaders: Record<string, { description: string; schema: { type: 'string' | 'integer' } }> = {},
): ResponseConfig {
  return {
    description,
    headers: { ...rateLimitHeaders, ...extraHeaders },
    content: { 'application/problem+json': { schema: problemSchema } },
  };
}

const retryAfter = {
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' as const } },
};

/** The errors any authenticated /api/v1 operation can return, plus those its shape adds. */
export function errorResponses(
  opts: { body?: boolean; record?: boolean; conflict?: boolean; query?: boolean } = {},
): RouteConfig['responses'] {
  return {
    ...(opts.query || opts.body
      ? { 400: problem('`invalid_request`: a malformed query parameter, JSON body or header.') }
      : {}),
    401: problem(
      '`missing_api_key`, `invalid_api_key`, `expired_api_key` or `revoked_api_key` (with `WWW-Authenticate: Bearer`).',
      {
        'WWW-Authenticate': { description: 'Always `Bearer`.', schema: { type: 'string' } },
      },
    ),
    403: problem(
      "`api_access_disabled` (no workspace the key reaches has API access on), `insufficient_permission` (the key's permission is too low) or `forbidden`.",
    ),
    ...(opts.record ? { 404: problem('`not_found`: no such record, or one the caller cannot see.') } : {}),
    ...(opts.conflict || opts.body
      ? {
          409: problem(
            '`conflict`: a unique field is taken (`existing_id` names the record) or an `Idempotency-Key` was reused with another request.',
          ),
        }
      : {}),
    ...(opts.body
      ? {
          413: problem('`payload_too_large`.'),
          415: problem('`unsupported_media_type`: send application/json.'),
        }
      : {}),
    ...(opts.body
      ? { 422: problem('`invalid_request`: the body failed validation; `errors` lists every field.') }
      : {}),
    429: problem(
      '`rate_limited`: too many requests for this key (or failed authentications from this IP).',
      retryAfter,
    ),
    503: problem('`service_unavailable`: the database cannot be reached; retry later.', retryAfter),
  };
}

/** Write operations accept Idempotency-Key; a replayed response carries Idempotent-Replayed. */
export const idempotencyHeaders = z.object({
  'Idempotency-Key': z.string().min(1).max(255).optional().openapi({
    description:
      'Makes the write safe to retry: the same key and request within 24 h returns the first response (with `Idempotent-Replayed: true`); the same key with another request is a 409 `conflict`.',
    example: 'a5b1c3d2-5f1e-4c6a-9a55-3b9f0e2d7c11',
  }),
});

export const replayedHeader = {
  'Idempotent-Replayed': {
    description:
      '`true` when this is the stored response of an earlier request with the same Idempotency-Key.',
    schema: { type: 'string' as const },
  },
};
