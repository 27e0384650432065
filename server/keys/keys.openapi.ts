// OpenAPI for the key-authenticated basics: the one bearer scheme every /api/v1 operation uses, and GET /api/v1/me.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { BEARER_AUTH, errorResponses, ok } from '../openapi/openapi.helpers';
import { API_KEY_PATTERN } from './key-format';
import { meResponse } from './me.schemas';

export function registerKeysOpenApi(registry: OpenAPIRegistry): void {
  const apiKey = registry.registerComponent('securitySchemes', BEARER_AUTH, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: `sbk_ + 36 base62 characters (matches ${API_KEY_PATTERN.source})`,
    description:
      'Create a key in Settings → Zapier / API keys and send it as `Authorization: Bearer sbk_…`. Never put a key in a URL.',
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/me',
    operationId: 'getMe',
    summary: 'Check a key: its creator, the key itself, and the workspaces it reaches',
    description:
      'The workspaces are the creator’s current memberships within the key’s scope, each with its API-access state. ' +
      'Use this to test a new key: `curl -H "Authorization: Bearer $SWITCHBOARD_API_KEY" …/api/v1/me`.',
    tags: ['Account'],
    security: [{ [apiKey.name]: [] }],
    responses: { 200: ok('The key works.', meResponse), ...errorResponses() },
  });
}
