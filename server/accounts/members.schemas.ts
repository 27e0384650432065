// GET /api/v1/members (and /app/members): the query it accepts and the member it returns. The same
// zod objects validate the request and describe it in the OpenAPI document.
import { pageOf } from '../openapi/common.schemas';
import { listQuerySchema } from '../shared/pagination';
import { z } from '../shared/zod';
import { roles } from './workspace.model';

// A membership's `updated_at` moves on a role change only, so `updated_since` would mislead here.
export const memberListQuerySchema = listQuerySchema
  .omit({ updated_since: true })
  .extend({
    workspace_id: listQuerySchema.shape.workspace_id.openapi({
      description: 'Only the members of this workspace; one the caller does not reach is a 404.',
    }),
  })
  .strict();

export type MemberListQuery = z.output<typeof memberListQuerySchema>;

const example = '665f1c2b9a1e4b0012345678';

export const memberSchema = z
  .object({
    id: z.string().openapi({ description: 'The user id: what `owner_id` takes.', example }),
    name: z.string().openapi({ example: 'Ada Lovelace' }),
    email: z.string().openapi({ example: 'ada@example.com' }),
    role: z.enum(roles).openapi({ description: "The user's role in this workspace." }),
    workspace_id: z.string().openapi({ description: 'The workspace of this membership.', example }),
  })
  .openapi('Member', {
    description: 'A user in a workspace the caller reaches; one entry per (user, workspace).',
  });

export type MemberWire = z.output<typeof memberSchema>;

export const memberPageSchema = pageOf(memberSchema, 'MemberPage');
