import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSecrets, redact, REDACTED, secretForms } from './redact';

/** Secrets with the characters that escaping changes: `/`, `+`, `=` and other punctuation. */
const SECRETS = [
  'sk_live_4f9c/2e7a+1b3d=5f70',
  'a/b+c=d&e<f>g"h\'i%j k',
  'tok:with;many,odd!chars?#[]{}|~^`$@*()',
  'pässwörd/€uro+=',
];

// Every escaping a server might apply, each reversible.
const jsonSlash = (s: string) => JSON.stringify(s).slice(1, -1).replace(/\//g, '\\/');
const jsonUnicodeAll = (s: string, upper = false) =>
  Array.from({ length: s.length }, (_, i) => {
    const hex = s.charCodeAt(i).toString(16).padStart(4, '0');
    return `\\u${upper ? hex.toUpperCase() : hex}`;
  }).join('');
// Go and .NET escape only some characters: <, >, &, +, ' and = as \u00XX.
const jsonUnicodeSome = (s: string) => JSON.stringify(s).slice(1, -1).replace(/[<>&+'=]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const percentUpper = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const percentLower = (s: string) => percentUpper(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const percentEverything = (s: string) => Array.from(Buffer.from(s, 'utf8'), (b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const formEncoded = (s: string) => new URLSearchParams({ x: s }).toString().slice(2);
const htmlDecimal = (s: string) => s.replace(/[&<>"'/=+]/g, (c) => `&#${c.charCodeAt(0)};`);
const htmlHex = (s: string) => Array.from(s, (c) => (/[a-z0-9]/i.test(c) ? c : `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`)).join('');
const htmlNamed = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\//g, '&sol;').replace(/=/g, '&equals;');
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const nestedJson = (s: string) => JSON.stringify(JSON.stringify({ t: s }).replace(/\//g, '\\/')).slice(1, -1);

const ENCODINGS: [string, (s: string) => string][] = [
  ['raw', (s) => s],
  ['JSON with \\/', jsonSlash],
  ['JSON \\u escapes (lower-case hex)', (s) => jsonUnicodeAll(s)],
  ['JSON \\u escapes (upper-case hex)', (s) => jsonUnicodeAll(s, true)],
  ['JSON \\u escapes of some characters', jsonUnicodeSome],
  ['JSON inside a JSON string', nestedJson],
  ['percent-encoded, upper-case hex', percentUpper],
  ['percent-encoded, lower-case hex', percentLower],
  ['percent-encoded, every byte', percentEverything],
  ['form-encoded (+ for space)', formEncoded],
  ['HTML decimal references', htmlDecimal],
  ['HTML hex references', htmlHex],
  ['HTML named references', htmlNamed],
  ['base64 with padding', b64],
  ['base64 without padding', (s) => b64(s).replace(/=+$/, '')],
  ['base64url', b64url],
  ['base64url with padding', (s) => b64url(s) + '='.repeat((4 - (b64url(s).length % 4)) % 4)],
  ['base64 in a JSON string with \\/', (s) => b64(s).replace(/\//g, '\\/')],
  ['base64 percent-encoded', (s) => encodeURIComponent(b64(s))],
];

describe('redaction under every reversible escaping', () => {
  for (const secret of SECRETS) {
    for (const [name, encode] of ENCODINGS) {
      it(`${name}: ${JSON.stringify(secret)}`, () => {
        const echoed = encode(secret);
        const out = redact(`{"echo":"${echoed}","n":1}`, [secret]);
        expect(out).not.toContain(echoed);
        expect(out).toContain(REDACTED);
        expect(out.startsWith('{"echo":"')).toBe(true);
        expect(out.endsWith('","n":1}')).toBe(true);
      });
    }
  }

  it('finds a secret inside a longer base64 text, at every alignment (a Basic credential echoed)', () => {
    const secret = SECRETS[0]!;
    for (const user of ['u', 'us', 'use', 'user']) {
      const basic = b64(`${user}:${secret}`);
      const out = redact(`Authorization: Basic ${basic}`, [secret]);
      expect(out).not.toContain(basic);
      expect(out).toContain(REDACTED);
      // What is left of the base64 cannot give back the secret.
      const left = out.slice('Authorization: Basic '.length).replace(REDACTED, '');
      expect(Buffer.from(left, 'base64').toString('utf8')).not.toContain(secret.slice(0, 6));
    }
  });

  it('redacts a mix of escapings in one spelling, and every secret of several', () => {
    const secret = SECRETS[1]!;
    const mixed = secret.replace('/', '\\/').replace('+', '%2b').replace('=', '&#61;').replace(' ', '+');
    const out = redact(`${mixed} and ${SECRETS[0]}`, [secret, SECRETS[0]!]);
    expect(out).toBe(`${REDACTED} and ${REDACTED}`);
  });

  it('any printable secret, under any of the escapings, never survives (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'abcXYZ019/+=&<>"\' %:;_-.~!'.split('')), minLength: 8, maxLength: 48 }),
        fc.integer({ min: 0, max: ENCODINGS.length - 1 }),
        (secret, i) => {
          const echoed = ENCODINGS[i]![1](secret);
          const out = redact(`<<${echoed}>>`, [secret]);
          expect(out).not.toContain(echoed);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves other text alone and ignores values too short to tell from text', () => {
    const text = 'nothing here: {"a":"b/c+d"} %2F &amp; YWJj';
    expect(redact(text, [SECRETS[0]!, 'ab'])).toBe(text);
    expect(redact('', SECRETS)).toBe('');
  });

  it('exposes its forms and one compiled matcher for callers that redact many texts (or a stream)', () => {
    const m = compileSecrets(SECRETS);
    expect(m.pattern).toBeInstanceOf(RegExp);
    expect(m.redact(`x ${SECRETS[2]} y`)).toBe(`x ${REDACTED} y`);
    expect(m.maxMatchLength).toBeGreaterThanOrEqual(jsonUnicodeAll(SECRETS[2]!).length);
    const forms = secretForms(SECRETS[0]!);
    expect(forms).toContain(SECRETS[0]);
    expect(forms).toContain(b64url(SECRETS[0]!));
    for (const f of forms) expect(m.redact(f)).not.toContain(f);
    expect(compileSecrets(['ab']).pattern).toBeNull();
  });
});
