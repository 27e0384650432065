// last_used_at / IP / user agent, written at most once a minute per key (the stored value decides,
// so several processes agree), plus an audit event the first time a key is used from a new IP.
// Awaited, not fire-and-forget, but only in those rare cases: most requests write nothing.
import mongoose from 'mongoose';
import { ApiKeyModel, type ApiKey } from './api-key.model';
import { recordKeyEvent } from './key-audit';

const MINUTE = 60_000;
const SEEN_IPS_KEPT = 100;

export async function noteKeyUse(
  key: ApiKey,
  ip: string,
  userAgent: string | undefined,
  now: Date,
): Promise<void> {
  const lastUsed = {
    last_used_at: now,
    last_used_ip: ip,
    last_used_user_agent: userAgent?.slice(0, 300) ?? null,
  };
  if (!(key.seen_ips ?? []).includes(ip)) {
    const result = await ApiKeyModel.updateOne(
      { _id: key._id, seen_ips: mongoose.trusted({ $ne: ip }) },
      { $set: lastUsed, $push: { seen_ips: { $each: [ip], $slice: -SEEN_IPS_KEPT } } },
    ).exec();
    // Only the request that actually added the IP records the event (exactly once across processes).
    if (result.modifiedCount === 1) {
      Object.assign(key, lastUsed);
      await recordKeyEvent(
        key._id,
        'first_use_from_ip',
        { userId: String(key.created_by), via: 'api_key', ip, userAgent },
        now,
      );
    }
    return;
  }
  const last = key.last_used_at ? new Date(key.last_used_at).getTime() : 0;
  if (now.getTime() - last < MINUTE) return;
  const result = await ApiKeyModel.updateOne(
    {
      _id: key._id,
      $or: [
        { last_used_at: null },
        { last_used_at: mongoose.trusted({ $lte: new Date(now.getTime() - MINUTE) }) },
      ],
    },
    { $set: lastUsed },
  ).exec();
  // What this request sees (e.g. /me) matches what was stored.
  if (result.modifiedCount === 1) Object.assign(key, lastUsed);
}
