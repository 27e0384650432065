// Expiry reminders: 7 days and 1 day before, by email through the transport (the outbox file in
// tests), once each even when several workers run at the same time.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { readOutbox } from '../../../server/mail/mail';
import { runReminders, startReminderWorker } from '../../../server/keys/reminders.worker';
import { startTestApp, type TestApp } from '../../helpers/app';
import { createKey, session, signIn, signUp } from '../../helpers/fixtures';

const DAY = 24 * 3600_000;
const outbox = path.join(os.tmpdir(), `sb-outbox-${randomBytes(6).toString('hex')}.jsonl`);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ MAIL_TRANSPORT: 'outbox', MAIL_OUTBOX_FILE: outbox });
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => t.clock.reset());

const mailsTo = async (email: string) => (await readOutbox(outbox)).filter((m) => m.to === email);

describe('expiry reminders', () => {
  test('when a 30d key reaches 7 days and then 1 day before expiry, then exactly one mail each, never with the secret', async () => {
    const u = await signUp(t);
    const { secret } = await createKey(t, u, { name: 'Zapier', expires_in: '30d' });
    await runReminders(t.ctx);
    expect(await mailsTo(u.email)).toHaveLength(0);

    t.clock.advance(23 * DAY + 3600_000);
    await Promise.all([runReminders(t.ctx), runReminders(t.ctx), runReminders(t.ctx)]);
    let mails = await mailsTo(u.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/"Zapier" expires in 7 days/);
    expect(mails[0]!.text).toContain(secret.slice(0, 10));

    await runReminders(t.ctx);
    expect(await mailsTo(u.email)).toHaveLength(1);

    t.clock.advance(6 * DAY);
    await Promise.all([runReminders(t.ctx), runReminders(t.ctx)]);
    mails = await mailsTo(u.email);
    expect(mails).toHaveLength(2);
    expect(mails[1]!.subject).toMatch(/expires in 1 day$/);
    for (const m of mails) expect(JSON.stringify(m)).not.toContain(secret.slice(10));
  });

  test('when the worker first runs within the last day, then only the 1-day reminder is sent', async () => {
    const u = await signUp(t);
    await createKey(t, u, { expires_in: '30d' });
    t.clock.advance(29 * DAY + 3600_000);
    await runReminders(t.ctx);
    await runReminders(t.ctx);
    const mails = await mailsTo(u.email);
    expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(/expires in 1 day$/)]);
  });

  test('when a key is revoked or never expires, then no reminder', async () => {
    const u = await signUp(t);
    const k = await createKey(t, u, { expires_in: '30d' });
    await createKey(t, u, { expires_in: 'never' });
    await session(u).post(`/app/api-keys/${k.id}/revoke`).expect(200);
    t.clock.advance(29 * DAY + 3600_000);
    await runReminders(t.ctx);
    expect(await mailsTo(u.email)).toHaveLength(0);
  });

  test('when the worker is started, then it sends due reminders without being called and stops cleanly', async () => {
    const u = await signUp(t);
    await createKey(t, u, { expires_in: '30d' });
    t.clock.advance(25 * DAY);
    await signIn(t, u);
    const worker = startReminderWorker(t.ctx);
    const deadline = Date.now() + 10_000;
    while ((await mailsTo(u.email)).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await worker.stop();
    expect(await mailsTo(u.email)).toHaveLength(1);
  });
});

describe('log transport', () => {
  test('when MAIL_TRANSPORT is log, then the subject is logged and not the body or address', async () => {
    const u = await signUp(t);
    await createKey(t, u, { name: 'Logged', expires_in: '30d' });
    t.clock.advance(25 * DAY);
    const before = (await readOutbox(outbox)).length;
    await runReminders({ ...t.ctx, config: { ...t.ctx.config, MAIL_TRANSPORT: 'log' } });
    const lines = t.logs.filter((l) => l.includes('mail sent') && l.includes('Logged'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('expires in');
    expect(lines[0]).not.toContain(u.email);
    expect((await readOutbox(outbox)).length).toBe(before);
  });
});
