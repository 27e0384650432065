import { startTestApp, type TestApp } from '../../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

function expectProblem(
  res: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
  status: number,
  code: string,
) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: `/docs#error-${code}` });
  expect(typeof res.body.title).toBe('string');
  expect(typeof res.body.detail).toBe('string');
  expect(res.body.request_id).toBe(res.headers['x-request-id']);
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+|stack/i);
}

describe('unknown routes', () => {
  it('when a route does not exist, then it is a 404 problem+json', async () => {
    const res = await t.request().get('/no/such/route');
    expectProblem(res, 404, 'not_found');
  });
});

describe('request bodies', () => {
  it('when the JSON is malformed, then it is a 400 invalid_request', async () => {
    const res = await t
      .request()
      .post('/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": ');
    expectProblem(res, 400, 'invalid_request');
  });

  it('when the body is larger than BODY_LIMIT, then it is a 413', async () => {
    const res = await t
      .request()
      .post('/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'x'.repeat(200 * 1024) }));
    expectProblem(res, 413, 'payload_too_large');
  });

  it('when the body is nested too deeply, then it is a 400 before any handler runs', async () => {
    const deep = '['.repeat(50) + ']'.repeat(50);
    const res = await t
      .request()
      .post('/auth/login')
      .set('Content-Type', 'application/json')
      .send(`{"email":${deep}}`);
    expectProblem(res, 400, 'invalid_request');
  });

  it('when the body is not JSON, then it is a 415', async () => {
    const res = await t.request().post('/auth/login').set('Content-Type', 'text/plain').send('email=a');
    expectProblem(res, 415, 'unsupported_media_type');
  });
});

describe('request ids', () => {
  it('when the caller sends a well-formed X-Request-Id, then it is echoed back', async () => {
    const res = await t.request().get('/health').set('X-Request-Id', 'trace-12345678');
    expect(res.headers['x-request-id']).toBe('trace-12345678');
  });

  it('when the caller sends a malformed X-Request-Id, then a fresh one is generated', async () => {
    const res = await t.request().get('/health').set('X-Request-Id', 'bad id with spaces');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when a request is made, then the log line carries its id and no query string', async () => {
    const res = await t.request().get('/no/such?api_key=sbk_should_not_be_logged');
    const id = res.headers['x-request-id'];
    const line = t.logs.find((l) => l.includes(id!));
    expect(line).toBeDefined();
    expect(t.logs.join('\n')).not.toContain('sbk_should_not_be_logged');
  });
});

describe('security headers', () => {
  it('when any response is sent, then it carries helmet headers and no X-Powered-By', async () => {
    const res = await t.request().get('/health');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });
});
