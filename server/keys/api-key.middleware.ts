// STUB: replaced by the API-keys issue.
import type { RequestHandler } from 'express';
import type { AppContext } from '../context';
import { AppError } from '../shared/errors';

export function apiKeyAuth(_ctx: AppContext): RequestHandler {
  return () => {
    throw new AppError('missing_api_key', 'Send your API key as Authorization: Bearer sbk_…');
  };
}
