// Deals over /api/v1 and /app: CRUD per permission, stage moves, references checked against the
// caller's reach (pipeline, stage, contact), visibility and bad input.
import { startTestApp, type TestApp } from '../../helpers/app';
import {
  addMember,
  apiUser,
  createKey,
  createWorkspace,
  session,
  signUp,
  type SignedInUser,
} from '../../helpers/fixtures';
import { expectProblem, keyClient, type Client } from './crm-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ API_KEY_RATE_LIMIT: '10000' });
});
afterAll(async () => t.stop());

interface Pipeline {
  id: string;
  stages: Array<{ id: string; name: string }>;
}

async function owner(): Promise<{ user: SignedInUser; api: Client; pipeline: Pipeline }> {
  const { user, secret } = await apiUser(t, 'admin');
  const api = keyClient(t, secret);
  const pipeline = ((await api.get('/pipelines').expect(200)).body.data as Pipeline[])[0]!;
  return { user, api, pipeline };
}

async function memberOf(
  o: SignedInUser,
  role: 'admin' | 'member',
  permission: 'read' | 'write' | 'admin' = 'admin',
) {
  const user = await signUp(t);
  await addMember(t, o, o.workspaceId, user, role);
  const { secret } = await createKey(t, user, { permission, scope: { workspace_id: o.workspaceId } });
  return { user, api: keyClient(t, secret) };
}

const countDeals = async (api: Client): Promise<number> =>
  ((await api.get('/deals?limit=100').expect(200)).body.data as unknown[]).length;

describe('POST /api/v1/deals', () => {
  test('when only a title is sent, then the deal lands in the first stage of the default pipeline, in USD, open', async () => {
    const { user, api, pipeline } = await owner();
    const res = await api.post('/deals', { title: 'Annual plan' }).expect(201);
    expect(res.body).toMatchObject({
      title: 'Annual plan',
      value: 0,
      currency: 'USD',
      status: 'open',
      pipeline_id: pipeline.id,
      stage_id: pipeline.stages[0]!.id,
      contact_id: null,
      owner_id: user.id,
      workspace_id: user.workspaceId,
      visibility: 'workspace',
    });
  });

  test('when every field is sent by a write key, then the deal has them all', async () => {
    const { user, api, pipeline } = await owner();
    const { secret } = await createKey(t, user, { permission: 'write' });
    const contact = await api.post('/contacts', { name: 'Buyer' }).expect(201);
    const body = {
      title: 'Big one',
      value: 1234.5,
      currency: 'EUR',
      pipeline_id: pipeline.id,
      stage_id: pipeline.stages[2]!.id,
      contact_id: contact.body.id,
      status: 'won',
      visibility: 'private',
    };
    const res = await keyClient(t, secret).post('/deals', body).expect(201);
    expect(res.body).toMatchObject(body);
    expect((await api.get(`/deals/${res.body.id as string}`).expect(200)).body).toEqual(res.body);
  });

  test('when a read key posts, then it is 403 and nothing is written', async () => {
    const { user, api } = await owner();
    const { secret } = await createKey(t, user, { permission: 'read' });
    expectProblem(await keyClient(t, secret).post('/deals', { title: 'No' }), 403, 'insufficient_permission');
    expect(await countDeals(api)).toBe(0);
  });

  test.each([
    ['a missing title', () => ({ value: 1 })],
    ['a negative value', () => ({ title: 'X', value: -1 })],
    ['a value as a string', () => ({ title: 'X', value: '10' })],
    ['a lower-case currency', () => ({ title: 'X', currency: 'usd' })],
    ['a four-letter currency', () => ({ title: 'X', currency: 'USDT' })],
    ['a bad status', () => ({ title: 'X', status: 'pending' })],
    ['an unknown field', () => ({ title: 'X', probability: 0.5 })],
    ['an operator as the pipeline id', () => ({ title: 'X', pipeline_id: { $ne: null } })],
    ['an operator as the title', () => ({ title: { $gt: '' } })],
  ])('when the body has %s, then it is 422 and nothing is written', async (_label, body) => {
    const { api } = await owner();
    expectProblem(await api.post('/deals', body()), 422, 'invalid_request');
    expect(await countDeals(api)).toBe(0);
  });

  test('when the references belong to another workspace or pipeline, then it is 422 on that field and nothing is written', async () => {
    const a = await owner();
    const b = await owner();
    const theirContact = await b.api.post('/contacts', { name: 'Theirs' }).expect(201);
    const cases = [
      [{ title: 'X', pipeline_id: b.pipeline.id }, 'pipeline_id'],
      [{ title: 'X', stage_id: b.pipeline.stages[1]!.id }, 'stage_id'],
      [{ title: 'X', pipeline_id: a.pipeline.id, stage_id: b.pipeline.stages[1]!.id }, 'stage_id'],
      [{ title: 'X', contact_id: theirContact.body.id }, 'contact_id'],
      [{ title: 'X', pipeline_id: '000000000000000000000000' }, 'pipeline_id'],
    ] as const;
    for (const [body, field] of cases) {
      const problem = expectProblem(await a.api.post('/deals', body), 422, 'invalid_request');
      expect((problem.errors as Array<{ field: string }>).map((e) => e.field)).toEqual([field]);
    }
    expect(await countDeals(a.api)).toBe(0);
    expect(await countDeals(b.api)).toBe(0);
  });

  test('when the contact is private to another member, then it is 422 for a member', async () => {
    const o = await owner();
    const m = await memberOf(o.user, 'member', 'write');
    const secret = await o.api.post('/contacts', { name: 'Private', visibility: 'private' }).expect(201);
    expectProblem(
      await m.api.post('/deals', { title: 'X', contact_id: secret.body.id }),
      422,
      'invalid_request',
    );
    await o.api.post('/deals', { title: 'X', contact_id: secret.body.id }).expect(201);
  });
});

describe('PATCH /api/v1/deals/:id', () => {
  test('when stage_id is a stage of the same pipeline, then the deal moves', async () => {
    const { api, pipeline } = await owner();
    const d = await api.post('/deals', { title: 'Move me' }).expect(201);
    const res = await api
      .patch(`/deals/${d.body.id as string}`, { stage_id: pipeline.stages[3]!.id, status: 'won' })
      .expect(200);
    expect(res.body).toMatchObject({
      stage_id: pipeline.stages[3]!.id,
      status: 'won',
      pipeline_id: pipeline.id,
      title: 'Move me',
    });
  });

  test('when stage_id is a stage of another pipeline, then it is 422 and the deal stays', async () => {
    const a = await owner();
    const b = await owner();
    const d = await a.api.post('/deals', { title: 'Stay' }).expect(201);
    expectProblem(
      await a.api.patch(`/deals/${d.body.id as string}`, { stage_id: b.pipeline.stages[1]!.id }),
      422,
      'invalid_request',
    );
    expectProblem(
      await a.api.patch(`/deals/${d.body.id as string}`, { stage_id: '000000000000000000000000' }),
      422,
      'invalid_request',
    );
    expect((await a.api.get(`/deals/${d.body.id as string}`)).body).toEqual(d.body);
  });

  test('when contact_id is null, then the contact is cleared; when it is of another workspace, then 422', async () => {
    const a = await owner();
    const b = await owner();
    const c = await a.api.post('/contacts', { name: 'C' }).expect(201);
    const other = await b.api.post('/contacts', { name: 'Other' }).expect(201);
    const d = await a.api.post('/deals', { title: 'D', contact_id: c.body.id }).expect(201);
    expectProblem(
      await a.api.patch(`/deals/${d.body.id as string}`, { contact_id: other.body.id }),
      422,
      'invalid_request',
    );
    const cleared = await a.api
      .patch(`/deals/${d.body.id as string}`, { contact_id: null, value: 99 })
      .expect(200);
    expect(cleared.body).toMatchObject({ contact_id: null, value: 99 });
  });

  test.each([
    ['an unknown field', { stage: 'Won' }],
    ['a null title', { title: null }],
    ['a null value', { value: null }],
    ['an operator', { status: { $in: ['won'] } }],
  ])('when the body has %s, then it is 422 and nothing changes', async (_label, body) => {
    const { api } = await owner();
    const d = await api.post('/deals', { title: 'Same' }).expect(201);
    expectProblem(await api.patch(`/deals/${d.body.id as string}`, body), 422, 'invalid_request');
    expect((await api.get(`/deals/${d.body.id as string}`)).body).toEqual(d.body);
  });

  test('when a read key patches, then it is 403', async () => {
    const { user, api } = await owner();
    const { secret } = await createKey(t, user, { permission: 'read' });
    const d = await api.post('/deals', { title: 'T' }).expect(201);
    expectProblem(
      await keyClient(t, secret).patch(`/deals/${d.body.id as string}`, { title: 'U' }),
      403,
      'insufficient_permission',
    );
  });
});

describe('GET /api/v1/deals and /api/v1/deals/:id', () => {
  test('when filtering by pipeline, stage, status and contact, then only matching deals are listed', async () => {
    const { api, pipeline } = await owner();
    const c = await api.post('/contacts', { name: 'C' }).expect(201);
    const won = await api
      .post('/deals', { title: 'W', stage_id: pipeline.stages[3]!.id, status: 'won', contact_id: c.body.id })
      .expect(201);
    await api.post('/deals', { title: 'O' }).expect(201);
    const ids = async (q: string) =>
      ((await api.get(`/deals?${q}`).expect(200)).body.data as Array<{ id: string }>).map((d) => d.id);
    expect(await ids(`stage_id=${pipeline.stages[3]!.id}`)).toEqual([won.body.id]);
    expect(await ids('status=won')).toEqual([won.body.id]);
    expect(await ids(`contact_id=${c.body.id as string}`)).toEqual([won.body.id]);
    expect(await ids(`pipeline_id=${pipeline.id}`)).toHaveLength(2);
    expectProblem(await api.get('/deals?status=maybe'), 400, 'invalid_request');
  });

  test('when a deal is private, then another member gets 404 and an admin sees it', async () => {
    const o = await owner();
    const m = await memberOf(o.user, 'member', 'read');
    const admin = await memberOf(o.user, 'admin', 'read');
    const d = await o.api.post('/deals', { title: 'Hidden', visibility: 'private' }).expect(201);
    expectProblem(await m.api.get(`/deals/${d.body.id as string}`), 404, 'not_found');
    expect((await m.api.get('/deals').expect(200)).body.data).toEqual([]);
    await admin.api.get(`/deals/${d.body.id as string}`).expect(200);
  });
});

describe('DELETE /api/v1/deals/:id', () => {
  test('when the owner deletes with an admin key, then it is gone; a write key and a non-owner member are refused', async () => {
    const o = await owner();
    const { secret } = await createKey(t, o.user, { permission: 'write' });
    const m = await memberOf(o.user, 'member', 'admin');
    const d = await o.api.post('/deals', { title: 'Bye' }).expect(201);
    expectProblem(
      await keyClient(t, secret).delete(`/deals/${d.body.id as string}`),
      403,
      'insufficient_permission',
    );
    expectProblem(await m.api.delete(`/deals/${d.body.id as string}`), 403, 'forbidden');
    await o.api.delete(`/deals/${d.body.id as string}`).expect(204);
    expectProblem(await o.api.get(`/deals/${d.body.id as string}`), 404, 'not_found');
  });
});

describe('/app/deals (session API)', () => {
  test('when a signed-in user manages deals, then the same rules apply', async () => {
    const user = await signUp(t);
    const s = session(user);
    const ws = await createWorkspace(t, user);
    expectProblem(await s.post('/app/deals', { title: 'Which workspace?' }), 422, 'invalid_request');
    const d = await s.post('/app/deals', { title: 'Mine', workspace_id: ws }).expect(201);
    expect(d.body.workspace_id).toBe(ws);
    const pipelines = (await s.get(`/app/pipelines?workspace_id=${ws}`).expect(200)).body.data as Pipeline[];
    await s.patch(`/app/deals/${d.body.id as string}`, { stage_id: pipelines[0]!.stages[1]!.id }).expect(200);
    await s.delete(`/app/deals/${d.body.id as string}`).expect(204);
  });
});
