import { VaultError } from '../../src-shared/errors';
import type { CommandSpec } from './args';

const FLAG: Record<string, string> = { role: '--role', scopes: '--scopes', tokenType: '--token-type' };

/**
 * Runs `fn`; a grant in the wrong field (the catalog's `useField`/`wrongField`
 * details, e.g. `--role Admin` where Coolset decides by scope) is reported in
 * flags: "Use --scopes Admin instead of --role Admin."
 */
export function withFlagHints<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const d = e instanceof VaultError ? e.details : undefined;
    if (e instanceof VaultError && d && typeof d.useField === 'string' && typeof d.wrongField === 'string' && typeof d.useValue === 'string') {
      const use = FLAG[d.useField];
      const wrong = FLAG[d.wrongField];
      if (use && wrong) {
        throw new VaultError(e.code, `${e.message} Use ${use} ${d.useValue} instead of ${wrong} ${d.useValue}.`, {
          ...(e.issues ? { issues: e.issues } : {}),
          details: d,
        });
      }
    }
    throw e;
  }
}

const camel = (flag: string) => flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Every input field a command's flags and arguments set, in the user's words:
 * an option's `field` (or its name in camelCase: `--base-url` sets `baseUrl`)
 * → `--base-url`, plus the command's `fields` for what comes from positionals
 * or standard input. Negations (`--no-role`) name no field of their own.
 */
export function fieldWords(spec: CommandSpec): Map<string, string> {
  const words = new Map<string, string>();
  for (const [name, o] of Object.entries(spec.options)) {
    if (name.startsWith('no-') && o.field === undefined) continue;
    for (const f of o.field === undefined ? [camel(name)] : [o.field].flat()) if (!words.has(f)) words.set(f, `--${name}`);
  }
  for (const [f, w] of Object.entries(spec.fields ?? {})) words.set(f, w);
  return words;
}

/**
 * The user's word for an issue path: exact, else without a trailing list
 * index (`tags.0` → `--tag`). Nothing looser: a path into a file the command
 * reads (`servers[0].url` in an import) must not be mistaken for a flag.
 */
function wordFor(path: string, words: Map<string, string>): string | undefined {
  return words.get(path) ?? words.get(path.replace(/(\.\d+|\[\d+\])+$/, ''));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A VALIDATION error in the command's terms: each issue whose path is a field
 * the command's flags or arguments set is reported under that flag
 * (`headerName must be …` → `--header must be …`; `secret.value` → `the token
 * value (standard input)`), in the message and in `issues[].path` (the internal
 * name stays in `issues[].field`). The code, and so the exit code, are unchanged;
 * paths the command does not set (a location in an imported file) stay as they are.
 */
export function inCommandTerms(e: unknown, spec: CommandSpec): unknown {
  if (!(e instanceof VaultError) || e.code !== 'VALIDATION' || !e.issues?.length) return e;
  const words = fieldWords(spec);
  let message = e.message;
  let changed = false;
  const issues = e.issues.map((i) => {
    const word = i.path.startsWith('-') ? undefined : wordFor(i.path, words);
    if (word === undefined) return i;
    changed = true;
    // The path where the message names it: at the start, or after "N problems: " / "; ".
    message = message.replace(new RegExp(`(^|: |; )${escapeRe(i.path)}(?= )`), `$1${word}`);
    return { path: word, field: i.path, message: i.message };
  });
  if (!changed) return e;
  return new VaultError(e.code, message, { issues, ...(e.details ? { details: e.details } : {}) });
}
