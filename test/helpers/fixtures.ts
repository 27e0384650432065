// Test fixtures for every feature: real users, workspaces and keys, made over real HTTP through
// the session API (never by writing to the database), so fixtures obey the same rules as users.
import { randomBytes, randomUUID } from 'node:crypto';
import supertest from 'supertest';
import type { TestApp } from './app';

export interface SignedInUser {
  id: string;
  email: string;
  password: string;
  name: string;
  /** Cookie jar holding this user's session. */
  agent: supertest.Agent;
  csrf: string;
  /** The first workspace, which the user owns. */
  workspaceId: string;
}

type Permission = 'read' | 'write' | 'admin';
export interface KeyBody {
  name: string;
  permission: Permission;
  expires_in: 'never' | '30d' | '90d' | '6m' | '1y';
  scope: 'all' | { workspace_id: string };
}

function expect2xx(res: supertest.Response, what: string): supertest.Response {
  if (res.status < 200 || res.status >= 300)
    throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

function cookieValue(res: supertest.Response, name: string): string {
  const raw = res.headers['set-cookie'] as unknown as string[] | string | undefined;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const found = list.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie in the response`);
  return decodeURIComponent(found.slice(name.length + 1));
}

/**
 * A fresh user, signed in. Each sign-up comes from its own client address (X-Forwarded-For from a
 * loopback proxy, which the app trusts) so per-IP sign-up limits model many people, not one.
 */
export async function signUp(
  t: TestApp,
  overrides: Partial<{ email: string; password: string; name: string }> = {},
): Promise<SignedInUser> {
  const agent = t.request();
  const email = overrides.email ?? `user-${randomUUID()}@example.test`;
  const password = overrides.password ?? `pw-${randomBytes(9).toString('base64url')}`;
  const name = overrides.name ?? `User ${randomUUID().slice(0, 8)}`;
  const ip = `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
  const res = expect2xx(
    await agent.post('/auth/signup').set('X-Forwarded-For', ip).send({ email, password, name }),
    'signUp',
  );
  const body = res.body as { user: { id: string; email: string }; workspaces: Array<{ id: string }> };
  return {
    id: body.user.id,
    email: body.user.email,
    password,
    name,
    agent,
    csrf: cookieValue(res, 'csrf_token'),
    workspaceId: body.workspaces[0]!.id,
  };
}

/** Requests as the signed-in user, with the CSRF header every state-changing request needs. */
export function session(user: SignedInUser) {
  const h = { 'X-CSRF-Token': user.csrf };
  return {
    get: (path: string) => user.agent.get(path).set(h),
    post: (path: string, body?: object) =>
      user.agent
        .post(path)
        .set(h)
        .send(body ?? {}),
    patch: (path: string, body?: object) =>
      user.agent
        .patch(path)
        .set(h)
        .send(body ?? {}),
    delete: (path: string) => user.agent.delete(path).set(h),
  };
}

export async function enableApiAccess(
  t: TestApp,
  user: SignedInUser,
  workspaceId?: string,
  enabled = true,
): Promise<void> {
  void t;
  const id = workspaceId ?? user.workspaceId;
  expect2xx(
    await session(user).patch(`/app/workspaces/${id}`, { api_access_enabled: enabled }),
    'enableApiAccess',
  );
}

export async function createWorkspace(
  t: TestApp,
  user: SignedInUser,
  name = `Workspace ${randomUUID().slice(0, 8)}`,
  opts: { apiAccess?: boolean } = {},
): Promise<string> {
  const res = expect2xx(await session(user).post('/app/workspaces', { name }), 'createWorkspace');
  const id = (res.body as { workspace: { id: string } }).workspace.id;
  if (opts.apiAccess) await enableApiAccess(t, user, id);
  return id;
}

export async function addMember(
  t: TestApp,
  owner: SignedInUser,
  workspaceId: string,
  member: SignedInUser,
  role: 'admin' | 'member',
): Promise<void> {
  void t;
  expect2xx(
    await session(owner).post(`/app/workspaces/${workspaceId}/members`, { email: member.email, role }),
    'addMember',
  );
}

export async function createKey(
  t: TestApp,
  user: SignedInUser,
  body: Partial<KeyBody> = {},
): Promise<{ id: string; secret: string; key: Record<string, unknown> }> {
  void t;
  const full: KeyBody = { name: 'Test key', permission: 'admin', expires_in: 'never', scope: 'all', ...body };
  const res = expect2xx(await session(user).post('/app/api-keys', full), 'createKey');
  const { key, secret } = res.body as { key: Record<string, unknown> & { id: string }; secret: string };
  return { id: key.id, secret, key };
}

export const bearer = (secret: string): { Authorization: string } => ({ Authorization: `Bearer ${secret}` });

/** Signs up, turns API access on for the first workspace, creates a key (default 'admin', scope all). */
export async function apiUser(
  t: TestApp,
  permission: Permission = 'admin',
): Promise<{ user: SignedInUser; secret: string; keyId: string }> {
  const user = await signUp(t);
  await enableApiAccess(t, user);
  const { id, secret } = await createKey(t, user, { permission });
  return { user, secret, keyId: id };
}

/** Signs the user in again on their own agent (e.g. after the test clock moved past the session's lifetime). */
export async function signIn(t: TestApp, user: SignedInUser): Promise<SignedInUser> {
  void t;
  const res = expect2xx(
    await user.agent.post('/auth/login').send({ email: user.email, password: user.password }),
    'signIn',
  );
  user.csrf = cookieValue(res, 'csrf_token');
  return user;
}
