import { VaultError } from '../../src-shared/errors';
import { commandHelp, findCommand, GLOBAL_OPTIONS, parseCommand, wantsHelp, type CommandSpec, type OptionSpec } from './args';
import { makeContext, reportError, type Context } from './context';
import { backupCommands } from './commands/backup-commands';
import { backupScheduleCommands } from './commands/backup-schedule-commands';
import { dueCommands } from './commands/due-commands';
import { manageCommands } from './commands/manage-commands';
import { execCommands } from './commands/exec-commands';
import { proxyCommands } from './commands/proxy-command';
import { scanCommands } from './commands/scan-command';
import { exportCommands } from './commands/export-commands';
import { importCommands } from './commands/import-commands';
import { keyCommands } from './commands/key-commands';
import { requestCommands } from './commands/request-commands';
import { revocationCommands } from './commands/revocation-commands';
import { sessionCommands } from './commands/session-commands';
import { tokenCommands } from './commands/token-commands';
import { vaultCommands } from './commands/vault-commands';
import { workspaceCommands } from './commands/workspace-commands';

type Command = CommandSpec & { run(ctx: Context): Promise<void> };

export const COMMANDS: Command[] = [
  ...vaultCommands,
  ...workspaceCommands,
  ...tokenCommands,
  ...requestCommands,
  ...revocationCommands,
  ...dueCommands,
  ...sessionCommands,
  ...manageCommands,
  ...execCommands,
  ...proxyCommands,
  ...backupCommands,
  ...backupScheduleCommands,
  ...scanCommands,
  ...importCommands,
  ...exportCommands,
  ...keyCommands,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.words.join(' ').length));
  return [
    'tokenvault — a vault for API tokens',
    '',
    'Usage: tokenvault COMMAND [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.words.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    ...Object.entries(GLOBAL_OPTIONS as OptionSpec).map(([n, o]) => `  ${`--${n}${o.type === 'string' ? ` ${o.valueName ?? ''}` : ''}`.padEnd(22)}  ${o.description ?? ''}`),
    '',
    'A REF is WORKSPACE/ENV/NAME or a token id. Exit codes: 0 success, 2 bad usage or input, 1 other failures.',
    'Run `tokenvault COMMAND --help` for the options of one command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  // Only tokenvault's own options: `exec … -- cmd --json` belongs to cmd.
  const cut = argv.indexOf('--');
  const json = (cut === -1 ? argv : argv.slice(0, cut)).includes('--json');
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(`${help()}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version') {
    process.stdout.write(`${process.env.TOKENVAULT_VERSION ?? 'dev'}\n`);
    return 0;
  }
  let ctx: Context | null = null;
  try {
    const found = findCommand<Command>(argv, COMMANDS);
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
