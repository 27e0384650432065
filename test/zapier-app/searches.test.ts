// Searches, Find or Create (and its upsert form) and the dropdowns, through the app against the
// live server.
import { randomUUID } from 'node:crypto';
import { addMember, createKey, createWorkspace, signUp } from '../helpers/fixtures';
import { App, run, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.t.stop();
});

type Rec = Record<string, unknown> & { id: string };
const search = (key: string) => App.searches[key]!.operation.perform;
const create = (key: string) => App.creates[key]!.operation.perform;
const trigger = (key: string) => App.triggers[key]!.operation.perform;

describe('Find Contact (find_contact)', () => {
  it('when a contact has the email (any case), then it is found; a read-only key can search', async () => {
    const address = `find-${randomUUID()}@example.com`;
    const contact = await h.api().post('/contacts', { name: 'Findable', email: address });
    const found = await run<Rec[]>(search('find_contact'), h.keys.read, {
      inputData: { email: address.toUpperCase() },
    });
    expect(found.map((c) => c.id)).toEqual([contact.id]);
  });

  it('when no contact has the email, then the result is an empty list', async () => {
    await expect(
      run(search('find_contact'), h.keys.read, {
        inputData: { email: `nobody-${randomUUID()}@example.com` },
      }),
    ).resolves.toEqual([]);
  });
});

describe('Find or Create Contact (searchOrCreates.find_contact)', () => {
  it('when run twice with the same email, then the first run creates and the second finds the same contact', async () => {
    const soc = App.searchOrCreates.find_contact!;
    const address = `soc-${randomUUID()}@example.com`;
    // What Zapier does for a search-or-create step: search; create only when nothing is found.
    const step = async () => {
      const [hit] = await run<Rec[]>(search(soc.search), h.keys.write, { inputData: { email: address } });
      if (hit) return { found: true, record: hit };
      return {
        found: false,
        record: await run<Rec>(create(soc.create), h.keys.write, {
          inputData: { name: 'Soc', email: address },
        }),
      };
    };
    const first = await step();
    const second = await step();
    expect(first.found).toBe(false);
    expect(second).toMatchObject({ found: true, record: { id: first.record.id, email: address } });
  });

  it('when the upsert form finds the contact, then Update Contact runs on it with the id mapped from the search', async () => {
    const soc = App.searchOrCreates.find_contact!;
    const address = `upsert-${randomUUID()}@example.com`;
    const contact = await h.api().post('/contacts', { name: 'Before', email: address });
    const [hit] = await run<Rec[]>(search(soc.search), h.keys.write, { inputData: { email: address } });
    // searchUniqueInputToOutputConstraint: the search input `email` must equal the output's `email`.
    for (const [input, output] of Object.entries(
      soc.searchUniqueInputToOutputConstraint as Record<string, string>,
    ))
      expect(hit![output]).toBe({ email: address }[input]);
    const updateInput: Record<string, unknown> = { name: 'After', email: address };
    for (const [input, output] of Object.entries(soc.updateInputFromSearchOutput as Record<string, string>))
      updateInput[input] = hit![output];
    await run(create(soc.update), h.keys.write, { inputData: updateInput });
    expect(await h.api().get(`/contacts/${contact.id}`)).toMatchObject({ name: 'After', email: address });
  });
});

describe('Find Deal (find_deal)', () => {
  it('when searching by title, contact, pipeline, stage or status, then the matching deals come back, exact title first', async () => {
    const [pipeline] = (await h.api().get('/pipelines')).data;
    const contact = await h.api().post('/contacts', { name: 'Deal owner' });
    const tag = randomUUID().slice(0, 8);
    const exact = await h.api().post('/deals', { title: `Plan ${tag}`, contact_id: contact.id });
    const longer = await h
      .api()
      .post('/deals', { title: `Plan ${tag} renewal`, stage_id: pipeline.stages[2].id, status: 'won' });

    const byTitle = await run<Rec[]>(search('find_deal'), h.keys.read, {
      inputData: { title: `plan ${tag}` },
    });
    expect(byTitle.map((d) => d.id)).toEqual([exact.id, longer.id]);
    const byContact = await run<Rec[]>(search('find_deal'), h.keys.read, {
      inputData: { contact_id: contact.id },
    });
    expect(byContact.map((d) => d.id)).toEqual([exact.id]);
    const byStage = await run<Rec[]>(search('find_deal'), h.keys.read, {
      inputData: { title: tag, pipeline_id: pipeline.id, stage_id: pipeline.stages[2].id, status: 'won' },
    });
    expect(byStage.map((d) => d.id)).toEqual([longer.id]);
    await expect(
      run(search('find_deal'), h.keys.read, { inputData: { title: `nothing ${tag}` } }),
    ).resolves.toEqual([]);
  });
});

describe('dropdowns (hidden triggers)', () => {
  it('when listing pipelines and stages, then stages follow the chosen pipeline in order', async () => {
    const pipelines = await run<Rec[]>(trigger('pipeline_list'), h.keys.read);
    expect(pipelines).toEqual([expect.objectContaining({ id: expect.any(String), name: 'Sales' })]);
    const stages = await run<Rec[]>(trigger('stage_list'), h.keys.read, {
      inputData: { pipeline_id: pipelines[0]!.id },
    });
    expect(stages.map((s) => s.name)).toEqual(['Lead', 'Qualified', 'Proposal', 'Won', 'Lost']);
    const allStages = await run<Rec[]>(trigger('stage_list'), h.keys.read);
    expect(allStages[0]!.name).toBe('Sales › Lead');
  });

  it('when listing workspaces, then they are the ones the key reaches', async () => {
    await expect(run(trigger('workspace_list'), h.keys.read)).resolves.toEqual([
      expect.objectContaining({ id: h.user.workspaceId }),
    ]);
  });

  it('when listing owners, then every member of the reachable workspaces is offered once as "Name (email)", narrowed by the chosen workspace', async () => {
    const colleague = await signUp(h.t);
    await addMember(h.t, h.user, h.user.workspaceId, colleague, 'member');
    // A second workspace, the colleague's (so the harness keys still reach one workspace): the
    // colleague's key reaches both and is listed once; choosing a workspace leaves out the other's.
    const other = await signUp(h.t);
    const second = await createWorkspace(h.t, colleague, 'Second', { apiAccess: true });
    await addMember(h.t, colleague, second, other, 'member');
    const key = (await createKey(h.t, colleague, { permission: 'read' })).secret;

    const owners = await run<Rec[]>(trigger('owner_list'), h.keys.read);
    expect(owners).toEqual(
      expect.arrayContaining([
        { id: h.user.id, name: `${h.user.name} (${h.user.email})`, email: h.user.email },
        { id: colleague.id, name: `${colleague.name} (${colleague.email})`, email: colleague.email },
      ]),
    );
    expect(owners).toHaveLength(2);

    const everyone = await run<Rec[]>(trigger('owner_list'), key, { meta: { page: 0 } });
    expect(everyone.map((o) => o.id).sort()).toEqual([h.user.id, colleague.id, other.id].sort());
    const narrowed = await run<Rec[]>(trigger('owner_list'), key, {
      inputData: { workspace_id: h.user.workspaceId },
    });
    expect(narrowed.map((o) => o.id).sort()).toEqual([h.user.id, colleague.id].sort());
    await expect(run(trigger('owner_list'), key, { meta: { page: 1 } })).resolves.toEqual([]);
  });

  it('when the contacts dropdown pages, then page 2 continues where page 1 ended and a page after the last is empty', async () => {
    for (let i = 0; i < 55; i++) await h.api().post('/contacts', { name: `Paged ${i}` });
    const total = (await h.api().get('/contacts?limit=100')).data.length;
    const page0 = await run<Rec[]>(trigger('contact_list'), h.keys.read, { meta: { page: 0 } });
    const page1 = await run<Rec[]>(trigger('contact_list'), h.keys.read, { meta: { page: 1 } });
    expect(page0).toHaveLength(50);
    expect(page1).toHaveLength(total - 50);
    expect(new Set([...page0, ...page1].map((c) => c.id)).size).toBe(total);
    await expect(run(trigger('contact_list'), h.keys.read, { meta: { page: 2 } })).resolves.toEqual([]);
    const deals = await run<Rec[]>(trigger('deal_list'), h.keys.read, { meta: { page: 0 } });
    expect(Array.isArray(deals)).toBe(true);
  });
});
