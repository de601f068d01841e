/**
 * Removes secret values (tokens, refresh tokens, passwords) from text that
 * will be shown or stored: response bodies that echo a token, header values,
 * redirect URLs, error messages, child-process output.
 *
 * A server may echo a value under any reversible escaping, and often under a
 * mix of them (a JSON encoder that escapes only `/` and `+`, a URL with some
 * characters percent-encoded). So a secret is matched character by character,
 * each character in any of its escaped spellings:
 *
 * - itself;
 * - a JSON escape: `\uXXXX` (either case of hex; UTF-16 units), `\/`, `\"`,
 *   `\\`, and the same with the backslash itself escaped again (JSON inside a
 *   JSON string);
 * - percent-encoding of its UTF-8 bytes (either case of hex), and `+` for a
 *   space (form encoding);
 * - an HTML character reference: decimal `&#47;`, hex `&#x2f;` (either case,
 *   leading zeros allowed) or the named ones for the ASCII punctuation that
 *   HTML escapers use (`&amp;`, `&sol;`, `&equals;`, …);
 *
 * and the secret's base64 and base64url (with or without padding, standalone
 * or inside a longer base64 text such as a Basic credential), each of those
 * characters again in any of the spellings above.
 */
export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are not redacted: they would match ordinary text. */
export const MIN_SECRET_LENGTH = 4;
/** Below this, a secret's base64 forms are too short to tell from other base64. */
const MIN_BASE64_SOURCE = 6;
/** The most backslashes a JSON escape may carry (JSON nested three deep). */
const MAX_BACKSLASHES = 8;

const NAMED_ENTITIES: Record<string, string[]> = {
  '&': ['amp', 'AMP'],
  '<': ['lt', 'LT'],
  '>': ['gt', 'GT'],
  '"': ['quot', 'QUOT'],
  "'": ['apos'],
  '/': ['sol'],
  '=': ['equals'],
  '+': ['plus'],
  ':': ['colon'],
  '.': ['period'],
  ',': ['comma'],
  '!': ['excl'],
  '?': ['quest'],
  '#': ['num'],
  $: ['dollar'],
  '%': ['percnt'],
  '(': ['lpar'],
  ')': ['rpar'],
  '*': ['ast', 'midast'],
  ';': ['semi'],
  '@': ['commat'],
  '[': ['lsqb', 'lbrack'],
  ']': ['rsqb', 'rbrack'],
  '\\': ['bsol'],
  '^': ['Hat'],
  _: ['lowbar', 'UnderBar'],
  '`': ['grave', 'DiacriticalGrave'],
  '{': ['lcub', 'lbrace'],
  '}': ['rcub', 'rbrace'],
  '|': ['verbar', 'vert', 'VerticalLine'],
  '~': ['tilde'],
  '-': ['hyphen', 'dash'],
  ' ': ['nbsp'],
  '\t': ['Tab'],
  '\n': ['NewLine'],
};

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** A hex number in a pattern that accepts either case of its letters: `2f` → `2[fF]`. */
function hexAnyCase(hex: string): string {
  return hex.replace(/[a-fA-F]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

function utf8Bytes(ch: string): number[] {
  // encodeURIComponent spells out the UTF-8 bytes of every character outside its unreserved set.
  const enc = encodeURIComponent(ch);
  if (enc.length === 1) return [enc.charCodeAt(0)];
  return enc
    .slice(1)
    .split('%')
    .map((h) => parseInt(h, 16));
}

const backslashes = `\\\\{1,${MAX_BACKSLASHES}}`;

/**
 * Spellings by ASCII character, kept for the life of the process: they depend on the
 * character alone, never on a secret, and building them is most of the cost of
 * compiling a matcher.
 */
const SPELLINGS = new Map<string, string>();
const isAscii = (ch: string) => ch.length === 1 && ch.charCodeAt(0) < 128;
const LONGEST = new Map<string, number>();

/** Every spelling of one character (a code point) as a regex alternation. */
function charPattern(ch: string, cache: Map<string, string> = SPELLINGS): string {
  const known = cache.get(ch);
  if (known) return known;
  const code = ch.codePointAt(0)!;
  const alts: string[] = [escapeRegex(ch)];
  // JSON: \uXXXX per UTF-16 unit, and the short escapes.
  const units = Array.from({ length: ch.length }, (_, i) => ch.charCodeAt(i));
  alts.push(units.map((u) => `${backslashes}u${hexAnyCase(u.toString(16).padStart(4, '0'))}`).join(''));
  if (ch === '/' || ch === '"' || ch === '\\') alts.push(`${backslashes}${escapeRegex(ch)}`);
  // Percent-encoding of the UTF-8 bytes, either case; + for a space.
  alts.push(utf8Bytes(ch).map((b) => `%${hexAnyCase(b.toString(16).padStart(2, '0'))}`).join(''));
  if (ch === ' ') alts.push('\\+');
  // HTML character references.
  alts.push(`&#0*${code};`, `&#[xX]0*${hexAnyCase(code.toString(16))};`);
  for (const name of NAMED_ENTITIES[ch] ?? []) alts.push(`&${name};`);
  const pattern = `(?:${alts.join('|')})`;
  // Only ASCII is kept: which other characters a password holds is nobody's business.
  if (isAscii(ch)) cache.set(ch, pattern);
  return pattern;
}

/** base64 of UTF-8 bytes (`btoa` alone only takes Latin-1). */
function base64(bytes: number[]): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/**
 * The base64 spellings of a secret that stay the same wherever it sits in a
 * longer base64 text: for each of the three byte alignments, the characters
 * that depend on the secret's bytes alone. Standalone, the first of them is
 * the whole unpadded base64 less at most one character.
 */
function base64Cores(secret: string): string[] {
  const bytes = Array.from(secret).flatMap(utf8Bytes);
  if (bytes.length < MIN_BASE64_SOURCE) return [];
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = [...new Array<number>(offset).fill(0), ...bytes];
    const b64 = base64(padded).replace(/=+$/, '');
    // Characters that mix in the filler bytes before, or whatever follows the secret, are dropped.
    const start = offset === 0 ? 0 : Math.ceil((offset * 8) / 6);
    const end = Math.floor((padded.length * 8) / 6);
    if (end - start >= 4) out.push(b64.slice(start, end));
  }
  return out;
}

/** A base64 character in either alphabet (standard `+/`, URL-safe `-_`), in any escaped spelling. */
function base64CharPattern(ch: string): string {
  if (ch === '+' || ch === '-') return charPattern('b64:+-', BASE64_PAIRS);
  if (ch === '/' || ch === '_') return charPattern('b64:/_', BASE64_PAIRS);
  return charPattern(ch);
}
const BASE64_PAIRS = new Map<string, string>([
  ['b64:+-', `(?:${charPattern('+')}|${charPattern('-')})`],
  ['b64:/_', `(?:${charPattern('/')}|${charPattern('_')})`],
]);

/**
 * The literal forms a secret takes, for callers that want to see or count
 * them (every escaped spelling is matched by the pattern, not listed here):
 * the value, its JSON-escaped, percent-encoded (both cases of hex) and
 * HTML-escaped spellings, and its base64/base64url with and without padding.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'));
  const pct = encodeURIComponent(secret);
  forms.add(pct);
  forms.add(pct.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  forms.add(secret.replace(/[&<>"'/=+]/g, (c) => `&#${c.codePointAt(0)};`));
  const b64 = base64(Array.from(secret).flatMap(utf8Bytes));
  const url = b64.replace(/\+/g, '-').replace(/\//g, '_');
  for (const f of [b64, b64.replace(/=+$/, ''), url, url.replace(/=+$/, '')]) forms.add(f);
  return [...forms];
}

/** What a set of secrets compiles to: one regex for every spelling of every secret. */
export interface SecretMatcher {
  /**
   * Global regex (flag `g`): every spelling of every secret, longest alternatives first; built on
   * first use. Null when no secret is long enough to redact.
   */
  readonly pattern: RegExp | null;
  /**
   * The longest text one match can span, in UTF-16 units: a stream redactor
   * (e.g. masking a child's output) must hold back this many characters minus
   * one at a chunk's end before it may pass them on.
   */
  maxMatchLength: number;
  /** The text with every match replaced by `[REDACTED]`. */
  redact(text: string): string;
  /**
   * For stream redactors: the leftmost index at or after `from` where the
   * rest of `text` is the beginning (or the whole) of some spelling of a
   * secret — text that the next chunk could turn into a match, so it must be
   * held back — or `text.length` when there is none. Never misses a true
   * beginning; may hold a little more than needed (hex and entity names are
   * compared in either case).
   */
  partialStart(text: string, from?: number): number;
}

/** Longest spelling of one character: MAX_BACKSLASHES backslashes + `uXXXX` per UTF-16 unit, or `%XX` per UTF-8 byte, or an entity. */
function maxSpelling(ch: string): number {
  const known = LONGEST.get(ch);
  if (known !== undefined) return known;
  const units = ch.length * (MAX_BACKSLASHES + 5);
  const pct = utf8Bytes(ch).length * 3;
  const entity = Math.max(`&#x${'0'.repeat(8)}${ch.codePointAt(0)!.toString(16)};`.length, ...(NAMED_ENTITIES[ch] ?? []).map((n) => n.length + 2));
  const longest = Math.max(units, pct, entity);
  if (isAscii(ch)) LONGEST.set(ch, longest);
  return longest;
}

/**
 * Compiles secrets into a matcher. Build it once per response (or per
 * stream) and reuse it: the pattern is the costly part. Leading zeros in a
 * numeric character reference are bounded only by `maxMatchLength`'s
 * assumption of eight.
 */
export function compileSecrets(secrets: readonly string[]): SecretMatcher {
  const sources: { secret: string; core: string | null }[] = [];
  const needles: string[] = [];
  // A secret that holds something escape-like could hide from the filter: it always takes the pattern.
  let filterable = true;
  let maxMatchLength = 0;
  for (const secret of new Set(secrets)) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    sources.push({ secret, core: null });
    needles.push(canon(secret));
    if (/[\\%&]/.test(secret)) filterable = false;
    maxMatchLength = Math.max(maxMatchLength, Array.from(secret).reduce((n, c) => n + maxSpelling(c), 0));
    // The cores (anywhere in a longer base64 text), and the whole standalone base64 with and
    // without padding, so that a value echoed alone as base64 is replaced whole, `=` and all.
    const cores = base64Cores(secret);
    if (cores.length > 0) {
      const whole = base64(Array.from(secret).flatMap(utf8Bytes));
      for (const core of new Set([whole, whole.replace(/=+$/, ''), ...cores])) {
        sources.push({ secret, core });
        needles.push(canon(core));
        maxMatchLength = Math.max(maxMatchLength, core.length * maxSpelling('/'));
      }
    }
  }
  if (sources.length === 0) return { pattern: null, maxMatchLength: 0, redact: (t) => t, partialStart: (t) => t.length };
  let compiled: RegExp | null = null;
  // Literal spellings per character of each secret (and base64 core), for `partialStart`; built on first use.
  let units: string[][][] | null = null;
  const pattern = (): RegExp => {
    if (compiled) return compiled;
    const alternatives = sources.map(({ secret, core }) =>
      core === null
        ? { source: Array.from(secret, (c) => charPattern(c)).join(''), length: secret.length }
        : { source: Array.from(core, (c) => base64CharPattern(c)).join(''), length: core.length },
    );
    // Leftmost-first alternation: the longer spelling wins where two overlap.
    alternatives.sort((x, y) => y.length - x.length);
    compiled = new RegExp(alternatives.map((x) => x.source).join('|'), 'g');
    return compiled;
  };
  return {
    get pattern() {
      return pattern();
    },
    maxMatchLength,
    redact(text) {
      if (text === '' || (filterable && !mayContain(text, needles))) return text;
      return text.replace(pattern(), REDACTED);
    },
    partialStart(text, from = 0) {
      units ??= sources.map(({ secret, core }) => (core === null ? Array.from(secret, charSpellings) : Array.from(core, base64CharSpellings)));
      const lower = text.toLowerCase();
      for (let p = Math.max(0, from); p < text.length; p++) {
        if (units.some((u) => couldBegin(text, lower, p, u, 0))) return p;
      }
      return text.length;
    },
  };
}

/**
 * Every spelling of one character as literal strings: the same set as
 * `charPattern`, with the backslash runs and leading zeros spelled out (hex
 * and names are lower case: `couldBegin` compares them in either case).
 */
function charSpellings(ch: string): string[] {
  const code = ch.codePointAt(0)!;
  const utf16 = Array.from({ length: ch.length }, (_, i) => ch.charCodeAt(i).toString(16).padStart(4, '0'));
  const out = [ch];
  for (let n = 1; n <= MAX_BACKSLASHES; n++) {
    const bs = '\\'.repeat(n);
    out.push(utf16.map((u) => `${bs}u${u}`).join(''));
    if (ch === '/' || ch === '"' || ch === '\\') out.push(`${bs}${ch}`);
  }
  out.push(utf8Bytes(ch).map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
  if (ch === ' ') out.push('+');
  for (let zeros = 0; zeros <= 8; zeros++) out.push(`&#${'0'.repeat(zeros)}${code};`, `&#x${'0'.repeat(zeros)}${code.toString(16)};`);
  for (const name of NAMED_ENTITIES[ch] ?? []) out.push(`&${name.toLowerCase()};`);
  return out;
}

function base64CharSpellings(ch: string): string[] {
  if (ch === '+' || ch === '-') return [...charSpellings('+'), ...charSpellings('-')];
  if (ch === '/' || ch === '_') return [...charSpellings('/'), ...charSpellings('_')];
  return charSpellings(ch);
}

/**
 * True when `text` from `at` to its end is a beginning of the spellings in
 * `units` from unit `k` on: each unit spelled whole in turn, the last one
 * possibly cut short by the end of the text. The character itself is
 * compared exactly, escapes in either case (`lower` is `text` lower-cased).
 */
function couldBegin(text: string, lower: string, at: number, units: readonly string[][], k: number): boolean {
  if (at === text.length) return true;
  if (k === units.length) return false;
  const spellings = units[k]!;
  for (let i = 0; i < spellings.length; i++) {
    const s = spellings[i]!;
    const within = i === 0 ? text : lower;
    const n = Math.min(s.length, text.length - at);
    if (within.startsWith(n === s.length ? s : s.slice(0, n), at) && (n < s.length || couldBegin(text, lower, at + n, units, k + 1))) return true;
  }
  return false;
}

/**
 * A cheap test that must pass for any spelling of a secret to be in `text`:
 * undo every escape the pattern knows in one pass, fold the characters that
 * an escaping may swap (`+`, space and `-`; `/` and `_`), and look for the
 * folded secret (or base64 core) in the result, and in the text as it is
 * (a secret may hold what looks like an escape). Most texts hold no secret,
 * and then the pattern is never even built.
 */
function mayContain(text: string, needles: readonly string[]): boolean {
  const plain = canon(text);
  const decoded = canon(unescapeAll(text));
  return needles.some((n) => decoded.includes(n) || plain.includes(n));
}

const FOLD: Record<string, string> = { '+': ' ', '-': ' ', _: '/' };
function canon(s: string): string {
  return s.replace(/[+\-_]/g, (c) => FOLD[c]!);
}

const NAMED_TO_CHAR = new Map<string, string>(Object.entries(NAMED_ENTITIES).flatMap(([ch, names]) => names.map((n): [string, string] => [n, ch])));
const ESCAPE = /\\+u([0-9a-fA-F]{4})|\\+([/"\\])|(?:%[0-9a-fA-F]{2})+|&#([0-9]+);|&#[xX]([0-9a-fA-F]+);|&([A-Za-z]+);/g;

/** Every escape the pattern knows, undone in one pass (a filter's view of the text, never shown). */
function unescapeAll(text: string): string {
  if (!/[\\%&]/.test(text)) return text;
  return text.replace(ESCAPE, (m, u?: string, short?: string, dec?: string, hex?: string, name?: string) => {
    if (u !== undefined) return String.fromCharCode(parseInt(u, 16));
    if (short !== undefined) return short;
    if (dec !== undefined) return fromCodePoint(parseInt(dec, 10), m);
    if (hex !== undefined) return fromCodePoint(parseInt(hex, 16), m);
    if (name !== undefined) return NAMED_TO_CHAR.get(name) ?? m;
    try {
      return decodeURIComponent(m);
    } catch {
      // Not UTF-8: one byte per escape, which is all a filter needs.
      return m.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    }
  });
}

function fromCodePoint(code: number, fallback: string): string {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

/** `text` with every spelling of every secret replaced by `[REDACTED]`. For many texts with the same secrets, use `compileSecrets` once. */
export function redact(text: string, secrets: readonly string[]): string {
  return compileSecrets(secrets).redact(text);
}

/**
 * Every literal form of a secret that `redact` removes (see `secretForms`),
 * longest first: what `tokenvault exec --mask` looks for in the bytes it
 * passes on (issue 13). Empty for a secret too short to redact.
 */
export function redactionForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_LENGTH) return [];
  // JSON with and without the optional `\/` escape: both are common in the wild.
  const forms = new Set([...secretForms(secret), JSON.stringify(secret).slice(1, -1)]);
  return [...forms].sort((a, b) => b.length - a.length);
}
