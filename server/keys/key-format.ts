// The key format (the GitHub token idea): `sbk_` + 30 base62 random characters (≈178 bits) + a
// 6-character base62 CRC32 of the random part. A mistyped or truncated key fails the checksum and
// is refused without a database read; secret scanners match the whole format with one regex.
import { createHmac, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const KEY_PREFIX = 'sbk_';
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** For secret scanners (GitHub secret scanning, gitleaks, trufflehog): a Switchboard API key. */
export const API_KEY_PATTERN = /\bsbk_[0-9A-Za-z]{36}\b/;
const EXACT = /^sbk_[0-9A-Za-z]{36}$/;

function base62(n: number, width: number): string {
  let out = '';
  for (let v = n; v > 0; v = Math.floor(v / 62)) out = ALPHABET[v % 62]! + out;
  return out.padStart(width, '0');
}

const checksumOf = (random: string): string => base62(crc32(random), CHECKSUM_LENGTH);

/** Uniform base62 characters: bytes ≥ 248 are rejected so `% 62` has no bias. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

export function generateSecret(): string {
  const random = randomBase62(RANDOM_LENGTH);
  return `${KEY_PREFIX}${random}${checksumOf(random)}`;
}

/** Shape and checksum only: no database, no secret material needed. */
export function isWellFormed(secret: string): boolean {
  if (!EXACT.test(secret)) return false;
  const random = secret.slice(KEY_PREFIX.length, KEY_PREFIX.length + RANDOM_LENGTH);
  return secret.slice(KEY_PREFIX.length + RANDOM_LENGTH) === checksumOf(random);
}

/** What lists show (followed by "…"): the prefix and the first 6 random characters. */
export const displayPrefix = (secret: string): string => secret.slice(0, KEY_PREFIX.length + 6);

/** The only form stored: HMAC-SHA-256 with the server's KEY_HASH_SECRET (a leaked table is useless alone). */
export const hashSecret = (secret: string, keyHashSecret: string): string =>
  createHmac('sha256', keyHashSecret).update(secret).digest('hex');
