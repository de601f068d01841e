import { parseArgs, type ParseArgsConfig } from 'node:util';
import { VaultError } from '../../src-shared/errors';

type ParseOption = NonNullable<ParseArgsConfig['options']>[string];

/**
 * One option of a command: what `node:util` parseArgs reads (type, multiple,
 * short), plus what the usage line and `--help` show. The parser and the help
 * are both made from this table, so they cannot disagree.
 */
export type CliOption = ParseOption & {
  /** What the option does, for `--help`. */
  description?: string;
  /** The value's placeholder in usage: `--timeout DURATION`. Default: the option name in capitals. */
  valueName?: string;
  /** Shown without brackets in usage (the command checks it itself). */
  required?: boolean;
  /**
   * The input field(s) this flag sets, when not its own name in camelCase
   * (`--header` sets `headerName`): a validation error about that field then
   * names the flag the user typed (see flag-hints.ts).
   */
  field?: string | string[];
};
export type OptionSpec = Record<string, CliOption>;

export const GLOBAL_OPTIONS = {
  json: { type: 'boolean', description: 'machine-readable output (errors too: {"error":{"code","message"}})' },
  home: { type: 'string', valueName: 'DIR', description: 'the data directory (default: TOKENVAULT_HOME, else your config folder)' },
  'passphrase-file': { type: 'string', valueName: 'FILE', description: 'read the master passphrase from FILE (or TOKENVAULT_PASSPHRASE_FILE)' },
  help: { type: 'boolean', short: 'h', description: 'this help, on standard output' },
} as const satisfies OptionSpec;

export interface CommandSpec {
  /** `token add`, `audit`, … */
  words: string[];
  /**
   * The synopsis: the command words, its positional arguments and any notes,
   * e.g. `test REF` or `login WORKSPACE/ENV/NAME --email E (password on standard input)`.
   * Options written here must be in `options` (a test walks every command);
   * the options part of the usage line and of `--help` is generated from `options`.
   */
  usage: string;
  summary: string;
  options: OptionSpec;
  /** Positional arguments after the command words: [min, max]. */
  positionals: [number, number];
  /**
   * Input fields that no option sets, in the user's words: `{ name: 'NAME (in WORKSPACE/ENV/NAME)',
   * 'secret.value': 'the token value (standard input)' }`. With the options' fields,
   * this is how a validation error names what the user typed instead of an internal field.
   */
  fields?: Record<string, string>;
  /**
   * The command unlocks the vault before anything else (issue 11): the launcher
   * may start the keychain read of a keychain vault before loading the command
   * (src-main/cli/key-prefetch.ts).
   */
  unlocksFirst?: true;
}

export function usageError(message: string): VaultError {
  return new VaultError('USAGE', message);
}

/**
 * Finds the command words (the first positionals) while skipping the values of
 * options, so `--home /x token list` and `token list --home /x` both work.
 */
export function findCommand<T extends CommandSpec>(argv: string[], specs: T[]): { spec: T; rest: string[] } | null {
  const valueOptions = new Set<string>();
  for (const s of specs) for (const [name, o] of Object.entries({ ...GLOBAL_OPTIONS, ...s.options })) if (o.type === 'string') valueOptions.add(`--${name}`);
  const positions: number[] = [];
  for (let i = 0; i < argv.length && positions.length < 2; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (valueOptions.has(a)) i++;
      continue;
    }
    positions.push(i);
  }
  const words = positions.map((i) => argv[i]!);
  const match =
    specs.find((s) => s.words.length === 2 && s.words[0] === words[0] && s.words[1] === words[1]) ??
    specs.find((s) => s.words.length === 1 && s.words[0] === words[0]);
  if (!match) return null;
  const drop = new Set(positions.slice(0, match.words.length));
  return { spec: match, rest: argv.filter((_, i) => !drop.has(i)) };
}

/** The option table as parseArgs takes it: only what the parser reads. */
function parserOptions(options: OptionSpec): NonNullable<ParseArgsConfig['options']> {
  const out: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, { description: _d, valueName: _v, required: _r, field: _f, ...parse }] of Object.entries(options)) out[name] = parse;
  return out;
}

const OPTION_IN_TEXT = /(?<![\w-])--([a-z][a-z0-9-]*)/g;

const NOTE = /\s\s\(.*\)\s*$/;

/** The synopsis without the options it mentions (they come from the table): `test REF [--x X]` → `test REF`. */
function synopsisHead(spec: CommandSpec): string {
  // Cut at the first mention of an option, or at an alternative form (`|`); a trailing note is kept apart.
  const body = firstLine(spec.usage).replace(NOTE, '').trimEnd();
  const cut = body.search(/\s\[?--|\s\|\s/);
  return (cut === -1 ? body : body.slice(0, cut)).trim();
}

const firstLine = (usage: string) => usage.split('\n')[0]!;

/** Lines of a usage after its first: explanations that `--help` shows under the usage line. */
const usageNotes = (usage: string) => usage.split('\n').slice(1).map((l) => l.trimEnd());

function optionUsage(name: string, o: CliOption): string {
  const flag = `--${name}${o.type === 'string' ? ` ${o.valueName ?? name.toUpperCase().replace(/-/g, '_')}` : ''}`;
  return `${o.required ? flag : `[${flag}]`}${o.multiple ? '...' : ''}`;
}

/** The options a synopsis names (`--x`), for the test that keeps synopses honest. */
export function optionsNamedIn(usage: string): string[] {
  return [...usage.matchAll(OPTION_IN_TEXT)].map((m) => m[1]!);
}

/** `test REF [--method M] … [--timeout DURATION]`: the synopsis's words and positionals, then every option of the table. */
export function usageLine(spec: CommandSpec): string {
  const note = NOTE.exec(firstLine(spec.usage))?.[0].trim();
  return [synopsisHead(spec), ...Object.entries(spec.options).map(([n, o]) => optionUsage(n, o)), ...(note ? [` ${note}`] : [])].join(' ');
}

/** `COMMAND --help`: usage, summary, and each option with its description, all from the table. */
export function commandHelp(spec: CommandSpec): string {
  const rows = [...Object.entries(spec.options), ...Object.entries(GLOBAL_OPTIONS as OptionSpec)].map(([n, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${n}${o.type === 'string' ? ` ${o.valueName ?? n.toUpperCase().replace(/-/g, '_')}` : ''}${o.multiple ? ' (repeatable)' : ''}`;
    return [flag, o.description ?? ''] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  const own = Object.keys(spec.options).length;
  return [
    `Usage: tokenvault ${usageLine(spec)}`,
    ...usageNotes(spec.usage),
    '',
    `${spec.summary}.`,
    '',
    ...(own > 0 ? ['Options:', ...rows.slice(0, own).map(([f, d]) => `  ${f.padEnd(width)}  ${d}`.trimEnd()), ''] : []),
    'Options for every command:',
    ...rows.slice(own).map(([f, d]) => `  ${f.padEnd(width)}  ${d}`.trimEnd()),
  ].join('\n');
}

/** True when the arguments ask for help (`--help` or `-h` anywhere before a `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

export function parseCommand(spec: CommandSpec, rest: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: parserOptions({ ...GLOBAL_OPTIONS, ...spec.options }),
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    // parseArgs' messages are clear ("Unknown option '--x'"); keep their first sentence.
    throw usageError(`${(e as Error).message.split('. ')[0]}. Usage: tokenvault ${usageLine(spec)}`);
  }
  const [min, max] = spec.positionals;
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    throw usageError(`Usage: tokenvault ${usageLine(spec)}`);
  }
  return { values: parsed.values as Record<string, string | boolean | string[] | undefined>, positionals: parsed.positionals };
}
