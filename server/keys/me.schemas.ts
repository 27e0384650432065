// The response of GET /api/v1/me (also feeds the OpenAPI document).
import { z } from '../shared/zod';

export const meResponse = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
    key: z.object({
      id: z.string(),
      name: z.string(),
      prefix: z.string().openapi({ example: 'sbk_7Hq2xR' }),
      permission: z.enum(['read', 'write', 'admin']),
      scope: z.union([z.literal('all'), z.object({ workspace_id: z.string() })]),
      expires_at: z.string().nullable().openapi({ format: 'date-time' }),
      created_at: z.string().openapi({ format: 'date-time' }),
      last_used_at: z.string().nullable().openapi({ format: 'date-time' }),
    }),
    workspaces: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        role: z.enum(['owner', 'admin', 'member']),
        api_access_enabled: z.boolean(),
      }),
    ),
  })
  .openapi('Me');

export type MeResponse = z.infer<typeof meResponse>;
