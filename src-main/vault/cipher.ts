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
  /**
   * The cell's write generation (issue 15, replay of an older box): a fresh
   * number each time the cell is written, kept in the row beside the box
   * (`meta_gen`, `secret_gen`). Absent: the v1 additional data without it,
   * used only for tables that carry no generation and to read cells written
   * before the upgrade (see cell-upgrade.ts).
   */
  gen?: number;
}

/*
 * Why a generation (issue 15, "secret rollback"). Binding table, id and column
 * stops a box from being moved to another row or column, but not from being
 * written back into its own cell: the secret a credential held before a
 * rotation, put back by someone who can write the database file, would open
 * and the vault would serve the old (possibly revoked) token. The same holds
 * for any metadata (an environment's base URL put back could send a token to
 * an old host).
 *
 * So the cells of workspaces, environments and credentials (and the scheduled
 * backup's folder, passphrase and last report, and, from cell format 3, each
 * token's probe report) carry a write generation: every write of a cell draws a new random 48-bit number
 * (records.ts newGen), stores it in the row's `<column>_gen` and seals the box
 * with it in the additional data (label `tokenvault/v2`). An older box of the
 * same cell was sealed with another number and fails as CORRUPT. Random, not
 * a counter: no read before a write, and a row id used again (a backup merged
 * back after a delete) never meets a number its earlier boxes were sealed with.
 *
 * Downgrade: vaults written before this carry v1 boxes and gen 0. They are
 * re-sealed at the first unlock, in one transaction, and vault_meta.cell_format
 * is set to 2, and 3 once probe reports are re-sealed too (cell-upgrade.ts);
 * from then on every read uses v2, so a v1 box (or gen 0) written back fails
 * as CORRUPT. Putting cell_format back as well is refused at the next unlock
 * because the audit chain already holds that step's event.
 *
 * NOT covered (state outside the file would be needed): writing back a box
 * together with its generation column (a row rolled back as a whole), and a
 * whole-file rollback to an older copy of the database. Both look exactly like
 * an older, honest vault. The audit chain does not catch them either:
 * `audit --verify` checks the chain against the head in vault_meta, and an old
 * copy has an old, consistent head. Only a monotonic value kept outside the
 * file (the OS keychain, a server) could tell. Test history boxes carry no
 * generation: a history row is never rewritten, and its random id binds its
 * box (test-history-repo.ts); the audit log's boxes are chained instead.
 */

const LABEL_V1 = `tokenvault/v${VERSION}`;
const LABEL_V2 = 'tokenvault/v2';
/** A generation is an integer in [0, 2^48). */
const GEN_BYTES = 6;

function aad(loc: BoxLocation): Buffer {
  // Length-prefixed parts, so ("a:b","c") and ("a","b:c") never collide. Written
  // straight into one buffer: this runs on every reveal and every listed record.
  // v2 ends with the generation as a 6-byte big-endian part (no number-to-text).
  const v2 = loc.gen !== undefined;
  const label = v2 ? LABEL_V2 : LABEL_V1;
  let size = 16 + Buffer.byteLength(label) + Buffer.byteLength(loc.table) + Buffer.byteLength(loc.id) + Buffer.byteLength(loc.column);
  if (v2) size += 4 + GEN_BYTES;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  const put = (p: string) => {
    const n = out.write(p, at + 4, 'utf8');
    out.writeUInt32BE(n, at);
    at += 4 + n;
  };
  put(label);
  put(loc.table);
  put(loc.id);
  put(loc.column);
  if (v2) {
    out.writeUInt32BE(GEN_BYTES, at);
    out.writeUIntBE(loc.gen!, at + 4, GEN_BYTES);
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
    const plain = decipher.update(body);
    const last = decipher.final();
    // GCM's final() authenticates and returns nothing more: skip the copy a concat would make.
    return last.length === 0 ? plain : Buffer.concat([plain, last]);
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
