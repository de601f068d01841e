import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formsOf, PlaintextSearch } from './plaintext-search';

// The searcher behind the no-plaintext-at-rest test: it must find every form at
// any offset (or the zero-hit result proves nothing), and nothing else.
describe('plaintext search', () => {
  const secrets = Array.from({ length: 300 }, (_, i) => `tvz_${i}_${randomBytes(24).toString('base64')}`);
  const search = new PlaintextSearch(secrets);

  it('finds each form of each secret at any offset in noise, and nothing in noise alone', () => {
    const noise = randomBytes(40_000);
    expect(search.searchBytes(noise)).toEqual([]);
    for (const i of [0, 7, 150, 299]) {
      for (const [form, text] of formsOf(secrets[i]!)) {
        for (const at of [0, 1, 13, 19_999, noise.length - text.length]) {
          const planted = Buffer.from(noise);
          Buffer.from(text, 'latin1').copy(planted, at);
          const hits = search.searchBytes(planted);
          expect(hits, `${form} of secret ${i} at ${at}`).toContainEqual({ file: '(buffer)', secretIndex: i, form, offset: at });
        }
      }
    }
  });

  it('searches five forms per secret, the URL one differing when the value has + / =', () => {
    expect(formsOf('abc+/=defghijklmnop').map(([f]) => f)).toEqual(['raw', 'base64', 'base64url', 'hex', 'url']);
    expect(search.patterns).toBeGreaterThanOrEqual(secrets.length * 4);
  });
});
