import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src-shared/domain/fingerprint';
import { StreamMasker } from './stream-masker';

const SECRET = 'sk_live_4f9a8b7c6d5e4f3a2b1c0d9e';
const OTHER = 'rg_Zx81ab/+=Qw7yy';

function run(secrets: string[], chunks: Buffer[]): Buffer {
  const m = new StreamMasker(secrets);
  return Buffer.concat([...chunks.map((c) => m.push(c)), m.end()]);
}

describe('StreamMasker', () => {
  it('masks a value split across two writes, and says so only with the fingerprint', () => {
    const m = new StreamMasker([SECRET]);
    const first = m.push(Buffer.from(`token=${SECRET.slice(0, 10)}`));
    // The start of the value is held back, the rest of the line is passed on.
    expect(first.toString()).toBe('token=');
    const second = m.push(Buffer.from(`${SECRET.slice(10)} done\n`));
    expect(second.toString()).toBe(`${fingerprint(SECRET)} done\n`);
    expect(m.end().length).toBe(0);
  });

  it('masks every escaping redact knows: URL-encoded, base64, base64url, JSON-escaped', () => {
    const s = 'abc"def/ghi+jkl=mno?pq';
    const forms = [s, encodeURIComponent(s), btoa(s), btoa(s).replace(/=+$/, ''), btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), JSON.stringify(s).slice(1, -1)];
    const out = run([s], [Buffer.from(forms.join(' | '))]).toString();
    for (const f of forms) expect(out).not.toContain(f);
    expect(out.split(fingerprint(s)).length - 1).toBe(forms.length);
  });

  it('passes a complete line on at once: only a partial match is held back', () => {
    const m = new StreamMasker([SECRET]);
    expect(m.push(Buffer.from('progress 10%\n')).toString()).toBe('progress 10%\n');
    // "s" may start the secret, but the line break after it cannot be part of one.
    expect(m.push(Buffer.from('s\n')).toString()).toBe('s\n');
    expect(m.push(Buffer.from('prefix sk_li')).toString()).toBe('prefix ');
    expect(m.push(Buffer.from('ve but not the token\n')).toString()).toBe('sk_live but not the token\n');
  });

  it('leaves binary output byte for byte intact where nothing matches, and masks inside it', () => {
    const bin = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 151 + 7) % 256));
    const withSecret = Buffer.concat([bin, Buffer.from(SECRET), bin]);
    const out = run([SECRET], [withSecret.subarray(0, 4100), withSecret.subarray(4100)]);
    expect(out).toEqual(Buffer.concat([bin, Buffer.from(fingerprint(SECRET)), bin]));
    expect(run([SECRET], [bin.subarray(0, 1000), bin.subarray(1000)])).toEqual(bin);
  });

  it('does not mask near misses: one character different, or a prefix at the end of the stream', () => {
    const near = `${SECRET.slice(0, -1)}X`;
    expect(run([SECRET], [Buffer.from(near)]).toString()).toBe(near);
    expect(run([SECRET], [Buffer.from(SECRET.slice(0, 20))]).toString()).toBe(SECRET.slice(0, 20));
  });

  it('gives the same bytes however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(SECRET), fc.constant(OTHER), fc.constant(btoa(SECRET)), fc.string({ maxLength: 12 }), fc.constant('\n')), { maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 40 }),
        (parts, cuts) => {
          const whole = Buffer.from(parts.join(''));
          const chunks: Buffer[] = [];
          let at = 0;
          for (let i = 0; at < whole.length; i++) {
            const n = cuts[i % cuts.length]!;
            chunks.push(whole.subarray(at, at + n));
            at += n;
          }
          const once = run([SECRET, OTHER], [whole]);
          expect(run([SECRET, OTHER], chunks)).toEqual(once);
          expect(once.toString()).not.toContain(SECRET);
          expect(once.toString()).not.toContain(OTHER);
        },
      ),
    );
  });

  it('masks \\uXXXX-escaped echoes and mixed spellings too, also when a write ends inside an escape (issue 9)', () => {
    const s = 'rg_Zx81ab/+=Qw7yy';
    const unicode = Array.from(s, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const upperHex = unicode.toUpperCase().replace(/\\U/g, '\\u');
    const mixed = `${s.slice(0, 5)}8\\u0031ab\\/%2b&#61;Qw7yy`;
    const lowerPct = encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    const html = Array.from(s, (c) => `&#x${c.charCodeAt(0).toString(16)};`).join('');
    const forms = [unicode, upperHex, mixed, lowerPct, html];
    const whole = Buffer.from(`{"echo":"${forms.join('","')}"}\n`);
    const once = run([s], [whole]).toString();
    expect(once).toBe(`{"echo":"${forms.map(() => fingerprint(s)).join('","')}"}\n`);
    // Cut at every byte: the start of an escape is held back until the next write completes or refutes it.
    for (let cut = 1; cut < whole.length; cut++) expect(run([s], [whole.subarray(0, cut), whole.subarray(cut)]).toString()).toBe(once);
    const m = new StreamMasker([s]);
    expect(m.push(Buffer.from(`x=${unicode.slice(0, 9)}`)).toString()).toBe('x=');
    expect(m.push(Buffer.from(`${unicode.slice(9)} ok\n`)).toString()).toBe(`${fingerprint(s)} ok\n`);
  });

  it('gives the same bytes however a stream of escaped spellings is cut, and no spelling survives (property)', () => {
    const spell = (c: string, how: number) =>
      how === 0 ? c : how === 1 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : how === 2 ? `%${c.charCodeAt(0).toString(16)}` : `&#${c.charCodeAt(0)};`;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: OTHER.length, maxLength: OTHER.length }),
        fc.string({ maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 30 }),
        (hows, noise, cuts) => {
          const echo = Array.from(OTHER, (c, i) => spell(c, hows[i]!)).join('');
          const whole = Buffer.from(`${noise}${echo}${noise}`);
          const chunks: Buffer[] = [];
          for (let at = 0, i = 0; at < whole.length; i++) {
            chunks.push(whole.subarray(at, at + cuts[i % cuts.length]!));
            at += cuts[i % cuts.length]!;
          }
          const once = run([OTHER], [whole]);
          expect(run([OTHER], chunks)).toEqual(once);
          expect(once.toString()).toContain(fingerprint(OTHER));
          expect(once.toString()).not.toContain(echo);
        },
      ),
    );
  });
});
