import type { Document } from 'bson';
import { project } from '../engine';
import { fail } from '../errors';
import { checkFields, collectionName, optDoc, selectDocs, validateSort, type Handler } from './context';
import { parseUpdate, unchanged, updatedDocument, upsertSeed } from './updating';

/** Atomic because commands run one at a time: nothing else can touch the document between read and write. */
export const findAndModify: Handler = (cmd, ctx) => {
  checkFields(cmd, 'findAndModify', [
    'query',
    'sort',
    'remove',
    'update',
    'new',
    'fields',
    'upsert',
    'arrayFilters',
    'let',
    'collation',
  ]);
  const name = collectionName(cmd, 'findAndModify');
  const ns = `${ctx.db}.${name}`;
  const query = optDoc(cmd, 'query', 'findAndModify') ?? {};
  const sort = optDoc(cmd, 'sort', 'findAndModify');
  validateSort(sort);
  const fields = optDoc(cmd, 'fields', 'findAndModify');
  const remove = cmd.remove === true;
  const upsert = cmd.upsert === true;
  const returnNew = cmd.new === true;
  if (remove && cmd.update !== undefined)
    fail('FailedToParse', 'Cannot specify both an update and remove=true');
  if (!remove && cmd.update === undefined)
    fail('FailedToParse', 'Either an update or remove=true must be specified');
  if (remove && upsert) fail('FailedToParse', 'Cannot specify both upsert=true and remove=true ');
  if (remove && returnNew)
    fail(
      'FailedToParse',
      "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document",
    );
  const shape = (doc: Document | undefined): Document | null =>
    doc ? (fields ? (project([doc], fields)[0] ?? null) : doc) : null;

  const coll = ctx.store.collection(ctx.db, name);
  ctx.coverage.check(coll, ns, 'findAndModify', query, sort);
  const [found] = selectDocs(coll, query, { sort, limit: 1 });

  if (remove) {
    if (found) coll?.remove(found);
    return { lastErrorObject: { n: found ? 1 : 0 }, value: shape(found), ok: 1 };
  }
  const spec = parseUpdate(query, cmd.update, cmd.arrayFilters, false);
  if (found) {
    const next = updatedDocument(found, spec, false);
    if (!unchanged(found, next)) coll?.replace(found, next);
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: shape(returnNew ? next : found),
      ok: 1,
    };
  }
  if (!upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const doc = updatedDocument(upsertSeed(query, spec.kind), spec, true);
  ctx.store.ensureCollection(ctx.db, name).coll.insert(doc);
  return {
    lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
    value: returnNew ? shape(doc) : null,
    ok: 1,
  };
};
