import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint, KNOWN_TOKEN_PREFIXES as KNOWN } from './fingerprint';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const PRINTABLE = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join('');
const tokenOf = (alphabet: string, minLength: number, maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength, maxLength }).map((a) => a.join(''));

/** How many characters of `secret` the fingerprint shows, not counting a known public prefix. */
function shown(secret: string, fp: string, publicPrefix = ''): { head: string; tail: string; count: number } {
  const [head, tail] = fp.split('…') as [string, string];
  expect(fp.split('…')).toHaveLength(2);
  expect(secret.startsWith(head)).toBe(true);
  expect(secret.endsWith(tail)).toBe(true);
  const prefixShown = head.startsWith(publicPrefix) ? publicPrefix.length : 0;
  return { head, tail, count: head.length - prefixShown + tail.length };
}

describe('fingerprint', () => {
  it.each([
    ['rg_abcdef0123456789abcdef', 'rg_abc…def'],
    ['sk_live_0123456789abcdefghijklmn', 'sk_live_0123…klmn'],
    ['0123456789abcdef0123456789abcdef', '0123…cdef'],
    ['abcdefghijkl', 'ab…l'],
  ])('%s → %s', (secret, fp) => {
    expect(fingerprint(secret)).toBe(fp);
  });

  it('knows the prefixes of the providers it serves', () => {
    expect(KNOWN).toEqual(expect.arrayContaining(['rg_', 'sk_live_', 'sk_test_']));
  });

  it('a token that merely starts with letters and _ gets no extra characters shown', () => {
    expect(fingerprint('AA_AAAAAAAAA')).toBe('AA…A');
    expect(fingerprint('abcdefg_0123456789abcdef')).toBe('abc…def');
  });

  it('masks short secrets completely, telling only their length', () => {
    for (let n = 1; n < 12; n++) expect(fingerprint('k'.repeat(n))).toBe(`…(${n} chars)`);
    expect(fingerprint('rg_abcdefgh')).toBe('…(11 chars)');
  });

  it('ignores surrounding whitespace', () => {
    expect(fingerprint('  rg_abcdef0123456789abcdef\n')).toBe('rg_abc…def');
  });

  it('property: a random token shows at most a quarter of its characters', () => {
    fc.assert(
      fc.property(fc.oneof(tokenOf(BASE64URL, 12, 80), tokenOf(PRINTABLE, 12, 80), tokenOf('0123456789abcdef', 12, 80)), (secret) => {
        fc.pre(!KNOWN.some((p) => secret.startsWith(p)));
        const fp = fingerprint(secret);
        expect(shown(secret, fp).count).toBeLessThanOrEqual(Math.floor(secret.length / 4));
      }),
      { numRuns: 2000 },
    );
  });

  it('property: a known prefix is shown, and at most a quarter of the characters beyond it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KNOWN), tokenOf(BASE64URL, 16, 80), (prefix, rest) => {
        const secret = prefix + rest;
        const fp = fingerprint(secret);
        expect(fp.startsWith(prefix)).toBe(true);
        expect(shown(secret, fp, prefix).count).toBeLessThanOrEqual(Math.floor(secret.length / 4));
        // Most of the random part stays hidden.
        expect(rest.length - shown(secret, fp, prefix).count).toBeGreaterThan(rest.length / 2);
      }),
      { numRuns: 1000 },
    );
  });
});
