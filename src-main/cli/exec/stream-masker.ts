import { Transform, type TransformCallback } from 'node:stream';
import { fingerprint } from '../../../src-shared/domain/fingerprint';
import { compileSecrets, type SecretMatcher } from '../../../src-shared/http/redact';

interface Masked {
  matcher: SecretMatcher;
  replacement: Buffer;
}

/**
 * Rewrites every occurrence of some secrets, in every spelling `redact`
 * matches (raw, JSON `\/` and `\uXXXX` escapes, percent-encoding in either
 * case, HTML entities, base64 and base64url, and mixes of them), to their
 * fingerprints in a byte stream — for `tokenvault exec --mask`. It uses the
 * same compiled matcher as every other redaction, so the two cannot drift.
 *
 * It works on bytes (read as latin1, one character per byte, so every byte
 * that is not part of a secret comes out unchanged): binary output passes
 * through untouched wherever it matches no secret. A chunk is passed on at
 * once except for its tail when that tail could begin a spelling of a secret
 * (the next write could complete it): only the longest such tail is held
 * back, and only until the next chunk or the end of the stream. No spelling
 * holds a line break, so a complete line is never held: line-buffered output
 * stays line-buffered.
 *
 * Matching is leftmost, longest on a tie, the result the same as masking the
 * whole stream at once however it is cut into chunks.
 */
export class StreamMasker {
  private readonly masked: Masked[] = [];
  private readonly maxLen: number;
  private held: Buffer = Buffer.alloc(0);

  constructor(secrets: readonly string[]) {
    for (const secret of new Set(secrets)) {
      // The stream is read as latin1: a non-ASCII secret's UTF-8 bytes are spelled that way there
      // (its escaped spellings — \uXXXX, %XX, base64 — are ASCII and come from the secret itself).
      const asBytes = Buffer.from(secret, 'utf8').toString('latin1');
      const matcher = compileSecrets(asBytes === secret ? [secret] : [secret, asBytes]);
      if (matcher.pattern) this.masked.push({ matcher, replacement: Buffer.from(fingerprint(secret), 'utf8') });
    }
    this.maxLen = Math.max(0, ...this.masked.map((m) => m.matcher.maxMatchLength));
  }

  /** Takes the next chunk; returns the bytes that can be passed on now. */
  push(chunk: Buffer): Buffer {
    if (this.masked.length === 0) return chunk;
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
    const text = buf.toString('latin1');
    let holdFrom = text.length;
    if (!final) for (const m of this.masked) holdFrom = Math.min(holdFrom, m.matcher.partialStart(text, Math.max(0, text.length - this.maxLen + 1)));
    // Every match that starts before the held tail is final: a longer spelling
    // starting at the same place would have made that place part of the tail.
    const found: { start: number; end: number; replacement: Buffer }[] = [];
    for (const m of this.masked) {
      const re = new RegExp(m.matcher.pattern!.source, 'g');
      for (let r = re.exec(text); r !== null && r.index < holdFrom; r = re.exec(text)) {
        found.push({ start: r.index, end: r.index + r[0].length, replacement: m.replacement });
        if (r[0].length === 0) re.lastIndex++;
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
