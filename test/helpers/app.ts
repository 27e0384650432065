// Builds the real app on the real database tier for one test file: MONGODB_URI when set (a
// unique database per file), else mongodb-memory-server where a mongod binary exists, else the
// embedded server in memory with its index-coverage check on.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import supertest from 'supertest';
import { createApp } from '../../server/app';
import { loadConfig, type Env } from '../../server/config';
import type { AppContext } from '../../server/context';
import { startDatabase } from '../../server/shared/database';
import { startWorkers, type Worker } from '../../server/workers';
import { createLogger } from '../../server/shared/logger';

export interface TestClock {
  now(): Date;
  /** Moves the app's clock forward (never sleeps). */
  advance(ms: number): void;
  reset(): void;
}

export interface TestApp {
  app: Express;
  ctx: AppContext;
  clock: TestClock;
  /** Every log line the app wrote (JSON strings), for asserting what never reaches a log. */
  logs: string[];
  request(): supertest.Agent;
  /** Starts listening on an ephemeral loopback port (for clients other than supertest); returns the base URL. */
  listen(): Promise<string>;
  stop(): Promise<void>;
}

export type TestEnv = Partial<Record<keyof Env, string>>;

export interface TestAppOptions {
  /** Start the background workers (hook delivery, reminders) as `npm start` does. */
  workers?: boolean;
}

export async function startTestApp(env: TestEnv = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    KEY_HASH_SECRET: randomBytes(32).toString('hex'),
    ...(process.env.MONGODB_URI ? { MONGODB_URI: process.env.MONGODB_URI } : {}),
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger(config.LOG_LEVEL, sink);
  const db = await startDatabase({
    mongodbUri: config.MONGODB_URI,
    dbName: `sb_test_${randomBytes(6).toString('hex')}`,
    indexCoverage: true,
    mongodBinary: { systemBinary: config.MONGOMS_SYSTEM_BINARY, downloadDir: config.MONGOMS_DOWNLOAD_DIR },
    logger,
  });
  let offset = 0;
  const clock: TestClock = {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => void (offset += ms),
    reset: () => void (offset = 0),
  };
  const ctx: AppContext = { config, logger, db, now: clock.now };
  const app = createApp(ctx);
  const workers: Worker | undefined = options.workers ? startWorkers(ctx) : undefined;
  let server: Server | undefined;

  return {
    app,
    ctx,
    clock,
    logs,
    request: () => supertest.agent(server ?? app),
    async listen() {
      server ??= await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async stop() {
      await workers?.stop();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      if (process.env.MONGODB_URI) {
        const mongoose = (await import('mongoose')).default;
        await mongoose.connection.db?.dropDatabase();
      }
      await db.stop();
    },
  };
}
