// Creating and listing keys. The secret is generated here, returned once, and only its HMAC is stored.
import mongoose from 'mongoose';
import { UserModel } from '../accounts/user.model';
import { MembershipModel } from '../accounts/workspace.model';
import { requireWorkspaceAdmin } from '../accounts/workspaces.service';
import { AppError, notFound } from '../shared/errors';
import { withLease } from '../shared/lease';
import { ApiKeyModel, ApiKeySecretModel, type ApiKey } from './api-key.model';
import { recordKeyEvent, type AuditActor } from './key-audit';
import { displayPrefix, generateSecret, hashSecret } from './key-format';
import { keyView, statusOf, type KeyView } from './key-view';
import { expiryFrom, type CreateKeyInput } from './keys.schemas';

export const MAX_ACTIVE_KEYS = 25;
const DAY = 24 * 3600_000;

export async function createKey(
  input: CreateKeyInput,
  actor: AuditActor,
  keyHashSecret: string,
  now: Date,
): Promise<{ key: KeyView; secret: string }> {
  const scopeId = input.scope === 'all' ? null : input.scope.workspace_id;
  if (scopeId && !(await MembershipModel.exists({ user_id: actor.userId, workspace_id: scopeId })))
    throw new AppError('invalid_request', 'The scope names a workspace you do not belong to', {
      errors: [{ field: 'scope.workspace_id', message: 'not a workspace you belong to' }],
    });
  // One create at a time per user, so creates racing for the last slots cannot all pass the count.
  return withLease(`api-keys:${actor.userId}`, async () => {
    const mine = await ApiKeyModel.find({ created_by: actor.userId, archived_at: null }).lean().exec();
    if (mine.filter((k) => statusOf(k as ApiKey, now) === 'active').length >= MAX_ACTIVE_KEYS)
      throw new AppError(
        'limit_reached',
        `You can have at most ${MAX_ACTIVE_KEYS} active API keys; revoke one first`,
      );

    const secret = generateSecret();
    const key = await ApiKeyModel.create({
      name: input.name,
      permission: input.permission,
      scope_workspace_id: scopeId,
      created_by: actor.userId,
      prefix: displayPrefix(secret),
      expires_at: expiryFrom(now, input.expires_in),
      created_at: now,
    });
    await ApiKeySecretModel.create({ hash: hashSecret(secret, keyHashSecret), key_id: key._id });
    await recordKeyEvent(key._id, 'created', actor, now, {
      permission: input.permission,
      expires_in: input.expires_in,
    });
    return { key: keyView(key.toObject() as ApiKey, now), secret };
  });
}

export interface KeyReminder {
  key_id: string;
  name: string;
  prefix: string;
  expires_at: string;
  days_left: number;
  message: string;
}

/** The user's keys: active, revoked/expired, optionally archived; plus banners for keys expiring within 7 days. */
export async function listKeys(userId: string, includeArchived: boolean, now: Date) {
  const filter = includeArchived ? { created_by: userId } : { created_by: userId, archived_at: null };
  const keys = (await ApiKeyModel.find(filter).lean().exec()) as ApiKey[];
  const views = keys
    .sort((a, b) => new Date(b.created_at).getTime() - new Date(a.created_at).getTime())
    .map((k) => keyView(k, now));
  const reminders: KeyReminder[] = views
    .filter(
      (k) => k.status === 'active' && k.expires_at && Date.parse(k.expires_at) - now.getTime() <= 7 * DAY,
    )
    .map((k) => {
      const days = Math.max(0, Math.ceil((Date.parse(k.expires_at!) - now.getTime()) / DAY));
      return {
        key_id: k.id,
        name: k.name,
        prefix: k.prefix,
        expires_at: k.expires_at!,
        days_left: days,
        message: `API key "${k.name}" (${k.prefix}…) expires in ${days} day${days === 1 ? '' : 's'}`,
      };
    });
  return {
    active: views.filter((k) => k.status === 'active'),
    revoked: views.filter((k) => k.status === 'revoked' || k.status === 'expired'),
    ...(includeArchived ? { archived: views.filter((k) => k.status === 'archived') } : {}),
    reminders,
  };
}

/** The caller's own key, or 404 (someone else's key is indistinguishable from a missing one). */
export async function findOwnKey(userId: string, keyId: string): Promise<ApiKey> {
  const key = await ApiKeyModel.findById(keyId).lean().exec();
  if (!key || String(key.created_by) !== userId) throw notFound('API key');
  return key as ApiKey;
}

/** Owner/admin view: keys whose creator is a member and whose scope covers the workspace. No secrets exist to show. */
export async function adminKeyView(userId: string, workspaceId: string, now: Date) {
  await requireWorkspaceAdmin(userId, workspaceId);
  const members = await MembershipModel.find({ workspace_id: workspaceId }).lean().exec();
  const memberIds = members.map((m) => m.user_id);
  const keys = (await ApiKeyModel.find({
    created_by: mongoose.trusted({ $in: memberIds }),
    archived_at: null,
  })
    .lean()
    .exec()) as ApiKey[];
  const reaching = keys.filter((k) => !k.scope_workspace_id || String(k.scope_workspace_id) === workspaceId);
  const users = await UserModel.find({ _id: mongoose.trusted({ $in: memberIds }) })
    .lean()
    .exec();
  const byId = new Map(users.map((u) => [String(u._id), u]));
  return reaching
    .sort((a, b) => new Date(b.created_at).getTime() - new Date(a.created_at).getTime())
    .map((k) => {
      const creator = byId.get(String(k.created_by));
      return {
        ...keyView(k, now),
        creator: { id: String(k.created_by), email: creator?.email ?? null, name: creator?.name ?? null },
      };
    });
}
