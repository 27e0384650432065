// STUB: replaced by the REST-hooks issue (registers POST/DELETE /api/v1/hooks).
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

export function registerHooksOpenApi(_registry: OpenAPIRegistry): void {}
