import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { jsonText, safe } from './format';
import { usePassphraseCli } from './test-cli';

/** Unicode's bidirectional formatting characters (UAX #9 §2), by name. */
const BIDI = {
  LRE: '\u202a',
  RLE: '\u202b',
  PDF: '\u202c',
  LRO: '\u202d',
  RLO: '\u202e',
  LRI: '\u2066',
  RLI: '\u2067',
  FSI: '\u2068',
  PDI: '\u2069',
  LRM: '\u200e',
  RLM: '\u200f',
  ALM: '\u061c',
};
const ANY_BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('safe', () => {
  it('replaces each bidirectional formatting character with a visible ?', () => {
    for (const [name, c] of Object.entries(BIDI)) expect(safe(`a${c}b`), name).toBe('a?b');
    // The Trojan Source shape: an override that makes "invoice_admin" display as something else.
    expect(safe('invoice\u202enimda_\u202c')).toBe('invoice?nimda_?');
  });

  it('still replaces the C0 and C1 controls, and leaves ordinary text alone (right-to-left letters included)', () => {
    expect(safe('red\u001b[31m\r\n\u0000\u007f\u009b')).toBe('red?[31m?????');
    expect(safe('Acme GmbH — Zürich, 東京, שלום, مرحبا, zero\u200bwidth')).toBe('Acme GmbH — Zürich, 東京, שלום, مرحبا, zero\u200bwidth');
  });
});

describe('jsonText', () => {
  it('escapes C1 controls and bidirectional characters; the parsed value is the original', () => {
    const value = { name: `deploy${BIDI.RLO}token`, all: Object.values(BIDI).join(''), c1: '\u009b', esc: '\u001b', ok: 'שלום' };
    const text = jsonText(value);
    expect(text).not.toMatch(ANY_BIDI);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('deploy\\u202etoken');
    expect(JSON.parse(text)).toEqual(value);
    // Nothing else differs from JSON.stringify.
    expect(jsonText({ a: [1, 'b'], ok: 'שלום' })).toBe(JSON.stringify({ a: [1, 'b'], ok: 'שלום' }, null, 2));
  });
});

describe('untrusted names printed by the CLI', { timeout: 300_000 }, () => {
  const cli = usePassphraseCli({ vaultDir: 'vault' });

  it('an import preview prints a name with U+202E (and one with U+200F) with ? in their place, in text and in --json', () => {
    const { tv } = cli;
    expect(tv(['init', '--passphrase']).code).toBe(0);
    expect(tv(['workspace', 'add', 'Acme']).code).toBe(0);
    expect(tv(['env', 'add', 'Acme', 'dev', '--base-url', 'https://api.example.com']).code).toBe(0);
    const file = join(cli.root, 'hostile.postman_environment.json');
    const names = [`deploy${BIDI.RLO}nekot`, `TOKEN${BIDI.RLM}_2`];
    writeFileSync(
      file,
      JSON.stringify({
        id: 'b1d1',
        name: `Acme ${BIDI.RLO}dorp${BIDI.PDF} env`,
        values: names.map((key, i) => ({ key, value: `tok_${i}_0123456789abcdefghij`, type: 'secret', enabled: true })),
        _postman_variable_scope: 'environment',
      }),
    );

    const text = tv(['import', file, '--workspace', 'Acme', '--env', 'dev', '--dry-run']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^postman Acme \?dorp\? env → workspace Acme/m);
    expect(text.stdout).toMatch(/^dev {2}deploy\?nekot +bearer/m);
    expect(text.stdout).toMatch(/^dev {2}TOKEN\?_2 +bearer/m);
    expect(text.stdout + text.stderr).not.toMatch(ANY_BIDI);

    const json = tv(['import', file, '--workspace', 'Acme', '--env', 'dev', '--dry-run', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).not.toMatch(ANY_BIDI);
    // Escaped, not changed: a program reading --json gets the names as the file has them.
    expect(json.json().create.map((c: { name: string }) => c.name)).toEqual(names);
  });
});

describe('one set of unsafe characters for every check (src-shared/unsafe-text.ts)', () => {
  it('a name with a bidirectional mark is refused, as one with an override is', async () => {
    const { Name } = await import('../../src-shared/domain/schemas');
    for (const [label, c] of Object.entries(BIDI)) expect(Name.safeParse(`ci${c}token`).success, label).toBe(false);
    expect(Name.safeParse('ci token (שלום)').success).toBe(true);
  });

  it("a provider's own message loses them, as it loses control characters", async () => {
    const { providerMessage } = await import('../../src-shared/http/provider-message');
    expect(providerMessage(JSON.stringify({ detail: `Invalid${BIDI.RLM} token${BIDI.RLO}nimda` }))).toBe('Invalid  token nimda');
  });

  it('an error printed to standard error has each line made safe, its line breaks kept', async () => {
    const { reportError } = await import('./context');
    const { VaultError } = await import('../../src-shared/errors');
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(reportError(new VaultError('NOT_FOUND', `No token named deploy${BIDI.RLO}nimda.\nRun tokenvault token list\u001b[2J.`), false)).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toBe('tokenvault: No token named deploy?nimda.\nRun tokenvault token list?[2J.\n');
  });
});
