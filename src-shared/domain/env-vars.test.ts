import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseUrlVarName, formatEnv, quoteDotenv, quotePowerShell, tokenVarName } from './env-vars';

describe('variable naming rule', () => {
  it('upper-cases, drops accents, joins parts with _ and appends _TOKEN once', () => {
    expect(tokenVarName('Acme', 'production', 'sales')).toBe('ACME_PRODUCTION_SALES_TOKEN');
    expect(tokenVarName('Acme Café', 'sand-box', 'Sales (EU)')).toBe('ACME_CAFE_SAND_BOX_SALES_EU_TOKEN');
    expect(tokenVarName('Acme', 'prod', 'ci token')).toBe('ACME_PROD_CI_TOKEN');
    expect(tokenVarName('2024 Acme', 'prod', 'x')).toBe('_2024_ACME_PROD_X_TOKEN');
    expect(baseUrlVarName('Acme', 'production')).toBe('ACME_PRODUCTION_BASE_URL');
  });

  it('gives null when a name has nothing usable', () => {
    expect(tokenVarName('東京', 'prod', 'x')).toBeNull();
    expect(tokenVarName('Acme', 'prod', '***')).toBeNull();
  });
});

/** PowerShell's verbatim string grammar: '…' where '' (or a doubled typographic quote) stands for one quote. */
function parsePowerShellLine(line: string): [string, string] {
  const m = /^\$env:([A-Za-z_][A-Za-z0-9_]*) = '((?:[^'\u2018\u2019\u201a\u201b]|['\u2018\u2019\u201a\u201b]{2})*)'$/u.exec(line);
  if (!m) throw new Error(`not a PowerShell assignment: ${line}`);
  return [m[1]!, m[2]!.replace(/(['\u2018\u2019\u201a\u201b])\1/gu, '$1')];
}

describe('formats', () => {
  it('PowerShell verbatim strings read back exactly (parser-level: pwsh is not installed here)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."ab'\u2019\"`$\\ #;{}()".split('')), maxLength: 30 }), (value) => {
        const line = formatEnv([{ name: 'V', value }], 'powershell').trimEnd();
        expect(parsePowerShellLine(line)).toEqual(['V', value]);
      }),
    );
    expect(quotePowerShell("it's")).toBe("'it''s'");
  });

  it('dotenv picks a quote the value does not hold, and refuses a value with no exact form', () => {
    expect(quoteDotenv('plain')).toBe("'plain'");
    expect(quoteDotenv("it's")).toBe("`it's`");
    expect(quoteDotenv("it's`x")).toBe(`"it's\`x"`);
    expect(quoteDotenv(`it's\`x"`)).toBeNull();
    expect(quoteDotenv("it's`\\n")).toBeNull();
    expect(() => formatEnv([{ name: 'V', value: `'"\`` }], 'dotenv')).toThrow(/V/);
  });

  it('refuses a bad variable name', () => {
    expect(() => formatEnv([{ name: '1X', value: 'v' }], 'posix')).toThrow();
  });
});
