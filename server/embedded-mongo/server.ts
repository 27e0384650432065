import net from 'node:net';
import type { Document } from 'bson';
import { runCommand, type CommandContext, type ServerInfo } from './commands';
import { Coverage, type UnindexedQuery } from './coverage';
import { Cursors } from './cursors';
import { Journal } from './journal';
import { Store } from './store';
import { sweepTtl } from './ttl';
import { MAX_MESSAGE_BYTES, OP_QUERY, ProtocolError, encodeReply, parseMessage } from './wire';

export type LogFn = (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;

export interface EmbeddedMongoOptions {
  /** Absent: purely in memory. Present: durable (journal + snapshot in that directory). */
  dataDir?: string;
  /** Default 0 = ephemeral. */
  port?: number;
  /** Default '127.0.0.1'; only loopback addresses are accepted. */
  host?: string;
  /** Record queries no declared index can serve (default false). */
  indexCoverage?: boolean;
  onLog?: LogFn;
  /** TTL sweep period (default 1000 ms). */
  ttlIntervalMs?: number;
  /** Idle cursors are reaped after this long (default 10 minutes). */
  cursorTimeoutMs?: number;
  /** fsync the journal after every write command (default false: writeSync only, survives kill -9 but not power loss). */
  fsync?: boolean;
  /** Compact the journal into a snapshot after this many entries (default 10,000) ... */
  journalMaxEntries?: number;
  /** ... or this many bytes (default 16 MiB). The snapshot is written in the background. */
  journalMaxBytes?: number;
  /** Test hook: pause between snapshot batches during compaction (default 0). */
  compactionBatchDelayMs?: number;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export class EmbeddedMongoServer {
  readonly port: number;
  readonly uri: string;
  private readonly sockets = new Set<net.Socket>();
  private readonly timers: NodeJS.Timeout[] = [];
  private nextConnectionId = 1;
  private nextRequestId = 1;
  private stopped = false;

  private constructor(
    private readonly listener: net.Server,
    private readonly store: Store,
    private readonly cursors: Cursors,
    private readonly coverage: Coverage,
    private readonly journal: Journal | undefined,
    private readonly log: LogFn,
    host: string,
  ) {
    const address = listener.address() as net.AddressInfo;
    this.port = address.port;
    const hostInUri = host.includes(':') ? `[${host}]` : host;
    this.uri = `mongodb://${hostInUri}:${this.port}/`;
  }

  static async start(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongoServer> {
    const host = options.host ?? '127.0.0.1';
    if (!LOOPBACK.test(host)) throw new Error(`embedded-mongo only listens on loopback, not on ${host}`);
    const log: LogFn = options.onLog ?? (() => {});
    const store = new Store();
    const journal = options.dataDir
      ? new Journal(store, {
          dir: options.dataDir,
          fsync: options.fsync ?? false,
          maxEntries: options.journalMaxEntries ?? 10_000,
          maxBytes: options.journalMaxBytes ?? 16 * 2 ** 20,
          compactionBatchDelayMs: options.compactionBatchDelayMs,
          log,
        })
      : undefined;
    const listener = net.createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        listener.once('error', reject);
        listener.listen(options.port ?? 0, host, () => {
          listener.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      await journal?.close();
      throw err;
    }
    const server = new EmbeddedMongoServer(
      listener,
      store,
      new Cursors(options.cursorTimeoutMs ?? 600_000),
      new Coverage(options.indexCoverage ?? false),
      journal,
      log,
      host,
    );
    listener.on('connection', (socket) => server.accept(socket));
    const ttl = setInterval(
      () => server.guard(() => sweepTtl(store, Date.now())),
      options.ttlIntervalMs ?? 1000,
    );
    const reaper = setInterval(
      () => server.cursors.reap(),
      Math.min(60_000, options.cursorTimeoutMs ?? 60_000),
    );
    for (const timer of [ttl, reaper]) timer.unref();
    server.timers.push(ttl, reaper);
    log('info', 'embedded-mongo: listening', { port: server.port, durable: Boolean(journal) });
    return server;
  }

  unindexedQueries(): UnindexedQuery[] {
    return this.coverage.list();
  }

  clearUnindexedQueries(): void {
    this.coverage.clear();
  }

  /**
   * Compacts the journal now (durable mode only), for tests and maintenance: resolves once the snapshot
   * is on disk (never rejects: a failure is logged and the journals are kept). Writes keep being served.
   */
  async compact(): Promise<void> {
    await this.journal?.compact();
  }

  /** Durable mode: journal generation, entries not yet in a snapshot, whether a compaction runs. */
  journalStats(): { gen: number; entries: number; bytes: number; compacting: boolean } | undefined {
    return this.journal?.stats();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    const closed = new Promise<void>((resolve) => this.listener.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    this.cursors.clear();
    await this.journal?.close(); // abandons a running compaction: its journals are kept
    this.log('info', 'embedded-mongo: stopped');
  }

  /** Runs background work, persisting its changes; a failure is logged, never thrown. */
  private guard(work: () => void): void {
    try {
      work();
      this.journal?.commit();
    } catch (err) {
      this.log('error', 'embedded-mongo: background task failed', { error: String(err) });
    }
  }

  private accept(socket: net.Socket): void {
    if (this.stopped) return void socket.destroy();
    const connectionId = this.nextConnectionId++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let buffered: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      try {
        while (buffered.length >= 4) {
          const length = buffered.readInt32LE(0);
          if (length < 16 || length > MAX_MESSAGE_BYTES)
            throw new ProtocolError(`invalid message length ${length}`);
          if (buffered.length < length) break;
          const message = buffered.subarray(0, length);
          buffered = buffered.subarray(length);
          const reply = this.handle(message, connectionId);
          if (reply) socket.write(reply);
        }
      } catch (err) {
        // Only this connection is affected by bytes we cannot parse.
        this.log('warn', 'embedded-mongo: closing connection after a protocol error', {
          connectionId,
          error: String(err),
        });
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private handle(message: Buffer, connectionId: number): Buffer | undefined {
    const request = parseMessage(message);
    const ctx: CommandContext = {
      store: this.store,
      cursors: this.cursors,
      coverage: this.coverage,
      info: this.serverInfo,
      db: request.db,
      connectionId,
      legacy: request.opCode === OP_QUERY,
    };
    const reply: Document = runCommand(request.command, ctx);
    // Journal before replying: an acknowledged write survives the process being killed.
    this.journal?.commit();
    if (request.noReply) return undefined;
    return encodeReply(request, this.nextRequestId++, reply);
  }

  private readonly serverInfo: ServerInfo = {
    startedAt: Date.now(),
    port: 0,
    connections: () => this.sockets.size,
  };
}
