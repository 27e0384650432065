// Every query the CRM routes issue is served by a declared index: exercise every route with every
// filter, then ask the embedded server's coverage check (empty on other tiers).
import { startTestApp, type TestApp } from '../../helpers/app';
import { addMember, apiUser, createKey, signUp } from '../../helpers/fixtures';
import { keyClient } from './crm-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ API_KEY_RATE_LIMIT: '10000' });
});
afterAll(async () => t.stop());

const OURS = /\.(contacts|deals|messages|pipelines|idempotency_keys|domain_events)$/;

describe('index coverage of the CRM routes', () => {
  test('when every CRM route has been exercised, then no query of ours was unindexed', async () => {
    const { user, secret } = await apiUser(t, 'admin');
    const api = keyClient(t, secret);
    const member = await signUp(t);
    await addMember(t, user, user.workspaceId, member, 'admin');
    const other = keyClient(
      t,
      (await createKey(t, member, { permission: 'admin', scope: { workspace_id: user.workspaceId } })).secret,
    );
    const since = new Date(t.clock.now().getTime() - 60_000).toISOString();

    const pipeline = (
      (await api.get('/pipelines?limit=5').expect(200)).body.data as Array<{
        id: string;
        stages: Array<{ id: string }>;
      }>
    )[0]!;
    await api.get(`/pipelines/${pipeline.id}`).expect(200);
    await api.get(`/pipelines?workspace_id=${user.workspaceId}&updated_since=${since}`).expect(200);

    const email = `cov-${crypto.randomUUID()}@example.test`;
    const c = await api
      .post('/contacts', { name: 'Cov', email })
      .set('Idempotency-Key', crypto.randomUUID())
      .expect(201);
    const cid = c.body.id as string;
    await api.post('/contacts', { name: 'Dup', email }).expect(409);
    await api.post('/contacts', { name: 'Given', owner_id: member.id }).expect(201);
    await api.get(`/contacts?email=${email}`).expect(200);
    await api.get(`/contacts?workspace_id=${user.workspaceId}&updated_since=${since}&limit=1`).expect(200);
    const page = await api.get('/contacts?limit=1').expect(200);
    await api.get(`/contacts?limit=1&cursor=${page.body.next_cursor as string}`).expect(200);
    await api.get(`/contacts/${cid}`).expect(200);
    await other
      .patch(`/contacts/${cid}`, { company: 'X', visibility: 'private' })
      .set('Idempotency-Key', crypto.randomUUID())
      .expect(200);

    const d = await api
      .post('/deals', { title: 'Cov', contact_id: cid, pipeline_id: pipeline.id })
      .expect(201);
    const did = d.body.id as string;
    await api.post('/deals', { title: 'Default pipeline' }).expect(201);
    await api.patch(`/deals/${did}`, { stage_id: pipeline.stages[1]!.id, contact_id: null }).expect(200);
    await api.get(`/deals?pipeline_id=${pipeline.id}&stage_id=${pipeline.stages[1]!.id}`).expect(200);
    await api.get(`/deals?status=open&contact_id=${cid}&updated_since=${since}`).expect(200);
    await api.get(`/deals/${did}`).expect(200);

    const m = await api
      .post('/messages', { contact_id: cid, direction: 'inbound', channel: 'sms', body: 'x' })
      .expect(201);
    await api.get(`/messages?contact_id=${cid}&direction=inbound&channel=sms`).expect(200);
    await api.get(`/messages/${m.body.id as string}`).expect(200);

    await api.delete(`/deals/${did}`).expect(204);
    await api.delete(`/contacts/${cid}`).set('Idempotency-Key', crypto.randomUUID()).expect(204);

    const unindexed = (await t.ctx.db.unindexedQueries()) as Array<{ ns: string }>;
    expect(unindexed.filter((q) => OURS.test(q.ns))).toEqual([]);
  });
});
