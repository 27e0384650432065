// Drives the BUILT Zapier app (zapier-app/index.js → dist/, what `zapier push` uploads) through
// zapier-platform-core's app tester against the real server on a loopback port, with a loopback
// receiver standing in for Zapier's hook URLs.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zapier from 'zapier-platform-core';
import { startTestApp, type TestApp, type TestEnv } from '../helpers/app';
import { apiUser, bearer, createKey, type SignedInUser } from '../helpers/fixtures';

// A loose view of the app definition: tests reach into it by key, as the Zapier runtime does.
/* eslint-disable @typescript-eslint/no-explicit-any */
export type AnyFn = (z: any, bundle: any) => any;
export interface Operation {
  key: string;
  noun: string;
  display: { label?: string; description?: string; hidden?: boolean };
  operation: Record<string, any> & {
    perform: AnyFn;
    performList?: AnyFn;
    performSubscribe?: AnyFn;
    performUnsubscribe?: AnyFn;
    sample?: Record<string, unknown>;
    outputFields?: Array<{ key: string; label?: string }>;
    inputFields?: Array<Record<string, any>>;
  };
}
export interface AppDefinition {
  version: string;
  authentication: { test: AnyFn; connectionLabel: unknown; fields: Array<Record<string, any>> };
  triggers: Record<string, Operation>;
  creates: Record<string, Operation>;
  searches: Record<string, Operation>;
  searchOrCreates: Record<string, Record<string, any>>;
  throttle: { window: number; limit: number };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const appDir = path.resolve(__dirname, '../../zapier-app');

/** The compiled app; `npm test` builds first (`npm run build -w zapier-app` when running jest alone). */
export function loadApp(): AppDefinition {
  if (!fs.existsSync(path.join(appDir, 'dist/index.js')))
    throw new Error('zapier-app is not built: run `npm run build -w zapier-app` first');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(appDir) as AppDefinition;
}

export const App = loadApp();
export const appTester = zapier.createAppTester(App);

/** Runs one perform-style function of the app with the given key, as Zapier would. */
export function run<T = unknown>(
  fn: AnyFn | undefined,
  apiKey: string,
  bundle: Record<string, unknown> = {},
): Promise<T> {
  if (!fn) throw new Error('no such function on the app');
  return appTester(fn, { authData: { apiKey }, inputData: {}, ...bundle }) as Promise<T>;
}

/** The error a perform threw, with a zapier AppError's JSON message unpacked. */
export async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; code?: string; status?: number; delay?: number }> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error;
    try {
      const parsed = JSON.parse(e.message) as {
        message: string;
        code?: string;
        status?: number;
        delay?: number;
      };
      return { name: e.name, ...parsed };
    } catch {
      return { name: e.name, message: e.message };
    }
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

export interface Harness {
  t: TestApp;
  base: string;
  /** A signed-up user with API access on and an admin/write/read key each. */
  user: SignedInUser;
  keys: { admin: string; write: string; read: string };
  /** The public API as the given key (default: admin); throws on any error status. */
  api(secret?: string): {
    get(p: string): Promise<Body>;
    post(p: string, body: object): Promise<Body>;
    patch(p: string, body: object): Promise<Body>;
  };
}

/** A JSON response body; tests index into it freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

export async function startHarness(env: TestEnv = {}): Promise<Harness> {
  const t = await startTestApp(
    { HOOKS_ALLOW_PRIVATE_TARGETS: 'true', HOOKS_POLL_INTERVAL_MS: '50', ...env } as TestEnv,
    { workers: true },
  );
  const base = await t.listen();
  // lib/api.ts reads it at request time, so setting it after the app module loaded is fine.
  process.env.SWITCHBOARD_API_URL = base;
  const { user, secret: admin } = await apiUser(t, 'admin');
  const write = (await createKey(t, user, { name: 'Zapier write', permission: 'write' })).secret;
  const read = (await createKey(t, user, { name: 'Zapier read', permission: 'read' })).secret;
  const api = (secret = admin) => ({
    get: async (p: string) => check(await t.request().get(`/api/v1${p}`).set(bearer(secret))),
    post: async (p: string, body: object) =>
      check(await t.request().post(`/api/v1${p}`).set(bearer(secret)).send(body)),
    patch: async (p: string, body: object) =>
      check(await t.request().patch(`/api/v1${p}`).set(bearer(secret)).send(body)),
  });
  return { t, base, user, keys: { admin, write, read }, api };
}

function check(res: { status: number; body: unknown }): Body {
  if (res.status >= 400) throw new Error(`API answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface Delivery {
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
}

/** A loopback HTTP server standing in for Zapier's hook URL: records every POST it receives. */
export async function startReceiver(): Promise<{
  url: string;
  deliveries: Delivery[];
  waitFor(count: number, timeoutMs?: number): Promise<Delivery[]>;
  stop(): Promise<void>;
}> {
  const deliveries: Delivery[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      deliveries.push({ headers: req.headers, raw, body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/standard/${Math.random().toString(36).slice(2)}/`,
    deliveries,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (deliveries.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} deliveries, got ${deliveries.length}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return deliveries;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
