// Durability: a snapshot plus append-only journals of logical changes (see README "Durability").
// Journals are numbered by generation; snapshot.bin says which generation it stops before. A
// compaction rotates to a new journal at once and writes the snapshot in the background.
import fs from 'node:fs';
import path from 'node:path';
import { encode, decodeAll } from './entries';
import { acquireLock } from './lock';
import { captureView, loadSnapshot, syncDirSync, writeSnapshot } from './snapshot';
import type { Change, Store } from './store';

export interface JournalOptions {
  dir: string;
  fsync: boolean;
  maxEntries: number;
  maxBytes: number;
  /** Test hook: pause between snapshot batches (default 0). */
  compactionBatchDelayMs?: number;
  log: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

const journalName = (gen: number): string => `journal-${gen}.bin`;

/** Generations of the journal files present, ascending. */
function journalGens(dir: string): number[] {
  return fs
    .readdirSync(dir)
    .map((name) => /^journal-(\d+)\.bin$/.exec(name)?.[1])
    .filter((gen): gen is string => gen !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

export class Journal {
  private fd: number;
  /** The generation being appended to. */
  private gen = 0;
  /** Entries and bytes not yet in a snapshot (all journals since the last one, after a restart). */
  private entries = 0;
  private bytes = 0;
  private pending: Buffer[] = [];
  private compaction: { done: Promise<void>; abort: AbortController } | undefined;
  private closed = false;
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

  /** The snapshot, then every journal generation from the snapshot's on, in order. */
  private load(): void {
    const started = Date.now();
    const snapshotGen = loadSnapshot(this.options.dir, (change) => this.replay(change));
    this.gen = snapshotGen;
    for (const gen of journalGens(this.options.dir)) {
      const journalPath = this.file(journalName(gen));
      // Older generations are already in the snapshot: a crash came between its rename and their deletion.
      if (gen < snapshotGen) {
        fs.rmSync(journalPath, { force: true });
        continue;
      }
      const buf = fs.readFileSync(journalPath);
      const { entries, validBytes } = decodeAll(buf);
      for (const entry of entries) this.replay(entry as Change);
      if (validBytes < buf.length) {
        this.options.log('warn', 'embedded-mongo: ignoring a torn journal tail', {
          gen,
          bytes: buf.length - validBytes,
        });
        fs.truncateSync(journalPath, validBytes);
      }
      this.gen = gen;
      this.entries += entries.length;
      this.bytes += validBytes;
    }
    this.options.log('info', 'embedded-mongo: data loaded', {
      gen: this.gen,
      snapshotGen,
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
    this.write();
    this.compactIfFull();
  }

  private compactIfFull(): void {
    const full = this.entries >= this.options.maxEntries || this.bytes >= this.options.maxBytes;
    if (full && !this.compaction && !this.closed) void this.compact();
  }

  private write(): void {
    if (this.pending.length === 0) return;
    const buf = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    this.entries += this.pending.length;
    this.pending = [];
    for (let off = 0; off < buf.length;) off += fs.writeSync(this.fd, buf, off);
    if (this.options.fsync) fs.fsyncSync(this.fd);
    this.bytes += buf.length;
  }

  /**
   * Starts a compaction: synchronously switches new writes to the next journal generation and takes a
   * point-in-time view of the state, then writes the snapshot in the background. Resolves once that
   * snapshot is on disk and the journals it replaces are deleted (or the attempt failed: logged, and the
   * journals are kept). One at a time: a call during a compaction waits for it and then starts another.
   */
  compact(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.compaction) return this.compaction.done.then(() => this.compact());
    this.write(); // normally a no-op: commands commit before anything else runs
    const next = this.gen + 1;
    const started = Date.now();
    let nextFd: number;
    try {
      nextFd = fs.openSync(this.file(journalName(next)), 'a');
    } catch (err) {
      // Runs inside a command's commit: keep appending to the current journal rather than fail it.
      this.options.log('error', 'embedded-mongo: compaction failed', { error: String(err) });
      [this.entries, this.bytes] = [0, 0]; // retried after another journal's worth of writes
      return Promise.resolve();
    }
    const view = captureView(this.store, next);
    fs.closeSync(this.fd);
    this.fd = nextFd;
    if (this.options.fsync) syncDirSync(this.options.dir);
    this.gen = next;
    const covered = { entries: this.entries, bytes: this.bytes };
    [this.entries, this.bytes] = [0, 0];
    const pausedMs = Date.now() - started; // the only part that holds up commands
    const abort = new AbortController();
    const done = writeSnapshot(this.options.dir, view, {
      signal: abort.signal,
      batchDelayMs: this.options.compactionBatchDelayMs ?? 0,
    })
      .then(() => {
        for (const gen of journalGens(this.options.dir))
          if (gen < next) fs.rmSync(this.file(journalName(gen)), { force: true });
        this.options.log('info', 'embedded-mongo: journal compacted', {
          gen: next,
          ms: Date.now() - started,
        });
      })
      .catch((err: unknown) => {
        // The old snapshot and journals are untouched and still replayed on start. The next attempt
        // comes after another full journal's worth of writes, so a failing disk is not hammered.
        if (abort.signal.aborted) this.options.log('info', 'embedded-mongo: compaction abandoned at stop');
        else this.options.log('error', 'embedded-mongo: compaction failed', { error: String(err) });
      })
      .finally(() => {
        this.compaction = undefined;
        // Writes during this compaction may already fill a journal: between commands, so start now.
        this.compactIfFull();
      });
    this.compaction = { done, abort };
    this.options.log('info', 'embedded-mongo: compaction started', { gen: next, pausedMs, ...covered });
    return done;
  }

  /** Flushes, abandons a running compaction (its journals are kept), and releases the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.write();
    this.store.onChange = () => {};
    if (this.compaction) {
      this.compaction.abort.abort();
      await this.compaction.done;
    }
    fs.closeSync(this.fd);
    fs.rmSync(this.lockPath, { force: true });
  }

  /** Current generation, journal size not yet in a snapshot, and whether a compaction is running. */
  stats(): { gen: number; entries: number; bytes: number; compacting: boolean } {
    return { gen: this.gen, entries: this.entries, bytes: this.bytes, compacting: !!this.compaction };
  }
}
