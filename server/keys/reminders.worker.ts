// Expiry reminders: 7 days and 1 day before a key expires, its creator gets an email, once each.
// Every process may run this worker: a reminder is claimed with an atomic findOneAndUpdate on its
// "sent" marker before the mail goes out, so exactly one process sends it.
import mongoose from 'mongoose';
import { UserModel } from '../accounts/user.model';
import type { AppContext } from '../context';
import { sendMail } from '../mail/mail';
import { startPollingWorker, type Worker } from '../shared/polling-worker';
import { ApiKeyModel, type ApiKey } from './api-key.model';

const DAY = 24 * 3600_000;
const INTERVAL_MS = 60_000;

type Marker = 'reminded_1d_at' | 'reminded_7d_at';

/** Claims one due reminder: the 1-day one also marks the 7-day one (never two mails at once). */
async function claimNext(marker: Marker, now: Date): Promise<ApiKey | null> {
  const window = marker === 'reminded_1d_at' ? { from: 0, to: DAY } : { from: DAY, to: 7 * DAY };
  const set =
    marker === 'reminded_1d_at' ? { reminded_1d_at: now, reminded_7d_at: now } : { reminded_7d_at: now };
  return (await ApiKeyModel.findOneAndUpdate(
    {
      [marker]: null,
      expires_at: mongoose.trusted({
        $gt: new Date(now.getTime() + window.from),
        $lte: new Date(now.getTime() + window.to),
      }),
      revoked_at: null,
      archived_at: null,
    },
    { $set: set },
    { returnDocument: 'after' },
  )
    .lean()
    .exec()) as ApiKey | null;
}

async function remind(ctx: AppContext, key: ApiKey, now: Date): Promise<void> {
  const user = await UserModel.findById(key.created_by).lean().exec();
  if (!user || user.deactivated_at) return;
  const days = Math.max(1, Math.ceil((new Date(key.expires_at!).getTime() - now.getTime()) / DAY));
  const settings = `${ctx.config.PUBLIC_URL ?? ''}/settings`;
  await sendMail(ctx, {
    to: user.email,
    subject: `Your Switchboard API key "${key.name}" expires in ${days} day${days === 1 ? '' : 's'}`,
    text: [
      `Your API key "${key.name}" (${key.prefix}…) expires on ${new Date(key.expires_at!).toISOString()}.`,
      'Integrations using it will stop working then. Create a new key (or rotate this one before it expires) in Settings:',
      settings,
    ].join('\n\n'),
  });
}

/** One pass: sends every due reminder. Returns how many were sent (tests call this directly). */
export async function runReminders(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  let sent = 0;
  for (const marker of ['reminded_1d_at', 'reminded_7d_at'] as const) {
    for (let key = await claimNext(marker, now); key; key = await claimNext(marker, now)) {
      await remind(ctx, key, now);
      sent += 1;
    }
  }
  return sent;
}

export function startReminderWorker(ctx: AppContext): Worker {
  return startPollingWorker(ctx.logger, {
    name: 'expiry reminders',
    intervalMs: INTERVAL_MS,
    run: () => runReminders(ctx),
  });
}
