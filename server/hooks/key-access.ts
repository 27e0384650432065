// What a subscription's key could read at a given moment, resolved the way API-key
// authentication resolves a request (key state, creator, memberships ∩ scope ∩ API access), so
// a hook never shows a key more than a GET with that key would.
import type { Types } from 'mongoose';
import type { Actor, Permission } from '../access/actor';
import { canSee, type OwnedRecord } from '../access/visibility';
import { permits } from '../access/actor';
import { loadAccount } from '../accounts/accounts.service';
import { MembershipModel } from '../accounts/workspace.model';
import { ApiKeyModel } from '../keys/api-key.model';
import { keyReach, keyRefusal } from '../keys/key-auth.service';

/** The key as an Actor at `now` (the same rules as authenticating a request), or null when it no longer authenticates. */
export async function resolveKeyActor(keyId: string, now: Date): Promise<Actor | null> {
  const key = await ApiKeyModel.findById(keyId).lean();
  if (!key) return null;
  const account = await loadAccount(String(key.created_by));
  if (!account || keyRefusal(key, account.user, now)) return null;
  return {
    userId: String(key.created_by),
    via: 'api_key',
    permission: key.permission as Permission,
    keyId: String(key._id),
    workspaces: keyReach(key, account.workspaces).reach,
  };
}

/** True when the actor may read the record: permission ≥ read and the one visibility rule. */
export function mayRead(actor: Actor | null, record: OwnedRecord): actor is Actor {
  return actor !== null && permits(actor.permission, 'read') && canSee(actor, record);
}

/** Resolves each key once per batch (a fan-out may meet the same key for many subscriptions). */
export function keyActorCache(now: Date): (keyId: string) => Promise<Actor | null> {
  const seen = new Map<string, Promise<Actor | null>>();
  return (keyId) => {
    let actor = seen.get(keyId);
    if (!actor) seen.set(keyId, (actor = resolveKeyActor(keyId, now)));
    return actor;
  };
}

export async function workspaceMemberIds(workspaceId: Types.ObjectId | string): Promise<string[]> {
  const rows = await MembershipModel.find({ workspace_id: workspaceId })
    .select({ user_id: 1 })
    .lean<{ user_id: Types.ObjectId }[]>();
  return rows.map((m) => String(m.user_id));
}
