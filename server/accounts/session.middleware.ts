// STUB: replaced by the accounts issue.
import type { RequestHandler } from 'express';
import type { AppContext } from '../context';
import { AppError } from '../shared/errors';

export function requireSession(_ctx: AppContext): RequestHandler {
  return () => {
    throw new AppError('not_signed_in', 'Sign in first');
  };
}
