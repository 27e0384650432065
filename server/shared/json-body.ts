// JSON bodies only, bounded in size and in depth: deep nesting is refused before any handler
// (or a recursive library) sees it.
import express, { type RequestHandler } from 'express';
import { AppError } from './errors';

export const MAX_JSON_DEPTH = 20;

function depthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= limit) return true;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}

export function jsonBody(limit: string): RequestHandler[] {
  const parser = express.json({ limit, strict: true, type: ['application/json', 'application/*+json'] });
  const guard: RequestHandler = (req, _res, next) => {
    const hasBody =
      Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    const writes = !['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(req.method);
    if (writes && hasBody && !req.is(['application/json', 'application/*+json']))
      throw new AppError('unsupported_media_type', 'Send the request body as application/json');
    if (depthExceeds(req.body, MAX_JSON_DEPTH))
      throw new AppError(
        'invalid_request',
        `The request body is nested deeper than ${MAX_JSON_DEPTH} levels`,
        {
          status: 400,
        },
      );
    next();
  };
  return [parser, guard];
}
