// Builds the OpenAPI 3.1 document from the zod schemas the routes validate with. Built once per
// app (it is pure: the same config gives the same document), never per request.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { registerMembersOpenApi } from '../accounts/members.openapi';
import type { Config } from '../config';
import { registerHooksOpenApi } from '../hooks/hooks.openapi';
import { registerKeysOpenApi } from '../keys/keys.openapi';
import { z } from '../shared/zod';
import { problemSchema } from './common.schemas';
import { introMarkdown } from './intro';
import { BEARER_AUTH } from './openapi.helpers';
import { registerRecordsOpenApi } from './records.openapi';

/** Where the public API is mounted (server/app.ts); the document's server URL ends with it. */
export const API_PREFIX = '/api/v1';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export function baseUrlOf(config: Config): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

export function buildOpenApiDocument(config: Config): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.register('Problem', problemSchema);
  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI document',
    description: 'Needs no API key.',
    tags: ['Meta'],
    security: [],
    responses: {
      200: {
        description: 'The OpenAPI 3.1 document.',
        content: { 'application/json': { schema: z.object({}).passthrough() } },
      },
    },
  });
  registerKeysOpenApi(registry);
  registerMembersOpenApi(registry);
  registerRecordsOpenApi(registry);
  registerHooksOpenApi(registry);

  const baseUrl = baseUrlOf(config);
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: '1.0.0',
      description: introMarkdown(baseUrl, config.API_KEY_RATE_LIMIT, config.AUTH_FAILURE_RATE_LIMIT),
    },
    // Paths are relative to the API root, so the document serves any deployment prefix.
    servers: [{ url: `${baseUrl}${API_PREFIX}`, description: 'This Switchboard server' }],
    security: [{ [BEARER_AUTH]: [] }],
    tags: [
      { name: 'Account', description: 'Who the key is and what it reaches.' },
      { name: 'Members', description: 'The people in the workspaces the key reaches: possible owners.' },
      { name: 'Contacts', description: 'People you talk to; email is unique per workspace.' },
      { name: 'Pipelines', description: 'Sales pipelines and their ordered stages.' },
      { name: 'Deals', description: 'Opportunities moving through a pipeline.' },
      { name: 'Messages', description: 'Emails, texts, chats and notes exchanged with contacts.' },
      { name: 'Hooks', description: 'REST-hook subscriptions with signed deliveries.' },
      { name: 'Meta', description: 'The API description itself.' },
    ],
  });
  return { ...document, paths: relativePaths(document.paths ?? {}) };
}

/** Tolerates a feature registering a full `/api/v1/...` path: every path is relative to the server. */
function relativePaths<T>(paths: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(paths).map(([p, item]) => [
      p.startsWith(`${API_PREFIX}/`) ? p.slice(API_PREFIX.length) : p,
      item,
    ]),
  );
}
