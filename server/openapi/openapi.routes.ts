// GET /api/v1/openapi.json: unauthenticated (mounted before API-key auth), built once per app.
import { Router } from 'express';
import type { AppContext } from '../context';
import { buildOpenApiDocument } from './openapi.document';

export function openapiRoutes(ctx: AppContext): Router {
  const body = JSON.stringify(buildOpenApiDocument(ctx.config));
  return Router().get('/', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/json').send(body);
  });
}
