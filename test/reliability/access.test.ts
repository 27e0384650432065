// The access matrix: (permission × scope × key state | session) × role × API access × record
// visibility × ownership, over the record routes, /me and creates. Every cell's expected status
// comes from access-rules.ts (the spec's rules as a small pure function), never from the app.
import { randomUUID } from 'node:crypto';
import type supertest from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app';
import {
  addMember,
  bearer,
  createKey,
  createWorkspace,
  enableApiAccess,
  session,
  signIn,
  signUp,
  type SignedInUser,
} from '../helpers/fixtures';
import {
  expectedFor,
  type Action,
  type Cell,
  type Credential,
  type KeyState,
  type Permission,
  type RecordType,
  type Role,
  type Scope,
  type Visibility,
} from './access-rules';
import { pool } from './http';

const ROLES: Role[] = ['owner', 'admin', 'member'];
const PERMISSIONS: Permission[] = ['read', 'write', 'admin'];
const SCOPES: Scope[] = ['all', 'workspace', 'other'];
// Revoked keys are made first (and revoked at once), so no more than 18 are ever active (limit 25).
const STATES: KeyState[] = ['revoked', 'expired', 'active'];
const VISIBILITIES: Visibility[] = ['private', 'workspace'];
const DAY = 24 * 3600_000;

interface Caller {
  role: Role;
  user: SignedInUser;
  otherWorkspace: string;
  keys: Array<{ credential: Credential; secret?: string }>;
}

let t: TestApp;
let W = '';
const users = {} as Record<Role | 'x', SignedInUser>;
const callers: Caller[] = [];
/** Standing records: records[type][userId][visibility] = { id, email? }. */
const records: Record<RecordType, Record<string, Record<Visibility, { id: string; email?: string }>>> = {
  contacts: {},
  deals: {},
  messages: {},
};

async function createRecord(type: RecordType, by: SignedInUser, visibility: Visibility, contactId?: string) {
  const email = `m-${randomUUID()}@example.test`;
  const body =
    type === 'contacts'
      ? { name: 'Matrix', email, workspace_id: W, visibility }
      : type === 'deals'
        ? { title: 'Matrix deal', workspace_id: W, visibility }
        : { contact_id: contactId, direction: 'inbound', channel: 'note', body: 'Matrix', visibility };
  const res = await session(by).post(`/app/${type}`, body);
  if (res.status !== 201) throw new Error(`seeding ${type}: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: (res.body as { id: string }).id, email };
}

beforeAll(async () => {
  // Limits out of the way: thousands of requests, many deliberately failing authentication.
  t = await startTestApp({ API_KEY_RATE_LIMIT: '100000', AUTH_FAILURE_RATE_LIMIT: '100000' });
  for (const name of ['owner', 'admin', 'member', 'x'] as const) users[name] = await signUp(t);
  W = users.owner.workspaceId;
  await enableApiAccess(t, users.owner, W);
  await addMember(t, users.owner, W, users.admin, 'admin');
  await addMember(t, users.owner, W, users.member, 'member');
  await addMember(t, users.owner, W, users.x, 'member');

  for (const role of ROLES) {
    const user = users[role];
    // Each caller's other workspace (API access on), reached by keys scoped `all` or `other`.
    const otherWorkspace =
      role === 'owner' ? await createWorkspace(t, user, 'Other', { apiAccess: true }) : user.workspaceId;
    if (role !== 'owner') await enableApiAccess(t, user, otherWorkspace);
    const keys: Caller['keys'] = [{ credential: { via: 'session' } }];
    for (const state of STATES)
      for (const permission of PERMISSIONS)
        for (const scope of SCOPES) {
          const key = await createKey(t, user, {
            name: `${permission} ${scope} ${state}`,
            permission,
            expires_in: state === 'expired' ? '30d' : 'never',
            scope: scope === 'all' ? 'all' : { workspace_id: scope === 'workspace' ? W : otherWorkspace },
          });
          if (state === 'revoked')
            expect((await session(user).post(`/app/api-keys/${key.id}/revoke`)).status).toBe(200);
          keys.push({ credential: { via: 'key', permission, scope, state }, secret: key.secret });
        }
    callers.push({ role, user, otherWorkspace, keys });
  }
  for (const type of ['contacts', 'deals'] as const)
    for (const u of [users.owner, users.admin, users.member, users.x]) {
      records[type][u.id] = {} as Record<Visibility, { id: string }>;
      for (const v of VISIBILITIES) records[type][u.id]![v] = await createRecord(type, u, v);
    }
  const anchor = records.contacts[users.x.id]!.workspace.id;
  for (const u of [users.owner, users.admin, users.member, users.x]) {
    records.messages[u.id] = {} as Record<Visibility, { id: string }>;
    for (const v of VISIBILITIES) records.messages[u.id]![v] = await createRecord('messages', u, v, anchor);
  }
  // The `30d` keys expire; sessions (12 h) end too, so everyone signs in again.
  t.clock.advance(31 * DAY);
  for (const u of Object.values(users)) await signIn(t, u);
}, 120_000);

afterAll(async () => {
  await t.stop();
});

interface Planned {
  cell: Cell;
  caller: Caller;
  secret?: string;
}

function cellsFor(apiAccess: boolean): Planned[] {
  const out: Planned[] = [];
  const recordCases = VISIBILITIES.flatMap((visibility) => [true, false].map((own) => ({ visibility, own })));
  for (const caller of callers)
    for (const { credential, secret } of caller.keys) {
      const base = { role: caller.role, credential, apiAccess };
      const add = (action: Action, type: RecordType, record?: Cell['record']) =>
        out.push({ cell: { ...base, action, type, ...(record ? { record } : {}) }, caller, secret });
      add('me', 'contacts');
      add('create', 'contacts');
      add('create', 'deals');
      for (const record of recordCases) {
        add('list', 'contacts', record);
        for (const type of ['contacts', 'deals'] as const)
          for (const action of ['get', 'patch', 'delete'] as const) add(action, type, record);
        add('get', 'messages', record);
      }
    }
  return out;
}

/** Sends one cell's request; a delete that should succeed gets a fresh record of the same kind. */
async function run({ cell, caller, secret }: Planned): Promise<supertest.Response> {
  const viaKey = cell.credential.via === 'key';
  const prefix = viaKey ? '/api/v1' : '/app';
  const as = session(caller.user);
  const send = (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object) =>
    viaKey
      ? t.request()[method](`${prefix}${path}`).set(bearer(secret!)).send(body)
      : as[method](`${prefix}${path}`, body);
  if (cell.action === 'me') return viaKey ? send('get', '/me') : caller.user.agent.get('/auth/session');
  if (cell.action === 'create')
    return send(
      'post',
      `/${cell.type}`,
      cell.type === 'contacts'
        ? { name: 'Created', email: `c-${randomUUID()}@example.test`, workspace_id: W }
        : { title: 'Created', workspace_id: W },
    );
  const r = cell.record!;
  const owner = r.own ? caller.user : users.x;
  let target = records[cell.type][owner.id]![r.visibility];
  if (cell.action === 'list')
    return send('get', `/contacts?limit=100&email=${encodeURIComponent(target.email!)}`);
  if (cell.action === 'get') return send('get', `/${cell.type}/${target.id}`);
  if (cell.action === 'patch')
    return send(
      'patch',
      `/${cell.type}/${target.id}`,
      cell.type === 'contacts' ? { tags: ['matrix'] } : { value: 7 },
    );
  if (expectedFor(cell).status === 204) target = await createRecord(cell.type, owner, r.visibility);
  return send('delete', `/${cell.type}/${target.id}`);
}

const describeCell = (c: Cell): string => {
  const cred =
    c.credential.via === 'key'
      ? `${c.credential.permission}/${c.credential.scope}/${c.credential.state} key`
      : 'session';
  const rec = c.record ? ` ${c.record.own ? 'own' : "other's"} ${c.record.visibility}` : '';
  return `${c.role} ${cred}, API access ${c.apiAccess ? 'on' : 'off'}: ${c.action} ${c.type}${rec}`;
};

describe('access matrix over /api/v1 and /app', () => {
  let total = 0;
  afterAll(() => console.log(`reliability: ${total} access cells`));

  test.each([true, false])(
    'when API access of the workspace is %s, then every cell gets the status the spec gives it',
    async (apiAccess) => {
      await enableApiAccess(t, users.owner, W, apiAccess);
      const planned = cellsFor(apiAccess);
      const wrong: string[] = [];
      await pool(planned, 8, async (p) => {
        const res = await run(p);
        const want = expectedFor(p.cell);
        const body = res.body as { code?: string; data?: Array<{ id: string }> };
        const got = { status: res.status, code: want.code ? body.code : undefined } as {
          status: number;
          code?: string;
          listed?: boolean;
        };
        if (want.listed !== undefined) {
          const target =
            records.contacts[(p.cell.record!.own ? p.caller.user : users.x).id]![p.cell.record!.visibility];
          got.listed = (body.data ?? []).some((d) => d.id === target.id);
        }
        if (
          JSON.stringify(got) !==
          JSON.stringify({
            status: want.status,
            ...(want.code ? { code: want.code } : {}),
            ...(want.listed !== undefined ? { listed: want.listed } : {}),
          })
        )
          wrong.push(
            `${describeCell(p.cell)} → expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`,
          );
      });
      total += planned.length;
      expect({ wrong: wrong.length, first: wrong.slice(0, 25) }).toEqual({ wrong: 0, first: [] });
    },
    180_000,
  );
});
