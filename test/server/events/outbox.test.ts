// The outbox inside the record: a change and its pending event entry are one document write; the
// request publishes the entry, and the sweep publishes what a crashed request left behind. Crashes
// are simulated without mocks: the record is written through the model exactly as a request that
// died after its write leaves it (the change plus a pending entry, no event).
import mongoose from 'mongoose';
import { ContactModel } from '../../../server/contacts/contact.model';
import { DealModel } from '../../../server/deals/deal.model';
import { DomainEventModel } from '../../../server/events/event.model';
import { pendingEvent, type PendingEvent } from '../../../server/events/outbox';
import { STALE_MS, startEventOutboxWorker, sweepPendingEvents } from '../../../server/events/outbox.worker';
import { MessageModel } from '../../../server/messages/message.model';
import { startTestApp, type TestApp } from '../../helpers/app';
import { apiUser, type SignedInUser } from '../../helpers/fixtures';
import { keyClient, type Client } from '../crm/crm-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ API_KEY_RATE_LIMIT: '10000' });
});
afterAll(async () => t.stop());

type Pending = { pending_events?: PendingEvent[] } | null;
const pendingOfContact = async (id: string) =>
  ((await ContactModel.findById(id).lean()) as Pending)?.pending_events ?? [];
const pendingOfDeal = async (id: string) =>
  ((await DealModel.findById(id).lean()) as Pending)?.pending_events ?? [];
const pendingOfMessage = async (id: string) =>
  ((await MessageModel.findById(id).lean()) as Pending)?.pending_events ?? [];
const eventsOf = async (recordId: string) =>
  DomainEventModel.find({ record_id: recordId }).sort({ occurred_at: 1, _id: 1 }).lean();

async function user(): Promise<{ u: SignedInUser; api: Client }> {
  const { user: u, secret } = await apiUser(t, 'admin');
  return { u, api: keyClient(t, secret) };
}

/** A contact as a create that died right after its insert leaves it: pending entry, no event. */
async function crashedContactCreate(u: SignedInUser, name: string) {
  const now = t.clock.now();
  const entry = pendingEvent('contact.created', undefined, now);
  const doc = await ContactModel.create({
    workspace_id: u.workspaceId,
    owner_id: u.id,
    visibility: 'workspace',
    name,
    created_at: now,
    updated_at: now,
    pending_events: [entry],
  });
  return { id: String(doc._id), entry };
}

describe('the normal path', () => {
  test('when contacts, deals and messages are created and updated, then no pending entry is left and each change has exactly one event', async () => {
    const { api } = await user();
    const pipeline = (
      (await api.get('/pipelines')).body.data as Array<{ stages: Array<{ id: string }> }>
    )[0]!;
    const c = await api.post('/contacts', { name: 'Normal' }).expect(201);
    await api.patch(`/contacts/${c.body.id as string}`, { company: 'Co' }).expect(200);
    const d = await api.post('/deals', { title: 'Normal' }).expect(201);
    await api.patch(`/deals/${d.body.id as string}`, { stage_id: pipeline.stages[1]!.id }).expect(200);
    const m = await api
      .post('/messages', { contact_id: c.body.id, direction: 'inbound', channel: 'email', body: 'hi' })
      .expect(201);

    expect(await pendingOfContact(c.body.id as string)).toEqual([]);
    expect(await pendingOfDeal(d.body.id as string)).toEqual([]);
    expect(await pendingOfMessage(m.body.id as string)).toEqual([]);
    expect((await eventsOf(c.body.id as string)).map((e) => e.type)).toEqual([
      'contact.created',
      'contact.updated',
    ]);
    const dealEvents = await eventsOf(d.body.id as string);
    expect(dealEvents.map((e) => e.type)).toEqual(['deal.created', 'deal.updated', 'deal.stage_changed']);
    expect(dealEvents.map((e) => e.recovered)).toEqual([undefined, undefined, undefined]);
    expect((await eventsOf(m.body.id as string)).map((e) => e.type)).toEqual(['message.created']);
    // Nothing is left for the sweep, however late it runs.
    t.clock.advance(STALE_MS + 1000);
    await sweepPendingEvents(t.ctx);
    expect(await eventsOf(c.body.id as string)).toHaveLength(2);
    expect(await eventsOf(d.body.id as string)).toHaveLength(3);
  });
});

describe('the recovery sweep', () => {
  test('when a create died after its insert, then the sweep publishes its event once, with the GET form', async () => {
    const { u, api } = await user();
    const { id, entry } = await crashedContactCreate(u, `Crashed ${crypto.randomUUID()}`);

    // Younger than STALE_MS: its own request may still publish it.
    await sweepPendingEvents(t.ctx);
    expect(await eventsOf(id)).toEqual([]);

    t.clock.advance(STALE_MS + 1000);
    expect(await sweepPendingEvents(t.ctx)).toBeGreaterThanOrEqual(1);
    const events = await eventsOf(id);
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(String(event._id)).toBe(String(entry._id));
    expect(event.type).toBe('contact.created');
    expect(event.recovered).toBe(true);
    expect(new Date(event.occurred_at).getTime()).toBe(entry.occurred_at.getTime());
    expect([String(event.workspace_id), String(event.owner_id), event.visibility]).toEqual([
      u.workspaceId,
      u.id,
      'workspace',
    ]);
    expect(event.record).toEqual((await api.get(`/contacts/${id}`).expect(200)).body);
    expect(await pendingOfContact(id)).toEqual([]);

    // A second sweep (or another process's) adds nothing.
    expect(await sweepPendingEvents(t.ctx)).toBe(0);
    expect(await eventsOf(id)).toHaveLength(1);
  });

  test('when two sweeps run at once, then each pending event is inserted exactly once', async () => {
    const { u } = await user();
    const crashed = await Promise.all([1, 2, 3].map((i) => crashedContactCreate(u, `Twice ${i}`)));
    t.clock.advance(STALE_MS + 1000);
    await Promise.all([sweepPendingEvents(t.ctx), sweepPendingEvents(t.ctx)]);
    for (const { id, entry } of crashed) {
      expect((await eventsOf(id)).map((e) => String(e._id))).toEqual([String(entry._id)]);
    }
  });

  test('when a stage change died after its update, then deal.updated and deal.stage_changed are published with their facts', async () => {
    const { api } = await user();
    const pipeline = (
      (await api.get('/pipelines')).body.data as Array<{ id: string; stages: Array<{ id: string }> }>
    )[0]!;
    const deal = await api.post('/deals', { title: 'Crash' }).expect(201);
    const id = deal.body.id as string;
    const now = t.clock.now();
    const to = pipeline.stages[2]!.id;
    const data = {
      from_stage_id: pipeline.stages[0]!.id,
      to_stage_id: to,
      pipeline_id: pipeline.id,
      changed_at: now.toISOString(),
    };
    const entries = [
      pendingEvent('deal.updated', undefined, now),
      pendingEvent('deal.stage_changed', data, now),
    ];
    await DealModel.updateOne(
      { _id: id },
      {
        $set: { stage_id: new mongoose.Types.ObjectId(to), updated_at: now },
        $push: { pending_events: { $each: entries } },
      },
    );

    t.clock.advance(STALE_MS + 1000);
    await sweepPendingEvents(t.ctx);
    const events = (await eventsOf(id)).slice(1); // after deal.created
    expect(events.map((e) => [String(e._id), e.type, e.recovered])).toEqual([
      [String(entries[0]!._id), 'deal.updated', true],
      [String(entries[1]!._id), 'deal.stage_changed', true],
    ]);
    expect(events[1]!.data).toEqual(data);
    const current = (await api.get(`/deals/${id}`).expect(200)).body as Record<string, unknown>;
    expect(current.stage_id).toBe(to);
    expect(events.map((e) => e.record)).toEqual([current, current]);
    expect(await pendingOfDeal(id)).toEqual([]);
  });

  test('when a record with a pending entry is deleted, then its event is published before it goes', async () => {
    const { u, api } = await user();
    const { id, entry } = await crashedContactCreate(u, 'Deleted soon');
    await api.delete(`/contacts/${id}`).expect(204);
    expect((await eventsOf(id)).map((e) => [String(e._id), e.type])).toEqual([
      [String(entry._id), 'contact.created'],
    ]);
  });

  test('when the worker runs, then it publishes a crashed change on its own', async () => {
    const { u } = await user();
    const { id, entry } = await crashedContactCreate(u, 'Worker');
    t.clock.advance(STALE_MS + 1000);
    const worker = startEventOutboxWorker(t.ctx);
    try {
      const deadline = Date.now() + 15_000;
      while ((await eventsOf(id)).length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
    } finally {
      await worker.stop();
    }
    expect((await eventsOf(id)).map((e) => String(e._id))).toEqual([String(entry._id)]);
  });

  test('when the sweep has run, then its query was served by an index', async () => {
    await sweepPendingEvents(t.ctx);
    // The records' collections only: this file's own event lookups (by record_id) are not the app's.
    const unindexed = (await t.ctx.db.unindexedQueries()) as Array<{ ns: string }>;
    expect(unindexed.filter((q) => /\.(contacts|deals|messages)$/.test(q.ns))).toEqual([]);
  });
});

describe('the wire form never shows pending_events', () => {
  test('when contacts, deals and messages have pending entries, then GET, list and event records omit them', async () => {
    const { u, api } = await user();
    const { id: contactId } = await crashedContactCreate(u, 'Hidden');
    const deal = await api.post('/deals', { title: 'Hidden' }).expect(201);
    const now = t.clock.now();
    // A message create and a deal update that died right after their writes.
    const message = await MessageModel.create({
      workspace_id: u.workspaceId,
      owner_id: u.id,
      visibility: 'workspace',
      contact_id: contactId,
      direction: 'outbound',
      channel: 'sms',
      body: 'x',
      sent_at: now,
      created_at: now,
      updated_at: now,
      pending_events: [pendingEvent('message.created', undefined, now)],
    });
    const messageId = String(message._id);
    await DealModel.updateOne(
      { _id: deal.body.id },
      {
        $set: { value: 5, updated_at: now },
        $push: { pending_events: pendingEvent('deal.updated', undefined, now) },
      },
    );
    expect(await pendingOfContact(contactId)).toHaveLength(1);
    expect(await pendingOfDeal(deal.body.id as string)).toHaveLength(1);
    expect(await pendingOfMessage(messageId)).toHaveLength(1);

    const bodies: unknown[] = [deal.body];
    for (const [kind, id] of [
      ['contacts', contactId],
      ['deals', deal.body.id as string],
      ['messages', messageId],
    ] as const) {
      bodies.push((await api.get(`/${kind}/${id}`).expect(200)).body);
      const list = (await api.get(`/${kind}?limit=100`).expect(200)).body.data as Array<{ id: string }>;
      expect(list.map((r) => r.id)).toContain(id);
      bodies.push(...list);
    }
    t.clock.advance(STALE_MS + 1000);
    await sweepPendingEvents(t.ctx);
    const events = await DomainEventModel.find({ workspace_id: u.workspaceId }).lean();
    expect(events.length).toBeGreaterThanOrEqual(4);
    bodies.push(...events.map((e) => e.record));
    for (const body of bodies) {
      expect(body).toHaveProperty('id');
      expect(body).not.toHaveProperty('pending_events');
      expect(JSON.stringify(body)).not.toContain('pending_events');
    }
  });
});
