// Idempotency-Key on writes: replay of the first response, conflicts, concurrent duplicates,
// expiry after 24 h, and keys scoped to the caller.
import { startTestApp, type TestApp } from '../../helpers/app';
import { apiUser, bearer, createKey, session } from '../../helpers/fixtures';
import { expectProblem, keyClient, uniqueEmail } from './crm-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ API_KEY_RATE_LIMIT: '10000' });
});
afterAll(async () => t.stop());

const post = (secret: string, path: string, key: string, body: object) =>
  t.request().post(`/api/v1${path}`).set(bearer(secret)).set('Idempotency-Key', key).send(body);

const contactCount = async (secret: string) =>
  ((await keyClient(t, secret).get('/contacts?limit=100').expect(200)).body.data as unknown[]).length;

describe('Idempotency-Key on POST /api/v1/contacts', () => {
  test('when the same key and body are sent again, then the first response is replayed and nothing is created twice', async () => {
    const { secret } = await apiUser(t, 'write');
    const key = crypto.randomUUID();
    const body = { name: 'Once', email: uniqueEmail() };
    const first = await post(secret, '/contacts', key, body).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post(secret, '/contacts', key, { email: body.email, name: 'Once' }).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toMatch(/^application\/json/);
    expect(again.body).toEqual(first.body);
    expect(await contactCount(secret)).toBe(1);
  });

  test('when the same key comes with another body or path, then it is 409 conflict and nothing is written', async () => {
    const { secret } = await apiUser(t, 'write');
    const key = crypto.randomUUID();
    const first = await post(secret, '/contacts', key, { name: 'A' }).expect(201);
    expectProblem(await post(secret, '/contacts', key, { name: 'B' }), 409, 'conflict');
    const patch = await t
      .request()
      .patch(`/api/v1/contacts/${first.body.id as string}`)
      .set(bearer(secret))
      .set('Idempotency-Key', key)
      .send({ name: 'A' });
    expectProblem(patch, 409, 'conflict');
    expect(await contactCount(secret)).toBe(1);
  });

  test('when duplicates arrive concurrently, then one request runs and the others replay it or are told it is in progress', async () => {
    const { secret } = await apiUser(t, 'write');
    const key = crypto.randomUUID();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => post(secret, '/contacts', key, { name: 'Race' })),
    );
    const fresh = results.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === undefined);
    expect(fresh).toHaveLength(1);
    for (const r of results.filter((x) => x !== fresh[0])) {
      if (r.status === 201) expect(r.body).toEqual(fresh[0]!.body);
      else expect(expectProblem(r, 409, 'conflict').detail).toMatch(/still being processed/);
    }
    expect(await contactCount(secret)).toBe(1);
  });

  test('when 24 hours have passed, then the key can be used again for a new request', async () => {
    const { secret } = await apiUser(t, 'write');
    const key = crypto.randomUUID();
    await post(secret, '/contacts', key, { name: 'Day one' }).expect(201);
    t.clock.advance(24 * 60 * 60 * 1000 + 1000);
    const later = await post(secret, '/contacts', key, { name: 'Day two' }).expect(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(await contactCount(secret)).toBe(2);
  });

  test('when two keys of the same user use the same Idempotency-Key, then each request runs', async () => {
    const { user, secret } = await apiUser(t, 'write');
    const other = await createKey(t, user, { permission: 'write' });
    const key = crypto.randomUUID();
    const a = await post(secret, '/contacts', key, { name: 'Same' }).expect(201);
    const b = await post(other.secret, '/contacts', key, { name: 'Same' }).expect(201);
    expect(a.body.id).not.toBe(b.body.id);
  });

  test('when the first attempt failed validation, then the retry with the same body gets the same error', async () => {
    const { secret } = await apiUser(t, 'write');
    const key = crypto.randomUUID();
    const first = await post(secret, '/contacts', key, { name: '' });
    expectProblem(first, 422, 'invalid_request');
    const again = await post(secret, '/contacts', key, { name: '' });
    expectProblem(again, 422, 'invalid_request');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await contactCount(secret)).toBe(0);
  });

  test('when the header is empty or longer than 255 characters, then it is 400 and nothing is written', async () => {
    const { secret } = await apiUser(t, 'write');
    expectProblem(await post(secret, '/contacts', 'x'.repeat(256), { name: 'Long' }), 400, 'invalid_request');
    expect(await contactCount(secret)).toBe(0);
    await post(secret, '/contacts', 'x'.repeat(255), { name: 'Max' }).expect(201);
  });
});

describe('Idempotency-Key on PATCH, DELETE and the session API', () => {
  test('when a PATCH, a DELETE and a deal move are retried, then the first responses are replayed', async () => {
    const { secret } = await apiUser(t, 'admin');
    const api = keyClient(t, secret);
    const c = await api.post('/contacts', { name: 'P' }).expect(201);
    const id = c.body.id as string;
    const patch = () =>
      t
        .request()
        .patch(`/api/v1/contacts/${id}`)
        .set(bearer(secret))
        .set('Idempotency-Key', 'patch-1')
        .send({ company: 'X' });
    const p1 = await patch().expect(200);
    t.clock.advance(5000);
    const p2 = await patch().expect(200);
    expect(p2.body).toEqual(p1.body);
    expect(p2.headers['idempotent-replayed']).toBe('true');
    const del = () =>
      t.request().delete(`/api/v1/contacts/${id}`).set(bearer(secret)).set('Idempotency-Key', 'del-1');
    await del().expect(204);
    const d2 = await del().expect(204);
    expect(d2.headers['idempotent-replayed']).toBe('true');
  });

  test('when a signed-in user retries a create with the same key, then it is replayed', async () => {
    const { user } = await apiUser(t, 'read');
    const s = session(user);
    const first = await s
      .post('/app/contacts', { name: 'S' })
      .set('Idempotency-Key', 'session-1')
      .expect(201);
    const again = await s
      .post('/app/contacts', { name: 'S' })
      .set('Idempotency-Key', 'session-1')
      .expect(201);
    expect(again.body).toEqual(first.body);
    expect(((await s.get('/app/contacts').expect(200)).body.data as unknown[]).length).toBe(1);
  });
});
