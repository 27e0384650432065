// Seeding. People, workspaces and keys go through the real HTTP API (sign-up, the API-access
// switch, key creation), so they are exactly what users make. The bulk records (contacts, deals,
// messages) go straight into the database with the driver, shaped field for field as the mongoose
// models store them (server/contacts/contact.model.ts, deals/deal.model.ts, messages/message.model.ts):
// 100,000 contacts through HTTP would take longer than the whole benchmark.
import { randomBytes } from 'node:crypto';
import { MongoClient, ObjectId, type Db } from 'mongodb';

export interface BenchUser {
  email: string;
  password: string;
  userId: string;
  workspaceId: string;
  /** `sb_session=…; csrf_token=…` */
  cookie: string;
  csrf: string;
}

async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; setCookies: string[] }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return { status: res.status, json, setCookies: res.headers.getSetCookie() };
}

function cookiesOf(setCookies: string[]): { cookie: string; csrf: string } {
  const pairs = setCookies.map((c) => c.split(';')[0]!);
  const csrf = pairs.find((p) => p.startsWith('csrf_token='))?.slice('csrf_token='.length) ?? '';
  return { cookie: pairs.join('; '), csrf: decodeURIComponent(csrf) };
}

/** Signs a user up (own client address per user, as the sign-up limit is per IP) and turns API access on. */
export async function signUpUser(baseUrl: string, label: string): Promise<BenchUser> {
  const email = `bench-${label}-${randomBytes(4).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(12).toString('base64url')}`;
  const res = await call(baseUrl, 'POST', '/auth/signup', { email, password, name: `Bench ${label}` });
  const body = res.json as { user: { id: string }; workspaces: Array<{ id: string }> };
  const { cookie, csrf } = cookiesOf(res.setCookies);
  const user: BenchUser = {
    email,
    password,
    userId: body.user.id,
    workspaceId: body.workspaces[0]!.id,
    cookie,
    csrf,
  };
  await call(
    baseUrl,
    'PATCH',
    `/app/workspaces/${user.workspaceId}`,
    { api_access_enabled: true },
    session(user),
  );
  return user;
}

const session = (user: BenchUser): Record<string, string> => ({
  cookie: user.cookie,
  'x-csrf-token': user.csrf,
});

/** A never-expiring admin key scoped to the user's workspace; returns the secret. */
export async function createKey(baseUrl: string, user: BenchUser, name: string): Promise<string> {
  const body = { name, permission: 'admin', expires_in: 'never', scope: { workspace_id: user.workspaceId } };
  const res = await call(baseUrl, 'POST', '/app/api-keys', body, session(user));
  return (res.json as { secret: string }).secret;
}

/** Signs in again (POST /auth/login) and returns the fresh session cookie, as a browser would hold it. */
export async function logIn(baseUrl: string, user: BenchUser): Promise<string> {
  const res = await call(baseUrl, 'POST', '/auth/login', { email: user.email, password: user.password });
  return cookiesOf(res.setCookies).cookie;
}

export async function defaultPipeline(
  baseUrl: string,
  secret: string,
): Promise<{ id: string; stageIds: string[] }> {
  const res = await call(baseUrl, 'GET', '/api/v1/pipelines', undefined, {
    authorization: `Bearer ${secret}`,
  });
  const first = (res.json as { data: Array<{ id: string; stages: Array<{ id: string }> }> }).data[0]!;
  return { id: first.id, stageIds: first.stages.map((s) => s.id) };
}

const BATCH = 5_000;
const CHANNELS = ['email', 'sms', 'chat', 'note'] as const;

/**
 * Inserts `contacts` contacts and a tenth as many deals and messages into one workspace, with
 * creation times spread over the past year (newest first is what lists read).
 */
export async function seedWorkspace(
  db: Db,
  target: { workspaceId: string; ownerId: string; pipeline: { id: string; stageIds: string[] } },
  contacts: number,
  onProgress: (done: number) => void,
): Promise<void> {
  const workspace_id = new ObjectId(target.workspaceId);
  const owner_id = new ObjectId(target.ownerId);
  const start = Date.now() - 365 * 24 * 3600_000;
  const step = (365 * 24 * 3600_000) / contacts;
  const contactIds: ObjectId[] = [];
  for (let from = 0; from < contacts; from += BATCH) {
    const docs = Array.from({ length: Math.min(BATCH, contacts - from) }, (_, j) => {
      const i = from + j;
      const at = new Date(start + i * step);
      const _id = new ObjectId();
      contactIds.push(_id);
      return {
        _id,
        workspace_id,
        owner_id,
        visibility: i % 10 === 0 ? 'private' : 'workspace',
        name: `Contact ${i}`,
        email: `contact-${i}@seed.example`,
        phone: i % 3 === 0 ? `+1 555 ${String(i % 10_000).padStart(4, '0')}` : null,
        company: `Company ${i % 500}`,
        tags: i % 5 === 0 ? ['vip'] : [],
        custom_fields: { plan: i % 2 ? 'pro' : 'free' },
        created_at: at,
        updated_at: at,
      };
    });
    await db.collection('contacts').insertMany(docs, { ordered: false });
    onProgress(from + docs.length);
  }
  const others = Math.ceil(contacts / 10);
  const pipeline_id = new ObjectId(target.pipeline.id);
  const stages = target.pipeline.stageIds.map((s) => new ObjectId(s));
  for (let from = 0; from < others; from += BATCH) {
    const n = Math.min(BATCH, others - from);
    const deals = Array.from({ length: n }, (_, j) => {
      const i = from + j;
      const at = new Date(start + i * step * 10);
      return {
        workspace_id,
        owner_id,
        visibility: 'workspace',
        title: `Deal ${i}`,
        value: (i % 100) * 100,
        currency: 'USD',
        pipeline_id,
        stage_id: stages[i % stages.length]!,
        contact_id: contactIds[i * 10] ?? null,
        status: 'open',
        created_at: at,
        updated_at: at,
      };
    });
    const messages = Array.from({ length: n }, (_, j) => {
      const i = from + j;
      const at = new Date(start + i * step * 10);
      return {
        workspace_id,
        owner_id,
        visibility: 'workspace',
        contact_id: contactIds[i * 10]!,
        direction: i % 2 ? 'inbound' : 'outbound',
        channel: CHANNELS[i % CHANNELS.length]!,
        subject: `Subject ${i}`,
        body: `Message body ${i}`,
        sent_at: at,
        created_at: at,
        updated_at: at,
      };
    });
    await db.collection('deals').insertMany(deals, { ordered: false });
    await db.collection('messages').insertMany(messages, { ordered: false });
  }
}

export async function connect(uri: string): Promise<MongoClient> {
  return MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
}
