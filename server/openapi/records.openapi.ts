// The record resources of the public API in the OpenAPI document, registered from the very zod
// schemas their routes validate with.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import {
  contactCreateSchema,
  contactListQuerySchema,
  contactPageSchema,
  contactSchema,
  contactUpdateSchema,
} from '../contacts/contact.schemas';
import {
  dealCreateSchema,
  dealListQuerySchema,
  dealPageSchema,
  dealSchema,
  dealUpdateSchema,
} from '../deals/deal.schemas';
import {
  messageCreateSchema,
  messageListQuerySchema,
  messagePageSchema,
  messageSchema,
} from '../messages/message.schemas';
import { pipelineListQuerySchema, pipelinePageSchema, pipelineSchema } from '../pipeline/pipeline.schemas';
import type { z } from '../shared/zod';
import { idParamsSchema } from './common.schemas';
import {
  BEARER_AUTH,
  errorResponses,
  idempotencyHeaders,
  jsonContent,
  ok,
  replayedHeader,
  rateLimitHeaders,
} from './openapi.helpers';

type Op = 'list' | 'create' | 'get' | 'update' | 'delete';

interface Resource {
  path: string;
  tag: string;
  noun: string;
  plural: string;
  wire: z.ZodType;
  page: z.ZodType;
  listQuery: z.ZodObject;
  create?: z.ZodType;
  update?: z.ZodType;
  ops: Op[];
  notes?: Partial<Record<Op, string>>;
}

const PERMS: Record<Op, string> = {
  list: 'Needs a key with `read` permission or higher.',
  get: 'Needs a key with `read` permission or higher.',
  create: 'Needs a key with `write` permission or higher.',
  update: 'Needs a key with `write` permission or higher.',
  delete:
    "Needs a key with `admin` permission; only the record's owner or a workspace owner/admin may delete.",
};

function register(registry: OpenAPIRegistry, r: Resource): void {
  const security = [{ [BEARER_AUTH]: [] }];
  const byId = `${r.path}/{id}`;
  const describe = (op: Op, text: string) => [text, r.notes?.[op], PERMS[op]].filter(Boolean).join('\n\n');
  const written = (status: string, text: string) => ({
    [status]: { ...ok(text, r.wire), headers: { ...rateLimitHeaders, ...replayedHeader } },
  });
  const route = { tags: [r.tag], security };
  if (r.ops.includes('list'))
    registry.registerPath({
      ...route,
      method: 'get',
      path: r.path,
      operationId: `list${r.plural}`,
      summary: `List ${r.plural.toLowerCase()}`,
      description: describe(
        'list',
        `Newest first (by \`created_at\`, then id), a page at a time: pass \`next_cursor\` back as \`cursor\`.`,
      ),
      request: { query: r.listQuery },
      responses: {
        200: ok(`A page of ${r.plural.toLowerCase()}.`, r.page),
        ...errorResponses({ query: true }),
      },
    });
  if (r.ops.includes('create') && r.create)
    registry.registerPath({
      ...route,
      method: 'post',
      path: r.path,
      operationId: `create${r.noun}`,
      summary: `Create a ${r.noun.toLowerCase()}`,
      description: describe('create', 'Unknown fields are refused (422). Returns the full record.'),
      request: { headers: idempotencyHeaders, body: { required: true, content: jsonContent(r.create) } },
      responses: {
        ...written('201', `The created ${r.noun.toLowerCase()}.`),
        ...errorResponses({ body: true }),
      },
    });
  if (r.ops.includes('get'))
    registry.registerPath({
      ...route,
      method: 'get',
      path: byId,
      operationId: `get${r.noun}`,
      summary: `Get a ${r.noun.toLowerCase()}`,
      description: describe('get', 'A record the caller cannot see is a 404, exactly like a missing one.'),
      request: { params: idParamsSchema },
      responses: { 200: ok(`The ${r.noun.toLowerCase()}.`, r.wire), ...errorResponses({ record: true }) },
    });
  if (r.ops.includes('update') && r.update)
    registry.registerPath({
      ...route,
      method: 'patch',
      path: byId,
      operationId: `update${r.noun}`,
      summary: `Update a ${r.noun.toLowerCase()}`,
      description: describe(
        'update',
        'Partial: only the fields sent change; `null` clears an optional field. Returns the full record.',
      ),
      request: {
        params: idParamsSchema,
        headers: idempotencyHeaders,
        body: { required: true, content: jsonContent(r.update) },
      },
      responses: {
        ...written('200', `The updated ${r.noun.toLowerCase()}.`),
        ...errorResponses({ body: true, record: true }),
      },
    });
  if (r.ops.includes('delete'))
    registry.registerPath({
      ...route,
      method: 'delete',
      path: byId,
      operationId: `delete${r.noun}`,
      summary: `Delete a ${r.noun.toLowerCase()}`,
      description: describe('delete', 'Permanent.'),
      request: { params: idParamsSchema, headers: idempotencyHeaders },
      responses: {
        204: { description: 'Deleted.', headers: { ...rateLimitHeaders, ...replayedHeader } },
        ...errorResponses({ record: true, conflict: true }),
      },
    });
}

export function registerRecordsOpenApi(registry: OpenAPIRegistry): void {
  register(registry, {
    path: '/contacts',
    tag: 'Contacts',
    noun: 'Contact',
    plural: 'Contacts',
    wire: contactSchema,
    page: contactPageSchema,
    listQuery: contactListQuerySchema,
    create: contactCreateSchema,
    update: contactUpdateSchema,
    ops: ['list', 'create', 'get', 'update', 'delete'],
    notes: {
      list: 'Find a contact by email with `?email=`.',
      create:
        'An email already used in the workspace is a 409 `conflict` whose `existing_id` names the existing contact.',
    },
  });
  register(registry, {
    path: '/pipelines',
    tag: 'Pipelines',
    noun: 'Pipeline',
    plural: 'Pipelines',
    wire: pipelineSchema,
    page: pipelinePageSchema,
    listQuery: pipelineListQuerySchema,
    ops: ['list', 'get'],
    notes: {
      list: 'Pipelines with their ordered stages. Every workspace starts with "Sales": Lead, Qualified, Proposal, Won, Lost.',
    },
  });
  register(registry, {
    path: '/deals',
    tag: 'Deals',
    noun: 'Deal',
    plural: 'Deals',
    wire: dealSchema,
    page: dealPageSchema,
    listQuery: dealListQuerySchema,
    create: dealCreateSchema,
    update: dealUpdateSchema,
    ops: ['list', 'create', 'get', 'update', 'delete'],
    notes: {
      update:
        'Move a deal by sending `stage_id`; a stage of another pipeline is a 422. A stage change emits `deal.stage_changed`.',
    },
  });
  register(registry, {
    path: '/messages',
    tag: 'Messages',
    noun: 'Message',
    plural: 'Messages',
    wire: messageSchema,
    page: messagePageSchema,
    listQuery: messageListQuerySchema,
    create: messageCreateSchema,
    ops: ['list', 'create', 'get'],
  });
}
