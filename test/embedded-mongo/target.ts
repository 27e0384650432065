// Where the behavioural suites run: a real MongoDB when MONGODB_URI is set (each file gets its own
// database), otherwise a fresh embedded server per file.
import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { EmbeddedMongoServer } from '../../server/embedded-mongo';

export interface Target {
  /** Connection string without a database name. */
  uri: string;
  /** A database name unique to the calling test file. */
  dbName: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function startTarget(): Promise<Target> {
  const dbName = `sb_embedded_${randomBytes(4).toString('hex')}`;
  const external = process.env.MONGODB_URI;
  if (external) return { uri: external, dbName, embedded: false, stop: async () => {} };
  const server = await EmbeddedMongoServer.start();
  return { uri: server.uri, dbName, embedded: true, stop: () => server.stop() };
}

export interface DriverTarget {
  target: Target;
  client: MongoClient;
  db: Db;
}

/**
 * Registers the file's beforeAll/afterAll: start the target and connect the official driver to
 * the file's own database; afterwards drop it, disconnect and stop. Read the fields inside tests.
 */
export function useDriverTarget(): DriverTarget {
  const conn = {} as DriverTarget;
  beforeAll(async () => {
    conn.target = await startTarget();
    conn.client = await MongoClient.connect(conn.target.uri, { serverSelectionTimeoutMS: 5000 });
    conn.db = conn.client.db(conn.target.dbName);
  });
  afterAll(async () => {
    await conn.db?.dropDatabase();
    await conn.client?.close();
    await conn.target?.stop();
  });
  return conn;
}
