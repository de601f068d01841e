import { scanMac, SCAN_MIN_LENGTH, type ScanTarget } from '../../vault/scan-index';

const FILTER_BITS = 20;

/**
 * Finds stored values in bytes without knowing them: at each position, the
 * next four bytes are checked against the values' known prefixes (a
 * 2^20-bit filter, then an exact map); only there is a substring of each
 * candidate length hashed (HMAC under the scan subkey) and compared with the
 * stored hashes. A near miss — one character different, a prefix, the value
 * cut short by the end of a file — hashes differently and is never reported.
 */
export class LeakMatcher {
  private readonly filter = new Int32Array(1 << (FILTER_BITS - 5));
  /** prefix → lengths to try, each with the hashes of that length. */
  private readonly byPrefix = new Map<number, { length: number; macs: Map<string, ScanTarget[]> }[]>();
  readonly minLength: number;
  readonly size: number;

  constructor(
    private readonly key: Buffer,
    targets: readonly ScanTarget[],
  ) {
    this.size = targets.length;
    this.minLength = Math.max(SCAN_MIN_LENGTH, Math.min(...targets.map((t) => t.length)));
    for (const t of targets) {
      const h = Math.imul(t.prefix, 0x9e3779b1) >>> (32 - FILTER_BITS);
      this.filter[h >>> 5]! |= 1 << (h & 31);
      let lengths = this.byPrefix.get(t.prefix);
      if (!lengths) this.byPrefix.set(t.prefix, (lengths = []));
      let entry = lengths.find((l) => l.length === t.length);
      if (!entry) lengths.push((entry = { length: t.length, macs: new Map() }));
      const k = t.mac.toString('base64');
      entry.macs.set(k, [...(entry.macs.get(k) ?? []), t]);
    }
  }

  /** Calls `onHit(offset, target)` for every stored value found in `buf[0..end)`. */
  scan(buf: Buffer, end: number, onHit: (offset: number, target: ScanTarget) => void): void {
    if (this.size === 0 || end < this.minLength) return;
    const filter = this.filter;
    const last = end - this.minLength;
    let v = (buf[0]! << 16) | (buf[1]! << 8) | buf[2]!;
    for (let i = 0; i <= last; i++) {
      v = (v << 8) | buf[i + 3]!;
      const h = Math.imul(v, 0x9e3779b1) >>> (32 - FILTER_BITS);
      if ((filter[h >>> 5]! & (1 << (h & 31))) === 0) continue;
      this.candidate(buf, end, i, v >>> 0, onHit);
    }
  }

  private candidate(buf: Buffer, end: number, i: number, prefix: number, onHit: (offset: number, target: ScanTarget) => void): void {
    const lengths = this.byPrefix.get(prefix);
    if (!lengths) return;
    for (const { length, macs } of lengths) {
      if (i + length > end) continue;
      const found = macs.get(scanMac(this.key, buf.subarray(i, i + length)).toString('base64'));
      if (found) for (const t of found) onHit(i, t);
    }
  }
}
