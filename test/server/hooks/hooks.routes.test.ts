// /api/v1/hooks (subscribe, list, unsubscribe) and the Settings view /app/hooks, over real HTTP.
import { apiUser, bearer, createKey, session, signUp } from '../../helpers/fixtures';
import { startTestApp, type TestApp } from '../../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ HOOKS_MAX_PER_KEY: '3' });
});
afterAll(async () => {
  await t.stop();
});

/** POST /api/v1/hooks for contact.created with this key. */
const subscribeAs = (secret: string, url: string) =>
  t.request().post('/api/v1/hooks').set(bearer(secret)).send({ event: 'contact.created', target_url: url });
const target = (path: string) => `http://127.0.0.1:9/${path}-${Math.random().toString(36).slice(2)}`;

describe('POST /api/v1/hooks', () => {
  it('when a key subscribes, then it gets 201 with the id and a signing secret that is never logged', async () => {
    const { secret } = await apiUser(t, 'read');
    const url = target('created');
    const res = await t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(secret))
      .send({ event: 'contact.created', target_url: url });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[a-f0-9]{24}$/),
      event: 'contact.created',
      target_url: url,
      filters: {},
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{40,}$/),
      created_at: expect.any(String),
    });
    expect(t.logs.join('\n')).not.toContain(res.body.secret);
  });

  it('when the same key subscribes again to the same event and URL, then it gets 200 and the same subscription', async () => {
    const { secret } = await apiUser(t);
    const body = {
      event: 'deal.stage_changed',
      target_url: target('again'),
      filters: { pipeline_id: 'a'.repeat(24) },
    };
    const first = await t.request().post('/api/v1/hooks').set(bearer(secret)).send(body);
    const second = await t.request().post('/api/v1/hooks').set(bearer(secret)).send(body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
  });

  it('when the same key re-subscribes with other filters, then the same subscription now carries the new filters', async () => {
    const { secret } = await apiUser(t);
    const url = target('refilter');
    const first = await t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(secret))
      .send({ event: 'message.created', target_url: url, filters: { channel: 'sms' } });
    const second = await t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(secret))
      .send({ event: 'message.created', target_url: url, filters: { direction: 'inbound', channel: null } });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ ...first.body, filters: { direction: 'inbound' } });
    const list = await t.request().get('/api/v1/hooks').set(bearer(secret));
    expect(list.body.data).toEqual([
      expect.objectContaining({ id: first.body.id, filters: { direction: 'inbound' } }),
    ]);
  });

  it('when a filter does not belong to the event, then it is a 422 naming the field', async () => {
    const { secret } = await apiUser(t);
    const res = await t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(secret))
      .send({ event: 'contact.created', target_url: target('bad'), filters: { channel: 'email' } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'filters.channel' })]);
    const wrongValue = await t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(secret))
      .send({ event: 'message.created', target_url: target('bad'), filters: { direction: 'sideways' } });
    expect(wrongValue.status).toBe(422);
  });

  it('when the event is unknown or a field is extra, then it is a 422', async () => {
    const { secret } = await apiUser(t);
    for (const body of [
      { event: 'contact.deleted', target_url: target('x') },
      { event: 'contact.created', target_url: target('x'), extra: true },
      { event: 'contact.created' },
    ]) {
      const res = await t.request().post('/api/v1/hooks').set(bearer(secret)).send(body);
      expect(res.status).toBe(422);
    }
  });

  it('when the target is http to a non-loopback host, then it is refused even in development', async () => {
    const { secret } = await apiUser(t);
    const res = await t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(secret))
      .send({ event: 'contact.created', target_url: 'http://example.com/hook' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'target_url' })]);
  });

  it('when a key already holds the maximum number of subscriptions, then the next is 409 limit_reached', async () => {
    const { secret } = await apiUser(t);
    for (let i = 0; i < 3; i++) {
      const ok = await t
        .request()
        .post('/api/v1/hooks')
        .set(bearer(secret))
        .send({ event: 'contact.created', target_url: target(`n${i}`) });
      expect(ok.status).toBe(201);
    }
    const res = await t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(secret))
      .send({ event: 'contact.created', target_url: target('over') });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('limit_reached');
  });

  it('when subscribes race for the last slots, then exactly the free slots are filled and the rest get limit_reached', async () => {
    const { secret } = await apiUser(t);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => subscribeAs(secret, target(`race${i}`))),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(
      Array(5).fill('limit_reached'),
    );
    const held = await t.request().get('/api/v1/hooks').set(bearer(secret));
    expect(held.body.data).toHaveLength(3);
  });

  it('when identical subscribes race for the last slot, then one subscription is created and every caller gets it', async () => {
    const { secret } = await apiUser(t);
    const post = (url: string) => subscribeAs(secret, url);
    for (const name of ['a', 'b']) expect((await post(target(name))).status).toBe(201);
    const url = target('same');
    const results = await Promise.all(Array.from({ length: 5 }, () => post(url)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.secret)).size).toBe(1);
    const held = await t.request().get('/api/v1/hooks').set(bearer(secret));
    expect(held.body.data).toHaveLength(3);
  });

  it('when there is no key, then it is 401', async () => {
    const res = await t
      .request()
      .post('/api/v1/hooks')
      .send({ event: 'contact.created', target_url: target('x') });
    expect(res.status).toBe(401);
  });
});

describe('GET /api/v1/hooks', () => {
  it("when a key lists, then it sees its own subscriptions without secrets and not another key's", async () => {
    const { user, secret } = await apiUser(t);
    const other = await createKey(t, user);
    await t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(secret))
      .send({ event: 'deal.created', target_url: target('mine') });
    await t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(other.secret))
      .send({ event: 'deal.created', target_url: target('theirs') });
    const res = await t.request().get('/api/v1/hooks').set(bearer(secret));
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).not.toHaveProperty('secret');
    expect(res.body.data[0].target_url).toContain('mine');
    expect(res.body.next_cursor).toBeNull();
  });
});

describe('DELETE /api/v1/hooks/:id', () => {
  it('when the key deletes its own subscription, then 204 and it is gone', async () => {
    const { secret } = await apiUser(t);
    const created = await t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(secret))
      .send({ event: 'deal.updated', target_url: target('del') });
    const res = await t.request().delete(`/api/v1/hooks/${created.body.id}`).set(bearer(secret));
    expect(res.status).toBe(204);
    const list = await t.request().get('/api/v1/hooks').set(bearer(secret));
    expect(list.body.data).toEqual([]);
    const again = await t.request().delete(`/api/v1/hooks/${created.body.id}`).set(bearer(secret));
    expect(again.status).toBe(404);
  });

  it('when another key (even of the same user) deletes it, or the id is malformed, then 404', async () => {
    const { user, secret } = await apiUser(t);
    const other = await createKey(t, user);
    const created = await t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(secret))
      .send({ event: 'deal.updated', target_url: target('keep') });
    expect(
      (await t.request().delete(`/api/v1/hooks/${created.body.id}`).set(bearer(other.secret))).status,
    ).toBe(404);
    expect((await t.request().delete('/api/v1/hooks/not-an-id').set(bearer(secret))).status).toBe(404);
    const list = await t.request().get('/api/v1/hooks').set(bearer(secret));
    expect(list.body.data).toHaveLength(1);
  });
});

describe('GET /app/hooks', () => {
  it("when signed in, then the user sees their keys' subscriptions and each one's deliveries", async () => {
    const { user, secret, keyId } = await apiUser(t);
    const stranger = await signUp(t);
    const created = await t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(secret))
      .send({ event: 'message.created', target_url: target('app') });
    const list = await session(user).get('/app/hooks');
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({ id: created.body.id, key_id: keyId, event: 'message.created' }),
    ]);
    expect(list.body.data[0]).not.toHaveProperty('secret');
    const deliveries = await session(user).get(`/app/hooks/${created.body.id}/deliveries`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.data).toEqual([]);
    expect((await session(stranger).get('/app/hooks')).body.data).toEqual([]);
    expect((await session(stranger).get(`/app/hooks/${created.body.id}/deliveries`)).status).toBe(404);
  });

  it('when not signed in, then 401', async () => {
    expect((await t.request().get('/app/hooks')).status).toBe(401);
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
