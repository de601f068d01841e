import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VaultError } from '../../src-shared/errors';
import { open, openJson, seal, sealJson, type BoxLocation } from './cipher';
import { vaultError } from './test-support';

const key = randomBytes(32);
const loc: BoxLocation = { table: 'credentials', id: 'cred_aaaaaaaaaaaaaaaaaaaa', column: 'secret' };
const HEADER = 1 + 12;
const TAG = 16;

describe('cipher seal/open', () => {
  it('round-trips plaintexts of any length, including empty', () => {
    for (const len of [0, 1, 15, 16, 17, 1000, 20_000]) {
      const plain = randomBytes(len);
      const box = seal(key, plain, loc);
      expect(box.length).toBe(HEADER + len + TAG);
      expect(box[0]).toBe(1); // envelope version
      expect(open(key, box, loc).equals(plain)).toBe(true);
    }
  });

  it('uses a fresh nonce for every seal: two seals of the same plaintext differ', () => {
    const plain = Buffer.from('rg_same_plaintext_every_time');
    const boxes = Array.from({ length: 50 }, () => seal(key, plain, loc));
    const nonces = new Set(boxes.map((b) => b.subarray(1, HEADER).toString('hex')));
    const bodies = new Set(boxes.map((b) => b.toString('hex')));
    expect(nonces.size).toBe(50);
    expect(bodies.size).toBe(50);
    for (const b of boxes) expect(open(key, b, loc).equals(plain)).toBe(true);
  });

  it('takes the nonce from the injected random source', () => {
    const nonce = Buffer.alloc(12, 7);
    const random = (n: number) => {
      expect(n).toBe(12);
      return Buffer.from(nonce);
    };
    const a = seal(key, Buffer.from('x'), loc, random);
    const b = seal(key, Buffer.from('x'), loc, random);
    expect(a.subarray(1, HEADER).equals(nonce)).toBe(true);
    // Same key, nonce, AAD and plaintext: identical boxes, so the nonce really is the only source of variation.
    expect(a.equals(b)).toBe(true);
  });

  it('never contains the plaintext', () => {
    const plain = Buffer.from('sk_live_plaintext_must_not_show_up_in_the_box');
    const box = seal(key, plain, loc);
    expect(box.includes(plain)).toBe(false);
    expect(box.includes(plain.subarray(0, 8))).toBe(false);
  });

  it('fails as CORRUPT, naming the record, under a wrong key', () => {
    const box = seal(key, Buffer.from('secret'), loc);
    const e = vaultError(() => open(randomBytes(32), box, loc));
    expect(e.code).toBe('CORRUPT');
    expect(e.details).toEqual({ table: 'credentials', id: loc.id, column: 'secret' });
    expect(e.message).toContain(loc.id);
  });

  it.each([
    ['another id', { ...loc, id: 'cred_bbbbbbbbbbbbbbbbbbbb' }],
    ['another column', { ...loc, column: 'meta' }],
    ['another table', { ...loc, table: 'workspaces' }],
  ])('binds the location: opening at %s fails as CORRUPT', (_what, other) => {
    const box = seal(key, Buffer.from('secret'), loc);
    const e = vaultError(() => open(key, box, other));
    expect(e.code).toBe('CORRUPT');
    expect(e.details?.id).toBe(other.id);
  });

  it('length-prefixes the additional data, so shifted boundaries do not collide', () => {
    const a = { table: 'ab', id: 'c', column: 'd' };
    const b = { table: 'a', id: 'bc', column: 'd' };
    const box = seal(key, Buffer.from('x'), a);
    expect(vaultError(() => open(key, box, b)).code).toBe('CORRUPT');
    expect(open(key, box, a).toString()).toBe('x');
  });

  it('rejects malformed envelopes as CORRUPT: too short, unknown version, not a buffer', () => {
    const box = seal(key, Buffer.from('hello'), loc);
    expect(vaultError(() => open(key, box.subarray(0, HEADER + TAG - 1), loc)).code).toBe('CORRUPT');
    expect(vaultError(() => open(key, Buffer.alloc(0), loc)).code).toBe('CORRUPT');
    const v2 = Buffer.from(box);
    v2[0] = 2;
    expect(vaultError(() => open(key, v2, loc)).code).toBe('CORRUPT');
    expect(vaultError(() => open(key, 'not a buffer' as unknown as Buffer, loc)).code).toBe('CORRUPT');
    expect(vaultError(() => open(key, null as unknown as Buffer, loc)).code).toBe('CORRUPT');
  });

  it('property: any single flipped byte, anywhere in a box, fails as CORRUPT and never yields plaintext', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (plainBytes, at, mask) => {
          const plain = Buffer.from(plainBytes);
          const box = seal(key, plain, loc);
          const damaged = Buffer.from(box);
          const pos = at % box.length;
          damaged[pos]! ^= mask;
          let out: Buffer | undefined;
          try {
            out = open(key, damaged, loc);
          } catch (e) {
            expect(e).toBeInstanceOf(VaultError);
            expect((e as VaultError).code).toBe('CORRUPT');
            expect((e as VaultError).details?.id).toBe(loc.id);
            return;
          }
          throw new Error(`flipping byte ${pos} of ${box.length} with ${mask} opened to ${out?.toString('hex')}`);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: a truncated or extended box fails as CORRUPT', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.integer({ min: -200, max: 64 }), (plainBytes, delta) => {
        fc.pre(delta !== 0);
        const box = seal(key, Buffer.from(plainBytes), loc);
        const changed = delta < 0 ? box.subarray(0, Math.max(0, box.length + delta)) : Buffer.concat([box, randomBytes(delta)]);
        expect(vaultError(() => open(key, changed, loc)).code).toBe('CORRUPT');
      }),
      { numRuns: 500 },
    );
  });

  it('sealJson/openJson round-trip structured values', () => {
    const value = { name: 'Acme ünïcödé', scopes: ['read:*', 'write:orders'], n: 42, nested: { ok: true, none: null } };
    const box = sealJson(key, value, loc);
    expect(openJson(key, box, loc)).toEqual(value);
    expect(vaultError(() => openJson(key, box, { ...loc, column: 'meta' })).code).toBe('CORRUPT');
  });
});

describe('additional data with a write generation (issue 15)', () => {
  const k = Buffer.alloc(32, 7);
  const fixedNonce = (n: number) => Buffer.alloc(n, 9);
  const at: BoxLocation = { table: 'credentials', id: 'cred_ünïcode', column: 'secret' };
  const plain = Buffer.from('{"value":"x"}');

  it('known answers: the v1 layout is byte for byte what stored vaults hold; v2 adds the generation', () => {
    // v1 computed with the implementation before generations existed (commit c36ae61).
    expect(seal(k, plain, at, fixedNonce).toString('hex')).toBe('010909090909090909090909095ca7f2f5d285a4439a40b31a9b678cb573be05270091aa6fea66c24b3d');
    expect(seal(k, plain, { ...at, gen: 281474976710655 }, fixedNonce).toString('hex')).toBe(
      '010909090909090909090909095ca7f2f5d285a4439a40b31a9b20c959c401bb14ddcddd6ec6e4cae198',
    );
  });

  it('a box opens only with the generation it was sealed with; v1 and v2 never open each other', () => {
    const v2 = seal(k, plain, { ...at, gen: 42 });
    expect(open(k, v2, { ...at, gen: 42 }).equals(plain)).toBe(true);
    for (const other of [{ ...at, gen: 43 }, { ...at, gen: 0 }, at]) expect(vaultError(() => open(k, v2, other)).code).toBe('CORRUPT');
    const v1 = seal(k, plain, at);
    expect(vaultError(() => open(k, v1, { ...at, gen: 0 })).code).toBe('CORRUPT');
    // A generation that is no 48-bit integer (a tampered column) is CORRUPT, not a crash.
    for (const bad of [-1, 2 ** 48, 2 ** 60, 'abc' as unknown as number]) expect(vaultError(() => open(k, v2, { ...at, gen: bad })).code).toBe('CORRUPT');
    // The CORRUPT details name the cell, never the generation.
    expect(vaultError(() => open(k, v2, { ...at, gen: 43 })).details).toEqual({ table: 'credentials', id: 'cred_ünïcode', column: 'secret' });
  });
});
