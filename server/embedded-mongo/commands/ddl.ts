import type { Document } from 'bson';
import { compileFilter } from '../engine';
import { fail } from '../errors';
import { normaliseSpec, sameKey, type IndexSpec } from '../indexes';
import { ID_INDEX } from '../store';
import { isPlainObject } from '../values';
import { checkFields, collectionName, optDoc, type Handler } from './context';

const REFUSED_CREATE_OPTIONS = [
  'capped',
  'size',
  'max',
  'validator',
  'viewOn',
  'pipeline',
  'timeseries',
  'clusteredIndex',
  'expireAfterSeconds',
  'changeStreamPreAndPostImages',
  'encryptedFields',
];

export const create: Handler = (cmd, ctx) => {
  for (const opt of REFUSED_CREATE_OPTIONS) {
    const v = cmd[opt];
    if (v !== undefined && v !== false && !(isPlainObject(v) && Object.keys(v).length === 0)) {
      fail('CommandNotSupported', `create option '${opt}' is not supported by the embedded server`);
    }
  }
  checkFields(cmd, 'create', [
    ...REFUSED_CREATE_OPTIONS,
    'validationLevel',
    'validationAction',
    'storageEngine',
    'indexOptionDefaults',
    'collation',
    'autoIndexId',
    'flags',
  ]);
  const name = collectionName(cmd, 'create');
  if (ctx.store.collection(ctx.db, name))
    fail('NamespaceExists', `Collection ${ctx.db}.${name} already exists.`);
  ctx.store.ensureCollection(ctx.db, name);
  return { ok: 1 };
};

export const drop: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, 'drop');
  const coll = ctx.store.collection(ctx.db, name);
  // Since 7.0 mongod answers ok for a collection that does not exist.
  if (!coll) return { ok: 1 };
  const nIndexesWas = coll.indexes.length + 1;
  ctx.store.dropCollection(ctx.db, name);
  return { nIndexesWas, ns: coll.ns, ok: 1 };
};

export const createIndexes: Handler = (cmd, ctx) => {
  checkFields(cmd, 'createIndexes', ['indexes', 'commitQuorum', 'ignoreUnknownIndexOptions']);
  const name = collectionName(cmd, 'createIndexes');
  if (!Array.isArray(cmd.indexes) || cmd.indexes.length === 0)
    fail('BadValue', 'Must specify at least one index to create');
  const specs = (cmd.indexes as unknown[]).map(normaliseSpec);
  const { coll, created } = ctx.store.ensureCollection(ctx.db, name);
  const before = coll.indexes.length + 1;
  let added = 0;
  for (const spec of specs) if (coll.createIndex(spec) === 'created') added++;
  const reply: Document = {
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.length + 1,
    createdCollectionAutomatically: created,
    ok: 1,
  };
  if (added === 0) reply.note = 'all indexes already exist';
  return reply;
};

export const listIndexes: Handler = (cmd, ctx) => {
  checkFields(cmd, 'listIndexes', ['cursor', 'includeBuildUUIDs', 'includeIndexBuildInfo']);
  const name = collectionName(cmd, 'listIndexes');
  const coll = ctx.store.collection(ctx.db, name);
  if (!coll) fail('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  const cursor = optDoc(cmd, 'cursor', 'listIndexes');
  return ctx.cursors.first(
    `${ctx.db}.$cmd.listIndexes.${name}`,
    coll.indexSpecs(),
    cursor?.batchSize as number | undefined,
    false,
  );
};

export const dropIndexes: Handler = (cmd, ctx) => {
  checkFields(cmd, 'dropIndexes', ['index']);
  const name = collectionName(cmd, 'dropIndexes');
  const coll = ctx.store.collection(ctx.db, name);
  if (!coll) fail('NamespaceNotFound', `ns not found ${ctx.db}.${name}`);
  const nIndexesWas = coll.indexes.length + 1;
  const target = cmd.index;
  let names: string[];
  if (target === '*') names = coll.indexes.map((i) => i.name);
  else if (typeof target === 'string') names = [target];
  else if (Array.isArray(target)) names = target.map(String);
  else if (isPlainObject(target)) {
    const match = coll.indexSpecs().find((s) => sameKey(s, { key: target } as IndexSpec));
    if (!match) fail('IndexNotFound', `can't find index with key: ${JSON.stringify(target)}`);
    names = [match.name];
  } else return fail('TypeMismatch', "BSON field 'dropIndexes.index' is missing or has the wrong type");
  for (const n of names) {
    if (n === ID_INDEX.name) fail('InvalidOptions', 'cannot drop _id index');
    if (!coll.indexes.some((i) => i.name === n)) fail('IndexNotFound', `index not found with name [${n}]`);
  }
  for (const n of names) coll.dropIndex(n);
  return { nIndexesWas, ok: 1 };
};

export const listCollections: Handler = (cmd, ctx) => {
  checkFields(cmd, 'listCollections', ['filter', 'nameOnly', 'authorizedCollections', 'cursor']);
  const filter = optDoc(cmd, 'filter', 'listCollections') ?? {};
  const nameOnly = cmd.nameOnly === true;
  const matches = compileFilter(filter);
  const colls = [...(ctx.store.dbs.get(ctx.db)?.values() ?? [])];
  const infos = colls
    .map((c): Document => ({
      name: c.name,
      type: 'collection',
      options: {},
      info: { readOnly: false },
      idIndex: ID_INDEX,
    }))
    .filter(matches)
    .map((d) => (nameOnly ? { name: d.name, type: d.type } : d));
  const cursor = optDoc(cmd, 'cursor', 'listCollections');
  return ctx.cursors.first(
    `${ctx.db}.$cmd.listCollections`,
    infos,
    cursor?.batchSize as number | undefined,
    false,
  );
};

export const renameCollection: Handler = (cmd, ctx) => {
  checkFields(cmd, 'renameCollection', ['to', 'dropTarget', 'stayTemp']);
  if (ctx.db !== 'admin')
    fail('IllegalOperation', 'renameCollection may only be run against the admin database.');
  const [from, to] = [cmd.renameCollection, cmd.to];
  if (typeof from !== 'string' || typeof to !== 'string')
    return fail('TypeMismatch', 'renameCollection and to must be strings');
  const split = (ns: string): [string, string] => [
    ns.slice(0, ns.indexOf('.')),
    ns.slice(ns.indexOf('.') + 1),
  ];
  const [fromDb, fromName] = split(from);
  const [toDb, toName] = split(to);
  const source = ctx.store.collection(fromDb, fromName);
  if (!source) fail('NamespaceNotFound', `Source collection ${from} does not exist`);
  if (ctx.store.collection(toDb, toName)) {
    if (cmd.dropTarget !== true) fail('NamespaceExists', `Collection ${to} already exists.`);
    ctx.store.dropCollection(toDb, toName);
  }
  const { coll } = ctx.store.ensureCollection(toDb, toName);
  for (const index of source.indexes) coll.createIndex(index.spec);
  for (const doc of source.docs.values()) coll.insert(doc);
  ctx.store.dropCollection(fromDb, fromName);
  return { ok: 1 };
};
