import { MIMEType } from 'node:util';
import type { Transform } from 'node:stream';

/**
 * Reading a response body the way a browser would: undo its
 * `Content-Encoding` (gzip, deflate, br — sent by some servers even when not
 * asked for), with a cap on the decoded size so a decompression bomb stops at
 * the cap instead of filling memory, then turn the bytes into text in the
 * charset its `Content-Type` names. Nothing here throws on a bad body: what
 * could not be read becomes a note.
 */

/** Decoded bodies stop here (bytes): enough for any answer Tokenvault reads (identities, token lists). */
export const DECODED_LIMIT_BYTES = 1024 * 1024;

/**
 * Why the bytes are not the whole plain body, for callers that must act on
 * it (the credential proxy never passes on a body it could not check); the
 * human wording stays in `notes`.
 * - `unknown_coding`: a Content-Encoding this runtime cannot undo (e.g. zstd): the bytes are as received;
 * - `undecodable`: the body did not decode as its coding says: the bytes are what decoded before the failure;
 * - `capped`: it decoded past DECODED_LIMIT_BYTES (a possible bomb): the bytes stop at the cap.
 */
export interface DecodeProblem {
  kind: 'unknown_coding' | 'undecodable' | 'capped';
  /** The coding concerned, as the server named it (lower case). */
  coding: string;
  /** The note that says it in words (also in `notes`). */
  note: string;
}

export interface DecodedBody {
  /** The decoded bytes (or the bytes as received, when there was nothing to undo or it failed). */
  body: Buffer;
  /** True when the decoded body reached the cap and was cut there. */
  capped: boolean;
  /** False when an encoding could not be undone: `body` is then what was decoded before the failure. */
  decoded: boolean;
  /** Null when `body` is the whole plain body; else why not. */
  problem: DecodeProblem | null;
  notes: string[];
}

type Coding = 'gzip' | 'deflate' | 'br' | 'identity';

function codingsOf(header: string | undefined): { codings: Coding[]; unknown: string[] } {
  const codings: Coding[] = [];
  const unknown: string[] = [];
  for (const raw of (header ?? '').split(',')) {
    const c = raw.trim().toLowerCase();
    if (c === '' || c === 'identity') continue;
    if (c === 'gzip' || c === 'x-gzip') codings.push('gzip');
    else if (c === 'deflate') codings.push('deflate');
    else if (c === 'br') codings.push('br');
    else unknown.push(c);
  }
  return { codings, unknown };
}

/** node:zlib, loaded by the first encoded body (issue 11: most commands never decode one). */
type Zlib = typeof import('node:zlib');

function decoderFor(zlib: Zlib, coding: Exclude<Coding, 'identity'>, first: Buffer): Transform {
  // A truncated body (the engine stops reading at its limit) still yields what it holds.
  const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (coding === 'gzip') return zlib.createGunzip(flush);
  if (coding === 'br') return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
  // "deflate" is meant to be zlib-wrapped (RFC 9110), but servers send raw deflate too: a zlib header says which.
  const zlibWrapped = first.length >= 2 && (first[0]! & 0x0f) === 8 && ((first[0]! << 8) | first[1]!) % 31 === 0;
  return zlibWrapped ? zlib.createInflate(flush) : zlib.createInflateRaw(flush);
}

/** Undoes one coding, stopping at `cap` decoded bytes. */
function undo(zlib: Zlib, coding: Exclude<Coding, 'identity'>, input: Buffer, cap: number): Promise<{ out: Buffer; capped: boolean; error: string | null }> {
  return new Promise((resolve) => {
    const stream = decoderFor(zlib, coding, input);
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (capped: boolean, error: string | null) => {
      if (done) return;
      done = true;
      stream.removeAllListeners('data');
      stream.destroy();
      resolve({ out: Buffer.concat(chunks, Math.min(size, cap)), capped, error });
    };
    stream.on('data', (c: Buffer) => {
      if (done) return;
      const room = cap - size;
      if (c.length > room) {
        chunks.push(c.subarray(0, room));
        size = cap;
        // A body that goes past the cap stops here: whatever else it would expand to is never produced.
        finish(true, null);
        return;
      }
      chunks.push(c);
      size += c.length;
    });
    stream.on('error', (e: NodeJS.ErrnoException) => finish(false, e.code ?? e.message));
    stream.on('end', () => finish(false, null));
    stream.end(input);
  });
}

/**
 * Undoes the body's Content-Encoding, in reverse order of application.
 * `cap` is in bytes of decoded output (default DECODED_LIMIT_BYTES).
 */
export async function decodeContent(raw: Buffer, contentEncoding: string | undefined, cap = DECODED_LIMIT_BYTES): Promise<DecodedBody> {
  const { codings, unknown } = codingsOf(contentEncoding);
  const notes: string[] = [];
  if (unknown.length > 0) {
    const note = `The body is encoded as ${unknown.join(', ')}, which Tokenvault cannot decode: it is shown as received.`;
    notes.push(note);
    return { body: raw, capped: false, decoded: false, problem: { kind: 'unknown_coding', coding: unknown.join(', '), note }, notes };
  }
  if (codings.length === 0 || raw.length === 0) return { body: raw, capped: false, decoded: true, problem: null, notes };
  const zlib = await import('node:zlib');
  let body = raw;
  for (const coding of [...codings].reverse()) {
    const r = await undo(zlib, coding as Exclude<Coding, 'identity'>, body, cap);
    if (r.error !== null) {
      const note = `The body says Content-Encoding: ${coding} but could not be decoded (${r.error})${r.out.length > 0 ? `: only the first ${r.out.length} bytes were read` : ''}.`;
      notes.push(note);
      return { body: r.out.length > 0 ? r.out : Buffer.alloc(0), capped: false, decoded: false, problem: { kind: 'undecodable', coding, note }, notes };
    }
    body = r.out;
    if (r.capped) {
      const note = `The ${coding} body expands beyond ${Math.round(cap / 1024)} KB: decoding stopped there (a body that grows this much may be a decompression bomb). ${raw.length} bytes were received.`;
      notes.push(note);
      return { body, capped: true, decoded: true, problem: { kind: 'capped', coding, note }, notes };
    }
  }
  notes.push(`Decoded from ${codings.join(' + ')}: ${raw.length} bytes received, ${body.length} bytes decoded.`);
  return { body, capped: false, decoded: true, problem: null, notes };
}

const BINARY = /^(image|audio|video|font)\/|^application\/(octet-stream|pdf|zip|gzip|x-gzip|x-tar|x-7z-compressed|vnd\.rar|wasm|x-protobuf|protobuf)$/;

/**
 * The text of a body in the charset its Content-Type names (UTF-8 when it
 * names none, or one this runtime does not know — with a note), or null
 * with a note for a binary type. A UTF-8 or UTF-16 byte-order mark wins over
 * the header, as in browsers.
 */
export function bodyText(bytes: Buffer, contentType: string | null): { text: string | null; charset: string; notes: string[] } {
  const notes: string[] = [];
  let essence = '';
  let charset: string | null = null;
  if (contentType) {
    try {
      const mime = new MIMEType(contentType);
      essence = mime.essence;
      charset = mime.params.get('charset');
    } catch {
      notes.push('The Content-Type header could not be parsed: the body is read as UTF-8.');
    }
  }
  if (BINARY.test(essence)) {
    notes.push(`A binary body (${essence}, ${bytes.length} bytes): not shown as text.`);
    return { text: null, charset: 'binary', notes };
  }
  let label = 'utf-8';
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) label = 'utf-8';
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
  else if (charset) label = charset;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    notes.push(`The body names the charset "${label.slice(0, 40)}", which is not known here: it is read as UTF-8.`);
    decoder = new TextDecoder('utf-8');
  }
  return { text: decoder.decode(bytes), charset: decoder.encoding, notes };
}
