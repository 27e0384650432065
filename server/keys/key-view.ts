// The wire shape of a key. Never includes a secret or a hash: only create and rotate responses
// carry the secret, next to (not inside) this view.
import type { ApiKey } from './api-key.model';

export type KeyStatus = 'active' | 'expired' | 'revoked' | 'archived';
export type KeyScope = 'all' | { workspace_id: string };

export interface KeyView {
  id: string;
  name: string;
  prefix: string;
  permission: 'read' | 'write' | 'admin';
  scope: KeyScope;
  status: KeyStatus;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
  last_used_user_agent: string | null;
  revoked_at: string | null;
  archived_at: string | null;
  created_by: string;
}

const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

export function statusOf(
  key: Pick<ApiKey, 'archived_at' | 'revoked_at' | 'expires_at'>,
  now: Date,
): KeyStatus {
  if (key.archived_at) return 'archived';
  if (key.revoked_at) return 'revoked';
  if (key.expires_at && new Date(key.expires_at).getTime() <= now.getTime()) return 'expired';
  return 'active';
}

export const scopeOf = (key: Pick<ApiKey, 'scope_workspace_id'>): KeyScope =>
  key.scope_workspace_id ? { workspace_id: String(key.scope_workspace_id) } : 'all';

export function keyView(key: ApiKey, now: Date): KeyView {
  return {
    id: String(key._id),
    name: key.name,
    prefix: key.prefix,
    permission: key.permission as KeyView['permission'],
    scope: scopeOf(key),
    status: statusOf(key, now),
    created_at: new Date(key.created_at).toISOString(),
    expires_at: iso(key.expires_at),
    last_used_at: iso(key.last_used_at),
    last_used_ip: key.last_used_ip ?? null,
    last_used_user_agent: key.last_used_user_agent ?? null,
    revoked_at: iso(key.revoked_at),
    archived_at: iso(key.archived_at),
    created_by: String(key.created_by),
  };
}
