// Who is acting on a request: a signed-in user (session API) or an API key acting as its creator.
// Both APIs resolve to this one shape, so records code never branches on how a caller signed in.
export type Permission = 'read' | 'write' | 'admin';
export type Role = 'owner' | 'admin' | 'member';

export interface WorkspaceReach {
  id: string;
  name: string;
  role: Role;
  api_access_enabled: boolean;
}

export interface Actor {
  userId: string;
  via: 'session' | 'api_key';
  /** A session acts with everything its user can do ('admin'); a key with its own permission. */
  permission: Permission;
  keyId?: string;
  /**
   * The workspaces this request may touch, with the user's role in each, resolved at request time:
   * a session: every membership; a key: the creator's memberships ∩ its scope ∩ API access on.
   */
  workspaces: WorkspaceReach[];
}

const rank: Record<Permission, number> = { read: 0, write: 1, admin: 2 };
export const permits = (has: Permission, needs: Permission): boolean => rank[has] >= rank[needs];
export const isWorkspaceAdmin = (role: Role): boolean => role === 'owner' || role === 'admin';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the session or API-key authentication of the router the request went through. */
    actor?: Actor;
  }
}
