import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VaultError } from '../../src-shared/errors';

/**
 * Sealed boxes: AES-256-GCM, a fresh 96-bit nonce per encryption, and the
 * record's identity (table, id, column) bound in as additional data, so a
 * ciphertext copied into another row or column does not decrypt.
 *
 * Layout (a versioned envelope, so a later scheme can read this one):
 *   byte 0      version (1)
 *   bytes 1-12  nonce
 *   bytes 13-…  ciphertext
 *   last 16     GCM tag
 */
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES;

export type Random = (n: number) => Buffer;

export interface BoxLocation {
  table: string;
  id: string;
  column: string;
}

function aad(loc: BoxLocation): Buffer {
  // Length-prefixed parts, so ("a:b","c") and ("a","b:c") never collide.
  const parts = [`tokenvault/v${VERSION}`, loc.table, loc.id, loc.column].map((p) => Buffer.from(p, 'utf8'));
  const out = Buffer.alloc(parts.reduce((n, p) => n + 4 + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.writeUInt32BE(p.length, at);
    p.copy(out, at + 4);
    at += 4 + p.length;
  }
  return out;
}

export function seal(key: Buffer, plaintext: Buffer, loc: BoxLocation, random: Random = randomBytes): Buffer {
  const nonce = random(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad(loc));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]);
}

/** Throws CORRUPT, naming the record, when the box fails authentication for any reason. */
export function open(key: Buffer, box: Buffer, loc: BoxLocation): Buffer {
  if (!Buffer.isBuffer(box) || box.length < HEADER_BYTES + TAG_BYTES || box[0] !== VERSION) {
    throw corrupt(loc);
  }
  const nonce = box.subarray(1, HEADER_BYTES);
  const body = box.subarray(HEADER_BYTES, box.length - TAG_BYTES);
  const tag = box.subarray(box.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(aad(loc));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw corrupt(loc);
  }
}

function corrupt(loc: BoxLocation): VaultError {
  return new VaultError(
    'CORRUPT',
    `The ${loc.column} of ${loc.table.replace(/s$/, '')} ${loc.id} cannot be decrypted: it was damaged or tampered with.`,
    { details: { table: loc.table, id: loc.id, column: loc.column } },
  );
}

export function sealJson(key: Buffer, value: unknown, loc: BoxLocation, random?: Random): Buffer {
  return seal(key, Buffer.from(JSON.stringify(value), 'utf8'), loc, random);
}

export function openJson<T>(key: Buffer, box: Buffer, loc: BoxLocation): T {
  const plain = open(key, box, loc);
  try {
    return JSON.parse(plain.toString('utf8')) as T;
  } finally {
    plain.fill(0);
  }
}
