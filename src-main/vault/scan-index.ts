import { createHmac } from 'node:crypto';

/** How many leading characters of each value the scanner keeps to pick candidates (what a fingerprint shows). */
export const SCAN_PREFIX_CHARS = 4;
/** Shorter values are not looked for: a 7-character string turns up by chance in any large tree. */
export const SCAN_MIN_LENGTH = 8;

/**
 * What the leak scanner knows of one stored value: its length, its first
 * SCAN_PREFIX_CHARS characters and its keyed hash — never the value.
 */
export interface ScanTarget {
  credentialId: string;
  /** `value`, or a JWT session's `refresh` token. */
  part: 'value' | 'refresh';
  length: number;
  /** The first bytes as a big-endian 32-bit number (values are ASCII, one byte per character). */
  prefix: number;
  mac: Buffer;
}

/** HMAC-SHA256 under the scan subkey, first 16 bytes. */
export function scanMac(key: Buffer, bytes: Uint8Array): Buffer {
  return createHmac('sha256', key).update(bytes).digest().subarray(0, 16);
}

/**
 * Builds the targets one value at a time: each is decrypted, hashed and
 * dropped before the next is read, so the plaintexts of the vault are never
 * all in memory together (JavaScript strings cannot be wiped; a dropped one is
 * unreachable and reclaimed by the collector).
 */
export function buildScanTargets(
  key: Buffer,
  ids: readonly string[],
  read: (id: string) => { value: string; refreshToken?: string | undefined },
): { targets: ScanTarget[]; unreadable: string[] } {
  const out: ScanTarget[] = [];
  const unreadable: string[] = [];
  for (const id of ids) {
    let s: { value: string; refreshToken?: string | undefined };
    try {
      s = read(id);
    } catch {
      // A record that does not authenticate is reported, not silently left out of the scan.
      unreadable.push(id);
      continue;
    }
    for (const [part, v] of [
      ['value', s.value],
      ['refresh', s.refreshToken],
    ] as const) {
      if (v === undefined || v.length < SCAN_MIN_LENGTH) continue;
      const bytes = Buffer.from(v, 'latin1');
      out.push({ credentialId: id, part, length: bytes.length, prefix: bytes.readUInt32BE(0), mac: scanMac(key, bytes) });
      bytes.fill(0);
    }
  }
  return { targets: out, unreadable };
}
