import os from 'node:os';
import type { Document } from 'bson';
import { compileFilter } from '../engine';
import { MAX_BSON_BYTES, MAX_MESSAGE_BYTES } from '../wire';
import { bsonSize } from '../values';
import type { Collection } from '../store';
import type { Handler } from './context';
import { counterSections } from './opcounters';

export const VERSION = '7.0.0-embedded';
export const MAX_WIRE_VERSION = 21; // MongoDB 7.0; driver 7 needs >= 9 (4.4)

/** A standalone: no setName/hosts, so drivers never attempt transactions or retryable writes. */
export const hello: Handler = (cmd, ctx) => ({
  ...(ctx.legacy ? { ismaster: true } : {}),
  isWritablePrimary: true,
  helloOk: true,
  maxBsonObjectSize: MAX_BSON_BYTES,
  maxMessageSizeBytes: MAX_MESSAGE_BYTES,
  maxWriteBatchSize: 100_000,
  localTime: new Date(),
  logicalSessionTimeoutMinutes: 30,
  connectionId: ctx.connectionId,
  minWireVersion: 0,
  maxWireVersion: MAX_WIRE_VERSION,
  readOnly: false,
  ok: 1,
});

export const ping: Handler = () => ({ ok: 1 });

export const buildInfo: Handler = () => ({
  version: VERSION,
  gitVersion: 'embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_BYTES,
  storageEngines: ['embedded'],
  modules: [],
  ok: 1,
});

export const getParameter: Handler = (cmd) => {
  const all = cmd.getParameter === '*';
  const params: Document = {
    featureCompatibilityVersion: { version: '7.0' },
    authenticationMechanisms: [],
    logLevel: 0,
  };
  const out: Document = {};
  for (const [k, v] of Object.entries(params)) if (all || k in cmd) out[k] = v;
  return { ...out, ok: 1 };
};

export const hostInfo: Handler = () => ({
  system: {
    currentTime: new Date(),
    hostname: os.hostname(),
    cpuAddrSize: 64,
    memSizeMB: Math.round(os.totalmem() / 2 ** 20),
    numCores: os.cpus().length,
    cpuArch: os.arch(),
  },
  os: { type: os.type(), name: os.platform(), version: os.release() },
  extra: {},
  ok: 1,
});

export const serverStatus: Handler = (_cmd, ctx) => {
  const { opcounters, commands } = counterSections(ctx.info);
  return {
    host: os.hostname(),
    version: VERSION,
    process: 'mongod',
    pid: process.pid,
    uptime: Math.floor((Date.now() - ctx.info.startedAt) / 1000),
    uptimeMillis: Date.now() - ctx.info.startedAt,
    localTime: new Date(),
    connections: { current: ctx.info.connections(), available: 1000 },
    opcounters,
    metrics: { cursor: { open: { total: ctx.cursors.size } }, commands },
    ok: 1,
  };
};

export const ok: Handler = () => ({ ok: 1 });

const collSize = (c: Collection): number => {
  let size = 0;
  for (const doc of c.docs.values()) size += bsonSize(doc);
  return size;
};

export const listDatabases: Handler = (cmd, ctx) => {
  const matches = compileFilter(cmd.filter);
  const dbs = [...ctx.store.dbs.entries()]
    .map(([name, colls]) => ({
      name,
      sizeOnDisk: [...colls.values()].reduce((s, c) => s + collSize(c), 0),
      empty: false,
    }))
    .filter((d) => matches(d));
  const totalSize = dbs.reduce((s, d) => s + d.sizeOnDisk, 0);
  if (cmd.nameOnly === true) return { databases: dbs.map((d) => ({ name: d.name })), ok: 1 };
  return { databases: dbs, totalSize, totalSizeMb: Math.floor(totalSize / 2 ** 20), ok: 1 };
};

export const dropDatabase: Handler = (_cmd, ctx) => {
  ctx.store.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

export const dbStats: Handler = (_cmd, ctx) => {
  const colls = [...(ctx.store.dbs.get(ctx.db)?.values() ?? [])];
  const objects = colls.reduce((s, c) => s + c.docs.size, 0);
  const dataSize = colls.reduce((s, c) => s + collSize(c), 0);
  const indexes = colls.reduce((s, c) => s + c.indexes.length + 1, 0);
  return {
    db: ctx.db,
    collections: colls.length,
    views: 0,
    objects,
    avgObjSize: objects ? dataSize / objects : 0,
    dataSize,
    storageSize: dataSize,
    indexes,
    indexSize: 0,
    totalSize: dataSize,
    scaleFactor: 1,
    ok: 1,
  };
};

export const collStats: Handler = (cmd, ctx) => {
  const name = String(cmd.collStats);
  const coll = ctx.store.collection(ctx.db, name);
  const count = coll?.docs.size ?? 0;
  const size = coll ? collSize(coll) : 0;
  const indexSizes = Object.fromEntries((coll?.indexSpecs() ?? []).map((s) => [s.name, 0]));
  return {
    ns: `${ctx.db}.${name}`,
    count,
    size,
    avgObjSize: count ? Math.floor(size / count) : 0,
    storageSize: size,
    nindexes: Object.keys(indexSizes).length,
    totalIndexSize: 0,
    indexSizes,
    capped: false,
    ok: 1,
  };
};

export const sbUnindexedQueries: Handler = (cmd, ctx) => {
  const queries = ctx.coverage.list();
  if (cmd.clear === true) ctx.coverage.clear();
  return { queries, ok: 1 };
};
