import type { Document } from 'bson';
import type { Coverage } from '../coverage';
import type { Cursors } from '../cursors';
import { fail } from '../errors';
import { compileFilter } from '../engine';
import { walkPage } from '../index-walk';
import type { Collection, Store } from '../store';
import { isPlainObject, sortDocuments } from '../values';

export interface ServerInfo {
  readonly startedAt: number;
  readonly port: number;
  connections(): number;
}

export interface CommandContext {
  readonly store: Store;
  readonly cursors: Cursors;
  readonly coverage: Coverage;
  readonly info: ServerInfo;
  readonly db: string;
  readonly connectionId: number;
  /** True when the command arrived as legacy OP_QUERY isMaster (answers `ismaster` instead of `isWritablePrimary`). */
  readonly legacy: boolean;
}

export type Handler = (cmd: Document, ctx: CommandContext) => Document;

/** Fields any command may carry that this server accepts and ignores. */
const GENERIC = new Set([
  'lsid',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'writeConcern',
  'readConcern',
  'maxTimeMS',
  'comment',
  'bypassDocumentValidation',
  'mayBypassWriteBlocking',
  'hint',
  'allowDiskUse',
  'noCursorTimeout',
]);

/** mongod rejects fields it does not know with IDLUnknownField; `$`-prefixed fields are envelope fields. */
export function checkFields(cmd: Document, name: string, allowed: string[]): void {
  for (const field of Object.keys(cmd)) {
    if (field === name || field.startsWith('$') || GENERIC.has(field) || allowed.includes(field)) continue;
    fail('IDLUnknownField', `BSON field '${name}.${field}' is an unknown field.`);
  }
  const collation = cmd.collation as Document | undefined;
  if (collation !== undefined && !(isPlainObject(collation) && collation.locale === 'simple')) {
    fail(
      'CommandNotSupported',
      'collation other than { locale: "simple" } is not supported by the embedded server',
    );
  }
}

export function collectionName(cmd: Document, name: string): string {
  const value = cmd[name];
  if (typeof value !== 'string' || value.length === 0)
    return fail('InvalidNamespace', `collection name has invalid type ${typeof value}`);
  return value;
}

export function optDoc(cmd: Document, field: string, command: string): Document | undefined {
  const value = cmd[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value))
    return fail(
      'TypeMismatch',
      `BSON field '${command}.${field}' is the wrong type '${Array.isArray(value) ? 'array' : typeof value}', expected type 'object'`,
    );
  return value;
}

export function optCount(cmd: Document, field: string, command: string): number | undefined {
  const value = cmd[field];
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n))
    return fail('TypeMismatch', `BSON field '${command}.${field}' is the wrong type, expected a number`);
  if (n < 0) fail('BadValue', `${field} must be non-negative, but received: ${n}`);
  return n;
}

export function validateSort(sort: Document | undefined): void {
  for (const [field, dir] of Object.entries(sort ?? {})) {
    if (dir !== 1 && dir !== -1)
      fail(
        'BadValue',
        `$sort key ordering must be 1 (for ascending) or -1 (for descending); field '${field}'`,
      );
  }
}

/** `hint: { $natural: … }`: the caller asks for a collection scan (tests use it to compare plans). */
export const naturalHint = (hint: unknown): boolean => isPlainObject(hint) && '$natural' in hint;

/** Matching documents in sort order, with skip/limit applied (limit 0 = no limit). */
export function selectDocs(
  coll: Collection | undefined,
  filter: Document,
  options: { sort?: Document; skip?: number; limit?: number; natural?: boolean } = {},
): Document[] {
  if (!coll) return [];
  const matches = compileFilter(filter);
  const skip = options.skip ?? 0;
  const limit = options.limit ?? 0;
  const sorting = options.sort !== undefined && Object.keys(options.sort).length > 0;
  // A sorted page (sort + limit, what every list endpoint asks for) walks an ordered index when one
  // fits (docs/decisions/065-*); else it orders the candidates first and runs the matcher only until
  // the page is full: ordering is far cheaper than matching, and the stable sort gives the same
  // documents in the same order as matching everything first (docs/decisions/062-*).
  if (sorting && limit > 0) {
    const walked = options.natural
      ? undefined
      : walkPage(coll, filter, options.sort as Document, matches, skip + limit);
    if (walked) return walked.slice(skip);
    const out: Document[] = [];
    for (const doc of sortDocuments(coll.candidates(filter), options.sort as Document)) {
      if (!matches(doc)) continue;
      out.push(doc);
      if (out.length >= skip + limit) break;
    }
    return out.slice(skip);
  }
  const stopAt = !sorting && limit > 0 ? skip + limit : Infinity;
  const out: Document[] = [];
  for (const doc of coll.candidates(filter)) {
    if (!matches(doc)) continue;
    out.push(doc);
    if (out.length >= stopAt) break;
  }
  const sorted = sorting ? sortDocuments(out, options.sort as Document) : out;
  return sorted.slice(skip, limit > 0 ? skip + limit : undefined);
}
