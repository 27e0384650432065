// Builds the Express app; never listens (index.ts does, tests use supertest or their own port).
import cookieParser from 'cookie-parser';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { publicApiRoutes, sessionApiRoutes } from './api.routes';
import { authRoutes } from './accounts/auth.routes';
import type { AppContext } from './context';
import { docsRoutes } from './openapi/docs.routes';
import { healthRoutes } from './health/health.routes';
import { jsonBody } from './shared/json-body';
import { errorHandler, notFoundHandler, unavailable } from './shared/problem';
import { requestLog } from './shared/request-log';
import { webRoutes } from './web/web.routes';

export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy(ctx.config.TRUST_PROXY));
  app.set('query parser', 'simple');
  app.use(requestLog(ctx.logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
        },
      },
    }),
  );
  app.use(jsonBody(ctx.config.BODY_LIMIT));
  app.use(cookieParser());

  app.use('/health', healthRoutes(ctx));
  app.use(['/auth', '/app', '/api/v1'], requireDatabase(ctx));
  app.use('/auth', authRoutes(ctx));
  app.use('/app', sessionApiRoutes(ctx));
  app.use('/api/v1', publicApiRoutes(ctx));
  app.use('/docs', docsRoutes(ctx));
  app.use(webRoutes(ctx));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

/** While the driver knows the database is unreachable, answer 503 at once instead of after its timeout. */
function requireDatabase({ db }: AppContext): RequestHandler {
  return (_req, _res, next) => {
    if (!db.isUp()) throw unavailable();
    next();
  };
}

function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}
