// A real crash: the built server (`dist/server/index.js`) is SIGKILLed while many creates are in
// flight, on a database the test shares. Where exactly each request was when the process died is
// luck, so the test asserts what must hold whatever the timing: right after the kill every stored
// contact has its event or a pending entry (never neither), and once another process's outbox
// worker has swept, every contact has exactly one contact.created event carrying its GET form.
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import supertest from 'supertest';
import { EmbeddedMongoServer } from '../../../server/embedded-mongo';
import type { TestApp } from '../../helpers/app';
import { apiUser, bearer } from '../../helpers/fixtures';
import { startServerProcess, type ServerProcess } from '../../helpers/server-process';

jest.setTimeout(120_000);

let mongo: EmbeddedMongoServer;
let conn: mongoose.Connection;
let uri: string;
const servers: ServerProcess[] = [];
const secrets = {
  SESSION_SECRET: randomBytes(32).toString('hex'),
  KEY_HASH_SECRET: randomBytes(32).toString('hex'),
};

beforeAll(async () => {
  mongo = await EmbeddedMongoServer.start({});
  uri = `${mongo.uri.replace(/\/$/, '')}/crash_${randomBytes(4).toString('hex')}`;
  conn = await mongoose.createConnection(uri).asPromise();
});
afterAll(async () => {
  for (const s of servers)
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await Promise.all(servers.map((s) => s.exited));
  await conn.close();
  await mongo.stop();
});

async function server(): Promise<{ s: ServerProcess; t: TestApp }> {
  const s = await startServerProcess({ MONGODB_URI: uri, API_KEY_RATE_LIMIT: '10000', ...secrets });
  servers.push(s);
  return { s, t: { request: () => supertest.agent(s.baseUrl) } as unknown as TestApp };
}

interface Stored {
  _id: mongoose.Types.ObjectId;
  pending_events?: Array<{ _id: mongoose.Types.ObjectId; type: string }>;
}

/** The workspace's stored contacts with their contact.created events and pending entries. */
async function ledger(workspaceId: string) {
  const ws = new mongoose.Types.ObjectId(workspaceId);
  const contacts = await conn.collection<Stored>('contacts').find({ workspace_id: ws }).toArray();
  const events = await conn
    .collection('domain_events')
    .find({ workspace_id: ws, type: 'contact.created' })
    .toArray();
  const stored = new Set(contacts.map((c) => String(c._id)));
  return {
    orphanEvents: events.filter((e) => !stored.has(String(e.record_id))),
    contacts: contacts.map((c) => ({
      id: String(c._id),
      events: events.filter((e) => String(e.record_id) === String(c._id)),
      pending: c.pending_events ?? [],
    })),
  };
}

describe('a server process killed in the middle of creates', () => {
  it('when the process dies with creates in flight, then no stored contact is left without its contact.created event', async () => {
    const first = await server();
    const { user, secret } = await apiUser(first.t);
    let answered = 0;
    const inFlight = Array.from({ length: 40 }, (_, i) =>
      first.t
        .request()
        .post('/api/v1/contacts')
        .set(bearer(secret))
        .send({ name: `Crash ${i}` })
        .then((res) => {
          answered += 1;
          if (answered === 5) first.s.child.kill('SIGKILL');
          return res.status;
        })
        .catch(() => 'killed'),
    );
    await Promise.all(inFlight);
    if (first.s.child.exitCode === null && first.s.child.signalCode === null) first.s.child.kill('SIGKILL');
    expect(await first.s.exited).toBe('SIGKILL');

    // Right after the crash: each stored contact has its event, or still owes it (a pending entry).
    const { contacts: afterCrash, orphanEvents } = await ledger(user.workspaceId);
    expect(orphanEvents).toEqual([]); // no event for a change that did not happen
    expect(afterCrash.length).toBeGreaterThanOrEqual(5);
    for (const c of afterCrash) {
      // Its event id is known exactly once: inserted, pending, or both (inserted, not yet pulled).
      const owed = new Set([...c.events.map((e) => String(e._id)), ...c.pending.map((p) => String(p._id))]);
      expect(owed.size).toBe(1);
    }

    // Another process's outbox worker publishes whatever was left pending (after STALE_MS, real time).
    const second = await server();
    const deadline = Date.now() + 45_000;
    let after = (await ledger(user.workspaceId)).contacts;
    while (after.some((c) => c.pending.length > 0 || c.events.length !== 1) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      after = (await ledger(user.workspaceId)).contacts;
    }
    expect(after.map((c) => c.id).sort()).toEqual(afterCrash.map((c) => c.id).sort());
    for (const c of after) {
      expect(c.pending).toEqual([]);
      expect(c.events).toHaveLength(1);
      const got = await second.t.request().get(`/api/v1/contacts/${c.id}`).set(bearer(secret)).expect(200);
      expect(c.events[0]!.record).toEqual(got.body);
    }
    second.s.child.kill('SIGTERM');
    expect(await second.s.exited).toBe(0);
  });
});
