// The processes the benchmark drives: the embedded database (its CLI) and the built server
// (`dist/server/index.js`, what `npm start` runs), each in its own OS process, so the load
// generator in this process never shares an event loop with what it measures.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const distRoot = path.resolve(__dirname, '..');

export interface Child {
  child: ChildProcess;
  /** Sends SIGTERM and waits for the exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
}

function wrap(child: ChildProcess): Child {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts the embedded MongoDB-compatible server (in memory without `dataDir`); resolves with its URI once it listens. */
export async function startEmbeddedMongo(dataDir?: string): Promise<Child & { uri: string }> {
  const cli = path.join(distRoot, 'server/embedded-mongo/cli.js');
  // BENCH_DB_NODE_OPTIONS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof-db`) profiles the database under load.
  const nodeOptions = process.env.BENCH_DB_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(
    process.execPath,
    [...nodeOptions, cli, '--port', '0', ...(dataDir ? ['--data-dir', dataDir] : [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  const uri = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const line = buffered.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve((JSON.parse(line) as { uri: string }).uri);
    });
    child.once('exit', (code) => reject(new Error(`embedded database exited (${code}):\n${out}`)));
  });
  return { ...wrap(child), uri };
}

/** A free loopback port (the server then gets it as PORT, so no log line is needed to find it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Starts the built server; its log goes to `logFile`. Resolves once /health answers 200. */
export async function startServer(
  env: Record<string, string>,
  logFile: string,
): Promise<Child & { baseUrl: string }> {
  const port = await freePort();
  const log = fs.openSync(logFile, 'a');
  // BENCH_NODE_OPTIONS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the server under load.
  const nodeOptions = process.env.BENCH_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeOptions, path.join(distRoot, 'server/index.js')], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${tail(logFile)}`);
    const ok = await fetch(`${baseUrl}/health`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${tail(logFile)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ...wrap(child), baseUrl };
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(-4000);
  } catch {
    return '';
  }
}
