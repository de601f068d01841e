import { brotliCompressSync, deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeContent } from './body';

describe('decodeContent says in a typed field why a body is not whole (issue 9)', () => {
  it('a body it decoded whole has no problem', async () => {
    for (const [coding, bytes] of [
      ['gzip', gzipSync('hello')],
      ['br', brotliCompressSync('hello')],
      ['deflate', deflateRawSync('hello')],
      ['identity', Buffer.from('hello')],
      [undefined, Buffer.from('hello')],
    ] as const) {
      const d = await decodeContent(bytes, coding);
      expect(d.problem).toBeNull();
      expect(d.body.toString()).toBe('hello');
    }
  });

  it('a coding it does not know: unknown_coding, the bytes as received', async () => {
    const raw = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]);
    const d = await decodeContent(raw, 'zstd');
    expect(d.problem).toMatchObject({ kind: 'unknown_coding', coding: 'zstd' });
    expect(d.notes).toContain(d.problem!.note);
    expect(d.body).toBe(raw);
  });

  it('a body that is not what its coding says: undecodable', async () => {
    const d = await decodeContent(Buffer.from('plainly not gzip'), 'gzip');
    expect(d.problem).toMatchObject({ kind: 'undecodable', coding: 'gzip' });
    expect(d.decoded).toBe(false);
  });

  it('a decompression bomb: capped at the limit', async () => {
    const d = await decodeContent(gzipSync(Buffer.alloc(64 * 1024)), 'gzip', 1024);
    expect(d.problem).toMatchObject({ kind: 'capped', coding: 'gzip' });
    expect(d.body.length).toBe(1024);
  });
});
