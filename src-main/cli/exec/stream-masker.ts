import { Transform, type TransformCallback } from 'node:stream';
import { fingerprint } from '../../../src-shared/domain/fingerprint';
import { redactionForms } from '../../../src-shared/http/redact';

interface Pattern {
  bytes: Buffer;
  replacement: Buffer;
}

/**
 * Rewrites every occurrence of some secrets, in every form `redact` knows
 * (raw, URL-encoded, base64, JSON-escaped, …), to their fingerprints in a
 * byte stream — for `tokenvault exec --mask`.
 *
 * It works on bytes, so binary output passes through untouched wherever it
 * matches no secret. A chunk is passed on at once except for its tail when
 * that tail is the beginning of some form (it could be completed by the next
 * write): only the longest such tail is held back, and only until the next
 * chunk or the end of the stream. No form holds a line break, so a complete
 * line is never held: line-buffered output stays line-buffered.
 *
 * Matching is leftmost-longest, the result the same as masking the whole
 * stream at once however it is cut into chunks.
 */
export class StreamMasker {
  private readonly patterns: Pattern[];
  private readonly firstBytes = new Set<number>();
  private readonly maxLen: number;
  private held: Buffer = Buffer.alloc(0);

  constructor(secrets: readonly string[]) {
    const seen = new Set<string>();
    this.patterns = [];
    for (const secret of secrets) {
      const replacement = Buffer.from(fingerprint(secret), 'utf8');
      for (const form of redactionForms(secret)) {
        if (seen.has(form)) continue;
        seen.add(form);
        this.patterns.push({ bytes: Buffer.from(form, 'utf8'), replacement });
      }
    }
    for (const p of this.patterns) this.firstBytes.add(p.bytes[0]!);
    this.maxLen = Math.max(0, ...this.patterns.map((p) => p.bytes.length));
  }

  /** Takes the next chunk; returns the bytes that can be passed on now. */
  push(chunk: Buffer): Buffer {
    if (this.patterns.length === 0) return chunk;
    const buf = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    return this.process(buf, false);
  }

  /** At the end of the stream: the held tail (it can no longer become a secret). */
  end(): Buffer {
    const buf = this.held;
    this.held = Buffer.alloc(0);
    return buf.length ? this.process(buf, true) : buf;
  }

  private process(buf: Buffer, final: boolean): Buffer {
    const holdFrom = final ? buf.length : this.partialTailStart(buf);
    // Every match that starts before the held tail is final: a longer form
    // starting at the same place would have made that place part of the tail.
    const found: { start: number; end: number; replacement: Buffer }[] = [];
    for (const p of this.patterns) {
      for (let i = buf.indexOf(p.bytes); i !== -1 && i < holdFrom; i = buf.indexOf(p.bytes, i + 1)) {
        found.push({ start: i, end: i + p.bytes.length, replacement: p.replacement });
      }
    }
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    const out: Buffer[] = [];
    let pos = 0;
    for (const m of found) {
      if (m.start < pos) continue;
      out.push(buf.subarray(pos, m.start), m.replacement);
      pos = m.end;
    }
    const emitEnd = Math.max(pos, holdFrom);
    out.push(buf.subarray(pos, emitEnd));
    this.held = Buffer.from(buf.subarray(emitEnd));
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** Where the longest tail of `buf` that is a proper beginning of some form starts (buf.length when none). */
  private partialTailStart(buf: Buffer): number {
    for (let p = Math.max(0, buf.length - this.maxLen + 1); p < buf.length; p++) {
      if (!this.firstBytes.has(buf[p]!)) continue;
      const n = buf.length - p;
      for (const pat of this.patterns) {
        if (pat.bytes.length > n && buf.compare(pat.bytes, 0, n, p, buf.length) === 0) return p;
      }
    }
    return buf.length;
  }
}

/** A Transform stream around StreamMasker, for piping a child's stdout/stderr. */
export function maskingTransform(secrets: readonly string[]): Transform {
  const masker = new StreamMasker(secrets);
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      const out = masker.push(chunk);
      cb(null, out.length ? out : undefined);
    },
    flush(cb: TransformCallback) {
      const out = masker.end();
      cb(null, out.length ? out : undefined);
    },
  });
}
