import { BSON, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
export const MAX_MESSAGE_BYTES = 48_000_000;
export const MAX_BSON_BYTES = 16 * 1024 * 1024;

const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;

/** Thrown for bytes that are not a message we understand; the connection is then closed. */
export class ProtocolError extends Error {}

export interface Request {
  requestId: number;
  opCode: typeof OP_QUERY | typeof OP_MSG;
  /** The command document, with OP_MSG document sequences merged in as arrays. */
  command: Document;
  /** OP_QUERY's full collection name (e.g. "admin.$cmd"); the db of an OP_MSG comes from `$db`. */
  db: string;
  /** The client does not want a reply (OP_MSG moreToCome, e.g. unacknowledged writes). */
  noReply: boolean;
}

// Values are promoted to JS numbers/RegExps so mingo sees plain JS values; Decimal128, ObjectId, Binary
// and Long outside the safe range stay bson instances and serialise back unchanged.
const DESERIALIZE: BSON.DeserializeOptions = {
  promoteValues: true,
  promoteBuffers: false,
  bsonRegExp: false,
};

export function readDocument(buf: Buffer, offset: number): { doc: Document; end: number } {
  if (offset + 4 > buf.length) throw new ProtocolError('truncated document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > buf.length) throw new ProtocolError('bad document length');
  const doc = BSON.deserialize(buf.subarray(offset, offset + size), DESERIALIZE);
  return { doc, end: offset + size };
}

function readCString(buf: Buffer, offset: number): { value: string; end: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0) throw new ProtocolError('unterminated cstring');
  return { value: buf.toString('utf8', offset, zero), end: zero + 1 };
}

/** Parses one complete message (header included). */
export function parseMessage(msg: Buffer): Request {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OP_MSG) return parseOpMsg(msg, requestId);
  if (opCode === OP_QUERY) return parseOpQuery(msg, requestId);
  throw new ProtocolError(`unsupported opCode ${opCode}`);
}

function parseOpMsg(msg: Buffer, requestId: number): Request {
  const flags = msg.readUInt32LE(16);
  // Bits 0-15 are "required": an unknown one must make us refuse the message.
  if ((flags & 0xffff & ~(CHECKSUM_PRESENT | MORE_TO_COME)) !== 0)
    throw new ProtocolError('unknown required flag');
  const end = flags & CHECKSUM_PRESENT ? msg.length - 4 : msg.length;
  let offset = 20;
  let body: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = msg.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      const read = readDocument(msg, offset);
      body = read.doc;
      offset = read.end;
    } else if (kind === 1) {
      const size = msg.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new ProtocolError('bad sequence length');
      const id = readCString(msg, offset + 4);
      const docs: Document[] = [];
      for (let at = id.end; at < sectionEnd;) {
        const read = readDocument(msg, at);
        docs.push(read.doc);
        at = read.end;
      }
      sequences.push([id.value, docs]);
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without body');
  for (const [name, docs] of sequences) body[name] = docs;
  const db = typeof body.$db === 'string' ? body.$db : 'admin';
  return { requestId, opCode: OP_MSG, command: body, db, noReply: (flags & MORE_TO_COME) !== 0 };
}

function parseOpQuery(msg: Buffer, requestId: number): Request {
  const name = readCString(msg, 20);
  // Skip numberToSkip and numberToReturn: only commands (`<db>.$cmd`) are accepted over OP_QUERY.
  const { doc } = readDocument(msg, name.end + 8);
  if (!name.value.endsWith('.$cmd')) throw new ProtocolError('OP_QUERY is only supported for commands');
  const command = doc.$query && typeof doc.$query === 'object' ? (doc.$query as Document) : doc;
  return { requestId, opCode: OP_QUERY, command, db: name.value.slice(0, -5), noReply: false };
}

const SERIALIZE = { checkKeys: false, ignoreUndefined: true } as const;

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

export function encodeReply(req: Request, requestId: number, reply: Document): Buffer {
  const body = Buffer.from(BSON.serialize(reply, SERIALIZE));
  if (req.opCode === OP_MSG) {
    const prefix = Buffer.alloc(5); // flagBits 0 (never moreToCome), section kind 0
    return Buffer.concat([header(16 + 5 + body.length, requestId, req.requestId, OP_MSG), prefix, body]);
  }
  const replyFields = Buffer.alloc(20);
  replyFields.writeInt32LE(0, 0); // responseFlags
  replyFields.writeBigInt64LE(0n, 4); // cursorID
  replyFields.writeInt32LE(0, 12); // startingFrom
  replyFields.writeInt32LE(1, 16); // numberReturned
  return Buffer.concat([
    header(16 + 20 + body.length, requestId, req.requestId, OP_REPLY),
    replyFields,
    body,
  ]);
}
