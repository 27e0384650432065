// Small helpers for the CRM tests: requests with a key, and problem+json assertions.
import type supertest from 'supertest';
import type { TestApp } from '../../helpers/app';
import { bearer } from '../../helpers/fixtures';

export interface Client {
  get(path: string): supertest.Test;
  post(path: string, body?: unknown): supertest.Test;
  patch(path: string, body?: unknown): supertest.Test;
  delete(path: string): supertest.Test;
}

/** Requests to /api/v1 with a key. */
export function keyClient(t: TestApp, secret: string): Client {
  const h = bearer(secret);
  const url = (p: string) => `/api/v1${p}`;
  return {
    get: (p) => t.request().get(url(p)).set(h),
    post: (p, body) =>
      t
        .request()
        .post(url(p))
        .set(h)
        .send(body as object),
    patch: (p, body) =>
      t
        .request()
        .patch(url(p))
        .set(h)
        .send(body as object),
    delete: (p) => t.request().delete(url(p)).set(h),
  };
}

/** Asserts a problem+json error with this status and code; returns the body. */
export function expectProblem(
  res: supertest.Response,
  status: number,
  code: string,
): Record<string, unknown> {
  if (res.status !== status || (res.body as { code?: string }).code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.body as Record<string, unknown>;
}

export const uniqueEmail = (label = 'c'): string => `${label}-${crypto.randomUUID()}@example.test`;

export const RECORD_FIELDS = ['id', 'workspace_id', 'owner_id', 'visibility', 'created_at', 'updated_at'];
