/**
 * Environment variables for `tokenvault exec` and `tokenvault env` (issue 13).
 *
 * The naming rule for `--all`, documented in the README:
 *   `<WORKSPACE>_<ENV>_<NAME>_TOKEN`, and `<WORKSPACE>_<ENV>_BASE_URL` for the
 *   environment's base URL, where each part is the name
 *   - decomposed (NFKD) with its accents dropped (`Café` → `CAFE`),
 *   - upper-cased, every run of characters other than `A–Z`/`0–9` made one `_`,
 *     with no `_` at either end (`Sales (EU)` → `SALES_EU`);
 *   - `_TOKEN` is not doubled: a token named `ci token` gives `…_CI_TOKEN`;
 *   - a name that would start with a digit gets a leading `_` (`2024 Acme` → `_2024_ACME_…`).
 * A name with nothing left (only symbols or non-Latin letters) cannot be named
 * by the rule: map it with `--map VAR=REF`. Two tokens (or two base URLs) that
 * land on one variable are an error that names both.
 */

export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One part of a variable name, by the rule above; '' when nothing usable is left. */
export function envVarPart(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function assemble(parts: string[], suffix: string): string {
  const joined = parts.join('_');
  const full = joined === suffix || joined.endsWith(`_${suffix}`) ? joined : `${joined}_${suffix}`;
  return /^[0-9]/.test(full) ? `_${full}` : full;
}

/** `ACME_PRODUCTION_SALES_TOKEN` for Acme/production/sales; null when a part has nothing usable. */
export function tokenVarName(workspace: string, environment: string, token: string): string | null {
  const parts = [envVarPart(workspace), envVarPart(environment), envVarPart(token)];
  return parts.some((p) => p === '') ? null : assemble(parts, 'TOKEN');
}

/** `ACME_PRODUCTION_BASE_URL` for Acme/production; null when a part has nothing usable. */
export function baseUrlVarName(workspace: string, environment: string): string | null {
  const parts = [envVarPart(workspace), envVarPart(environment)];
  return parts.some((p) => p === '') ? null : assemble([...parts, 'BASE', 'URL'], 'BASE_URL');
}

export type EnvFormat = 'posix' | 'dotenv' | 'json' | 'fish' | 'powershell';
export const ENV_FORMATS: readonly EnvFormat[] = ['posix', 'dotenv', 'json', 'fish', 'powershell'];

export interface EnvVar {
  name: string;
  value: string;
}

/** POSIX sh single quotes: nothing is special inside them but the quote itself, closed, escaped and reopened. */
export function quotePosix(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** fish single quotes: only `\\` and `\'` are escapes inside them. */
export function quoteFish(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/**
 * PowerShell single-quoted (verbatim) strings: a quote is written twice.
 * PowerShell also treats the typographic single quotes U+2018–U+201B as quotes.
 */
export function quotePowerShell(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (c) => c + c)}'`;
}

/**
 * dotenv (the `dotenv` package's grammar): single, backtick and double quotes,
 * none of which has an escape for its own quote, and double quotes expand
 * `\n`/`\r`. So the first style whose quote is absent from the value wins:
 * single, then backtick, then double (only when the value has no `\n`/`\r`
 * sequence to expand). A value with all three quotes, a line break, or a `\n`
 * sequence plus both other quotes has no exact form: null.
 */
export function quoteDotenv(value: string): string | null {
  if (/[\r\n]/.test(value)) return null;
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('`')) return `\`${value}\``;
  if (!value.includes('"') && !/\\[nr]/.test(value)) return `"${value}"`;
  return null;
}

/**
 * The variables in one of the formats, each quoted so that its shell or
 * parser reads back exactly the value. Throws (a message naming the variable)
 * for a value that dotenv cannot represent, and for a bad variable name.
 */
export function formatEnv(vars: readonly EnvVar[], format: EnvFormat): string {
  for (const v of vars) if (!ENV_VAR_NAME.test(v.name)) throw new Error(`"${v.name}" is not a valid variable name`);
  switch (format) {
    case 'json':
      return `${JSON.stringify(Object.fromEntries(vars.map((v) => [v.name, v.value])), null, 2)}\n`;
    case 'posix':
      return vars.map((v) => `export ${v.name}=${quotePosix(v.value)}\n`).join('');
    case 'fish':
      return vars.map((v) => `set -gx ${v.name} ${quoteFish(v.value)}\n`).join('');
    case 'powershell':
      return vars.map((v) => `$env:${v.name} = ${quotePowerShell(v.value)}\n`).join('');
    case 'dotenv':
      return vars
        .map((v) => {
          const q = quoteDotenv(v.value);
          if (q === null) throw new Error(`the value of ${v.name} cannot be written exactly in a .env file (it holds every kind of quote)`);
          return `${v.name}=${q}\n`;
        })
        .join('');
  }
}
