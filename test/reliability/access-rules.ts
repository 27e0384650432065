// The expected answer of every access-matrix cell, written from the spec (product.md §1–3), not
// from the implementation: who sees what (§1), what a key reaches (§2: its creator's memberships,
// narrowed by scope, API access on), the order of refusals and the codes (§3).
export type Role = 'owner' | 'admin' | 'member';
export type Permission = 'read' | 'write' | 'admin';
export type Scope = 'all' | 'workspace' | 'other';
export type KeyState = 'active' | 'expired' | 'revoked';
export type Visibility = 'private' | 'workspace';
export type RecordType = 'contacts' | 'deals' | 'messages';
export type Action = 'me' | 'create' | 'list' | 'get' | 'patch' | 'delete';

export type Credential =
  { via: 'key'; permission: Permission; scope: Scope; state: KeyState } | { via: 'session' };

export interface Cell {
  role: Role;
  credential: Credential;
  /** The workspace switch of W, the workspace holding the records. */
  apiAccess: boolean;
  action: Action;
  type: RecordType;
  /** The target record (for list/get/patch/delete): its visibility and whether the caller owns it. */
  record?: { visibility: Visibility; own: boolean };
}

export interface Expected {
  status: number;
  code?: string;
  /** For `list`: whether the target record is in the answer. */
  listed?: boolean;
}

const rank: Record<Permission, number> = { read: 0, write: 1, admin: 2 };
const needs: Record<Action, Permission> = {
  me: 'read',
  list: 'read',
  get: 'read',
  create: 'write',
  patch: 'write',
  delete: 'admin',
};

/** §1: members see workspace records and their own private ones; owners/admins see everything. */
export const canSee = (role: Role, r: { visibility: Visibility; own: boolean }): boolean =>
  role !== 'member' || r.visibility === 'workspace' || r.own;

/** §1: deleting is for the record's owner or a workspace owner/admin. */
export const canDelete = (role: Role, r: { own: boolean }): boolean => r.own || role !== 'member';

export function expectedFor(cell: Cell): Expected {
  const { credential: c } = cell;
  let reachesW = true;
  if (c.via === 'key') {
    if (c.state === 'revoked') return { status: 401, code: 'revoked_api_key' };
    if (c.state === 'expired') return { status: 401, code: 'expired_api_key' };
    // The creator's other workspace (API access on) is reached by `all` and `other` scopes.
    reachesW = c.scope !== 'other' && cell.apiAccess;
    const reachesOther = c.scope !== 'workspace';
    if (!reachesW && !reachesOther) return { status: 403, code: 'api_access_disabled' };
    if (rank[c.permission] < rank[needs[cell.action]])
      return { status: 403, code: 'insufficient_permission' };
  }
  if (cell.action === 'me') return { status: 200 };
  // Creates name W explicitly: an unreachable workspace is indistinguishable from a missing one.
  if (cell.action === 'create') return reachesW ? { status: 201 } : { status: 404, code: 'not_found' };
  const visible = reachesW && canSee(cell.role, cell.record!);
  if (cell.action === 'list') return { status: 200, listed: visible };
  if (!visible) return { status: 404, code: 'not_found' };
  if (cell.action === 'get') return { status: 200 };
  if (cell.action === 'patch') return { status: 200 };
  return canDelete(cell.role, cell.record!) ? { status: 204 } : { status: 403, code: 'forbidden' };
}
