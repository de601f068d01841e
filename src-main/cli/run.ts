import { VaultError } from '../../src-shared/errors';
import { commandHelp, findCommand, parseCommand, wantsHelp, type CommandSpec } from './args';
import { makeContext, reportError, type Context, type EarlyUnlock } from './context';
import { inCommandTerms } from './flag-hints';
import { quotePosix } from '../../src-shared/domain/env-vars';

/**
 * KEYCHAIN_UNAVAILABLE from a command that can use a master passphrase instead
 * (`init`, `restore`: their `--passphrase` option) ends with the line to run:
 * the user's own command with `--passphrase` added. Other commands keep the
 * error as it is (it says to unlock the keychain). Code and details unchanged.
 */
export function passphraseHint(e: unknown, spec: CommandSpec, argv: readonly string[]): unknown {
  if (!(e instanceof VaultError) || e.code !== 'KEYCHAIN_UNAVAILABLE' || spec.options.passphrase?.type !== 'boolean' || argv.includes('--passphrase')) return e;
  const cut = argv.indexOf('--');
  const line = (cut === -1 ? argv : argv.slice(0, cut)).filter((a) => a !== '--json').map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : quotePosix(a)));
  return new VaultError(e.code, `${e.message} To use a master passphrase: tokenvault ${[...line, '--passphrase'].join(' ')}`, {
    ...(e.issues ? { issues: e.issues } : {}),
    ...(e.details ? { details: e.details } : {}),
  });
}

/** RATE_LIMITED (a hold the provider asked for) from a command that can send anyway ends with how: its `--force`. */
export function forceHint(e: unknown, spec: CommandSpec): unknown {
  if (!(e instanceof VaultError) || e.code !== 'RATE_LIMITED' || spec.options.force?.type !== 'boolean') return e;
  return new VaultError(e.code, `${e.message} Send anyway with --force (audited).`, {
    ...(e.issues ? { issues: e.issues } : {}),
    ...(e.details ? { details: e.details } : {}),
  });
}

export type Command = CommandSpec & { run(ctx: Context): Promise<void> };

/**
 * Runs one command line against a list of commands: the whole CLI (main.ts,
 * every command) or one group of them (a per-command bundle, issue 11: a
 * process loads only the code its command needs). `help` is the general
 * help, for a line that names no command of the list; `early`, what the
 * launcher started for a command that unlocks first. Returns the exit code.
 */
export async function runCommand(argv: string[], commands: Command[], help: () => string, early?: EarlyUnlock): Promise<number> {
  // Only tokenvault's own options: `exec … -- cmd --json` belongs to cmd.
  const cut = argv.indexOf('--');
  const json = (cut === -1 ? argv : argv.slice(0, cut)).includes('--json');
  const holder: { ctx: Context | null } = { ctx: null };
  const code = await runInContext(argv, commands, help, early, json, holder);
  // Closing writes what the command left queued (a reveal's audit event): when that fails
  // (the write lock held past the wait, say), the command did not fully happen. Said typed, exit 1.
  try {
    holder.ctx?.close();
  } catch (e) {
    const closeCode = reportError(e, json);
    return code === 0 ? closeCode : code;
  }
  return code;
}

async function runInContext(argv: string[], commands: Command[], help: () => string, early: EarlyUnlock | undefined, json: boolean, holder: { ctx: Context | null }): Promise<number> {
  let spec: CommandSpec | null = null;
  try {
    const found = findCommand<Command>(argv, commands);
    // `COMMAND --help` answers on standard output with exit 0, whatever else is on the line.
    if (wantsHelp(argv)) {
      process.stdout.write(`${found ? commandHelp(found.spec) : help()}\n`);
      return 0;
    }
    if (!found) throw new VaultError('USAGE', `Unknown command "${argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')}". Run tokenvault --help.`);
    spec = found.spec;
    const { values, positionals } = parseCommand(found.spec, found.rest);
    const ctx = makeContext(values, positionals, found.spec.words.join(' '), found.spec.unlocksFirst ? early : undefined);
    holder.ctx = ctx;
    await found.spec.run(ctx);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    // A problem with a field is reported under the flag or argument the user typed;
    // a missing keychain names this command's own way to a passphrase.
    return reportError(spec ? forceHint(passphraseHint(inCommandTerms(e, spec), spec, argv), spec) : e, json);
  }
}
