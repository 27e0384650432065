// Rotate, revoke, archive. Each takes effect on the very next request in every process, because
// authentication reads the key's secrets and status from the database on every request.
import mongoose from 'mongoose';
import { isWorkspaceAdmin } from '../access/actor';
import { MembershipModel } from '../accounts/workspace.model';
import { AppError, notFound } from '../shared/errors';
import { ApiKeyModel, ApiKeySecretModel, type ApiKey } from './api-key.model';
import { recordKeyEvent, type AuditActor } from './key-audit';
import { displayPrefix, generateSecret, hashSecret } from './key-format';
import { keyView, statusOf, type KeyView } from './key-view';
import { graceMs } from './keys.schemas';
import { findOwnKey } from './keys.service';

export async function rotateKey(
  keyId: string,
  gracePeriod: keyof typeof graceMs,
  actor: AuditActor,
  keyHashSecret: string,
  now: Date,
): Promise<{ key: KeyView; secret: string }> {
  const key = await findOwnKey(actor.userId, keyId);
  const status = statusOf(key, now);
  if (status !== 'active')
    throw new AppError('conflict', `An ${status} key cannot be rotated; create a new key instead`);

  const secret = generateSecret();
  const hash = hashSecret(secret, keyHashSecret);
  await ApiKeySecretModel.create({ hash, key_id: key._id });
  const old = await ApiKeySecretModel.find({ key_id: key._id }).lean().exec();
  const retiring = old.filter((s) => s.hash !== hash);
  if (graceMs[gracePeriod] === 0) {
    await ApiKeySecretModel.deleteMany({ _id: mongoose.trusted({ $in: retiring.map((s) => s._id) }) }).exec();
  } else {
    // Never past the key's own expiry, and never extending an earlier, shorter grace period.
    const limits = [
      now.getTime() + graceMs[gracePeriod],
      key.expires_at ? new Date(key.expires_at).getTime() : Infinity,
    ];
    for (const s of retiring) {
      const until = Math.min(...limits, s.valid_until ? new Date(s.valid_until).getTime() : Infinity);
      await ApiKeySecretModel.updateOne({ _id: s._id }, { $set: { valid_until: new Date(until) } }).exec();
    }
  }
  const updated = await ApiKeyModel.findOneAndUpdate(
    { _id: key._id },
    { $set: { prefix: displayPrefix(secret) } },
    { returnDocument: 'after' },
  )
    .lean()
    .exec();
  await recordKeyEvent(key._id, 'rotated', actor, now, { grace_period: gracePeriod });
  return { key: keyView(updated as ApiKey, now), secret };
}

/** The creator, or an owner/admin of a workspace the key reaches (creator's member there, scope covers it). */
async function findRevocableKey(userId: string, keyId: string): Promise<ApiKey> {
  const key = (await ApiKeyModel.findById(keyId).lean().exec()) as ApiKey | null;
  if (!key) throw notFound('API key');
  if (String(key.created_by) === userId) return key;
  const [mine, creators] = await Promise.all([
    MembershipModel.find({ user_id: userId }).lean().exec(),
    MembershipModel.find({ user_id: key.created_by }).lean().exec(),
  ]);
  const creatorIn = new Set(creators.map((m) => String(m.workspace_id)));
  const ok = mine.some(
    (m) =>
      isWorkspaceAdmin(m.role as 'owner' | 'admin' | 'member') &&
      creatorIn.has(String(m.workspace_id)) &&
      (!key.scope_workspace_id || String(key.scope_workspace_id) === String(m.workspace_id)),
  );
  if (!ok) throw notFound('API key');
  return key;
}

export async function revokeKey(keyId: string, actor: AuditActor, now: Date): Promise<KeyView> {
  const key = await findRevocableKey(actor.userId, keyId);
  if (key.revoked_at) return keyView(key, now);
  const updated = await ApiKeyModel.findOneAndUpdate(
    { _id: key._id, revoked_at: null },
    { $set: { revoked_at: now, revoked_by: actor.userId } },
    { returnDocument: 'after' },
  )
    .lean()
    .exec();
  if (!updated) return keyView((await ApiKeyModel.findById(key._id).lean().exec()) as ApiKey, now);
  await recordKeyEvent(key._id, 'revoked', actor, now);
  return keyView(updated as ApiKey, now);
}

export async function archiveKey(keyId: string, actor: AuditActor, now: Date): Promise<KeyView> {
  const key = await findOwnKey(actor.userId, keyId);
  const status = statusOf(key, now);
  if (status === 'archived') return keyView(key, now);
  if (status === 'active')
    throw new AppError('conflict', 'Only a revoked or expired key can be archived; revoke it first');
  const updated = await ApiKeyModel.findOneAndUpdate(
    { _id: key._id },
    { $set: { archived_at: now } },
    { returnDocument: 'after' },
  )
    .lean()
    .exec();
  await recordKeyEvent(key._id, 'archived', actor, now);
  return keyView(updated as ApiKey, now);
}
