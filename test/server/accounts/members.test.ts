// GET /api/v1/members and /app/members: the members of the workspaces the caller reaches, paged
// like every list, with no way to read the people of a workspace the caller does not reach.
import { deactivateUser } from '../../../server/accounts/accounts.service';
import { startTestApp, type TestApp } from '../../helpers/app';
import {
  addMember,
  apiUser,
  createKey,
  createWorkspace,
  enableApiAccess,
  session,
  signUp,
  type SignedInUser,
} from '../../helpers/fixtures';
import { expectProblem, keyClient } from '../crm/crm-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ API_KEY_RATE_LIMIT: '10000' });
});
afterAll(async () => {
  await t.stop();
});

interface Member {
  id: string;
  name: string;
  email: string;
  role: string;
  workspace_id: string;
}

const entry = (u: SignedInUser, role: string, workspaceId: string): Member => ({
  id: u.id,
  name: u.name,
  email: u.email,
  role,
  workspace_id: workspaceId,
});

/** Every member a client lists, walking next_cursor from the first page. */
async function walk(
  get: (path: string) => Promise<{ body: { data: Member[]; next_cursor: string | null } }>,
  query: string,
) {
  const items: Member[] = [];
  const pages: number[] = [];
  let cursor: string | null = null;
  do {
    const res = await get(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...res.body.data);
    pages.push(res.body.data.length);
    cursor = res.body.next_cursor;
  } while (cursor);
  return { items, pages };
}

describe('GET /api/v1/members', () => {
  test('when a read key lists members, then every active member of its workspace comes back with id, name, email, role and workspace_id', async () => {
    const { user, secret } = await apiUser(t, 'read');
    const admin = await signUp(t);
    const member = await signUp(t);
    const gone = await signUp(t);
    await addMember(t, user, user.workspaceId, admin, 'admin');
    await addMember(t, user, user.workspaceId, member, 'member');
    await addMember(t, user, user.workspaceId, gone, 'member');
    await deactivateUser(gone.id, t.clock.now());

    const res = await keyClient(t, secret).get('/members').expect(200);
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.data).toHaveLength(3);
    expect(res.body.data).toEqual(
      expect.arrayContaining([
        entry(user, 'owner', user.workspaceId),
        entry(admin, 'admin', user.workspaceId),
        entry(member, 'member', user.workspaceId),
      ]),
    );
    // Newest membership first, like every list.
    expect((res.body.data as Member[]).at(-1)!.id).toBe(user.id);
    expect(JSON.stringify(res.body)).not.toContain(gone.email);
  });

  test('when a key is scoped to one workspace, then only that workspace is listed and naming another is a 404', async () => {
    const user = await signUp(t);
    const second = await createWorkspace(t, user, 'Second', { apiAccess: true });
    await enableApiAccess(t, user);
    const colleague = await signUp(t);
    const outsider = await signUp(t);
    await addMember(t, user, user.workspaceId, colleague, 'member');
    await addMember(t, user, second, outsider, 'member');

    const all = keyClient(t, (await createKey(t, user, { permission: 'read' })).secret);
    const everyone = (await all.get('/members').expect(200)).body.data as Member[];
    expect(everyone).toHaveLength(4);
    expect(everyone).toEqual(
      expect.arrayContaining([entry(user, 'owner', second), entry(outsider, 'member', second)]),
    );
    const narrowed = (await all.get(`/members?workspace_id=${second}`).expect(200)).body.data as Member[];
    expect(narrowed.map((m) => m.workspace_id)).toEqual([second, second]);

    const scoped = keyClient(
      t,
      (await createKey(t, user, { permission: 'read', scope: { workspace_id: user.workspaceId } })).secret,
    );
    const res = await scoped.get('/members').expect(200);
    expect(res.body.data).toEqual([
      entry(colleague, 'member', user.workspaceId),
      entry(user, 'owner', user.workspaceId),
    ]);
    const outside = expectProblem(await scoped.get(`/members?workspace_id=${second}`), 404, 'not_found');
    expect(JSON.stringify(outside)).not.toContain(outsider.email);
  });

  test('when API access is off for one of the creator’s workspaces, then its members are left out and naming it is a 404', async () => {
    const { user, secret } = await apiUser(t, 'read');
    const dark = await createWorkspace(t, user, 'No API');
    const hidden = await signUp(t);
    await addMember(t, user, dark, hidden, 'admin');
    const api = keyClient(t, secret);

    expect((await api.get('/members').expect(200)).body.data).toEqual([
      entry(user, 'owner', user.workspaceId),
    ]);
    expectProblem(await api.get(`/members?workspace_id=${dark}`), 404, 'not_found');
    await enableApiAccess(t, user, dark);
    expect((await api.get(`/members?workspace_id=${dark}`).expect(200)).body.data).toEqual([
      entry(hidden, 'admin', dark),
      entry(user, 'owner', dark),
    ]);
  });

  test('when workspace_id names a workspace of someone else, then 404 not_found (same as a missing one)', async () => {
    const { secret } = await apiUser(t, 'admin');
    const stranger = await signUp(t);
    const api = keyClient(t, secret);
    const res = expectProblem(
      await api.get(`/members?workspace_id=${stranger.workspaceId}`),
      404,
      'not_found',
    );
    expect(JSON.stringify(res)).not.toContain(stranger.email);
    expectProblem(await api.get('/members?workspace_id=0123456789abcdef01234567'), 404, 'not_found');
  });

  test('when members span several pages, then walking next_cursor returns each exactly once, skipping deactivated users without short pages', async () => {
    const { user, secret } = await apiUser(t, 'read');
    const people: SignedInUser[] = [];
    for (let i = 0; i < 6; i++) {
      const p = await signUp(t);
      await addMember(t, user, user.workspaceId, p, 'member');
      people.push(p);
    }
    await deactivateUser(people[2]!.id, t.clock.now());
    await deactivateUser(people[3]!.id, t.clock.now());
    const api = keyClient(t, secret);

    const { items, pages } = await walk((p) => api.get(p).expect(200), '/members?limit=2');
    const expected = [user, ...people.filter((_, i) => i !== 2 && i !== 3)].map((u) => u.id);
    expect(items.map((m) => m.id).sort()).toEqual(expected.sort());
    expect(new Set(items.map((m) => m.id)).size).toBe(items.length);
    expect(pages.slice(0, -1).every((n) => n === 2)).toBe(true);

    const first = await api.get('/members?limit=1').expect(200);
    expect(first.body.data).toEqual([entry(people[5]!, 'member', user.workspaceId)]);
    expect(first.body.next_cursor).toEqual(expect.any(String));
  });

  test.each([
    ['a non-numeric limit', '/members?limit=abc'],
    ['a limit above 100', '/members?limit=101'],
    ['an operator in the query', '/members?workspace_id[$ne]=x'],
    ['a non-hex workspace_id', '/members?workspace_id=zzzzzzzzzzzzzzzzzzzzzzzz'],
    ['an unknown parameter', '/members?updated_since=2025-01-01T00:00:00Z'],
    ['a forged cursor', '/members?cursor=bm90LWEtY3Vyc29y'],
  ])('when the query has %s, then it is 400 invalid_request as problem+json', async (_label, path) => {
    const { secret } = await apiUser(t, 'read');
    const body = expectProblem(await keyClient(t, secret).get(path), 400, 'invalid_request');
    expect(body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: expect.any(String) })]),
    );
  });

  test('when every members query has run, then the embedded server reports none of them unindexed', async () => {
    const { user, secret } = await apiUser(t, 'read');
    const [other, gone] = [await signUp(t), await signUp(t)];
    await addMember(t, user, user.workspaceId, other, 'member');
    await addMember(t, user, user.workspaceId, gone, 'member');
    await deactivateUser(gone.id, t.clock.now());
    const api = keyClient(t, secret);
    const page = await api.get('/members?limit=1').expect(200);
    expect(page.body.data).toEqual([entry(other, 'member', user.workspaceId)]);
    await api.get(`/members?limit=1&cursor=${page.body.next_cursor as string}`).expect(200);
    await api.get(`/members?workspace_id=${user.workspaceId}`).expect(200);
    await session(user).get('/app/members').expect(200);
    expect(await t.ctx.db.unindexedQueries()).toEqual([]);
  });
});

describe('GET /app/members', () => {
  test('when signed in, then the members of all my workspaces are listed, API access or not', async () => {
    const owner = await signUp(t);
    const shared = await createWorkspace(t, owner, 'Shared');
    const colleague = await signUp(t);
    await addMember(t, owner, shared, colleague, 'admin');

    const res = await session(colleague).get('/app/members').expect(200);
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.data).toHaveLength(3);
    expect(res.body.data).toEqual(
      expect.arrayContaining([
        entry(colleague, 'owner', colleague.workspaceId),
        entry(colleague, 'admin', shared),
        entry(owner, 'owner', shared),
      ]),
    );
    const narrowed = await session(colleague).get(`/app/members?workspace_id=${shared}&limit=1`).expect(200);
    expect(narrowed.body.data).toEqual([entry(colleague, 'admin', shared)]);
    expectProblem(
      await session(owner).get(`/app/members?workspace_id=${colleague.workspaceId}`),
      404,
      'not_found',
    );
  });

  test('when not signed in, then 401 not_signed_in', async () => {
    expectProblem(await t.request().get('/app/members'), 401, 'not_signed_in');
  });
});
