// STUB: replaced by the issue that owns this feature.
import { Router } from 'express';
import type { AppContext } from '../context';

export function webRoutes(_ctx: AppContext): Router {
  return Router();
}
