// The session API's wire shapes as the page uses them (spec 2 and 2b).

export type Permission = 'read' | 'write' | 'admin';
export type ExpiresIn = 'never' | '30d' | '90d' | '6m' | '1y';
export type GracePeriod = '0' | '1h' | '24h' | '7d';
export type Scope = 'all' | { workspace_id: string };

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface Workspace {
  id: string;
  name: string;
  role: 'owner' | 'admin' | 'member';
  api_access_enabled: boolean;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  permission: Permission;
  scope: Scope;
  status: 'active' | 'expired' | 'revoked' | 'archived';
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at?: string | null;
  archived_at?: string | null;
  created_by?: string;
  /** Present in the workspace (owner/admin) view: who created the key. */
  creator?: { id: string; name: string | null; email: string | null } | null;
}

/** A banner the server computes for keys expiring within 7 days. */
export interface KeyReminder {
  key_id: string;
  name: string;
  prefix: string;
  expires_at: string;
  days_left: number;
  message?: string;
}

export interface KeyEvent {
  id?: string;
  type: string;
  occurred_at: string;
  ip?: string | null;
  user_agent?: string | null;
  actor?: { id?: string; name?: string | null; email?: string | null; via?: 'session' | 'api_key' } | null;
  data?: Record<string, unknown>;
}

export interface SessionInfo {
  user: User;
  workspaces: Workspace[];
}

export interface KeyLists {
  active: ApiKey[];
  /** Revoked and expired keys (until archived). */
  revoked: ApiKey[];
  reminders: KeyReminder[];
}

export interface IssuedKey {
  key: ApiKey;
  secret: string;
}
