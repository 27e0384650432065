// Retries, 410, giving up, filters and crash-safety, driven step by step: no worker loop runs here;
// the test calls the worker's own steps (dispatchOnce, deliverDue) and moves the clock.
import { DomainEventModel } from '../../../server/events/event.model';
import { claimDelivery } from '../../../server/hooks/delivery';
import { HookDeliveryModel } from '../../../server/hooks/delivery.model';
import { deliverDue, dispatchOnce } from '../../../server/hooks/delivery.worker';
import { apiUser, bearer, session } from '../../helpers/fixtures';
import { startTestApp, type TestApp } from '../../helpers/app';
import { startReceiver, type Answer, type Receiver } from './receiver';

let t: TestApp;
const receivers: Receiver[] = [];
beforeAll(async () => {
  t = await startTestApp({ HOOKS_DELIVERY_TIMEOUT_MS: '300' });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await t.stop();
});
afterEach(() => t.clock.reset());

const MINUTE = 60_000;

async function setup(answer: (attempt: number) => Answer, event = 'contact.created', filters?: object) {
  const api = await apiUser(t);
  const inbox = await startReceiver(answer);
  receivers.push(inbox);
  const res = await t
    .request()
    .post('/api/v1/hooks')
    .set(bearer(api.secret))
    .send({ event, target_url: inbox.url, filters });
  expect(res.status).toBe(201);
  return { ...api, inbox, hookId: res.body.id as string };
}

async function createContact(secret: string, name = 'Grace Hopper'): Promise<string> {
  const res = await t.request().post('/api/v1/contacts').set(bearer(secret)).send({ name });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const deliveryOf = async (hookId: string) =>
  (await HookDeliveryModel.findOne({ subscription_id: hookId }).lean())!;

describe('retries', () => {
  it('when a receiver fails the first three times, then it gets the event on a later attempt, with the same event id', async () => {
    const answers: Answer[] = [500, 'hang', 503, 200];
    const { secret, inbox, hookId } = await setup((n) => answers[n - 1] ?? 200);
    await createContact(secret);
    expect(await dispatchOnce(t.ctx)).toBeGreaterThanOrEqual(1);

    expect(await deliverDue(t.ctx)).toBe(1);
    const afterFirst = await deliveryOf(hookId);
    expect(afterFirst).toMatchObject({ status: 'pending', attempts: 1, last_response_status: 500 });
    // The first retry comes within a minute, not before its time.
    expect(afterFirst.next_attempt_at!.getTime() - t.clock.now().getTime()).toBeLessThanOrEqual(MINUTE);
    expect(await deliverDue(t.ctx)).toBe(0);

    for (let attempt = 2; attempt <= 4; attempt++) {
      t.clock.advance(5 * MINUTE);
      expect(await deliverDue(t.ctx)).toBe(1);
    }
    const done = await deliveryOf(hookId);
    expect(done).toMatchObject({ status: 'delivered', attempts: 4, last_response_status: 200 });
    expect(inbox.received).toHaveLength(4);
    const ids = new Set(inbox.received.map((r) => r.headers['switchboard-event-id']));
    expect(ids.size).toBe(1);
    expect(new Set(inbox.received.map((r) => r.body)).size).toBe(1);
  });

  it('when a receiver keeps failing, then it is retried for at least 24 hours and then marked failed, visible in Settings', async () => {
    const { user, secret, inbox, hookId } = await setup(() => 500);
    await createContact(secret);
    await dispatchOnce(t.ctx);
    const start = t.clock.now().getTime();
    let failedAt: number | undefined;
    for (let hour = 0; hour <= 30 && failedAt === undefined; hour++) {
      await deliverDue(t.ctx);
      if ((await deliveryOf(hookId)).status === 'failed') failedAt = t.clock.now().getTime();
      else t.clock.advance(60 * MINUTE);
    }
    expect(failedAt).toBeDefined();
    expect(failedAt! - start).toBeGreaterThanOrEqual(24 * 60 * MINUTE);
    expect(inbox.received.length).toBeGreaterThanOrEqual(20);
    t.clock.reset(); // the Settings session would have expired on the moved clock
    const view = await session(user).get(`/app/hooks/${hookId}/deliveries`);
    expect(view.body.data).toEqual([
      expect.objectContaining({
        status: 'failed',
        last_response_status: 500,
        next_attempt_at: null,
        attempts: inbox.received.length,
      }),
    ]);
    t.clock.advance(48 * 60 * MINUTE);
    expect(await deliverDue(t.ctx)).toBe(0);
  });

  it('when a receiver answers 410 Gone, then the subscription is removed and gets nothing more', async () => {
    const { secret, inbox, hookId } = await setup(() => 410);
    await createContact(secret);
    await dispatchOnce(t.ctx);
    await deliverDue(t.ctx);
    expect(await deliveryOf(hookId)).toMatchObject({ status: 'cancelled', last_response_status: 410 });
    const list = await t.request().get('/api/v1/hooks').set(bearer(secret));
    expect(list.body.data).toEqual([]);
    await createContact(secret, 'After gone');
    expect(await dispatchOnce(t.ctx)).toBe(0);
    t.clock.advance(60 * MINUTE);
    expect(await deliverDue(t.ctx)).toBe(0);
    expect(inbox.received).toHaveLength(1);
  });

  it('when the key is revoked while a delivery waits for its retry, then the retry is cancelled', async () => {
    const { user, keyId, secret, inbox, hookId } = await setup(() => 500);
    await createContact(secret);
    await dispatchOnce(t.ctx);
    await deliverDue(t.ctx);
    expect((await session(user).post(`/app/api-keys/${keyId}/revoke`)).status).toBe(200);
    t.clock.advance(5 * MINUTE);
    await deliverDue(t.ctx);
    expect(await deliveryOf(hookId)).toMatchObject({ status: 'cancelled', attempts: 2 });
    expect(inbox.received).toHaveLength(1);
  });
});

describe('crash safety', () => {
  it('when a worker claims a delivery and dies, then nobody else takes it until the lease ends, and then it is delivered', async () => {
    const { secret, inbox, hookId } = await setup(() => 200);
    await createContact(secret);
    await dispatchOnce(t.ctx);
    const abandoned = await claimDelivery(t.ctx);
    expect(String(abandoned?.subscription_id)).toBe(hookId);
    expect(await deliverDue(t.ctx)).toBe(0);
    t.clock.advance(MINUTE);
    expect(await deliverDue(t.ctx)).toBe(1);
    expect(await deliveryOf(hookId)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(inbox.received).toHaveLength(1);
  });

  it('when the fan-out dies after creating deliveries but before marking the event, then redoing it creates no duplicate', async () => {
    const { secret, hookId } = await setup(() => 200);
    await createContact(secret);
    expect(await dispatchOnce(t.ctx)).toBe(1);
    // What the database looks like if the process died right before marking the event dispatched.
    const { event_id } = await deliveryOf(hookId);
    const undone = await DomainEventModel.updateOne({ _id: event_id }, { $set: { dispatched_at: null } });
    expect(undone.modifiedCount).toBe(1);
    expect(await dispatchOnce(t.ctx)).toBe(0);
    expect(await HookDeliveryModel.countDocuments({ subscription_id: hookId })).toBe(1);
  });
});

describe('filters', () => {
  async function pipeline(secret: string) {
    const res = await t.request().get('/api/v1/pipelines').set(bearer(secret));
    expect(res.status).toBe(200);
    const p = res.body.data[0] as { id: string; stages: { id: string }[] };
    return { id: p.id, stages: p.stages.map((s) => s.id) };
  }

  const receivedTypes = (inbox: Receiver) =>
    inbox.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);

  it('when a deal.stage_changed subscription filters on the to-stage, then only moves into that stage arrive, with from and to', async () => {
    const api = await apiUser(t);
    const { id: pipelineId, stages } = await pipeline(api.secret);
    const [first, second, third] = stages as [string, string, string];
    const inbox = await startReceiver();
    receivers.push(inbox);
    const sub = (filters: object) =>
      t
        .request()
        .post('/api/v1/hooks')
        .set(bearer(api.secret))
        .send({
          event: 'deal.stage_changed',
          target_url: `${inbox.url}?f=${JSON.stringify(filters).length}`,
          filters,
        });
    expect((await sub({ pipeline_id: pipelineId, stage_id: third })).status).toBe(201);
    expect((await sub({ pipeline_id: 'f'.repeat(24) })).status).toBe(201);

    const deal = await t
      .request()
      .post('/api/v1/deals')
      .set(bearer(api.secret))
      .send({ title: 'Deal', value: 100, currency: 'EUR', pipeline_id: pipelineId, stage_id: first });
    expect(deal.status).toBe(201);
    await t
      .request()
      .patch(`/api/v1/deals/${deal.body.id}`)
      .set(bearer(api.secret))
      .send({ stage_id: second })
      .expect(200);
    await t
      .request()
      .patch(`/api/v1/deals/${deal.body.id}`)
      .set(bearer(api.secret))
      .send({ stage_id: third })
      .expect(200);
    await dispatchOnce(t.ctx);
    await deliverDue(t.ctx);
    expect(receivedTypes(inbox)).toEqual([
      expect.objectContaining({
        type: 'deal.stage_changed',
        from_stage_id: second,
        to_stage_id: third,
        pipeline_id: pipelineId,
        changed_at: expect.any(String),
        data: expect.objectContaining({ id: deal.body.id, stage_id: third }),
      }),
    ]);
  });

  it('when a message.created subscription filters on direction and channel, then only those messages arrive', async () => {
    const api = await apiUser(t);
    const contactId = await createContact(api.secret);
    const inbox = await startReceiver();
    receivers.push(inbox);
    const res = await t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(api.secret))
      .send({
        event: 'message.created',
        target_url: inbox.url,
        filters: { direction: 'inbound', channel: 'sms' },
      });
    expect(res.status).toBe(201);
    expect(res.body.filters).toEqual({ direction: 'inbound', channel: 'sms' });
    for (const [direction, channel] of [
      ['inbound', 'sms'],
      ['outbound', 'sms'],
      ['inbound', 'email'],
    ]) {
      const m = await t
        .request()
        .post('/api/v1/messages')
        .set(bearer(api.secret))
        .send({ contact_id: contactId, direction, channel, body: `${direction} ${channel}` });
      expect(m.status).toBe(201);
    }
    await dispatchOnce(t.ctx);
    await deliverDue(t.ctx);
    expect(receivedTypes(inbox).map((p) => (p.data as { body: string }).body)).toEqual(['inbound sms']);
  });

  it('when a deal.created subscription filters on a pipeline, then deals of other pipelines do not arrive', async () => {
    const api = await apiUser(t);
    const { id: pipelineId } = await pipeline(api.secret);
    const inbox = await startReceiver();
    receivers.push(inbox);
    const matching = await t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(api.secret))
      .send({
        event: 'deal.created',
        target_url: `${inbox.url}?p=mine`,
        filters: { pipeline_id: pipelineId },
      });
    const other = await t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(api.secret))
      .send({
        event: 'deal.created',
        target_url: `${inbox.url}?p=other`,
        filters: { pipeline_id: 'e'.repeat(24) },
      });
    expect([matching.status, other.status]).toEqual([201, 201]);
    await t
      .request()
      .post('/api/v1/deals')
      .set(bearer(api.secret))
      .send({ title: 'D', value: 1, currency: 'USD', pipeline_id: pipelineId })
      .expect(201);
    await dispatchOnce(t.ctx);
    await deliverDue(t.ctx);
    expect(await HookDeliveryModel.countDocuments({ subscription_id: matching.body.id })).toBe(1);
    expect(await HookDeliveryModel.countDocuments({ subscription_id: other.body.id })).toBe(0);
  });
});

describe('index coverage', () => {
  it('when these requests and worker steps have run, then every hooks query was served by an index', async () => {
    const ours = (await t.ctx.db.unindexedQueries()).filter((q) =>
      /hook_|domain_events/.test((q as { ns: string }).ns),
    );
    expect(ours).toEqual([]);
  });
});
