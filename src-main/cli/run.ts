import { VaultError } from '../../src-shared/errors';
import { commandHelp, findCommand, parseCommand, wantsHelp, type CommandSpec } from './args';
import { makeContext, reportError, type Context } from './context';

export type Command = CommandSpec & { run(ctx: Context): Promise<void> };

/**
 * Runs one command line against a list of commands: the whole CLI (main.ts,
 * every command) or one group of them (a per-command bundle, issue 11: a
 * process loads only the code its command needs). `help` is the general
 * help, for a line that names no command of the list. Returns the exit code.
 */
export async function runCommand(argv: string[], commands: Command[], help: () => string): Promise<number> {
  // Only tokenvault's own options: `exec … -- cmd --json` belongs to cmd.
  const cut = argv.indexOf('--');
  const json = (cut === -1 ? argv : argv.slice(0, cut)).includes('--json');
  let ctx: Context | null = null;
  try {
    const found = findCommand<Command>(argv, commands);
    // `COMMAND --help` answers on standard output with exit 0, whatever else is on the line.
    if (wantsHelp(argv)) {
      process.stdout.write(`${found ? commandHelp(found.spec) : help()}\n`);
      return 0;
    }
    if (!found) throw new VaultError('USAGE', `Unknown command "${argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')}". Run tokenvault --help.`);
    const { values, positionals } = parseCommand(found.spec, found.rest);
    ctx = makeContext(values, positionals, found.spec.words.join(' '));
    await found.spec.run(ctx);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    return reportError(e, json);
  } finally {
    ctx?.close();
  }
}
