// Request ids and one structured log line per request. The id comes from a well-formed incoming
// X-Request-Id (so a caller can correlate) or is generated; it is echoed back and in every problem.
import { randomUUID } from 'node:crypto';
import pinoHttp from 'pino-http';
import type { RequestHandler } from 'express';
import type { Logger } from './logger';

const wellFormedId = /^[A-Za-z0-9._-]{8,64}$/;

export function requestLog(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && wellFormedId.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    // Query strings are logged as a path only: a mistaken client may put a secret in one.
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
  }) as unknown as RequestHandler;
}
