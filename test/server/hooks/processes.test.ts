// The outbox across real server processes (`node server/index.ts` on one database): a process
// killed mid-delivery loses nothing, and two processes together deliver each event once.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import supertest from 'supertest';
import { EmbeddedMongoServer } from '../../../server/embedded-mongo';
import { apiUser, bearer } from '../../helpers/fixtures';
import type { TestApp } from '../../helpers/app';
import { startServerProcess } from '../../helpers/server-process';
import { startReceiver, type Receiver } from './receiver';

jest.setTimeout(120_000);

const secrets = {
  SESSION_SECRET: randomBytes(32).toString('hex'),
  KEY_HASH_SECRET: randomBytes(32).toString('hex'),
};
let mongo: EmbeddedMongoServer;
const children: ChildProcess[] = [];
const receivers: Receiver[] = [];

beforeAll(async () => {
  mongo = await EmbeddedMongoServer.start({});
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(receivers.map((r) => r.close()));
  await mongo.stop();
});

interface RunningServer {
  child: ChildProcess;
  /** Quacks like a TestApp for the fixtures: every request goes over HTTP to this process. */
  t: TestApp;
}

async function startServer(dbName: string): Promise<RunningServer> {
  const server = await startServerProcess({
    MONGODB_URI: `${mongo.uri.replace(/\/$/, '')}/${dbName}`,
    HOOKS_DELIVERY_TIMEOUT_MS: '3000',
    ...secrets,
  });
  children.push(server.child);
  return { child: server.child, t: { request: () => supertest.agent(server.baseUrl) } as unknown as TestApp };
}

async function receiver(answer?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

describe('a server process killed mid-delivery', () => {
  it('when the process dies while the receiver is still answering, then after a restart the event is delivered', async () => {
    const first = await startServer('hooks_kill');
    const inbox = await receiver((n) => (n === 1 ? 'hang' : 200));
    const { secret } = await apiUser(first.t);
    await first.t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(secret))
      .send({ event: 'contact.created', target_url: inbox.url })
      .expect(201);
    await first.t
      .request()
      .post('/api/v1/contacts')
      .set(bearer(secret))
      .send({ name: 'Survivor' })
      .expect(201);

    const [inFlight] = await inbox.waitFor(1, 10_000);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    await startServer('hooks_kill');
    const all = await inbox.waitFor(2, 30_000);
    const redelivered = all[1]!;
    expect(redelivered.headers['switchboard-event-id']).toBe(inFlight!.headers['switchboard-event-id']);
    expect(redelivered.body).toBe(inFlight!.body);
    expect(JSON.parse(redelivered.body).data.name).toBe('Survivor');
  });
});

describe('two server processes on one database', () => {
  it('when both create events and deliver, then a healthy receiver gets each event exactly once', async () => {
    const [a, b] = await Promise.all([startServer('hooks_pair'), startServer('hooks_pair')]);
    const inbox = await receiver();
    const { secret } = await apiUser(a!.t);
    await a!.t
      .request()
      .post('/api/v1/hooks')
      .set(bearer(secret))
      .send({ event: 'contact.created', target_url: inbox.url })
      .expect(201);

    const count = 12;
    for (let i = 0; i < count; i++) {
      const via = i % 2 === 0 ? a! : b!;
      await via.t
        .request()
        .post('/api/v1/contacts')
        .set(bearer(secret))
        .send({ name: `Contact ${i}` })
        .expect(201);
    }
    await inbox.waitFor(count, 15_000);
    // Long enough for any duplicate (a second claim of the same delivery) to have shown up.
    await new Promise((r) => setTimeout(r, 1500));
    const ids = inbox.received.map((r) => r.headers['switchboard-event-id']);
    expect(new Set(ids).size).toBe(count);
    expect(ids).toHaveLength(count);
  });
});
