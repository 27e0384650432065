// Authenticating a key: ONE round trip. An aggregate starts at the secret's HMAC (unique index)
// and joins the key, its creator, the creator's memberships and their workspaces (each $lookup on
// an indexed field). Nothing is cached: revocation, rotation, removal from a workspace or API access
// switched off all take effect on the very next request, in every process. Requests arriving
// together share the round trip (one aggregate for all their hashes, see shared/coalesce.ts).
import { timingSafeEqual } from 'node:crypto';
import type { WorkspaceReach } from '../access/actor';
import type { User } from '../accounts/user.model';
import {
  joinMemberships,
  membershipLookups,
  type Membership,
  type Workspace,
  type WorkspaceView,
} from '../accounts/workspace.model';
import { coalesce } from '../shared/coalesce';
import { AppError } from '../shared/errors';
import { ApiKeySecretModel, type ApiKey, type ApiKeySecret } from './api-key.model';
import { hashSecret, isWellFormed } from './key-format';

export interface AuthenticatedKey {
  key: ApiKey;
  user: User;
  /** The creator's current memberships within the key's scope, API access on or off (what /me shows). */
  scoped: WorkspaceView[];
  /** What the key may touch now: `scoped` with API access on. */
  reach: WorkspaceReach[];
}

type Row = ApiKeySecret & { key: ApiKey; user: User[]; memberships: Membership[]; workspaces: Workspace[] };

const invalid = () =>
  new AppError('invalid_api_key', 'The API key is not valid; check that it was copied completely');

/** The secret's row with its key, creator and memberships, for every hash asked for together. */
const rowByHash = coalesce<string, Row | null>(async (hashes) => {
  const wanted = [...new Set(hashes)];
  const rows = await ApiKeySecretModel.aggregate<Row>([
    { $match: { hash: { $in: wanted } } },
    { $limit: wanted.length },
    { $lookup: { from: 'api_keys', localField: 'key_id', foreignField: '_id', as: 'key' } },
    { $unwind: '$key' },
    { $lookup: { from: 'users', localField: 'key.created_by', foreignField: '_id', as: 'user' } },
    ...membershipLookups('key.created_by'),
  ]).exec();
  const byHash = new Map(rows.map((r) => [r.hash, r]));
  // Each request gets its own key object (key-usage stamps last use on it).
  return hashes.map((h) => {
    const row = byHash.get(h);
    return row ? { ...row, key: { ...row.key } } : null;
  });
});

export async function authenticateKey(
  secret: string,
  keyHashSecret: string,
  now: Date,
): Promise<AuthenticatedKey> {
  if (!isWellFormed(secret)) throw invalid();
  const hash = hashSecret(secret, keyHashSecret);
  const row = await rowByHash(hash);
  if (!row || !timingSafeEqual(Buffer.from(row.hash), Buffer.from(hash))) throw invalid();
  if (row.valid_until && new Date(row.valid_until).getTime() <= now.getTime()) throw invalid();

  const { key } = row;
  const user = row.user[0];
  const refusal = keyRefusal(key, user, now);
  if (refusal || !user) throw refusal ?? invalid();
  const { scoped, reach } = keyReach(key, joinMemberships(row.memberships, row.workspaces));
  return { key, user, scoped, reach };
}

/** Why a key cannot act at `now` (revoked, archived, expired, creator deactivated), or null when it can. */
export function keyRefusal(key: ApiKey, user: User | undefined, now: Date): AppError | null {
  const revoked = (detail: string) => new AppError('revoked_api_key', detail);
  const expired = !!key.expires_at && new Date(key.expires_at).getTime() <= now.getTime();
  // An archived key was revoked or expired before archiving; report whichever it was.
  if (key.revoked_at || (key.archived_at && !expired))
    return revoked('This API key has been revoked; create a new key in Settings');
  if (expired)
    return new AppError(
      'expired_api_key',
      `This API key expired at ${new Date(key.expires_at!).toISOString()}; create a new key in Settings`,
    );
  // Deactivation behaves like revocation: the key exists but will never work again.
  if (!user || user.deactivated_at)
    return revoked('This API key no longer works: its creator’s account is deactivated');
  return null;
}

/** The creator's memberships within the key's scope (what /me shows), and those it may touch now (API access on). */
export function keyReach(
  key: ApiKey,
  memberships: WorkspaceView[],
): { scoped: WorkspaceView[]; reach: WorkspaceReach[] } {
  const scoped = key.scope_workspace_id
    ? memberships.filter((w) => w.id === String(key.scope_workspace_id))
    : memberships;
  const reach = scoped
    .filter((w) => w.api_access_enabled)
    .map(({ id, name, role, api_access_enabled }) => ({ id, name, role, api_access_enabled }));
  return { scoped, reach };
}
