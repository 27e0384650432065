// GET /api/v1/openapi.json: a valid OpenAPI 3.1 document, unauthenticated, generated from the
// route schemas, covering every route Express actually mounts under /api/v1.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { problems } from '../../../server/shared/errors';
import { startTestApp, type TestApp } from '../../helpers/app';

let t: TestApp;
let doc: {
  openapi: string;
  info: { description?: string };
  paths: Record<
    string,
    Record<string, { security?: unknown[]; responses: Record<string, { headers?: Record<string, unknown> }> }>
  >;
  components: {
    schemas: Record<
      string,
      {
        properties?: Record<string, { enum?: string[] }>;
        required?: string[];
        additionalProperties?: unknown;
      }
    >;
    securitySchemes: Record<string, unknown>;
  };
  security: unknown[];
  servers: Array<{ url: string }>;
};
beforeAll(async () => {
  t = await startTestApp();
  doc = (await t.request().get('/api/v1/openapi.json').expect(200)).body as typeof doc;
});
afterAll(async () => t.stop());

/**
 * Validates with @apidevtools/swagger-parser in a plain Node child process: its dependency
 * json-schema-ref-parser is ESM-only, which Node loads with require(esm) but jest's CommonJS
 * runtime cannot. Resolves to null when valid, else the validator's message.
 */
async function validateOpenApi(document: unknown): Promise<string | null> {
  const file = path.join(os.tmpdir(), `openapi-${crypto.randomUUID()}.json`);
  fs.writeFileSync(file, JSON.stringify(document));
  const script =
    "require('@apidevtools/swagger-parser').validate(process.argv[1]).then(() => process.stdout.write('VALID'), (e) => process.stdout.write(String(e.message)))";
  try {
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['-e', script, file],
        { cwd: path.resolve(__dirname, '../../..') },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      ),
    );
    return out === 'VALID' ? null : out;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string | string[];
}

/** Every (method, path) Express mounts, found by walking the router stacks. */
function mountedRoutes(app: Express): Array<{ method: string; path: string }> {
  const out: Array<{ method: string; path: string }> = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      const raw = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths)
          for (const [method, on] of Object.entries(layer.route.methods))
            if (on && method !== '_all') out.push({ method, path: `${prefix}${p === '/' ? '' : p}` || '/' });
      } else if (layer.handle?.stack) walk(layer.handle.stack, `${prefix}${raw}`);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out;
}

describe('GET /api/v1/openapi.json', () => {
  test('when fetched without a key, then it is an OpenAPI 3.1 document that validates', async () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(await validateOpenApi(doc)).toBeNull();
    // The validator really checks: a broken document is refused.
    expect(await validateOpenApi({ ...doc, paths: { '/x': { get: { responses: 'nope' } } } })).not.toBeNull();
  });

  test('when the routes under /api/v1 are walked, then every one is in the document', () => {
    const api = mountedRoutes(t.app).filter((r) => r.path.startsWith('/api/v1/'));
    expect(api.length).toBeGreaterThanOrEqual(17);
    const missing = api
      .map((r) => ({
        method: r.method,
        path: r.path.slice('/api/v1'.length).replace(/:([A-Za-z_]+)/g, '{$1}'),
      }))
      .filter((r) => !doc.paths[r.path]?.[r.method]);
    expect(missing).toEqual([]);
    expect(doc.servers[0]!.url).toMatch(/\/api\/v1$/);
  });

  test('when an operation needs a key, then it documents bearer auth, the errors and the rate-limit headers', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    for (const [path, item] of Object.entries(doc.paths)) {
      if (
        ![
          '/contacts',
          '/contacts/{id}',
          '/deals',
          '/deals/{id}',
          '/messages',
          '/messages/{id}',
          '/pipelines',
          '/pipelines/{id}',
        ].includes(path)
      )
        continue;
      for (const op of Object.values(item)) {
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403', '429', '503']));
        const success = Object.entries(op.responses).find(([s]) => s.startsWith('2'))![1];
        expect(Object.keys(success.headers ?? {})).toEqual(
          expect.arrayContaining([
            'RateLimit-Policy',
            'RateLimit',
            'X-RateLimit-Limit',
            'X-RateLimit-Remaining',
            'X-RateLimit-Reset',
          ]),
        );
      }
    }
  });

  test('when errors are described, then the problem schema lists exactly the closed set of codes', () => {
    expect(doc.components.schemas.Problem!.properties!.code!.enum!.sort()).toEqual(
      Object.keys(problems).sort(),
    );
    for (const code of Object.keys(problems)) expect(doc.info.description).toContain(`error-${code}`);
  });

  test('when a request body schema is documented, then it is the strict zod schema the route validates with', () => {
    const create = doc.components.schemas.ContactCreate!;
    expect(create.required).toEqual(['name']);
    expect(create.additionalProperties).toBe(false);
    expect(Object.keys(doc.paths['/contacts']!.get!)).toContain('parameters');
    const params = (
      doc.paths['/deals']!.get as unknown as { parameters: Array<{ name: string }> }
    ).parameters.map((p) => p.name);
    expect(params).toEqual(
      expect.arrayContaining([
        'limit',
        'cursor',
        'updated_since',
        'workspace_id',
        'pipeline_id',
        'stage_id',
        'status',
        'contact_id',
      ]),
    );
  });
});
