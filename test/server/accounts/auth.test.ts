import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../../helpers/app';
import { session, signUp } from '../../helpers/fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

let n = 0;
/** A request from its own client address, so this file's many sign-ups do not trip the per-IP limit by accident. */
const anon = () => {
  const ip = `198.51.100.${(n++ % 250) + 1}`;
  const agent = t.request();
  return { post: (path: string) => agent.post(path).set('X-Forwarded-For', ip) };
};
const email = () => `Person-${randomUUID()}@Example.test`;
const cookies = (res: { headers: Record<string, unknown> }): string[] =>
  (res.headers['set-cookie'] as string[]) ?? [];

describe('POST /auth/signup', () => {
  test('when the input is valid, then it creates the user and a first owned workspace and signs in', async () => {
    const e = email();
    const res = await anon()
      .post('/auth/signup')
      .send({ email: e, password: 'correct horse battery', name: 'Ada' });
    expect(res.status).toBe(201);
    expect(res.body.user).toEqual({
      id: expect.any(String),
      email: e.toLowerCase(),
      name: 'Ada',
      created_at: expect.any(String),
    });
    expect(res.body.workspaces).toEqual([
      {
        id: expect.any(String),
        name: expect.any(String),
        role: 'owner',
        api_access_enabled: false,
        created_at: expect.any(String),
      },
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash|session_version/);
    const session = cookies(res).find((c) => c.startsWith('sb_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).toMatch(/Path=\//);
    const csrf = cookies(res).find((c) => c.startsWith('csrf_token='))!;
    expect(csrf).not.toMatch(/HttpOnly/i);
  });

  test('when the email is taken (any case), then 409 conflict without details', async () => {
    const e = email();
    await anon()
      .post('/auth/signup')
      .send({ email: e, password: 'correct horse battery', name: 'A' })
      .expect(201);
    const res = await anon()
      .post('/auth/signup')
      .send({ email: e.toUpperCase(), password: 'another password!', name: 'B' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('conflict');
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  test.each([
    [{ email: 'not-an-email', password: 'correct horse battery', name: 'A' }, 'email'],
    [{ email: email(), password: 'short', name: 'A' }, 'password'],
    [{ email: email(), password: 'x'.repeat(201), name: 'A' }, 'password'],
    [{ email: email(), password: 'correct horse battery', name: '' }, 'name'],
    [{ email: { $gt: '' }, password: 'correct horse battery', name: 'A' }, 'email'],
    [{ email: email(), password: 'correct horse battery', name: 'A', role: 'admin' }, 'role'],
  ])('when the body is invalid (%j), then 422 naming the field', async (body, field) => {
    const res = await anon().post('/auth/signup').send(body);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

describe('POST /auth/login', () => {
  test('when the credentials are right, then 200 with the account and fresh cookies', async () => {
    const u = await signUp(t);
    const res = await anon().post('/auth/login').send({ email: u.email.toUpperCase(), password: u.password });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(u.id);
    expect(res.body.workspaces[0].id).toBe(u.workspaceId);
    expect(cookies(res).some((c) => c.startsWith('sb_session='))).toBe(true);
  });

  test('when the password is wrong or the email unknown, then the same 401 invalid_credentials', async () => {
    const u = await signUp(t);
    const wrong = await anon().post('/auth/login').send({ email: u.email, password: 'wrong password!!' });
    const unknown = await anon().post('/auth/login').send({ email: email(), password: u.password });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_credentials');
      expect(res.body.detail).toBe(wrong.body.detail);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  test('when the email is an operator object, then 422 and never a sign-in', async () => {
    const res = await anon()
      .post('/auth/login')
      .send({ email: { $gt: '' }, password: { $gt: '' } });
    expect(res.status).toBe(422);
  });

  test('when an email keeps failing, then further attempts are refused with 429 and Retry-After', async () => {
    const u = await signUp(t);
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await t
        .request()
        .post('/auth/login')
        .set('X-Forwarded-For', `198.19.0.${i}`)
        .send({ email: u.email, password: 'wrong password!!' });
      codes.push(res.status);
    }
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    const blocked = await t
      .request()
      .post('/auth/login')
      .set('X-Forwarded-For', '198.19.1.1')
      .send({ email: u.email, password: u.password });
    expect(codes[10]).toBe(429);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(16 * 60_000);
    const later = await anon().post('/auth/login').send({ email: u.email, password: u.password });
    expect(later.status).toBe(200);
  });
});

describe('per-IP sign-in and sign-up limit', () => {
  test('when one address exceeds SIGNIN_RATE_LIMIT per minute, then 429 with rate-limit headers', async () => {
    const ip = '198.20.7.7';
    const limit = t.ctx.config.SIGNIN_RATE_LIMIT;
    let last;
    for (let i = 0; i <= limit; i++)
      last = await t
        .request()
        .post('/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ email: email(), password: 'whatever pw' });
    expect(last!.status).toBe(429);
    expect(last!.headers['retry-after']).toBeDefined();
    expect(last!.headers['ratelimit-policy']).toBe(`"signin";q=${limit};w=60`);
    const signup = await t
      .request()
      .post('/auth/signup')
      .set('X-Forwarded-For', ip)
      .send({ email: email(), password: 'correct horse battery', name: 'X' });
    expect(signup.status).toBe(429);
  });
});

describe('GET /auth/session', () => {
  test('when signed in, then the user and workspaces', async () => {
    const u = await signUp(t);
    const res = await session(u).get('/auth/session');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: u.id, email: u.email, name: u.name });
    expect(res.body.workspaces).toHaveLength(1);
  });

  test('when there is no or a forged session cookie, then 401 not_signed_in', async () => {
    const none = await t.request().get('/auth/session');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('not_signed_in');
    const forged = await t
      .request()
      .get('/auth/session')
      .set('Cookie', 'sb_session=eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.');
    expect(forged.status).toBe(401);
  });

  test('when the session is older than SESSION_TTL_MINUTES, then 401 not_signed_in', async () => {
    const u = await signUp(t);
    t.clock.advance((t.ctx.config.SESSION_TTL_MINUTES + 1) * 60_000);
    try {
      const res = await session(u).get('/auth/session');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('not_signed_in');
    } finally {
      t.clock.reset();
    }
  });
});

describe('POST /auth/logout', () => {
  test('when the CSRF header is missing or wrong, then 403 csrf_failed and the session lives on', async () => {
    const u = await signUp(t);
    const missing = await u.agent.post('/auth/logout');
    expect(missing.status).toBe(403);
    expect(missing.body.code).toBe('csrf_failed');
    const wrong = await u.agent.post('/auth/logout').set('X-CSRF-Token', `${u.csrf}x`);
    expect(wrong.status).toBe(403);
    expect((await session(u).get('/auth/session')).status).toBe(200);
  });

  test('when signed out, then 204 and the old session cookie no longer works anywhere', async () => {
    const agent = t.request();
    const res0 = await agent
      .post('/auth/signup')
      .send({ email: email(), password: 'correct horse battery', name: 'L' });
    const jar = cookies(res0)
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = /csrf_token=([^;]+)/.exec(jar)![1]!;
    expect((await t.request().get('/auth/session').set('Cookie', jar)).status).toBe(200);
    const res = await agent.post('/auth/logout').set('X-CSRF-Token', decodeURIComponent(csrf));
    expect(res.status).toBe(204);
    expect(cookies(res).some((c) => /^sb_session=;/.test(c))).toBe(true);
    // Replaying the old cookie (as a stolen copy would) is refused: logout invalidates it server-side.
    const replay = await t.request().get('/auth/session').set('Cookie', jar);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('not_signed_in');
  });
});
