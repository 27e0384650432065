// The one renderer of errors: everything leaves as application/problem+json with a request id.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import mongoose from 'mongoose';
import { AppError, problems } from './errors';

export const PROBLEM_TYPE_BASE = '/docs#error-';

export function sendProblem(res: Response, error: AppError): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  if (error.status === 401 && error.code.endsWith('api_key')) res.setHeader('WWW-Authenticate', 'Bearer');
  res
    .status(error.status)
    .type('application/problem+json')
    .json({
      type: `${PROBLEM_TYPE_BASE}${error.code}`,
      title: problems[error.code].title,
      status: error.status,
      detail: error.detail,
      code: error.code,
      ...(error.errors ? { errors: error.errors } : {}),
      ...error.extra,
      request_id: res.req.id,
    });
}

export const notFoundHandler: RequestHandler = (req) => {
  throw new AppError('not_found', `No route for ${req.method} ${req.path}`);
};

/** Maps what libraries throw onto our codes; anything unknown is a logged 500 with no details. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; name?: string; code?: number | string };
  if (e?.type === 'entity.parse.failed')
    return new AppError('invalid_request', 'The request body is not valid JSON', { status: 400 });
  if (e?.type === 'entity.too.large')
    return new AppError('payload_too_large', 'The request body is too large');
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported')
    return new AppError('unsupported_media_type', 'Unsupported body encoding');
  if (e?.status && e.status >= 400 && e.status < 500)
    return new AppError('invalid_request', 'The request could not be read', { status: 400 });
  if (isDatabaseUnavailable(err)) return unavailable(err);
  if (err instanceof mongoose.Error.CastError) return new AppError('not_found', 'Resource not found');
  return new AppError('internal_error', 'Something went wrong on our side', { cause: err });
}

export const unavailable = (cause?: unknown): AppError =>
  new AppError('service_unavailable', 'The database is unavailable; retry shortly', {
    headers: { 'Retry-After': '5' },
    cause,
  });

export function isDatabaseUnavailable(err: unknown): boolean {
  const name = (err as { name?: string })?.name ?? '';
  const message = (err as { message?: string })?.message ?? '';
  return (
    /Mongo(Network|ServerSelection|NotConnected|Topology|PoolCleared)|MongooseServerSelection/.test(name) ||
    /buffering timed out|Client must be connected|Topology is closed|connection .* closed/i.test(message)
  );
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const error = toAppError(err);
  if (error.status >= 500) req.log.error({ err: error.cause ?? err, code: error.code }, 'request failed');
  if (res.headersSent) {
    res.end();
    return;
  }
  sendProblem(res, error);
};
