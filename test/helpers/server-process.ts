// Runs the server as a real child process, as `npm start` does: for tests of signals, crashes and
// several processes sharing one database. `from: 'source'` (default) runs server/index.ts through
// a small TypeScript require hook, so it always tests the current code; `from: 'build'` runs
// dist/server/index.js, exactly what `npm start` runs (npm test builds before jest).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repo = path.resolve(__dirname, '../..');
export const builtServer = path.join(repo, 'dist/server/index.js');
const sourceServer = [
  '--require',
  path.join(repo, 'test/embedded-mongo/register-ts.js'),
  path.join(repo, 'server/index.ts'),
];

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  port: number;
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s; resolves once it has. */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  from?: 'source' | 'build';
  timeoutMs?: number;
}

export async function startServerProcess(
  env: Record<string, string>,
  { from = 'source', timeoutMs = 60_000 }: ServerProcessOptions = {},
): Promise<ServerProcess> {
  if (from === 'build' && !fs.existsSync(builtServer))
    throw new Error(`${builtServer} is missing: run "npm run build" first (npm test does)`);
  const child = spawn(process.execPath, from === 'build' ? [builtServer] : sourceServer, {
    cwd: repo,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    const check = () => {
      // The app's own line, not the embedded database's "listening" line.
      const match = /"port":(\d+)[^\n]*Switchboard listening/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${out}`));
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(force);
  };
  return { child, port, baseUrl: `http://127.0.0.1:${port}`, output: () => out, exited, stop };
}
