// STUB: replaced by the API-keys issue (registers GET /api/v1/me).
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

export function registerKeysOpenApi(_registry: OpenAPIRegistry): void {}
