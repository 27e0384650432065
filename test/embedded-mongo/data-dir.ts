// In-process durable servers and their data directories, for the compaction tests.
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { EmbeddedMongoServer, type EmbeddedMongoOptions } from '../../server/embedded-mongo';
import { tempDir } from './cli-child';

const opened = new Set<{ server: EmbeddedMongoServer; client: MongoClient }>();

/** For afterAll: closes servers a failed test left open. */
export async function closeAll(): Promise<void> {
  for (const { server, client } of opened) await client.close().then(() => server.stop());
  opened.clear();
}

export const journals = (dir: string): string[] =>
  fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('journal-'))
    .sort();

/** Every collection of `app` with its documents and indexes, to compare states across restarts. */
export async function dump(db: Db): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  for (const name of names) {
    const coll = db.collection(name);
    const docs = await coll.find({}).sort({ _id: 1 }).toArray();
    out[name] = { docs, indexes: await coll.listIndexes().toArray() };
  }
  return out;
}

export async function open(
  dir: string,
  options: EmbeddedMongoOptions = {},
): Promise<{ server: EmbeddedMongoServer; client: MongoClient; db: Db; close: () => Promise<void> }> {
  const server = await EmbeddedMongoServer.start({ dataDir: dir, ...options });
  const client = await MongoClient.connect(server.uri);
  const handle = { server, client };
  opened.add(handle);
  const close = async (): Promise<void> => {
    opened.delete(handle);
    await client.close();
    await server.stop();
  };
  return { server, client, db: client.db('app'), close };
}

export async function reopenedDump(dir: string): Promise<Record<string, unknown>> {
  const { db, close } = await open(dir);
  try {
    return await dump(db);
  } finally {
    await close();
  }
}

/** The files of a data directory as a crash would leave them right now (minus our own live lock). */
export function copyOfDisk(dir: string): string {
  const copy = tempDir();
  for (const name of fs.readdirSync(dir))
    if (name !== 'mongod.lock') fs.copyFileSync(path.join(dir, name), path.join(copy, name));
  return copy;
}
