// Domain events: every create/update records one event in the same write path, carrying the
// record exactly as GET returns it; failed or no-op writes record nothing.
import { DomainEventModel } from '../../../server/events/event.model';
import { startTestApp, type TestApp } from '../../helpers/app';
import { apiUser } from '../../helpers/fixtures';
import { keyClient } from './crm-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ API_KEY_RATE_LIMIT: '10000' });
});
afterAll(async () => t.stop());

async function eventsOf(recordId: string) {
  const docs = await DomainEventModel.find({ record_id: recordId }).sort({ occurred_at: 1, _id: 1 }).lean();
  return docs.map((d) => ({
    type: d.type,
    record: d.record as Record<string, unknown>,
    data: d.data as Record<string, unknown> | undefined,
    d,
  }));
}

describe('domain events of contacts', () => {
  test('when a contact is created and updated, then contact.created and contact.updated carry its GET form', async () => {
    const { user, secret } = await apiUser(t, 'admin');
    const api = keyClient(t, secret);
    const created = await api.post('/contacts', { name: 'Ev', visibility: 'private' }).expect(201);
    const id = created.body.id as string;
    const updated = await api.patch(`/contacts/${id}`, { company: 'Co' }).expect(200);
    await api.patch(`/contacts/${id}`, { company: 'Co' }).expect(200); // no change: no event
    await api.patch(`/contacts/${id}`, { name: '' }).expect(422); // refused: no event
    const events = await eventsOf(id);
    expect(events.map((e) => e.type)).toEqual(['contact.created', 'contact.updated']);
    expect(events[0]!.record).toEqual(created.body);
    expect(events[1]!.record).toEqual(updated.body);
    expect(events[1]!.record).toEqual((await api.get(`/contacts/${id}`)).body);
    const e = events[0]!.d;
    expect([String(e.workspace_id), String(e.owner_id), e.visibility]).toEqual([
      user.workspaceId,
      user.id,
      'private',
    ]);
    await api.delete(`/contacts/${id}`).expect(204);
    expect(await eventsOf(id)).toHaveLength(2);
  });

  test('when a create is refused, then no event is recorded', async () => {
    const { secret } = await apiUser(t, 'admin');
    const before = await DomainEventModel.countDocuments({});
    await keyClient(t, secret).post('/contacts', { name: 'X', bogus: 1 }).expect(422);
    expect(await DomainEventModel.countDocuments({})).toBe(before);
  });
});

describe('domain events of deals and messages', () => {
  test('when a deal changes stage, then deal.updated and deal.stage_changed (from, to, pipeline, changed_at) are recorded', async () => {
    const { secret } = await apiUser(t, 'admin');
    const api = keyClient(t, secret);
    const pipeline = (
      (await api.get('/pipelines')).body.data as Array<{ id: string; stages: Array<{ id: string }> }>
    )[0]!;
    const deal = await api.post('/deals', { title: 'Ev' }).expect(201);
    const id = deal.body.id as string;
    await api.patch(`/deals/${id}`, { value: 10 }).expect(200);
    t.clock.advance(1000);
    const moved = await api.patch(`/deals/${id}`, { stage_id: pipeline.stages[2]!.id }).expect(200);
    const events = await eventsOf(id);
    expect(events.map((e) => e.type)).toEqual([
      'deal.created',
      'deal.updated',
      'deal.updated',
      'deal.stage_changed',
    ]);
    expect(events[0]!.record).toEqual(deal.body);
    expect(events[3]!.record).toEqual(moved.body);
    expect(events[3]!.data).toEqual({
      from_stage_id: pipeline.stages[0]!.id,
      to_stage_id: pipeline.stages[2]!.id,
      pipeline_id: pipeline.id,
      changed_at: moved.body.updated_at,
    });
  });

  test('when a message is created, then message.created carries it', async () => {
    const { secret } = await apiUser(t, 'admin');
    const api = keyClient(t, secret);
    const contact = await api.post('/contacts', { name: 'C' }).expect(201);
    const m = await api
      .post('/messages', { contact_id: contact.body.id, direction: 'inbound', channel: 'email', body: 'hi' })
      .expect(201);
    const events = await eventsOf(m.body.id as string);
    expect(events.map((e) => [e.type, e.record])).toEqual([['message.created', m.body]]);
  });
});
