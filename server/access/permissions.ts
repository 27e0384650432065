// THE table of what each /api/v1 route needs. The key middleware matches every authenticated
// request against it; a test walks the routes Express actually mounts and fails on any without an
// entry, so a new route cannot ship unguarded. `none` = public (served before authentication).
import type { Permission } from './actor';

export type RoutePermission = Permission | 'none';

export interface RouteRule {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Relative to /api/v1, Express style (`:id` is one path segment). */
  path: string;
  permission: RoutePermission;
}

export const apiRoutePermissions: readonly RouteRule[] = [
  { method: 'GET', path: '/openapi.json', permission: 'none' },
  { method: 'GET', path: '/me', permission: 'read' },
  { method: 'GET', path: '/members', permission: 'read' },
  { method: 'GET', path: '/contacts', permission: 'read' },
  { method: 'POST', path: '/contacts', permission: 'write' },
  { method: 'GET', path: '/contacts/:id', permission: 'read' },
  { method: 'PATCH', path: '/contacts/:id', permission: 'write' },
  { method: 'DELETE', path: '/contacts/:id', permission: 'admin' },
  { method: 'GET', path: '/deals', permission: 'read' },
  { method: 'POST', path: '/deals', permission: 'write' },
  { method: 'GET', path: '/deals/:id', permission: 'read' },
  { method: 'PATCH', path: '/deals/:id', permission: 'write' },
  { method: 'DELETE', path: '/deals/:id', permission: 'admin' },
  { method: 'GET', path: '/pipelines', permission: 'read' },
  { method: 'GET', path: '/pipelines/:id', permission: 'read' },
  { method: 'GET', path: '/messages', permission: 'read' },
  { method: 'POST', path: '/messages', permission: 'write' },
  { method: 'GET', path: '/messages/:id', permission: 'read' },
  // Subscribing to events only reads records (deliveries carry what the key could GET); a
  // read-only Zapier connection must be able to use triggers.
  { method: 'GET', path: '/hooks', permission: 'read' },
  { method: 'POST', path: '/hooks', permission: 'read' },
  { method: 'DELETE', path: '/hooks/:id', permission: 'read' },
];

// Express matches routes case-insensitively, so this must too (else `DELETE /CONTACTS/x` slips by).
const compiled = apiRoutePermissions.map((rule) => ({
  rule,
  regex: new RegExp(`^${rule.path.replace(/[.]/g, '\\.').replace(/:[A-Za-z_]+/g, '[^/]+')}/?$`, 'i'),
}));

/** The rule for a request (HEAD counts as GET); undefined when no route matches (→ 404 later). */
export function ruleFor(method: string, path: string): RouteRule | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return compiled.find((c) => c.rule.method === m && c.regex.test(path))?.rule;
}
