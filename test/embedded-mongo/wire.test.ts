// Embedded-only: the wire protocol as seen by a hand-written client (framing the driver never exercises).
import net from 'node:net';
import { BSON, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { EmbeddedMongoServer } from '../../server/embedded-mongo';

let server: EmbeddedMongoServer;

beforeAll(async () => {
  server = await EmbeddedMongoServer.start();
});

afterAll(async () => {
  await server?.stop();
});

class RawClient {
  private readonly socket: net.Socket;
  private buffer = Buffer.alloc(0);
  private waiting: Array<(msg: Buffer) => void> = [];
  readonly closed: Promise<void>;
  private requestId = 1;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.closed = new Promise((resolve) => this.socket.on('close', () => resolve()));
    this.socket.on('error', () => {});
    this.socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      while (this.buffer.length >= 4 && this.buffer.length >= this.buffer.readInt32LE(0)) {
        const len = this.buffer.readInt32LE(0);
        this.waiting.shift()?.(this.buffer.subarray(0, len));
        this.buffer = this.buffer.subarray(len);
      }
    });
  }

  send(opCode: number, body: Buffer): Promise<Buffer> {
    const header = Buffer.alloc(16);
    header.writeInt32LE(16 + body.length, 0);
    header.writeInt32LE(this.requestId++, 4);
    header.writeInt32LE(opCode, 12);
    const reply = new Promise<Buffer>((resolve) => this.waiting.push(resolve));
    this.socket.write(Buffer.concat([header, body]));
    return reply;
  }

  async opQuery(collection: string, query: Document): Promise<{ opCode: number; doc: Document }> {
    const body = Buffer.concat([
      Buffer.alloc(4),
      Buffer.from(collection + '\0'),
      Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]),
      BSON.serialize(query),
    ]);
    const reply = await this.send(2004, body);
    return { opCode: reply.readInt32LE(12), doc: BSON.deserialize(reply.subarray(36)) };
  }

  /** OP_MSG with a body and optional kind-1 document sequences. */
  opMsg(body: Document, sequences: Record<string, Document[]> = {}, flags = 0): Buffer {
    const flagBits = Buffer.alloc(4);
    flagBits.writeUInt32LE(flags, 0);
    const parts: Uint8Array[] = [flagBits, Buffer.from([0]), BSON.serialize(body)];
    for (const [id, docs] of Object.entries(sequences)) {
      const payload = Buffer.concat([Buffer.from(id + '\0'), ...docs.map((d) => BSON.serialize(d))]);
      const size = Buffer.alloc(4);
      size.writeInt32LE(4 + payload.length, 0);
      parts.push(Buffer.from([1]), size, payload);
    }
    return Buffer.concat(parts);
  }

  async command(body: Document, sequences?: Record<string, Document[]>): Promise<Document> {
    const reply = await this.send(2013, this.opMsg(body, sequences));
    expect(reply.readInt32LE(12)).toBe(2013);
    expect(reply.readUInt32LE(16)).toBe(0); // flags: never moreToCome
    // Longs stay Longs so tests can check the BSON type of cursor ids.
    return BSON.deserialize(reply.subarray(21), { promoteLongs: false });
  }

  fireAndForget(body: Document, sequences?: Record<string, Document[]>): void {
    const header = Buffer.alloc(16);
    const msg = this.opMsg(body, sequences, 1 << 1);
    header.writeInt32LE(16 + msg.length, 0);
    header.writeInt32LE(this.requestId++, 4);
    header.writeInt32LE(2013, 12);
    this.socket.write(Buffer.concat([header, msg]));
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}

test('legacy OP_QUERY isMaster handshake gets an OP_REPLY describing a standalone', async () => {
  const raw = new RawClient(server.port);
  try {
    const { opCode, doc } = await raw.opQuery('admin.$cmd', {
      isMaster: 1,
      helloOk: true,
      client: { driver: { name: 'raw' } },
    });
    expect(opCode).toBe(1);
    expect(doc).toMatchObject({
      ismaster: true,
      isWritablePrimary: true,
      helloOk: true,
      maxWireVersion: 21,
      logicalSessionTimeoutMinutes: 30,
      maxBsonObjectSize: 16777216,
      maxMessageSizeBytes: 48000000,
      maxWriteBatchSize: 100000,
      ok: 1,
    });
    expect(doc.localTime).toBeInstanceOf(Date);
    expect(typeof doc.connectionId).toBe('number');
    expect(doc.setName).toBeUndefined();
    const hello = await raw.command({
      hello: 1,
      $db: 'admin',
      lsid: { id: new BSON.UUID() },
      apiVersion: '1',
      $clusterTime: { clusterTime: new BSON.Timestamp({ t: 1, i: 1 }) },
    });
    expect(hello).toMatchObject({ isWritablePrimary: true, ok: 1 });
    expect(hello.ismaster).toBeUndefined();
  } finally {
    raw.close();
  }
});

test('OP_MSG document sequences and moreToCome (no reply) are honoured', async () => {
  const raw = new RawClient(server.port);
  try {
    const inserted = await raw.command(
      { insert: 'seq', $db: 'wire', ordered: true },
      { documents: [{ _id: 1 }, { _id: 2 }] },
    );
    expect(inserted).toMatchObject({ n: 2, ok: 1 });
    raw.fireAndForget({ insert: 'seq', $db: 'wire', writeConcern: { w: 0 } }, { documents: [{ _id: 3 }] });
    const updated = await raw.command(
      { update: 'seq', $db: 'wire' },
      { updates: [{ q: { _id: 1 }, u: { $set: { x: 1 } } }] },
    );
    expect(updated).toMatchObject({ n: 1, nModified: 1 });
    const found = await raw.command({ find: 'seq', filter: {}, $db: 'wire' });
    expect(found.cursor.firstBatch).toEqual([{ _id: 1, x: 1 }, { _id: 2 }, { _id: 3 }]);
    expect(found.cursor.id).toBeInstanceOf(BSON.Long);
  } finally {
    raw.close();
  }
});

test('a malformed message closes only that connection', async () => {
  const bad = new RawClient(server.port);
  const good = new RawClient(server.port);
  try {
    const garbage = Buffer.alloc(32, 0xab);
    garbage.writeInt32LE(32, 0);
    garbage.writeInt32LE(2013, 12);
    bad.writeRaw(garbage);
    await bad.closed;
    expect(await good.command({ ping: 1, $db: 'admin' })).toMatchObject({ ok: 1 });
    const huge = Buffer.alloc(16);
    huge.writeInt32LE(60_000_000, 0); // over the 48 MB message limit
    const tooBig = new RawClient(server.port);
    tooBig.writeRaw(huge);
    await tooBig.closed;
  } finally {
    bad.close();
    good.close();
  }
});

test('write command errors use the writeErrors array; oversized documents are refused', async () => {
  const raw = new RawClient(server.port);
  try {
    const reply = await raw.command(
      { insert: 'errs', $db: 'wire', ordered: false },
      { documents: [{ _id: 1 }, { _id: 1 }, { _id: 2 }, { _id: 2 }] },
    );
    expect(reply.ok).toBe(1);
    expect(reply.n).toBe(2);
    expect(reply.writeErrors.map((e: Document) => [e.index, e.code])).toEqual([
      [1, 11000],
      [3, 11000],
    ]);
    expect(reply.writeErrors[0]).toMatchObject({
      keyPattern: { _id: 1 },
      keyValue: { _id: 1 },
      errmsg: 'E11000 duplicate key error collection: wire.errs index: _id_ dup key: { _id: 1 }',
    });
    const big = await raw.command(
      { insert: 'errs', $db: 'wire' },
      { documents: [{ _id: 'big', blob: 'x'.repeat(16 * 1024 * 1024) }] },
    );
    expect(big.writeErrors[0]).toMatchObject({ index: 0, code: 10334 });
    const unknownField = await raw.command({ find: 'errs', $db: 'wire', bogusOption: 1 });
    expect(unknownField).toMatchObject({ ok: 0, code: 40415 });
    const badDelete = await raw.command({ delete: 'errs', $db: 'wire', deletes: [{ q: {}, limit: 5 }] });
    expect(badDelete.writeErrors[0]).toMatchObject({ code: 9 });
  } finally {
    raw.close();
  }
});

test('a cursor opened on one connection continues on another (pooled getMore)', async () => {
  const a = new RawClient(server.port);
  const b = new RawClient(server.port);
  try {
    await a.command({
      insert: 'pool',
      $db: 'wire',
      documents: Array.from({ length: 30 }, (_, i) => ({ i })),
    });
    const first = await a.command({ find: 'pool', $db: 'wire', batchSize: 10 });
    a.close();
    const more = await b.command({ getMore: first.cursor.id, collection: 'pool', $db: 'wire' });
    expect(more.cursor.nextBatch).toHaveLength(20);
    expect(more.cursor.id.toString()).toBe('0');
  } finally {
    b.close();
  }
});

test('the driver connects with a plain URI that names a database', async () => {
  const client = await MongoClient.connect(`${server.uri}plaindb`);
  try {
    await client.db().collection('c').insertOne({ ok: true });
    expect(await client.db('plaindb').collection('c').countDocuments()).toBe(1);
  } finally {
    await client.close();
  }
});
