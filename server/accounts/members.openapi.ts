// OpenAPI for GET /api/v1/members, registered from the schemas the route validates with.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { BEARER_AUTH, errorResponses, ok } from '../openapi/openapi.helpers';
import { memberListQuerySchema, memberPageSchema } from './members.schemas';

export function registerMembersOpenApi(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/members',
    operationId: 'listMembers',
    summary: 'List the members of the workspaces the key reaches',
    description: [
      'One entry per (user, workspace) with the user’s role there; deactivated users are left out. ' +
        'Use an entry’s `id` as a record’s `owner_id`. Workspaces outside the key’s scope or with API access off are not included.',
      'Newest membership first (by `created_at`, then id), a page at a time: pass `next_cursor` back as `cursor`.',
      'Needs a key with `read` permission or higher.',
    ].join('\n\n'),
    tags: ['Members'],
    security: [{ [BEARER_AUTH]: [] }],
    request: { query: memberListQuerySchema },
    responses: {
      200: ok('A page of members.', memberPageSchema),
      ...errorResponses({ query: true, record: true }),
    },
  });
}
