import { ObjectId, type Document } from 'bson';
import { CommandError, asCommandError, fail, writeError } from '../errors';
import { isPlainObject } from '../values';
import { checkFields, collectionName, selectDocs, type Handler } from './context';
import { checkSize, parseUpdate, unchanged, updatedDocument, upsertSeed } from './updating';

/** Runs each statement, collecting mongod-style writeErrors; ordered writes stop at the first error. */
function eachStatement<T>(
  cmd: Document,
  field: string,
  command: string,
  run: (stmt: T, index: number) => void,
): Document[] {
  const statements = cmd[field];
  if (!Array.isArray(statements))
    return fail('FailedToParse', `BSON field '${command}.${field}' is missing but a required field`);
  const ordered = cmd.ordered !== false;
  const errors: Document[] = [];
  statements.forEach((stmt: T, index) => {
    if (ordered && errors.length > 0) return;
    try {
      run(stmt, index);
    } catch (err) {
      errors.push(writeError(index, asCommandError(err)));
    }
  });
  return errors;
}

const withErrors = (reply: Document, errors: Document[]): Document =>
  errors.length ? { ...reply, writeErrors: errors } : reply;

export const insert: Handler = (cmd, ctx) => {
  checkFields(cmd, 'insert', ['documents', 'ordered']);
  const name = collectionName(cmd, 'insert');
  let n = 0;
  const errors = eachStatement<unknown>(cmd, 'documents', 'insert', (raw) => {
    if (!isPlainObject(raw)) fail('TypeMismatch', 'document to insert must be an object');
    const { _id, ...rest } = raw;
    // mongod generates a missing _id and always stores it as the first field.
    const doc: Document = { _id: '_id' in raw ? _id : new ObjectId(), ...rest };
    checkSize(doc);
    ctx.store.ensureCollection(ctx.db, name).coll.insert(doc);
    n++;
  });
  return withErrors({ n, ok: 1 }, errors);
};

interface UpdateStatement {
  q?: unknown;
  u?: unknown;
  upsert?: boolean;
  multi?: boolean;
  arrayFilters?: unknown;
}

export const update: Handler = (cmd, ctx) => {
  checkFields(cmd, 'update', ['updates', 'ordered', 'let']);
  const name = collectionName(cmd, 'update');
  const ns = `${ctx.db}.${name}`;
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const errors = eachStatement<UpdateStatement>(cmd, 'updates', 'update', (stmt, index) => {
    if (!isPlainObject(stmt)) fail('TypeMismatch', 'update statement must be an object');
    const filter = statementFilter(stmt.q, 'q');
    const multi = stmt.multi === true;
    const spec = parseUpdate(filter, stmt.u, stmt.arrayFilters, multi);
    const coll = ctx.store.collection(ctx.db, name);
    ctx.coverage.check(coll, ns, 'update', filter);
    const matched = selectDocs(coll, filter, { limit: multi ? 0 : 1 });
    for (const old of matched) {
      const next = updatedDocument(old, spec, false);
      n++;
      if (unchanged(old, next)) continue;
      coll?.replace(old, next);
      nModified++;
    }
    if (matched.length === 0 && stmt.upsert === true) {
      const doc = updatedDocument(upsertSeed(filter, spec.kind), spec, true);
      ctx.store.ensureCollection(ctx.db, name).coll.insert(doc);
      n++;
      upserted.push({ index, _id: doc._id });
    }
  });
  return withErrors({ n, nModified, ...(upserted.length ? { upserted } : {}), ok: 1 }, errors);
};

export const remove: Handler = (cmd, ctx) => {
  checkFields(cmd, 'delete', ['deletes', 'ordered', 'let']);
  const name = collectionName(cmd, 'delete');
  let n = 0;
  const errors = eachStatement<Document>(cmd, 'deletes', 'delete', (stmt) => {
    if (!isPlainObject(stmt)) fail('TypeMismatch', 'delete statement must be an object');
    const filter = statementFilter(stmt.q, 'q');
    const limit = Number(stmt.limit ?? 0);
    if (limit !== 0 && limit !== 1)
      fail('FailedToParse', `The limit field in delete objects must be 0 or 1. Got ${String(stmt.limit)}`);
    const coll = ctx.store.collection(ctx.db, name);
    ctx.coverage.check(coll, `${ctx.db}.${name}`, 'delete', filter);
    for (const doc of selectDocs(coll, filter, { limit })) {
      coll?.remove(doc);
      n++;
    }
  });
  return withErrors({ n, ok: 1 }, errors);
};

export function statementFilter(q: unknown, field: string): Document {
  if (q === undefined || q === null) return {};
  if (!isPlainObject(q))
    throw new CommandError('TypeMismatch', `BSON field '${field}' is the wrong type, expected type 'object'`);
  return q;
}
