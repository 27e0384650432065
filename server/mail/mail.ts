// The mail transport. No SMTP in this product yet: `outbox` appends one JSON line per message to
// MAIL_OUTBOX_FILE (development and tests read it), `log` logs that a message went out, subject only
// (bodies may hold personal data).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AppContext } from '../context';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export async function sendMail(ctx: AppContext, mail: Mail): Promise<void> {
  if (ctx.config.MAIL_TRANSPORT === 'log') {
    ctx.logger.info({ mail: { subject: mail.subject } }, 'mail sent');
    return;
  }
  const file = ctx.config.MAIL_OUTBOX_FILE;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const line = JSON.stringify({ ...mail, sent_at: ctx.now().toISOString() });
  await fs.appendFile(file, `${line}\n`, { mode: 0o600 });
}

/** Reads the outbox (for tests and the development console). */
export async function readOutbox(file: string): Promise<Array<Mail & { sent_at: string }>> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Mail & { sent_at: string });
}
