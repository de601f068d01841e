import { parseArgs, type ParseArgsConfig } from 'node:util';
import { VaultError } from '../../src-shared/errors';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  home: { type: 'string' },
  'passphrase-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

export interface CommandSpec {
  /** `token add`, `audit`, … */
  words: string[];
  usage: string;
  summary: string;
  options: OptionSpec;
  /** Positional arguments after the command words: [min, max]. */
  positionals: [number, number];
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

export function parseCommand(spec: CommandSpec, rest: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...spec.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    // parseArgs' messages are clear ("Unknown option '--x'"); keep their first sentence.
    throw usageError(`${(e as Error).message.split('. ')[0]}. Usage: tokenvault ${spec.usage}`);
  }
  const [min, max] = spec.positionals;
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    throw usageError(`Usage: tokenvault ${spec.usage}`);
  }
  return { values: parsed.values as Record<string, string | boolean | string[] | undefined>, positionals: parsed.positionals };
}
