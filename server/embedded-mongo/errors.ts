import type { Document } from 'bson';

/** mongod's numeric codes and names for the errors this server can produce. */
export const CODES = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  ConflictingUpdateOperators: 40,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CommandNotSupported: 115,
  CannotIndexParallelArrays: 171,
  DuplicateKey: 11000,
  BSONObjectTooLarge: 10334,
  Location40323: 40323,
  Location40324: 40324,
  IDLUnknownField: 40415,
} as const;

export type CodeName = keyof typeof CODES;

/** An error that becomes `{ ok: 0, code, codeName, errmsg, ...extra }` in a reply. */
export class CommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly extra: Document;

  constructor(codeName: CodeName, message: string, extra: Document = {}) {
    super(message);
    this.code = CODES[codeName];
    // mongod reports codes without a dedicated name as "Location<code>".
    this.codeName = codeName;
    this.extra = extra;
  }
}

export function fail(codeName: CodeName, message: string, extra?: Document): never {
  throw new CommandError(codeName, message, extra);
}

/** mingo throws plain Errors for invalid queries/expressions; mongod answers those with BadValue. */
export function asCommandError(err: unknown, fallback: CodeName = 'InternalError'): CommandError {
  if (err instanceof CommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof Error && err.constructor.name === 'MingoError')
    return new CommandError('BadValue', message);
  return new CommandError(fallback, message);
}

export function errorReply(err: CommandError): Document {
  return { ok: 0, errmsg: err.message, code: err.code, codeName: err.codeName, ...err.extra };
}

/** The per-statement error shape write commands put in `writeErrors`. */
export function writeError(index: number, err: CommandError): Document {
  return { index, code: err.code, errmsg: err.message, ...err.extra };
}
