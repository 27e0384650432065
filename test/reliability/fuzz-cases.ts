// What the fuzz sends: every route of /api/v1, /app and /auth, with generated bodies, queries,
// headers and credentials (fast-check arbitraries), and the "poisons" that make a request
// certainly invalid (so it must be a 4xx and must not change anything).
import fc from 'fast-check';

export type Surface = 'key' | 'session' | 'auth' | 'public';
export type IdKind = 'contacts' | 'deals' | 'messages' | 'pipelines' | 'workspace' | 'key' | 'hook' | 'user';

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  surface: Surface;
  /** Body field names a plausible request would use (the fuzz mixes them with nasty ones). */
  fields?: string[];
  /** The route validates its query strictly (lists). */
  strictQuery?: boolean;
  /** The route validates its body against a strict schema. */
  strictBody?: boolean;
  ids?: IdKind[];
}

const CONTACT = [
  'name',
  'email',
  'phone',
  'company',
  'tags',
  'custom_fields',
  'owner_id',
  'visibility',
  'workspace_id',
];
const DEAL = [
  'title',
  'value',
  'currency',
  'pipeline_id',
  'stage_id',
  'contact_id',
  'status',
  'owner_id',
  'visibility',
  'workspace_id',
];
const MESSAGE = [
  'contact_id',
  'direction',
  'channel',
  'subject',
  'body',
  'sent_at',
  'owner_id',
  'visibility',
];

function recordRoutes(prefix: string, surface: Surface): Route[] {
  const r = (method: Route['method'], path: string, extra: Partial<Route> = {}): Route => ({
    method,
    path: `${prefix}${path}`,
    surface,
    ...extra,
  });
  return [
    r('GET', '/contacts', { strictQuery: true }),
    r('POST', '/contacts', { fields: CONTACT, strictBody: true }),
    r('GET', '/contacts/:id', { ids: ['contacts'] }),
    r('PATCH', '/contacts/:id', { fields: CONTACT, strictBody: true, ids: ['contacts'] }),
    r('DELETE', '/contacts/:id', { ids: ['contacts'] }),
    r('GET', '/deals', { strictQuery: true }),
    r('POST', '/deals', { fields: DEAL, strictBody: true }),
    r('GET', '/deals/:id', { ids: ['deals'] }),
    r('PATCH', '/deals/:id', { fields: DEAL, strictBody: true, ids: ['deals'] }),
    r('DELETE', '/deals/:id', { ids: ['deals'] }),
    r('GET', '/pipelines', { strictQuery: true }),
    r('GET', '/pipelines/:id', { ids: ['pipelines'] }),
    r('GET', '/messages', { strictQuery: true }),
    r('POST', '/messages', { fields: MESSAGE, strictBody: true }),
    r('GET', '/messages/:id', { ids: ['messages'] }),
  ];
}

export const routes: Route[] = [
  { method: 'GET', path: '/api/v1/openapi.json', surface: 'public' },
  { method: 'GET', path: '/api/v1/me', surface: 'key' },
  { method: 'GET', path: '/api/v1/hooks', surface: 'key' },
  {
    method: 'POST',
    path: '/api/v1/hooks',
    surface: 'key',
    fields: ['event', 'target_url', 'filters'],
    strictBody: true,
  },
  { method: 'DELETE', path: '/api/v1/hooks/:id', surface: 'key', ids: ['hook'] },
  ...recordRoutes('/api/v1', 'key'),
  ...recordRoutes('/app', 'session'),
  { method: 'GET', path: '/app/workspaces', surface: 'session' },
  { method: 'POST', path: '/app/workspaces', surface: 'session', fields: ['name'], strictBody: true },
  {
    method: 'PATCH',
    path: '/app/workspaces/:id',
    surface: 'session',
    fields: ['name', 'api_access_enabled'],
    strictBody: true,
    ids: ['workspace'],
  },
  { method: 'GET', path: '/app/workspaces/:id/members', surface: 'session', ids: ['workspace'] },
  {
    method: 'POST',
    path: '/app/workspaces/:id/members',
    surface: 'session',
    fields: ['email', 'role'],
    strictBody: true,
    ids: ['workspace'],
  },
  {
    method: 'PATCH',
    path: '/app/workspaces/:id/members/:id',
    surface: 'session',
    fields: ['role'],
    strictBody: true,
    ids: ['workspace', 'user'],
  },
  {
    method: 'DELETE',
    path: '/app/workspaces/:id/members/:id',
    surface: 'session',
    ids: ['workspace', 'user'],
  },
  { method: 'GET', path: '/app/workspaces/:id/api-keys', surface: 'session', ids: ['workspace'] },
  { method: 'GET', path: '/app/api-keys', surface: 'session', strictQuery: true },
  {
    method: 'POST',
    path: '/app/api-keys',
    surface: 'session',
    fields: ['name', 'permission', 'expires_in', 'scope'],
    strictBody: true,
  },
  {
    method: 'POST',
    path: '/app/api-keys/:id/rotate',
    surface: 'session',
    fields: ['grace_period'],
    strictBody: true,
    ids: ['key'],
  },
  { method: 'POST', path: '/app/api-keys/:id/revoke', surface: 'session', ids: ['key'] },
  { method: 'POST', path: '/app/api-keys/:id/archive', surface: 'session', ids: ['key'] },
  { method: 'GET', path: '/app/api-keys/:id/events', surface: 'session', ids: ['key'] },
  { method: 'GET', path: '/app/hooks', surface: 'session' },
  { method: 'GET', path: '/app/hooks/:id/deliveries', surface: 'session', strictQuery: true, ids: ['hook'] },
  {
    method: 'POST',
    path: '/auth/signup',
    surface: 'auth',
    fields: ['email', 'password', 'name'],
    strictBody: true,
  },
  { method: 'POST', path: '/auth/login', surface: 'auth', fields: ['email', 'password'], strictBody: true },
  { method: 'POST', path: '/auth/logout', surface: 'session' },
  { method: 'GET', path: '/auth/session', surface: 'session' },
];

const NASTY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '$set',
  '$gt',
  'a.b',
  '',
  ' ',
  'toString',
  'hasOwnProperty',
];

const operatorValue = fc.constantFrom<unknown>(
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(1000) || true' },
  { $regex: '.*' },
  { $in: [] },
  { $expr: { $eq: [1, 1] } },
  { $function: { body: 'return 1', args: [], lang: 'js' } },
);

/** A well-formed (24 hex characters) id that names nothing in particular. */
export const hex24 = fc.string({
  unit: fc.constantFrom(...'0123456789abcdef'.split('')),
  minLength: 24,
  maxLength: 24,
});

const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    '\u0000',
    '\ud800',
    '\uffff',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    '${7*7}',
    "' OR 1=1 --",
    'sbk_',
    '%00',
    '\r\nSet-Cookie: x=1',
    '🙂'.repeat(100),
  ),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n)),
  hex24,
);

const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: operatorValue },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(true, false, 0, -1, 1e308, -0, 2 ** 53 + 1, [], {}, null),
  },
);

export function bodyFor(route: Route): fc.Arbitrary<Record<string, unknown>> {
  const keys = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...(route.fields?.length ? route.fields : ['x'])) },
    { weight: 1, arbitrary: fc.constantFrom(...NASTY_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  );
  return fc.dictionary(keys, value, { maxKeys: 6 }) as fc.Arbitrary<Record<string, unknown>>;
}

export const queryArb: fc.Arbitrary<Array<[string, string]>> = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom(
        'limit',
        'cursor',
        'updated_since',
        'workspace_id',
        'email',
        'include',
        'email[$ne]',
        '__proto__',
        '$where',
        'api_key',
      ),
      fc.string({ maxLength: 8 }),
    ),
    fc.oneof(
      fc.constantFrom(
        '0',
        '-1',
        '101',
        'abc',
        '1e3',
        '25',
        '[object Object]',
        '{"$gt":""}',
        '2020-13-45',
        'archived',
        'a'.repeat(3000),
      ),
      fc.string({ maxLength: 30 }),
    ),
  ),
  { maxLength: 4 },
);

export type Poison =
  | 'unknown-key'
  | 'proto-key'
  | 'invalid-json'
  | 'deep-nesting'
  | 'too-large'
  | 'wrong-content-type'
  | 'bad-auth'
  | 'bad-csrf'
  | 'bad-query'
  | 'bad-id';

/** The poisons that make this route's request certainly a 4xx, whatever else it carries. */
export function poisonsFor(route: Route): Poison[] {
  const out: Poison[] = ['invalid-json', 'deep-nesting', 'too-large'];
  const hasBody = route.method === 'POST' || route.method === 'PATCH';
  if (hasBody) out.push('wrong-content-type');
  if (route.strictBody) out.push('unknown-key', 'proto-key');
  if (route.surface === 'key' || route.surface === 'session') out.push('bad-auth');
  if (route.surface === 'session' && route.method !== 'GET') out.push('bad-csrf');
  if (route.strictQuery) out.push('bad-query');
  if (route.ids) out.push('bad-id');
  return out;
}

/** JSON nested `depth` levels deep (the app refuses more than 20). */
export const deepJson = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

export const wrongContentTypes = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'text/html; charset=utf-8',
];
export const invalidJsonBodies = [
  '{',
  '{"name":',
  '[1,2',
  '{"a":1,}',
  "{'a':1}",
  'undefined',
  '{"a":"\\x"}',
  '\u0000',
  '{"a":1}{"b":2}',
  ' '.repeat(10) + '{',
];
export const badIds = [
  'nope',
  '0',
  '%E0%A4%A',
  '..%2F..%2Fetc',
  'ZZZZZZZZZZZZZZZZZZZZZZZZ',
  '64b7f0f0f0f0f0f0f0f0f0f0f',
  '%00',
  'a'.repeat(300),
  '{"$gt":""}',
  '__proto__',
];
export const badKeys = [
  '',
  'Bearer',
  'Bearer ',
  'Bearer sbk_',
  'Basic dXNlcjpwYXNz',
  'Token sbk_abc',
  'Bearer sbk_' + 'A'.repeat(40),
  'Bearer ' + 'x'.repeat(5000),
  'bearer',
  'Bearer sbk_abc sbk_def',
];
