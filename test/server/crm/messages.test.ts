// Messages: created and read only; a message joins its contact's workspace and needs a contact
// the caller can see.
import { startTestApp, type TestApp } from '../../helpers/app';
import { addMember, apiUser, createKey, session, signUp, type SignedInUser } from '../../helpers/fixtures';
import { RECORD_FIELDS, expectProblem, keyClient, type Client } from './crm-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ API_KEY_RATE_LIMIT: '10000' });
});
afterAll(async () => t.stop());

async function owner(): Promise<{ user: SignedInUser; api: Client; contactId: string }> {
  const { user, secret } = await apiUser(t, 'admin');
  const api = keyClient(t, secret);
  const contact = await api.post('/contacts', { name: 'Recipient' }).expect(201);
  return { user, api, contactId: contact.body.id as string };
}

const countMessages = async (api: Client): Promise<number> =>
  ((await api.get('/messages?limit=100').expect(200)).body.data as unknown[]).length;

describe('POST /api/v1/messages', () => {
  test('when a write key sends a message, then it is stored with sent_at defaulting to now', async () => {
    const { user, api, contactId } = await owner();
    const { secret } = await createKey(t, user, { permission: 'write' });
    const res = await keyClient(t, secret)
      .post('/messages', {
        contact_id: contactId,
        direction: 'outbound',
        channel: 'email',
        subject: 'Hi',
        body: 'Hello!',
      })
      .expect(201);
    for (const f of RECORD_FIELDS) expect(res.body).toHaveProperty(f);
    expect(res.body).toMatchObject({
      contact_id: contactId,
      direction: 'outbound',
      channel: 'email',
      subject: 'Hi',
      body: 'Hello!',
      workspace_id: user.workspaceId,
    });
    expect(res.body.sent_at).toBe(res.body.created_at);
    const explicit = await api
      .post('/messages', {
        contact_id: contactId,
        direction: 'inbound',
        channel: 'sms',
        body: 'Yo',
        sent_at: '2025-01-02T03:04:05+02:00',
      })
      .expect(201);
    expect(explicit.body).toMatchObject({ sent_at: '2025-01-02T01:04:05.000Z', subject: null });
  });

  test.each([
    ['a missing contact_id', (c: string) => (void c, { direction: 'inbound', channel: 'email', body: 'x' })],
    ['a missing body', (c: string) => ({ contact_id: c, direction: 'inbound', channel: 'email' })],
    ['an empty body', (c: string) => ({ contact_id: c, direction: 'inbound', channel: 'email', body: '' })],
    [
      'a body over 10,000 characters',
      (c: string) => ({ contact_id: c, direction: 'inbound', channel: 'email', body: 'x'.repeat(10_001) }),
    ],
    [
      'a bad direction',
      (c: string) => ({ contact_id: c, direction: 'sideways', channel: 'email', body: 'x' }),
    ],
    ['a bad channel', (c: string) => ({ contact_id: c, direction: 'inbound', channel: 'fax', body: 'x' })],
    [
      'a bad sent_at',
      (c: string) => ({ contact_id: c, direction: 'inbound', channel: 'note', body: 'x', sent_at: 'now' }),
    ],
    [
      'an unknown field',
      (c: string) => ({ contact_id: c, direction: 'inbound', channel: 'note', body: 'x', read: true }),
    ],
    [
      'an operator as contact_id',
      () => ({ contact_id: { $ne: null }, direction: 'inbound', channel: 'note', body: 'x' }),
    ],
    [
      'an unknown contact',
      () => ({ contact_id: '000000000000000000000000', direction: 'inbound', channel: 'note', body: 'x' }),
    ],
  ])('when the body has %s, then it is 422 and nothing is written', async (_label, make) => {
    const { api, contactId } = await owner();
    expectProblem(await api.post('/messages', make(contactId)), 422, 'invalid_request');
    expect(await countMessages(api)).toBe(0);
  });

  test("when the contact is another workspace's, then it is 422 and nothing is written anywhere", async () => {
    const a = await owner();
    const b = await owner();
    expectProblem(
      await a.api.post('/messages', {
        contact_id: b.contactId,
        direction: 'inbound',
        channel: 'note',
        body: 'x',
      }),
      422,
      'invalid_request',
    );
    expect(await countMessages(a.api)).toBe(0);
    expect(await countMessages(b.api)).toBe(0);
  });

  test('when a read key posts, then it is 403', async () => {
    const { user, contactId } = await owner();
    const { secret } = await createKey(t, user, { permission: 'read' });
    expectProblem(
      await keyClient(t, secret).post('/messages', {
        contact_id: contactId,
        direction: 'inbound',
        channel: 'note',
        body: 'x',
      }),
      403,
      'insufficient_permission',
    );
  });
});

describe('GET /api/v1/messages and /api/v1/messages/:id', () => {
  test('when filtering by contact, direction and channel, then only matching messages are listed', async () => {
    const { api, contactId } = await owner();
    const other = (await api.post('/contacts', { name: 'Other' }).expect(201)).body.id as string;
    const m1 = await api
      .post('/messages', { contact_id: contactId, direction: 'inbound', channel: 'sms', body: '1' })
      .expect(201);
    const m2 = await api
      .post('/messages', { contact_id: other, direction: 'outbound', channel: 'email', body: '2' })
      .expect(201);
    const ids = async (q: string) =>
      ((await api.get(`/messages?${q}`).expect(200)).body.data as Array<{ id: string }>).map((m) => m.id);
    expect(await ids(`contact_id=${contactId}`)).toEqual([m1.body.id]);
    expect(await ids('direction=outbound')).toEqual([m2.body.id]);
    expect(await ids('direction=inbound&channel=sms')).toEqual([m1.body.id]);
    expect(await ids('channel=chat')).toEqual([]);
    expect((await api.get(`/messages/${m1.body.id as string}`).expect(200)).body).toEqual(m1.body);
  });

  test('when a message is private, then other members get 404 and the workspace owner sees it', async () => {
    const o = await owner();
    const member = await signUp(t);
    await addMember(t, o.user, o.user.workspaceId, member, 'member');
    const { secret } = await createKey(t, member, {
      permission: 'write',
      scope: { workspace_id: o.user.workspaceId },
    });
    const mApi = keyClient(t, secret);
    const other = await signUp(t);
    await addMember(t, o.user, o.user.workspaceId, other, 'member');
    const otherKey = await createKey(t, other, {
      permission: 'read',
      scope: { workspace_id: o.user.workspaceId },
    });
    const m = await mApi
      .post('/messages', {
        contact_id: o.contactId,
        direction: 'outbound',
        channel: 'note',
        body: 'mine',
        visibility: 'private',
      })
      .expect(201);
    expectProblem(
      await keyClient(t, otherKey.secret).get(`/messages/${m.body.id as string}`),
      404,
      'not_found',
    );
    await o.api.get(`/messages/${m.body.id as string}`).expect(200);
  });

  test('when messages are updated or deleted, then there is no such route (404)', async () => {
    const { api, contactId } = await owner();
    const m = await api
      .post('/messages', { contact_id: contactId, direction: 'inbound', channel: 'note', body: 'x' })
      .expect(201);
    expect(
      (await api.patch(`/messages/${m.body.id as string}`, { body: 'y' })).status,
    ).toBeGreaterThanOrEqual(400);
    expect((await api.delete(`/messages/${m.body.id as string}`)).status).toBeGreaterThanOrEqual(400);
    expect((await api.get(`/messages/${m.body.id as string}`)).body.body).toBe('x');
  });
});

describe('/app/messages (session API)', () => {
  test('when a signed-in user posts and reads messages, then the same rules apply', async () => {
    const { user, contactId } = await owner();
    const s = session(user);
    const m = await s
      .post('/app/messages', {
        contact_id: contactId,
        direction: 'inbound',
        channel: 'chat',
        body: 'via session',
      })
      .expect(201);
    await s.get(`/app/messages/${m.body.id as string}`).expect(200);
    expect(((await s.get('/app/messages').expect(200)).body.data as unknown[]).length).toBe(1);
  });
});
