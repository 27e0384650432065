// STUB: replaced by the issue that owns this feature.
import { Router } from 'express';
import type { AppContext } from '../context';

export function authRoutes(_ctx: AppContext): Router {
  return Router();
}
