// Durability: a snapshot plus an append-only journal of logical changes (see README "Durability").
// Entry format, in both files: uint32 payload length, uint32 CRC-32 of the payload, BSON payload.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { BSON, type Document } from 'bson';
import type { Change, Store } from './store';

export interface JournalOptions {
  dir: string;
  fsync: boolean;
  maxEntries: number;
  maxBytes: number;
  log: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

const SNAPSHOT = 'snapshot.bin';
const LOCK = 'mongod.lock';
const journalName = (gen: number): string => `journal-${gen}.bin`;
const READ_OPTIONS: BSON.DeserializeOptions = {
  promoteValues: true,
  promoteBuffers: false,
  bsonRegExp: false,
};

function encode(entry: Document): Buffer {
  const payload = BSON.serialize(entry, { checkKeys: false, ignoreUndefined: true });
  const head = Buffer.alloc(8);
  head.writeUInt32LE(payload.length, 0);
  head.writeUInt32LE(zlib.crc32(payload), 4);
  return Buffer.concat([head, payload]);
}

/** Decodes entries until the first torn or corrupt one; returns them and the length of the valid prefix. */
function decodeAll(buf: Buffer): { entries: Document[]; validBytes: number } {
  const entries: Document[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const len = buf.readUInt32LE(at);
    const payload = buf.subarray(at + 8, at + 8 + len);
    if (payload.length !== len || zlib.crc32(payload) !== buf.readUInt32LE(at + 4)) break;
    try {
      entries.push(BSON.deserialize(payload, READ_OPTIONS));
    } catch {
      break;
    }
    at += 8 + len;
  }
  return { entries, validBytes: at };
}

function acquireLock(dir: string): string {
  const lockPath = path.join(dir, LOCK);
  for (;;) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return lockPath;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number(fs.readFileSync(lockPath, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
      throw new Error(
        `embedded-mongo: data directory ${dir} is already in use by process ${pid} (lock file ${lockPath})`,
      );
    }
    // The owner died without cleaning up (e.g. kill -9): the lock is stale.
    fs.rmSync(lockPath, { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class Journal {
  private fd: number;
  private gen = 0;
  private entries = 0;
  private bytes = 0;
  private pending: Buffer[] = [];
  private readonly lockPath: string;

  constructor(
    private readonly store: Store,
    private readonly options: JournalOptions,
  ) {
    fs.mkdirSync(options.dir, { recursive: true });
    this.lockPath = acquireLock(options.dir);
    try {
      this.load();
      this.fd = fs.openSync(this.file(journalName(this.gen)), 'a');
    } catch (err) {
      fs.rmSync(this.lockPath, { force: true });
      throw err;
    }
    store.onChange = (change) => this.pending.push(encode(change));
  }

  private file(name: string): string {
    return path.join(this.options.dir, name);
  }

  private load(): void {
    const started = Date.now();
    const snapshotPath = this.file(SNAPSHOT);
    if (fs.existsSync(snapshotPath)) {
      const { entries } = decodeAll(fs.readFileSync(snapshotPath));
      const head = entries[0];
      if (head?.o !== 'gen' || entries[entries.length - 1]?.o !== 'end')
        throw new Error(`embedded-mongo: snapshot ${snapshotPath} is incomplete`);
      this.gen = Number(head.gen);
      for (const entry of entries.slice(1, -1)) this.replay(entry as Change);
    }
    const journalPath = this.file(journalName(this.gen));
    if (fs.existsSync(journalPath)) {
      const buf = fs.readFileSync(journalPath);
      const { entries, validBytes } = decodeAll(buf);
      for (const entry of entries) this.replay(entry as Change);
      if (validBytes < buf.length) {
        this.options.log('warn', 'embedded-mongo: ignoring a torn journal tail', {
          bytes: buf.length - validBytes,
        });
        fs.truncateSync(journalPath, validBytes);
      }
      this.entries = entries.length;
      this.bytes = validBytes;
    }
    for (const name of fs.readdirSync(this.options.dir)) {
      if (/^journal-\d+\.bin$/.test(name) && name !== journalName(this.gen))
        fs.rmSync(this.file(name), { force: true });
    }
    this.options.log('info', 'embedded-mongo: data loaded', {
      gen: this.gen,
      journalEntries: this.entries,
      ms: Date.now() - started,
    });
  }

  private replay(change: Change): void {
    try {
      this.store.apply(change);
    } catch (err) {
      this.options.log('error', 'embedded-mongo: could not replay a journal entry', {
        op: change.o,
        error: String(err),
      });
    }
  }

  /** Writes the changes of the current command; called before its reply is sent. */
  commit(): void {
    if (this.pending.length === 0) return;
    const buf = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    this.entries += this.pending.length;
    this.pending = [];
    for (let off = 0; off < buf.length;) off += fs.writeSync(this.fd, buf, off);
    if (this.options.fsync) fs.fsyncSync(this.fd);
    this.bytes += buf.length;
    if (this.entries >= this.options.maxEntries || this.bytes >= this.options.maxBytes) this.compact();
  }

  /** Writes a full snapshot (temp file + rename) and starts an empty journal of the next generation. */
  compact(): void {
    const next = this.gen + 1;
    const tmp = this.file(`${SNAPSHOT}.tmp`);
    const fd = fs.openSync(tmp, 'w');
    let chunk: Buffer[] = [];
    let chunkBytes = 0;
    const write = (entry: Document): void => {
      const buf = encode(entry);
      chunk.push(buf);
      chunkBytes += buf.length;
      if (chunkBytes >= 4 << 20) flush();
    };
    const flush = (): void => {
      const buf = Buffer.concat(chunk);
      for (let off = 0; off < buf.length;) off += fs.writeSync(fd, buf, off);
      chunk = [];
      chunkBytes = 0;
    };
    write({ o: 'gen', gen: next });
    for (const colls of this.store.dbs.values()) {
      for (const coll of colls.values()) {
        write({ o: 'ci', ns: coll.ns });
        for (const index of coll.indexes) write({ o: 'ii', ns: coll.ns, spec: index.spec });
        for (const doc of coll.docs.values()) write({ o: 'p', ns: coll.ns, d: doc });
      }
    }
    write({ o: 'end' });
    flush();
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, this.file(SNAPSHOT));
    const oldFd = this.fd;
    this.fd = fs.openSync(this.file(journalName(next)), 'w');
    fs.closeSync(oldFd);
    fs.rmSync(this.file(journalName(this.gen)), { force: true });
    this.gen = next;
    this.entries = 0;
    this.bytes = 0;
    this.options.log('info', 'embedded-mongo: journal compacted', { gen: next });
  }

  close(): void {
    this.commit();
    fs.closeSync(this.fd);
    fs.rmSync(this.lockPath, { force: true });
    this.store.onChange = () => {};
  }

  /** Generation and journal size, for tests and logs. */
  stats(): { gen: number; entries: number; bytes: number } {
    return { gen: this.gen, entries: this.entries, bytes: this.bytes };
  }
}
