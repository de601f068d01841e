import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Test support for "no token value on disk": finds any of many secrets, in
 * each of the forms a careless implementation could write them (as is,
 * base64, base64url, hex, URL-encoded), in every file under a folder, in one
 * pass per file.
 *
 * How: every form of every secret is at least `minLen` bytes long. Each form's
 * windows of `win` bytes at every offset go into one Set; the file is probed
 * only every `minLen - win + 1` bytes, which any occurrence of a form must
 * cover with one whole window; a probe that hits the Set is confirmed by a
 * full comparison. Cost: about n / (minLen - win + 1) Set lookups per file
 * of n bytes, whatever the number of secrets.
 */

export type Form = 'raw' | 'base64' | 'base64url' | 'hex' | 'url';

export interface Hit {
  file: string;
  secretIndex: number;
  form: Form;
  offset: number;
}

/** The encodings of `value` searched for, deduplicated (a URL-safe value is its own URL encoding). */
export function formsOf(value: string): [Form, string][] {
  const b = Buffer.from(value, 'utf8');
  const out: [Form, string][] = [
    ['raw', b.toString('latin1')],
    ['base64', b.toString('base64')],
    ['base64url', b.toString('base64url')],
    ['hex', b.toString('hex')],
    ['url', encodeURIComponent(value)],
  ];
  const seen = new Set<string>();
  return out.filter(([, s]) => (seen.has(s) ? false : (seen.add(s), true)));
}

export class PlaintextSearch {
  private readonly windows = new Map<string, { form: string; secretIndex: number; kind: Form; offset: number }[]>();
  private readonly win: number;
  private readonly step: number;
  readonly patterns: number;

  constructor(secrets: readonly string[], win = 12) {
    const forms = secrets.flatMap((s, i) => formsOf(s).map(([kind, form]) => ({ kind, form, secretIndex: i })));
    const minLen = Math.min(...forms.map((f) => f.form.length));
    if (minLen < win) throw new Error(`every secret form must be at least ${win} bytes (shortest: ${minLen})`);
    this.win = win;
    this.step = minLen - win + 1;
    this.patterns = forms.length;
    for (const f of forms) {
      for (let o = 0; o + win <= f.form.length; o++) {
        const key = f.form.slice(o, o + win);
        let list = this.windows.get(key);
        if (!list) this.windows.set(key, (list = []));
        list.push({ form: f.form, secretIndex: f.secretIndex, kind: f.kind, offset: o });
      }
    }
  }

  /** Every occurrence in `bytes` (read as latin1, so each byte is one character). */
  searchBytes(bytes: Buffer, file = '(buffer)'): Hit[] {
    const text = bytes.toString('latin1');
    const hits = new Map<string, Hit>();
    for (let p = 0; p + this.win <= text.length; p += this.step) {
      const candidates = this.windows.get(text.slice(p, p + this.win));
      if (!candidates) continue;
      for (const c of candidates) {
        const start = p - c.offset;
        if (start < 0 || text.slice(start, start + c.form.length) !== c.form) continue;
        hits.set(`${start}:${c.secretIndex}:${c.kind}`, { file, secretIndex: c.secretIndex, form: c.kind, offset: start });
      }
    }
    return [...hits.values()];
  }

  /** Searches every file under `dir` (recursively); returns the hits and how many files and bytes were read. */
  searchDir(dir: string): { hits: Hit[]; files: string[]; bytes: number } {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        const st = statSync(p);
        if (st.isDirectory()) walk(p);
        else if (st.isFile()) files.push(p);
      }
    };
    walk(dir);
    let bytes = 0;
    const hits: Hit[] = [];
    for (const f of files) {
      const b = readFileSync(f);
      bytes += b.length;
      hits.push(...this.searchBytes(b, relative(dir, f)));
    }
    return { hits, files: files.map((f) => relative(dir, f)), bytes };
  }
}
