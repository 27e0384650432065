// Runs the built server (`dist/server/index.js`, what `npm start` runs) as a real child process.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const builtServer = path.resolve(__dirname, '../../dist/server/index.js');

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  port: number;
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
}

export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 20000,
): Promise<ServerProcess> {
  if (!fs.existsSync(builtServer))
    throw new Error(`${builtServer} is missing: run "npm run build" first (npm test does)`);
  const child = spawn(process.execPath, [builtServer], {
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
  return { child, port, baseUrl: `http://127.0.0.1:${port}`, output: () => out, exited };
}
