// The permission table covers every route Express actually mounts under /api/v1, and each
// permission is enforced on real requests: read → reads only, write → no deletes, admin → all.
import { apiRoutePermissions } from '../../../server/access/permissions';
import { startTestApp, type TestApp } from '../../helpers/app';
import { apiUser, bearer, createKey } from '../../helpers/fixtures';

interface Listed {
  path: string | RegExp;
  methods?: string[];
  router?: { listRoutes(): Listed[] };
}

const join = (a: string, b: string): string =>
  `${a.replace(/\/$/, '')}/${b.replace(/^\//, '')}`.replace(/\/$/, '') || '/';

/** Every (method, path) Express would route, found by walking the router tree (router@2 `listRoutes`). */
function mountedRoutes(
  router: { listRoutes(): Listed[] },
  prefix = '',
): Array<{ method: string; path: string }> {
  return router.listRoutes().flatMap((entry) => {
    if (typeof entry.path !== 'string')
      throw new Error(`a route with a non-string path is mounted: ${String(entry.path)}`);
    const path = join(prefix, entry.path);
    if (entry.router) return mountedRoutes(entry.router, path);
    return (entry.methods ?? [])
      .filter((m) => m !== 'HEAD' && m !== 'OPTIONS')
      .map((method) => ({ method, path }));
  });
}

let t: TestApp;
let api: Array<{ method: string; path: string }>;
beforeAll(async () => {
  t = await startTestApp();
  const app = t.app as unknown as { router: { listRoutes(): Listed[] } };
  api = mountedRoutes(app.router)
    .filter((r) => r.path.startsWith('/api/v1/'))
    .map((r) => ({ method: r.method, path: r.path.slice('/api/v1'.length) }));
});
afterAll(async () => {
  await t.stop();
});

const entryOf = (r: { method: string; path: string }) =>
  apiRoutePermissions.find((e) => e.method === r.method && e.path === r.path);
const call = (method: string, path: string) => {
  const agent = t.request();
  return agent[method.toLowerCase() as 'post' | 'patch' | 'delete'](path);
};
const fill = (path: string) => path.replace(/:[A-Za-z_]+/g, '0123456789abcdef01234567');

describe('the permission table', () => {
  test('when the app is built, then every mounted /api/v1 route has exactly one entry', () => {
    expect(api.length).toBeGreaterThan(0);
    expect(api).toContainEqual({ method: 'GET', path: '/me' });
    const missing = api.filter((r) => !entryOf(r));
    expect(missing).toEqual([]);
    const dupes = apiRoutePermissions.filter(
      (e, i) => apiRoutePermissions.findIndex((o) => o.method === e.method && o.path === e.path) !== i,
    );
    expect(dupes).toEqual([]);
  });

  test('when a read key calls any write or delete route, then 403 insufficient_permission naming both permissions', async () => {
    const { secret } = await apiUser(t, 'read');
    const writes = api.filter((r) => ['write', 'admin'].includes(entryOf(r)?.permission ?? ''));
    expect(writes.length).toBeGreaterThan(0);
    for (const r of writes) {
      const res = await call(r.method, `/api/v1${fill(r.path)}`)
        .set(bearer(secret))
        .send({});
      expect({ route: r, status: res.status, code: res.body.code }).toEqual({
        route: r,
        status: 403,
        code: 'insufficient_permission',
      });
      expect(res.body.key_permission).toBe('read');
      expect(res.body.required_permission).toBe(entryOf(r)!.permission);
      expect(res.body.detail).toContain("'read'");
    }
  });

  test('when a write key calls any delete route, then 403; its writes pass the permission check', async () => {
    const { secret } = await apiUser(t, 'write');
    for (const r of api.filter((x) => entryOf(x)?.permission === 'admin')) {
      const res = await t
        .request()
        .delete(`/api/v1${fill(r.path)}`)
        .set(bearer(secret));
      expect({ route: r, status: res.status }).toEqual({ route: r, status: 403 });
      expect(res.body.required_permission).toBe('admin');
    }
    for (const r of api.filter((x) => entryOf(x)?.permission === 'write')) {
      const res = await call(r.method, `/api/v1${fill(r.path)}`)
        .set(bearer(secret))
        .send({});
      expect({ route: r, code: res.body.code }).not.toEqual({ route: r, code: 'insufficient_permission' });
    }
  });

  test('when the path is spelled in another case, then the same permission applies', async () => {
    const { secret } = await apiUser(t, 'read');
    const res = await t.request().delete('/api/v1/CONTACTS/0123456789abcdef01234567').set(bearer(secret));
    expect(res.status).toBe(403);
  });
});

describe('deleting records by permission', () => {
  test('when read, write and admin keys of the owner delete a contact, then only admin succeeds', async () => {
    const { user, secret: admin } = await apiUser(t, 'admin');
    const read = (await createKey(t, user, { permission: 'read' })).secret;
    const write = (await createKey(t, user, { permission: 'write' })).secret;
    const created = await t
      .request()
      .post('/api/v1/contacts')
      .set(bearer(write))
      .send({ name: 'Grace Hopper', email: `g-${Date.now()}@example.test` });
    expect(created.status).toBe(201);
    const path = `/api/v1/contacts/${created.body.id}`;
    expect((await t.request().patch(path).set(bearer(read)).send({ phone: '+1 555' })).status).toBe(403);
    expect((await t.request().delete(path).set(bearer(read))).status).toBe(403);
    expect((await t.request().delete(path).set(bearer(write))).status).toBe(403);
    expect((await t.request().get(path).set(bearer(read))).status).toBe(200);
    expect((await t.request().delete(path).set(bearer(admin))).status).toBe(204);
    expect((await t.request().get(path).set(bearer(admin))).status).toBe(404);
  });

  test('when an admin key deletes a deal, then 204', async () => {
    const { secret } = await apiUser(t, 'admin');
    const deal = await t
      .request()
      .post('/api/v1/deals')
      .set(bearer(secret))
      .send({ title: 'Big one', value: 1000, currency: 'USD' });
    expect(deal.status).toBe(201);
    expect((await t.request().delete(`/api/v1/deals/${deal.body.id}`).set(bearer(secret))).status).toBe(204);
  });
});
