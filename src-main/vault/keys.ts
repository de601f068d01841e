import { createHmac, hkdfSync, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { VaultError } from '../../src-shared/errors';
import { open, seal } from './cipher';

const scrypt = promisify(scryptCb) as (
  password: string | Buffer,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export const VAULT_KEY_BYTES = 32;

/**
 * The vault key never encrypts anything directly: each purpose gets its own
 * subkey through HKDF, so the MAC chain of the audit log, the blind name index
 * and the record encryption cannot be played against each other.
 */
export interface VaultKeys {
  /** AES-256-GCM key for every sealed record. */
  enc: Buffer;
  /** HMAC key of the blind index that makes encrypted names unique and findable. */
  index: Buffer;
  /** HMAC key of the audit chain. */
  audit: Buffer;
  /** HMAC key of the leak scanner's keyed hashes of stored values (issue 13); never stored. */
  scan: Buffer;
  /** HMAC key of the seal over the digest of every live sealed cell's write generation (issue 15, cell-digest.ts). */
  digest: Buffer;
}

export function deriveKeys(vaultKey: Buffer, vaultId: string): VaultKeys {
  const sub = (info: string) =>
    Buffer.from(hkdfSync('sha256', vaultKey, Buffer.from(vaultId, 'utf8'), Buffer.from(`tokenvault/v1/${info}`), 32));
  return { enc: sub('enc'), index: sub('index'), audit: sub('audit'), scan: sub('scan'), digest: sub('cell-digest') };
}

export function wipeKeys(keys: VaultKeys): void {
  keys.enc.fill(0);
  keys.index.fill(0);
  keys.audit.fill(0);
  keys.scan.fill(0);
  keys.digest.fill(0);
}

/** Keyed hash of a normalized name inside its parent: equal names collide, nothing else is learnt. */
export function nameMac(indexKey: Buffer, parentId: string, name: string): Buffer {
  return createHmac('sha256', indexKey)
    .update(parentId, 'utf8')
    .update('\u0000')
    .update(name.normalize('NFC').toLocaleLowerCase('en-US'), 'utf8')
    .digest();
}

const KEY_CHECK_PLAINTEXT = Buffer.from('tokenvault key check v1');
const keyCheckLoc = (vaultId: string) => ({ table: 'vault_meta', id: vaultId, column: 'key_check' });

/** A sealed constant: opening it proves a key is this vault's key without touching any record. */
export function makeKeyCheck(keys: VaultKeys, vaultId: string): Buffer {
  return seal(keys.enc, KEY_CHECK_PLAINTEXT, keyCheckLoc(vaultId));
}

export function verifyKeyCheck(keys: VaultKeys, vaultId: string, box: Buffer): boolean {
  try {
    const plain = open(keys.enc, box, keyCheckLoc(vaultId));
    return plain.length === KEY_CHECK_PLAINTEXT.length && timingSafeEqual(plain, KEY_CHECK_PLAINTEXT);
  } catch {
    return false;
  }
}

export interface KdfParams {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string; // base64
}

/** OWASP's scrypt floor: N=2^17, r=8, p=1 (128 MiB, a few hundred ms on a laptop). */
export const DEFAULT_KDF = { N: 2 ** 17, r: 8, p: 1 } as const;

export function newKdfParams(random: (n: number) => Buffer = randomBytes): KdfParams {
  return { algorithm: 'scrypt', ...DEFAULT_KDF, salt: random(16).toString('base64') };
}

function unacceptableKdf(): VaultError {
  return new VaultError('CORRUPT', 'The vault names key-derivation parameters this version does not accept.');
}

const positiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;

/**
 * What a stored parameter set may ask for. Tokenvault writes N=2^17, r=8, p=1
 * (128 MiB); the ceilings leave room for 8× stronger settings while a
 * tampered file (N=2^30 asks for 128 GiB) is CORRUPT instead of an
 * allocation failure: memory 128·N·r at most 1 GiB, work N·r·p at most 2^24.
 */
export const KDF_LIMITS = { minN: 2 ** 14, maxN: 2 ** 20, maxR: 32, maxP: 16, maxMemoryBytes: 2 ** 30, maxWork: 2 ** 24, maxSaltChars: 256 } as const;

function isKdfParams(v: unknown): v is KdfParams {
  if (typeof v !== 'object' || v === null) return false;
  const k = v as Record<string, unknown>;
  return (
    k.algorithm === 'scrypt' &&
    positiveInt(k.N) &&
    k.N >= KDF_LIMITS.minN &&
    k.N <= KDF_LIMITS.maxN &&
    Number.isInteger(Math.log2(k.N)) &&
    positiveInt(k.r) &&
    k.r <= KDF_LIMITS.maxR &&
    positiveInt(k.p) &&
    k.p <= KDF_LIMITS.maxP &&
    128 * k.N * k.r <= KDF_LIMITS.maxMemoryBytes &&
    k.N * k.r * k.p <= KDF_LIMITS.maxWork &&
    typeof k.salt === 'string' &&
    k.salt.length > 0 &&
    k.salt.length <= KDF_LIMITS.maxSaltChars
  );
}

/** Reads the parameters stored with a vault: anything malformed is a damaged vault (CORRUPT), not a crash. */
export function parseKdfParams(text: string | null): KdfParams {
  let value: unknown = null;
  try {
    value = text === null ? null : JSON.parse(text);
  } catch {
    // reported below
  }
  if (!isKdfParams(value)) throw unacceptableKdf();
  return value;
}

export async function deriveWrappingKey(passphrase: string, params: KdfParams): Promise<Buffer> {
  if (!isKdfParams(params)) throw unacceptableKdf();
  const maxmem = 128 * params.N * params.r * params.p + 64 * 1024 * 1024;
  return scrypt(passphrase.normalize('NFC'), Buffer.from(params.salt, 'base64'), 32, {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem,
  });
}

const wrapLoc = (vaultId: string) => ({ table: 'vault_meta', id: vaultId, column: 'wrapped_key' });

export function wrapVaultKey(kek: Buffer, vaultKey: Buffer, vaultId: string): Buffer {
  return seal(kek, vaultKey, wrapLoc(vaultId));
}

/** Returns null for a wrong passphrase: GCM authentication is the passphrase check. */
export function unwrapVaultKey(kek: Buffer, wrapped: Buffer, vaultId: string): Buffer | null {
  try {
    return open(kek, wrapped, wrapLoc(vaultId));
  } catch {
    return null;
  }
}
