// The server as `npm start` runs it: a real process, the embedded default, signals.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { builtServer, startServerProcess } from '../../helpers/server-process';

const dataDirs: string[] = [];
const dataDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-proc-'));
  dataDirs.push(dir);
  return dir;
};
afterAll(() => dataDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('starting the server', () => {
  it('when started with no configuration, then it logs the tier and /health reports it', async () => {
    const server = await startServerProcess({ DATA_DIR: dataDir() }, { from: 'build' });
    try {
      expect(server.output()).toMatch(/database tier: (embedded|memory-server)/);
      const res = await fetch(`${server.baseUrl}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        status: 'ok',
        db: expect.stringMatching(/^(embedded|memory-server)$/),
      });
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('when a configuration value is invalid, then it exits 1 with a message naming it', async () => {
    const child = spawn(process.execPath, [builtServer], {
      env: { PATH: process.env.PATH ?? '', PORT: 'not-a-port' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toMatch(/Invalid configuration:\s+PORT:/);
    expect(err).not.toMatch(/\n\s+at /);
  });
});

describe('graceful shutdown', () => {
  it('when SIGTERM arrives during a request, then the request finishes and the process exits 0', async () => {
    const server = await startServerProcess({ DATA_DIR: dataDir() }, { from: 'build' });
    // A slow client keeps a request in flight: headers sent, body still arriving.
    const pending = new Promise<number>((resolve, reject) => {
      const req = http.request(`${server.baseUrl}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': '40' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"email":"a@b.co",');
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end('"password":"x"}'.padEnd(22, ' ')), 300);
      }, 200);
    });
    const status = await pending;
    expect(status).toBeGreaterThanOrEqual(200);
    expect(status).toBeLessThan(500);
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/shutting down/);
  });
});

describe('durability of the embedded default', () => {
  it('when the server is killed with SIGKILL after an acknowledged write, then a restart still has it', async () => {
    const dir = dataDir();
    const first = await startServerProcess({ DATA_DIR: dir }, { from: 'build' });
    const email = `durable-${Date.now()}@example.com`;
    const signup = await fetch(`${first.baseUrl}/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse battery', name: 'Durable' }),
    });
    expect(signup.status).toBe(201);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startServerProcess({ DATA_DIR: dir }, { from: 'build' });
    try {
      const login = await fetch(`${second.baseUrl}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: 'correct horse battery' }),
      });
      expect(login.status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
