// Subscribe-time SSRF refusal with NODE_ENV=production (its own file: one app, one database
// connection per file). Production session cookies are `Secure`, which supertest's cookie jar
// keeps off plain http, so this file carries the cookies itself.
import { randomUUID } from 'node:crypto';
import { bearer } from '../../helpers/fixtures';
import { startTestApp, type TestApp } from '../../helpers/app';

let prod: TestApp;
beforeAll(async () => {
  prod = await startTestApp({ NODE_ENV: 'production' });
});
afterAll(async () => {
  await prod?.stop();
});

/** Sign up, switch API access on and create a key, sending the Secure cookies by hand. */
async function productionKey(): Promise<string> {
  const signup = await prod
    .request()
    .post('/auth/signup')
    .send({ email: `prod-${randomUUID()}@example.test`, password: `pw-${randomUUID()}`, name: 'Prod User' });
  expect(signup.status).toBe(201);
  const cookies = (signup.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]!);
  const csrf = decodeURIComponent(cookies.find((c) => c.startsWith('csrf_token='))!.split('=')[1]!);
  const headers = { Cookie: cookies.join('; '), 'X-CSRF-Token': csrf };
  const workspaceId = signup.body.workspaces[0].id as string;
  const access = await prod
    .request()
    .patch(`/app/workspaces/${workspaceId}`)
    .set(headers)
    .send({ api_access_enabled: true });
  expect(access.status).toBe(200);
  const key = await prod
    .request()
    .post('/app/api-keys')
    .set(headers)
    .send({ name: 'Prod key', permission: 'read', expires_in: 'never', scope: 'all' });
  expect(key.status).toBe(201);
  return key.body.secret as string;
}

describe('POST /api/v1/hooks in production', () => {
  let secret: string;
  beforeAll(async () => {
    secret = await productionKey();
  });

  it.each([
    'http://127.0.0.1:9/hook',
    'https://127.0.0.1/hook',
    'https://localhost./hook',
    'https://169.254.169.254/latest',
    'https://[::1]/x',
    'https://10.0.0.8/x',
    'https://metadata.google.internal/computeMetadata/v1/',
  ])('when the target is %s, then it is refused with 422 on target_url', async (url) => {
    const res = await prod
      .request()
      .post('/api/v1/hooks')
      .set(bearer(secret))
      .send({ event: 'contact.created', target_url: url });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'target_url' })]);
  });
});
