import { GLOBAL_OPTIONS, type OptionSpec } from './args';
import { runCommand, type Command } from './run';
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

export function help(): string {
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
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(`${help()}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version') {
    process.stdout.write(`${process.env.TOKENVAULT_VERSION ?? 'dev'}\n`);
    return 0;
  }
  return runCommand(argv, COMMANDS, help);
}
