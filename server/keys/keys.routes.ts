// STUB: replaced by the issue that owns this feature.
import { Router } from 'express';
import type { AppContext } from '../context';

export function keysRoutes(_ctx: AppContext): Router {
  return Router();
}
