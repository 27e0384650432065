// The audit trail of a key: create, rotate, revoke, archive, first use from a new IP, each with
// actor, time and IP.
import mongoose, { type Types } from 'mongoose';
import { UserModel } from '../accounts/user.model';
import { KeyEventModel, type KeyEventType } from './api-key.model';

export interface AuditActor {
  userId: string;
  via: 'session' | 'api_key';
  ip?: string;
  userAgent?: string;
}

export async function recordKeyEvent(
  keyId: Types.ObjectId | string,
  type: KeyEventType,
  actor: AuditActor,
  now: Date,
  data?: Record<string, unknown>,
): Promise<void> {
  await KeyEventModel.create({
    key_id: keyId,
    type,
    actor_id: actor.userId,
    actor_via: actor.via,
    ip: actor.ip ?? null,
    user_agent: actor.userAgent?.slice(0, 300) ?? null,
    data,
    occurred_at: now,
  });
}

export async function listKeyEvents(keyId: string) {
  const events = await KeyEventModel.find({ key_id: keyId })
    .sort({ occurred_at: -1 })
    .limit(500)
    .lean()
    .exec();
  const ids = [...new Set(events.map((e) => String(e.actor_id)))];
  const users = await UserModel.find({ _id: mongoose.trusted({ $in: ids }) })
    .lean()
    .exec();
  const byId = new Map(users.map((u) => [String(u._id), u]));
  return events.map((e) => {
    const u = byId.get(String(e.actor_id));
    return {
      id: String(e._id),
      type: e.type,
      actor: { id: String(e.actor_id), email: u?.email ?? null, name: u?.name ?? null, via: e.actor_via },
      ip: e.ip ?? null,
      user_agent: e.user_agent ?? null,
      data: e.data ?? null,
      occurred_at: new Date(e.occurred_at).toISOString(),
    };
  });
}
