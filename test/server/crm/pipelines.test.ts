// Pipelines: every new workspace gets "Sales" with five ordered stages; reading is scoped like
// every other record.
import { startTestApp, type TestApp } from '../../helpers/app';
import { apiUser, createKey, createWorkspace, session } from '../../helpers/fixtures';
import { RECORD_FIELDS, expectProblem, keyClient } from './crm-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.stop());

describe('GET /api/v1/pipelines', () => {
  test('when a workspace is new, then it has the Sales pipeline with Lead, Qualified, Proposal, Won, Lost', async () => {
    const { user, secret } = await apiUser(t, 'read');
    const res = await keyClient(t, secret).get('/pipelines').expect(200);
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.data).toHaveLength(1);
    const [p] = res.body.data as Array<
      Record<string, unknown> & { stages: Array<{ id: string; name: string; position: number }> }
    >;
    for (const f of RECORD_FIELDS) expect(p).toHaveProperty(f);
    expect(p).toMatchObject({
      name: 'Sales',
      workspace_id: user.workspaceId,
      owner_id: user.id,
      visibility: 'workspace',
    });
    expect(p!.stages.map((s) => [s.name, s.position])).toEqual([
      ['Lead', 0],
      ['Qualified', 1],
      ['Proposal', 2],
      ['Won', 3],
      ['Lost', 4],
    ]);
    expect(new Set(p!.stages.map((s) => s.id)).size).toBe(5);
  });

  test('when a key reaches two workspaces, then it lists both pipelines; workspace_id and scope narrow them', async () => {
    const { user, secret } = await apiUser(t, 'read');
    const second = await createWorkspace(t, user, undefined, { apiAccess: true });
    const api = keyClient(t, secret);
    expect((await api.get('/pipelines').expect(200)).body.data).toHaveLength(2);
    const only = (await api.get(`/pipelines?workspace_id=${second}`).expect(200)).body.data as Array<{
      workspace_id: string;
    }>;
    expect(only.map((p) => p.workspace_id)).toEqual([second]);
    const scoped = await createKey(t, user, { permission: 'read', scope: { workspace_id: second } });
    expect(
      ((await keyClient(t, scoped.secret).get('/pipelines').expect(200)).body.data as unknown[]).length,
    ).toBe(1);
  });

  test('when creating or deleting a pipeline, then there is no such route', async () => {
    const { secret } = await apiUser(t, 'admin');
    expect((await keyClient(t, secret).post('/pipelines', { name: 'X' })).status).toBeGreaterThanOrEqual(400);
  });
});

describe('GET /api/v1/pipelines/:id', () => {
  test("when the pipeline is the caller's, then it is returned; another workspace's is 404", async () => {
    const a = await apiUser(t, 'read');
    const b = await apiUser(t, 'read');
    const mine = (
      (await keyClient(t, a.secret).get('/pipelines').expect(200)).body.data as Array<{ id: string }>
    )[0]!;
    expect((await keyClient(t, a.secret).get(`/pipelines/${mine.id}`).expect(200)).body.id).toBe(mine.id);
    expectProblem(await keyClient(t, b.secret).get(`/pipelines/${mine.id}`), 404, 'not_found');
    expectProblem(await keyClient(t, b.secret).get('/pipelines/xyz'), 404, 'not_found');
    await session(a.user).get(`/app/pipelines/${mine.id}`).expect(200);
  });
});
