// STUB: replaced by the issue that owns this feature.
import { Router } from 'express';
import type { AppContext } from '../context';

export function openapiRoutes(_ctx: AppContext): Router {
  return Router();
}
