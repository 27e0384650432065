// Every instant trigger end to end: subscribe through the app, change a record through the API,
// receive the real signed delivery on a loopback "Zapier", run `perform` on it, compare with
// `performList` and the sample, then unsubscribe and check that nothing more arrives.
import { App, run, sleep, startHarness, startReceiver, type Delivery, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.t.stop();
});

const sortedKeys = (o: object) => Object.keys(o).sort();
const QUIET_MS = 1500;

/** Subscribes `trigger` for `receiver`, checking the hook secret signs what arrives. */
async function subscribe(key: string, targetUrl: string, inputData: Record<string, unknown> = {}) {
  const op = App.triggers[key]!.operation;
  const subscribeData = await run<{ id: string }>(op.performSubscribe, h.keys.admin, {
    targetUrl,
    inputData,
  });
  expect(subscribeData).toEqual({ id: expect.any(String) });
  return subscribeData;
}

function expectSigned(delivery: Delivery) {
  const header = String(delivery.headers['switchboard-signature'] ?? '');
  expect(header).toMatch(/^t=\d+,v1=[a-f0-9]{64}$/);
}

async function expectSameShape(key: string, delivery: Delivery, inputData: Record<string, unknown> = {}) {
  const op = App.triggers[key]!.operation;
  const items = await run<Array<Record<string, unknown>>>(op.perform, h.keys.admin, {
    cleanedRequest: delivery.body,
    inputData,
  });
  expect(items).toHaveLength(1);
  const listed = await run<Array<Record<string, unknown>>>(op.performList, h.keys.admin, { inputData });
  expect(listed.length).toBeGreaterThan(0);
  expect(sortedKeys(items[0]!)).toEqual(sortedKeys(listed[0]!));
  expect(sortedKeys(items[0]!)).toEqual(sortedKeys(op.sample!));
  return { item: items[0]!, listed };
}

async function unsubscribeAndExpectSilence(
  key: string,
  subscribeData: { id: string },
  receiver: Awaited<ReturnType<typeof startReceiver>>,
  change: () => Promise<unknown>,
) {
  const op = App.triggers[key]!.operation;
  await run(op.performUnsubscribe, h.keys.admin, { subscribeData });
  // Unsubscribing again (Zapier retries) is not an error: the hook is already gone (404).
  await run(op.performUnsubscribe, h.keys.admin, { subscribeData });
  const before = receiver.deliveries.length;
  await change();
  await sleep(QUIET_MS);
  expect(receiver.deliveries.length).toBe(before);
  await receiver.stop();
}

describe('New Contact (new_contact)', () => {
  it('when a contact is created, then the delivery becomes the same item performList returns; after unsubscribe nothing arrives', async () => {
    const receiver = await startReceiver();
    const sub = await subscribe('new_contact', receiver.url);
    const contact = await h
      .api()
      .post('/contacts', { name: 'Ada Lovelace', email: `ada-${Date.now()}@example.com` });
    const [delivery] = await receiver.waitFor(1);
    expectSigned(delivery!);
    const { item } = await expectSameShape('new_contact', delivery!);
    expect(item).toMatchObject({ id: contact.id, name: 'Ada Lovelace', email: contact.email });

    await unsubscribeAndExpectSilence('new_contact', sub, receiver, () =>
      h.api().post('/contacts', { name: 'After Unsubscribe' }),
    );
  });
});

describe('Updated Contact (updated_contact)', () => {
  it('when a contact changes twice, then each change is its own item (id = contact id + updated_at) with contact_id kept', async () => {
    const contact = await h.api().post('/contacts', { name: 'Grace Hopper' });
    const receiver = await startReceiver();
    const sub = await subscribe('updated_contact', receiver.url);
    await h.api().patch(`/contacts/${contact.id}`, { company: 'Navy' });
    await sleep(5); // two updates in the same millisecond would share updated_at
    await h.api().patch(`/contacts/${contact.id}`, { company: 'Harvard' });
    const deliveries = await receiver.waitFor(2);
    const { item } = await expectSameShape('updated_contact', deliveries[0]!);
    const [second] = await run<Array<Record<string, unknown>>>(
      App.triggers.updated_contact!.operation.perform,
      h.keys.admin,
      {
        cleanedRequest: deliveries[1]!.body,
      },
    );
    expect(item.contact_id).toBe(contact.id);
    expect(second!.contact_id).toBe(contact.id);
    expect(item.id).toBe(`${contact.id}-${item.updated_at}`);
    expect(second!.id).not.toBe(item.id);

    await unsubscribeAndExpectSilence('updated_contact', sub, receiver, () =>
      h.api().patch(`/contacts/${contact.id}`, { company: 'Yale' }),
    );
  });
});

describe('New Deal (new_deal)', () => {
  it('when a deal is created, then the delivery matches performList; a pipeline filter is applied on the server', async () => {
    const [pipeline] = (await h.api().get('/pipelines')).data;
    const receiver = await startReceiver();
    const sub = await subscribe('new_deal', receiver.url, { pipeline_id: pipeline.id });
    const deal = await h.api().post('/deals', { title: 'Annual plan', value: 4800 });
    const [delivery] = await receiver.waitFor(1);
    const { item } = await expectSameShape('new_deal', delivery!, { pipeline_id: pipeline.id });
    expect(item).toMatchObject({ id: deal.id, title: 'Annual plan', pipeline_id: pipeline.id });

    await unsubscribeAndExpectSilence('new_deal', sub, receiver, () =>
      h.api().post('/deals', { title: 'Later' }),
    );
  });
});

describe('Deal Stage Changed (deal_stage_changed)', () => {
  it('when a deal moves, then the item names from/to stage and pipeline; moves to other stages are filtered out on the server', async () => {
    const [pipeline] = (await h.api().get('/pipelines')).data;
    const [lead, qualified, proposal] = pipeline.stages;
    const deal = await h.api().post('/deals', { title: 'Stage mover', stage_id: lead.id });
    const receiver = await startReceiver();
    const inputData = { pipeline_id: pipeline.id, stage_id: proposal.id };
    const sub = await subscribe('deal_stage_changed', receiver.url, inputData);

    await h.api().patch(`/deals/${deal.id}`, { stage_id: qualified.id }); // not to Proposal: filtered out
    await h.api().patch(`/deals/${deal.id}`, { stage_id: proposal.id });
    const [delivery] = await receiver.waitFor(1);
    const { item } = await expectSameShape('deal_stage_changed', delivery!, inputData);
    expect(item).toMatchObject({
      deal_id: deal.id,
      pipeline_id: pipeline.id,
      pipeline_name: pipeline.name,
      from_stage_id: qualified.id,
      from_stage_name: qualified.name,
      to_stage_id: proposal.id,
      to_stage_name: proposal.name,
    });
    expect(item.id).toBe(`${deal.id}-${item.changed_at}`);
    await sleep(300);
    expect(receiver.deliveries).toHaveLength(1);

    await unsubscribeAndExpectSilence('deal_stage_changed', sub, receiver, async () => {
      await h.api().patch(`/deals/${deal.id}`, { stage_id: lead.id });
      await h.api().patch(`/deals/${deal.id}`, { stage_id: proposal.id });
    });
  });
});

describe('New Message (new_message)', () => {
  it('when messages are logged, then only the subscribed direction and channel arrive, shaped like performList', async () => {
    const contact = await h.api().post('/contacts', { name: 'Message Target' });
    const receiver = await startReceiver();
    const inputData = { direction: 'inbound', channel: 'sms' };
    const sub = await subscribe('new_message', receiver.url, inputData);
    await h.api().post('/messages', {
      contact_id: contact.id,
      direction: 'outbound',
      channel: 'sms',
      body: 'filtered out',
    });
    const message = await h
      .api()
      .post('/messages', { contact_id: contact.id, direction: 'inbound', channel: 'sms', body: 'Hi!' });
    const [delivery] = await receiver.waitFor(1);
    const { item, listed } = await expectSameShape('new_message', delivery!, inputData);
    expect(item).toMatchObject({ id: message.id, body: 'Hi!', direction: 'inbound', channel: 'sms' });
    expect(listed.every((m) => m.direction === 'inbound' && m.channel === 'sms')).toBe(true);
    await sleep(300);
    expect(receiver.deliveries).toHaveLength(1);

    await unsubscribeAndExpectSilence('new_message', sub, receiver, () =>
      h
        .api()
        .post('/messages', { contact_id: contact.id, direction: 'inbound', channel: 'sms', body: 'late' }),
    );
  });
});

describe('subscriptions', () => {
  it('when Zapier subscribes the same URL twice, then one subscription exists (idempotent per target URL)', async () => {
    const receiver = await startReceiver();
    const first = await subscribe('new_contact', receiver.url);
    const second = await subscribe('new_contact', receiver.url);
    expect(second.id).toBe(first.id);
    await h.api().post('/contacts', { name: 'Once' });
    await receiver.waitFor(1);
    await sleep(300);
    expect(receiver.deliveries).toHaveLength(1);
    await run(App.triggers.new_contact!.operation.performUnsubscribe, h.keys.admin, { subscribeData: first });
    await receiver.stop();
  });

  it('when a read-only key subscribes, then triggers still work (subscribing only reads)', async () => {
    const receiver = await startReceiver();
    const sub = await run<{ id: string }>(App.triggers.new_contact!.operation.performSubscribe, h.keys.read, {
      targetUrl: receiver.url,
    });
    expect(sub.id).toEqual(expect.any(String));
    await run(App.triggers.new_contact!.operation.performUnsubscribe, h.keys.read, { subscribeData: sub });
    await receiver.stop();
  });
});
