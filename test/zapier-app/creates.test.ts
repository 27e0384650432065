// Every action through the app against the live server, each checked by reading the record back
// through the API; plus the permission message a read-only key gets.
import { randomUUID } from 'node:crypto';
import { apiUser, createWorkspace } from '../helpers/fixtures';
import { App, failure, run, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.t.stop();
});

type Rec = Record<string, unknown> & { id: string };
const perform = (key: string) => App.creates[key]!.operation.perform;
const email = () => `c-${randomUUID()}@example.com`;

describe('Create Contact (create_contact)', () => {
  it('when run, then the contact exists with every field given and already_existed is false', async () => {
    const address = email();
    const created = await run<Rec>(perform('create_contact'), h.keys.write, {
      inputData: {
        name: 'Ada Lovelace',
        email: address,
        tags: ['vip', 'math'],
        custom_fields: { plan: 'pro' },
        visibility: 'private',
      },
    });
    expect(created.already_existed).toBe(false);
    expect(await h.api().get(`/contacts/${created.id}`)).toMatchObject({
      name: 'Ada Lovelace',
      email: address,
      tags: ['vip', 'math'],
      custom_fields: { plan: 'pro' },
      visibility: 'private',
    });
  });

  it('when the email already exists, then the existing contact is returned with already_existed: true and left unchanged', async () => {
    const address = email();
    const first = await run<Rec>(perform('create_contact'), h.keys.write, {
      inputData: { name: 'First', email: address },
    });
    const second = await run<Rec>(perform('create_contact'), h.keys.write, {
      inputData: { name: 'Second', email: address.toUpperCase() },
    });
    expect(second).toMatchObject({ id: first.id, name: 'First', already_existed: true });
    expect((await h.api().get(`/contacts?email=${encodeURIComponent(address)}`)).data).toHaveLength(1);
  });

  it("when the key is read-only, then it fails with a message naming the key's permission and the one needed", async () => {
    const error = await failure(run(perform('create_contact'), h.keys.read, { inputData: { name: 'Nope' } }));
    expect(error).toMatchObject({ name: 'AppError', code: 'insufficient_permission', status: 403 });
    expect(error.message).toContain('"Read only" permission');
    expect(error.message).toContain('needs a "Read & write" key');
    expect(error.message).toContain('Settings → API keys');
  });

  it("when the input is invalid, then the API's field errors halt the step (a retry cannot help)", async () => {
    const error = await failure(
      run(perform('create_contact'), h.keys.write, { inputData: { name: 'Bad', email: 'not-an-email' } }),
    );
    expect(error.name).toBe('HaltedError');
    expect(error.message).toMatch(/email/);
  });
});

describe('Update Contact (update_contact)', () => {
  it('when fields are empty, then they are left as they are; chosen "Fields to Clear" are erased; custom fields merge', async () => {
    const contact = await h.api().post('/contacts', {
      name: 'Grace Hopper',
      email: email(),
      phone: '+1 555 0100',
      company: 'Navy',
      tags: ['cobol'],
      custom_fields: { rank: 'admiral', era: '1950s' },
    });
    const updated = await run<Rec>(perform('update_contact'), h.keys.write, {
      inputData: {
        contact_id: contact.id,
        name: '',
        email: '',
        phone: '',
        company: 'Yale',
        tags: [],
        custom_fields: { era: '1960s', language: '' },
        fields_to_clear: ['phone'],
      },
    });
    expect(updated.id).toBe(contact.id);
    expect(await h.api().get(`/contacts/${contact.id}`)).toMatchObject({
      name: 'Grace Hopper',
      email: contact.email,
      phone: null,
      company: 'Yale',
      tags: ['cobol'],
      custom_fields: { rank: 'admiral', era: '1960s' },
    });
  });

  it('when Tags and Custom Fields are chosen to clear, then they are emptied', async () => {
    const contact = await h
      .api()
      .post('/contacts', { name: 'Tagged', tags: ['a'], custom_fields: { x: '1' }, company: 'C' });
    await run(perform('update_contact'), h.keys.write, {
      inputData: { contact_id: contact.id, fields_to_clear: ['tags', 'custom_fields', 'company'] },
    });
    expect(await h.api().get(`/contacts/${contact.id}`)).toMatchObject({
      tags: [],
      custom_fields: {},
      company: null,
    });
  });

  it('when the contact was deleted, then the step halts instead of erroring', async () => {
    const contact = await h.api().post('/contacts', { name: 'Gone soon' });
    expect(
      (
        await h.t
          .request()
          .delete(`/api/v1/contacts/${contact.id}`)
          .set('Authorization', `Bearer ${h.keys.admin}`)
      ).status,
    ).toBe(204);
    const error = await failure(
      run(perform('update_contact'), h.keys.write, { inputData: { contact_id: contact.id, name: 'X' } }),
    );
    expect(error.name).toBe('HaltedError');
    expect(error.message).toMatch(/Contact not found.*deleted/);
  });
});

describe('Create Deal (create_deal)', () => {
  it('when run with pipeline, stage and contact, then the deal exists there', async () => {
    const [pipeline] = (await h.api().get('/pipelines')).data;
    const contact = await h.api().post('/contacts', { name: 'Buyer' });
    const deal = await run<Rec>(perform('create_deal'), h.keys.write, {
      inputData: {
        title: 'Annual plan',
        value: '4,800.50',
        currency: 'eur',
        pipeline_id: pipeline.id,
        stage_id: pipeline.stages[2].id,
        contact_id: contact.id,
      },
    });
    expect(await h.api().get(`/deals/${deal.id}`)).toMatchObject({
      title: 'Annual plan',
      value: 4800.5,
      currency: 'EUR',
      stage_id: pipeline.stages[2].id,
      contact_id: contact.id,
      status: 'open',
    });
  });

  it('when the value is not a number, then the step halts with a clear message', async () => {
    const error = await failure(
      run(perform('create_deal'), h.keys.write, { inputData: { title: 'X', value: 'lots' } }),
    );
    expect(error.name).toBe('HaltedError');
    expect(error.message).toContain('"lots" is not a number');
  });
});

describe('Update Deal (update_deal) and Move Deal to Stage (move_deal_stage)', () => {
  it('when updating, then only the given fields change', async () => {
    const deal = await h.api().post('/deals', { title: 'Old title', value: 10 });
    await run(perform('update_deal'), h.keys.write, {
      inputData: { deal_id: deal.id, status: 'won', value: 20 },
    });
    expect(await h.api().get(`/deals/${deal.id}`)).toMatchObject({
      title: 'Old title',
      value: 20,
      status: 'won',
    });
  });

  it('when moving to a stage of the chosen pipeline, then the deal is in that stage', async () => {
    const [pipeline] = (await h.api().get('/pipelines')).data;
    const deal = await h.api().post('/deals', { title: 'Mover' });
    const moved = await run<Rec>(perform('move_deal_stage'), h.keys.write, {
      inputData: { deal_id: deal.id, pipeline_id: pipeline.id, stage_id: pipeline.stages[3].id },
    });
    expect(moved.stage_id).toBe(pipeline.stages[3].id);
    expect((await h.api().get(`/deals/${deal.id}`)).stage_id).toBe(pipeline.stages[3].id);
  });

  it('when the stage belongs to another pipeline, then the step halts and the deal does not move', async () => {
    // A user of its own: a second workspace makes creates without workspace_id ambiguous.
    const { user, secret } = await apiUser(h.t, 'write');
    const otherWorkspace = await createWorkspace(h.t, user, 'Second', { apiAccess: true });
    const api = h.api(secret);
    const pipelines = (await api.get('/pipelines')).data as Array<{
      id: string;
      workspace_id: string;
      stages: Rec[];
    }>;
    const mine = pipelines.find((p) => p.workspace_id === user.workspaceId)!;
    const other = pipelines.find((p) => p.workspace_id === otherWorkspace)!;
    const deal = await api.post('/deals', { title: 'Stays', workspace_id: user.workspaceId });
    const error = await failure(
      run(perform('move_deal_stage'), secret, {
        inputData: { deal_id: deal.id, pipeline_id: mine.id, stage_id: other.stages[1]!.id },
      }),
    );
    expect(error.name).toBe('HaltedError');
    expect(error.message).toMatch(/is not a stage of the pipeline "Sales"/);
    // The server's own 422 (a pipeline of another workspace than the deal's) halts as well.
    const serverSide = await failure(
      run(perform('move_deal_stage'), secret, {
        inputData: { deal_id: deal.id, pipeline_id: other.id, stage_id: other.stages[1]!.id },
      }),
    );
    expect(serverSide.name).toBe('HaltedError');
    expect((await api.get(`/deals/${deal.id}`)).stage_id).toBe(deal.stage_id);
  });
});

describe('Send Message (send_message)', () => {
  it('when run, then the message is on the contact with its direction, channel and time', async () => {
    const contact = await h.api().post('/contacts', { name: 'Reader' });
    const message = await run<Rec>(perform('send_message'), h.keys.write, {
      inputData: {
        contact_id: contact.id,
        direction: 'outbound',
        channel: 'email',
        subject: 'Welcome',
        body: 'Hello there',
        sent_at: '2025-03-01T10:00:00+01:00',
      },
    });
    expect(await h.api().get(`/messages/${message.id}`)).toMatchObject({
      contact_id: contact.id,
      direction: 'outbound',
      channel: 'email',
      subject: 'Welcome',
      body: 'Hello there',
      sent_at: '2025-03-01T09:00:00.000Z',
    });
  });
});

describe('every action with a read-only key', () => {
  it('when any create runs, then it fails with insufficient_permission naming "Read only" and "Read & write"', async () => {
    const [pipeline] = (await h.api().get('/pipelines')).data;
    const contact = await h.api().post('/contacts', { name: 'Read-only target' });
    const deal = await h.api().post('/deals', { title: 'Read-only deal' });
    const inputs: Record<string, Record<string, unknown>> = {
      create_contact: { name: 'X' },
      update_contact: { contact_id: contact.id, name: 'Y' },
      create_deal: { title: 'X' },
      update_deal: { deal_id: deal.id, title: 'Y' },
      move_deal_stage: { deal_id: deal.id, pipeline_id: pipeline.id, stage_id: pipeline.stages[1].id },
      send_message: { contact_id: contact.id, direction: 'outbound', channel: 'note', body: 'X' },
    };
    expect(Object.keys(inputs).sort()).toEqual(Object.keys(App.creates).sort());
    for (const [key, inputData] of Object.entries(inputs)) {
      const error = await failure(run(perform(key), h.keys.read, { inputData }));
      expect([key, error.code, error.message]).toEqual([
        key,
        'insufficient_permission',
        expect.stringMatching(/"Read only" permission.*"Read & write" key/),
      ]);
    }
  });
});
