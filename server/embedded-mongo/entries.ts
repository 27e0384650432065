// The record format shared by the journal and the snapshot: uint32 payload length, uint32 CRC-32 of
// the payload, BSON payload. A record whose length or checksum is wrong ends the readable prefix.
import zlib from 'node:zlib';
import { BSON, type Document } from 'bson';

const READ_OPTIONS: BSON.DeserializeOptions = {
  promoteValues: true,
  promoteBuffers: false,
  bsonRegExp: false,
};

export function encode(entry: Document): Buffer {
  const payload = BSON.serialize(entry, { checkKeys: false, ignoreUndefined: true });
  const head = Buffer.alloc(8);
  head.writeUInt32LE(payload.length, 0);
  head.writeUInt32LE(zlib.crc32(payload), 4);
  return Buffer.concat([head, payload]);
}

/** Decodes records in order until the first torn or corrupt one; `validBytes` is the readable prefix. */
export function decodeAll(buf: Buffer): { entries: Document[]; validBytes: number } {
  const entries: Document[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const len = buf.readUInt32LE(at);
    const payload = buf.subarray(at + 8, at + 8 + len);
    if (payload.length !== len || zlib.crc32(payload) !== buf.readUInt32LE(at + 4)) break;
    try {
      entries.push(BSON.deserialize(payload, READ_OPTIONS));
    } catch {
      break;
    }
    at += 8 + len;
  }
  return { entries, validBytes: at };
}
