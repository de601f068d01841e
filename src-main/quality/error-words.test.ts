import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../src-shared/ipc/channel-names';
import { classifyError, explainStatus } from '../../src-shared/http/classify';
import { clause, providerMessage, withProviderMessage } from '../../src-shared/http/provider-message';
import { ManagementApi } from '../services/token-management';

// Issue 10: the words of errors. Every message a user can see names commands
// and fields they know (never an internal channel such as credentials:login)
// and never ends a sentence twice ("network.. Nothing").
const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** The text of each `new VaultError(…)` call and each `message:`/`explanation:` value, with where it is. */
function userTexts(): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  for (const file of [...sources(join(root, 'src-main')), ...sources(join(root, 'src-shared')), ...sources(join(root, 'src-renderer'))]) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(import|export \* from)/.test(line)) return;
      if (/new VaultError\(|message:|explanation:|\.info\(|throw usageError\(/.test(line)) {
        out.push({ where: `${relative(root, file)}:${i + 1}`, text: lines.slice(i, i + 4).join('\n') });
      }
    });
  }
  return out;
}

describe('error words', () => {
  const texts = userTexts();

  it('finds the messages it checks', () => {
    expect(texts.length).toBeGreaterThan(100);
  });

  it('never names an internal channel in a message', () => {
    // A handler table maps channel names to functions: those lines are code, not words.
    const offenders = texts.filter(({ text }) => {
      const strings = text.match(/(['"`])(?:(?!\1)[^\\]|\\.)*\1/g) ?? [];
      // A string that is exactly a channel name is a call, not words; a channel name inside a sentence is the offence.
      return strings.some((s) => !(CHANNEL_NAMES as readonly string[]).includes(s.slice(1, -1)) && CHANNEL_NAMES.some((c) => new RegExp(`(?<![\\w:-])${c}(?![\\w:-])`).test(s)));
    });
    expect(offenders.map((o) => o.where)).toEqual([]);
  });

  it('never ends a sentence twice in the source text', () => {
    const offenders = texts.filter(({ text }) => /[A-Za-z)'"\]]\.\.(?!\.|\/)/.test(text));
    expect(offenders.map((o) => o.where)).toEqual([]);
  });

  it('never puts a full stop after an explanation or message that may already end with one', () => {
    const offenders = texts.filter(({ text }) => /\$\{[^}]*\b(explanation|\.message)\}\./.test(text));
    expect(offenders.map((o) => o.where)).toEqual([]);
  });

  it('joins an explanation that ends with a full stop into one sentence', () => {
    const { explanation } = classifyError('ECONNREFUSED');
    expect(explanation.endsWith('.')).toBe(true);
    expect(`${clause(explanation)}.`).not.toMatch(/\.\.$/);
    const e = ManagementApi.failure({ name: 'Strapi' } as never, 'list the tokens at Strapi', { status: null, classification: 'network', explanation, json: null }, true);
    expect(e.code).toBe('NETWORK');
    expect(e.message).toBe('Could not list the tokens at Strapi: The connection was refused: nothing is listening at that address and port. Nothing was changed in the vault.');
  });
});

describe("the provider's own words", () => {
  it('reads Strapi, DRF and plain error bodies, and adds them to the explanation', () => {
    expect(providerMessage('{"data":null,"error":{"status":400,"name":"ApplicationError","message":"Invalid credentials","details":{}}}')).toBe('Invalid credentials');
    expect(providerMessage('{"detail":"Authentication credentials were not provided."}')).toBe('Authentication credentials were not provided.');
    expect(providerMessage('{"error":"invalid_grant","error_description":"Refresh token expired"}')).toBe('Refresh token expired');
    expect(providerMessage('<html>oops</html>')).toBeNull();
    expect(providerMessage('{"message":"a\\u001b[31mred\\u0007"}')).toBe('a [31mred');
    const body = '{"data":null,"error":{"status":400,"name":"ApplicationError","message":"Invalid credentials"}}';
    expect(withProviderMessage(explainStatus(400, 'Strapi', body), body, 'Strapi')).toBe('400 from Strapi: the server rejected the request — Strapi said: "Invalid credentials"');
  });
});
