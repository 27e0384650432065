// Chooses the database tier at start-up: MONGODB_URI, else a real mongod through
// mongodb-memory-server where a binary is on this machine, else the embedded server.
// Application code never sees which: it only talks to mongoose.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { EmbeddedMongoServer } from '../embedded-mongo';
import type { Logger } from './logger';

export type DbTier = 'mongodb' | 'memory-server' | 'embedded';

export interface Database {
  readonly tier: DbTier;
  /** The connection string without credentials, for logs. */
  readonly safeUri: string;
  isUp(): boolean;
  /** Index-coverage report of the embedded tier (empty elsewhere). */
  unindexedQueries(): Promise<unknown[]>;
  stop(): Promise<void>;
}

export interface DatabaseOptions {
  mongodbUri?: string;
  /** Durable data directory for the embedded / memory-server tiers; absent means in memory. */
  dataDir?: string;
  /** Database name (tests use a unique one per file on a shared MONGODB_URI). */
  dbName?: string;
  indexCoverage?: boolean;
  /** Where mongodb-memory-server finds a mongod binary (MONGOMS_SYSTEM_BINARY / MONGOMS_DOWNLOAD_DIR). */
  mongodBinary?: { systemBinary?: string; downloadDir?: string };
  logger: Logger;
}

mongoose.set('strictQuery', true);
mongoose.set('sanitizeFilter', true);

export async function startDatabase(options: DatabaseOptions): Promise<Database> {
  const { logger } = options;
  let tier: DbTier;
  let uri: string;
  let stopServer: () => Promise<void> = async () => {};
  let coverage: () => Promise<unknown[]> = async () => [];

  if (options.mongodbUri) {
    tier = 'mongodb';
    uri = options.mongodbUri;
  } else if (mongodBinaryAvailable(options.mongodBinary ?? {})) {
    tier = 'memory-server';
    const { MongoMemoryServer } = await import('mongodb-memory-server-core');
    const dbPath = options.dataDir ? path.join(options.dataDir, 'mongod') : undefined;
    if (dbPath) fs.mkdirSync(dbPath, { recursive: true });
    const server = await MongoMemoryServer.create({ instance: { dbPath, storageEngine: 'wiredTiger' } });
    uri = server.getUri();
    stopServer = async () => void (await server.stop({ doCleanup: !dbPath }));
  } else {
    tier = 'embedded';
    const server = await EmbeddedMongoServer.start({
      dataDir: options.dataDir ? path.join(options.dataDir, 'embedded-mongo') : undefined,
      indexCoverage: options.indexCoverage,
      onLog: (level, msg, extra) => logger[level]({ component: 'embedded-mongo', ...extra }, msg),
    });
    uri = server.uri;
    stopServer = () => server.stop();
    coverage = async () => server.unindexedQueries();
  }

  await mongoose.connect(uri, {
    dbName: options.dbName,
    // Fail fast and notice recovery quickly: requests get a 503 within seconds, not 30 s.
    serverSelectionTimeoutMS: 3000,
    heartbeatFrequencyMS: 2000,
    autoIndex: true,
  });
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  const safeUri = uri.replace(/\/\/[^@/]*@/, '//***@');
  logger.info({ db: tier, uri: safeUri }, `database tier: ${tier}`);

  return {
    tier,
    safeUri,
    isUp: () => mongoose.connection.readyState === mongoose.ConnectionStates.connected,
    unindexedQueries: coverage,
    async stop() {
      await mongoose.disconnect();
      await stopServer();
    },
  };
}

/** A mongod binary is usable when pointed at explicitly or already in mongodb-memory-server's cache. */
function mongodBinaryAvailable(where: { systemBinary?: string; downloadDir?: string }): boolean {
  if (where.systemBinary) return fs.existsSync(where.systemBinary);
  const cacheDir = where.downloadDir ?? path.join(os.homedir(), '.cache', 'mongodb-binaries');
  try {
    return fs.readdirSync(cacheDir).some((name) => name.startsWith('mongod'));
  } catch {
    return false;
  }
}
