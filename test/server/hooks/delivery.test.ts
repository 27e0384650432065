// Live delivery with the real worker loop (as `npm start` runs it): signed events within a second,
// only to keys that could read the record, and none after revocation.
import { createHmac, timingSafeEqual } from 'node:crypto';
import mongoose from 'mongoose';
import { DomainEventModel } from '../../../server/events/event.model';
import { HookDeliveryModel } from '../../../server/hooks/delivery.model';
import {
  addMember,
  apiUser,
  bearer,
  createKey,
  createWorkspace,
  session,
  signUp,
} from '../../helpers/fixtures';
import { startTestApp, type TestApp } from '../../helpers/app';
import { eventually, startReceiver, type Receiver } from './receiver';

let t: TestApp;
const receivers: Receiver[] = [];
beforeAll(async () => {
  t = await startTestApp({}, { workers: true });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await t.stop();
});

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

async function subscribe(
  secret: string,
  body: Record<string, unknown>,
): Promise<{ id: string; secret: string }> {
  const res = await t.request().post('/api/v1/hooks').set(bearer(secret)).send(body);
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
}

/** What the README tells receivers to do, written independently of the server's code. */
function verifies(secret: string, header: string, body: string): boolean {
  const match = /^t=(\d+),v1=([a-f0-9]{64})$/.exec(header);
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'));
}

/** Waits until every domain event of these records has been fanned out (so "nothing arrived" is final). */
async function dispatched(recordIds: string[]): Promise<void> {
  await eventually(
    async () =>
      (await DomainEventModel.countDocuments({
        record_id: mongoose.trusted({ $in: recordIds }),
        dispatched_at: null,
      })) === 0,
    5000,
    'events dispatched',
  );
}

describe('delivery of contact.created', () => {
  it('when a contact is created through the API, then the subscriber gets a correctly signed event within a second', async () => {
    const { user, secret } = await apiUser(t, 'write');
    const inbox = await receiver();
    const hook = await subscribe(secret, { event: 'contact.created', target_url: inbox.url });

    const created = await t
      .request()
      .post('/api/v1/contacts')
      .set(bearer(secret))
      .send({ name: 'Ada Lovelace', email: `ada-${Date.now()}@example.test` });
    expect(created.status).toBe(201);
    const changedAt = Date.now();
    const [got] = await inbox.waitFor(1, 3000);
    expect(got!.at - changedAt).toBeLessThan(1000);

    const payload = JSON.parse(got!.body);
    const asGet = await t.request().get(`/api/v1/contacts/${created.body.id}`).set(bearer(secret));
    expect(payload).toEqual({
      id: expect.any(String),
      type: 'contact.created',
      occurred_at: expect.any(String),
      data: asGet.body,
    });
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['user-agent']).toBe('Switchboard-Hooks/1');
    expect(got!.headers['switchboard-event-id']).toBe(payload.id);
    expect(got!.headers['switchboard-event-type']).toBe('contact.created');

    const signature = got!.headers['switchboard-signature'] as string;
    expect(verifies(hook.secret, signature, got!.body)).toBe(true);
    expect(verifies(hook.secret, signature, got!.body.replace('Ada Lovelace', 'Eve Mallory'))).toBe(false);
    expect(verifies(`${hook.secret}x`, signature, got!.body)).toBe(false);
    expect(t.logs.join('\n')).not.toContain(hook.secret);

    const view = await session(user).get(`/app/hooks/${hook.id}/deliveries`);
    expect(view.body.data).toEqual([
      expect.objectContaining({
        status: 'delivered',
        attempts: 1,
        last_response_status: 200,
        event_id: payload.id,
      }),
    ]);
  });

  it('when a read-only key subscribes, then it receives events too', async () => {
    const { user, secret } = await apiUser(t, 'read');
    const inbox = await receiver();
    await subscribe(secret, { event: 'contact.created', target_url: inbox.url });
    const created = await session(user).post('/app/contacts', { name: 'Read Only' });
    expect(created.status).toBe(201);
    const [got] = await inbox.waitFor(1);
    expect(JSON.parse(got!.body).data.id).toBe(created.body.id);
  });
});

describe('who receives what', () => {
  it("when a record is private to another member, then a member's key gets no event for it", async () => {
    const owner = await apiUser(t);
    const member = await signUp(t);
    await addMember(t, owner.user, owner.user.workspaceId, member, 'member');
    const memberKey = await createKey(t, member, { permission: 'read' });
    const inbox = await receiver();
    const hook = await subscribe(memberKey.secret, { event: 'contact.created', target_url: inbox.url });

    const hidden = await t
      .request()
      .post('/api/v1/contacts')
      .set(bearer(owner.secret))
      .send({ name: 'Secret', visibility: 'private' });
    const shared = await t
      .request()
      .post('/api/v1/contacts')
      .set(bearer(owner.secret))
      .send({ name: 'Shared', visibility: 'workspace' });
    expect([hidden.status, shared.status]).toEqual([201, 201]);
    await dispatched([hidden.body.id, shared.body.id]);
    const [got] = await inbox.waitFor(1);
    expect(JSON.parse(got!.body).data.id).toBe(shared.body.id);
    expect(await HookDeliveryModel.countDocuments({ subscription_id: hook.id })).toBe(1);
  });

  it('when a key is scoped to one workspace, then it gets no events of another', async () => {
    const { user, secret } = await apiUser(t);
    const other = await createWorkspace(t, user, undefined, { apiAccess: true });
    const scoped = await createKey(t, user, { scope: { workspace_id: other } });
    const inbox = await receiver();
    const hook = await subscribe(scoped.secret, { event: 'contact.created', target_url: inbox.url });

    const outside = await t
      .request()
      .post('/api/v1/contacts')
      .set(bearer(secret))
      .send({ name: 'Outside', workspace_id: user.workspaceId });
    const inside = await t
      .request()
      .post('/api/v1/contacts')
      .set(bearer(secret))
      .send({ name: 'Inside', workspace_id: other });
    await dispatched([outside.body.id, inside.body.id]);
    const [got] = await inbox.waitFor(1);
    expect(JSON.parse(got!.body).data.id).toBe(inside.body.id);
    expect(await HookDeliveryModel.countDocuments({ subscription_id: hook.id })).toBe(1);
  });

  it('when the key is revoked, then no more events flow to its subscriptions', async () => {
    const { user, secret, keyId } = await apiUser(t);
    const inbox = await receiver();
    const hook = await subscribe(secret, { event: 'contact.created', target_url: inbox.url });
    await t.request().post('/api/v1/contacts').set(bearer(secret)).send({ name: 'Before revoke' });
    await inbox.waitFor(1);

    expect((await session(user).post(`/app/api-keys/${keyId}/revoke`)).status).toBe(200);
    const after = await session(user).post('/app/contacts', { name: 'After revoke' });
    expect(after.status).toBe(201);
    await dispatched([after.body.id]);
    expect(await HookDeliveryModel.countDocuments({ subscription_id: hook.id })).toBe(1);
    expect(inbox.received).toHaveLength(1);
  });
});

describe('index coverage', () => {
  it('when the worker and the hooks API have run, then every query they issued was served by an index', async () => {
    const ours = (await t.ctx.db.unindexedQueries()).filter((q) =>
      /hook_|domain_events/.test((q as { ns: string }).ns),
    );
    expect(ours).toEqual([]);
  });
});
