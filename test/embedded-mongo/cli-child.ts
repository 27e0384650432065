// The embedded server's CLI as a child process (so it can be killed with -9), for the durability tests.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { MongoClient } from 'mongodb';

const repo = path.resolve(__dirname, '../..');
const children = new Set<ChildProcess>();
const dirs: string[] = [];

export interface Running {
  child: ChildProcess;
  uri: string;
  exited: Promise<number | null>;
  /** Parsed JSON log lines written to stderr so far. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the first log line (past or future) whose `msg` matches. */
  waitForLog(msg: RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
}

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-embedded-mongo-'));
  dirs.push(dir);
  return dir;
}

export async function startCli(dataDir: string, extra: string[] = []): Promise<Running> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      path.join(repo, 'test/embedded-mongo/register-ts.js'),
      path.join(repo, 'server/embedded-mongo/cli.ts'),
      '--port',
      '0',
      '--data-dir',
      dataDir,
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then(() => children.delete(child));
  let stderr = '';
  const logs: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr += line + '\n';
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return; // not a log line (e.g. a fatal start error, kept in `stderr`)
    }
    for (const wake of waiters) wake();
  });
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    void exited.then((code) => reject(new Error(`cli exited with ${code}: ${stderr}`)));
  });
  const ready = JSON.parse(line) as { event: string; port: number; uri: string };
  expect(ready.event).toBe('listening');
  expect(ready.uri).toBe(`mongodb://127.0.0.1:${ready.port}/`);
  const waitForLog = (msg: RegExp, timeoutMs = 20_000): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = logs.find((l) => msg.test(String(l.msg)));
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no log line matching ${String(msg)} within ${timeoutMs} ms:\n${stderr}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { child, uri: ready.uri, exited, logs, waitForLog };
}

export async function withClient<T>(uri: string, fn: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** For afterAll: kills leftover children and removes the temp directories. */
export function cleanUp(): void {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
}
