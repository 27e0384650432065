import { Router } from 'express';
import type { AppContext } from '../context';

/** Liveness plus the database tier; 503 "degraded" while the database cannot be reached. */
export function healthRoutes({ db }: AppContext): Router {
  return Router().get('/', (_req, res) => {
    const up = db.isUp();
    res.status(up ? 200 : 503).json({ status: up ? 'ok' : 'degraded', db: db.tier });
  });
}
