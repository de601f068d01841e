import { basename, dirname, resolve } from 'node:path';
import { writePrivateFile } from '../../platform/write-private-file';
import { VaultError } from '../../../src-shared/errors';
import { requireStoredValue } from '../../../src-shared/domain/value-state';
import { ENV_FORMATS, formatEnv, type EnvFormat, type EnvVar } from '../../../src-shared/domain/env-vars';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { safe } from '../format';
import { promptLine } from '../io';
import { gitWorkTreeOf, stdoutFile } from '../exec/git-tree';
import { exitLikeChild, runChild } from '../exec/run-child';
import { confirmProduction, selectTokens, type ChosenVariables, type Selection } from '../exec/select-tokens';

const SELECTION_OPTIONS = {
  workspace: { type: 'string' },
  env: { type: 'string' },
  map: { type: 'string', multiple: true },
  all: { type: 'boolean' },
  yes: { type: 'boolean' },
} as const;

function selectionOf(values: Context['values']): Selection {
  return {
    ...(typeof values.workspace === 'string' ? { workspace: values.workspace } : {}),
    ...(typeof values.env === 'string' ? { env: values.env } : {}),
    maps: (values.map as string[] | undefined) ?? [],
    all: values.all === true,
  };
}

const interactive = () => process.stdin.isTTY === true && process.stderr.isTTY === true;

/**
 * Variables that unlock the vault are not passed on: the child gets the
 * tokens it was given, not the means to open the vault for others.
 */
export function childEnvironment(parent: NodeJS.ProcessEnv, vars: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(parent)) {
    if (/^TOKENVAULT_(BACKUP_)?(PASSPHRASE|SESSION)/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...vars };
}

/** Reads the chosen values: the only moment the vault is needed. */
function readValues(ctx: Context, chosen: ChosenVariables): { vars: EnvVar[]; secrets: string[] } {
  const vault = ctx.open();
  const vars: EnvVar[] = [];
  const secrets: string[] = [];
  for (const t of chosen.tokens) {
    requireStoredValue(t.credential);
    const s = vault.secretForRequest(t.credential.id);
    vars.push({ name: t.variable, value: s.value });
    secrets.push(s.value);
  }
  for (const b of chosen.baseUrls) vars.push({ name: b.variable, value: b.environment.baseUrl });
  return { vars, secrets };
}

/** One audit event per token: which token, as which variable, for what (a command's name, never its arguments). */
function auditUse(ctx: Context, chosen: ChosenVariables, note: string, type: 'used' | 'revealed'): void {
  const vault = ctx.open();
  for (const t of chosen.tokens) {
    vault.recordEvent({ type, credentialId: t.credential.id, fingerprint: t.credential.fingerprint, note: `${note} as ${t.variable}` });
  }
}

export const execCommands: (CommandSpec & { run(ctx: Context): Promise<void> })[] = [
  {
    words: ['exec'],
    usage: 'exec [--workspace W] [--env E] [--map VAR=REF]... [--all] [--mask] [--yes] -- COMMAND [ARGS...]',
    summary: "Run a command with tokens in its environment only (exit code and signals are the command's)",
    options: { ...SELECTION_OPTIONS, mask: { type: 'boolean' } },
    positionals: [1, Number.MAX_SAFE_INTEGER],
    async run(ctx) {
      const [command, ...args] = ctx.positionals as [string, ...string[]];
      const vault = await ctx.unlocked();
      const chosen = selectTokens(vault, selectionOf(ctx.values));
      const name = safe(basename(command)).slice(0, 100);
      await confirmProduction(chosen, { yes: ctx.values.yes === true, interactive: interactive(), ask: promptLine, what: `run ${name} with them` });
      const { vars, secrets } = readValues(ctx, chosen);
      auditUse(ctx, chosen, `exec ${name}`, 'used');
      // Locked and closed before the command starts: it may run for hours.
      ctx.close();
      const env = childEnvironment(process.env, Object.fromEntries(vars.map((v) => [v.name, v.value])));
      const outcome = await runChild(command, args, env, { mask: ctx.values.mask === true ? secrets : null });
      process.exitCode = exitLikeChild(outcome);
    },
  },
  {
    words: ['env'],
    usage: 'env [--workspace W] [--env E] [--map VAR=REF]... [--all] [--format posix|dotenv|json|fish|powershell] [--output FILE] [--force] [--yes]',
    summary: 'Print tokens as variables for a shell or a .env file (values shown: audited as revealed)',
    options: { ...SELECTION_OPTIONS, format: { type: 'string' }, output: { type: 'string' }, force: { type: 'boolean' } },
    positionals: [0, 0],
    async run(ctx) {
      const format = (ctx.values.format as string | undefined) ?? 'posix';
      if (!(ENV_FORMATS as readonly string[]).includes(format)) {
        throw new VaultError('USAGE', `--format takes ${ENV_FORMATS.join(', ')} (got "${format}").`);
      }
      const output = ctx.values.output as string | undefined;
      const force = ctx.values.force === true;
      // Refused before the vault is opened: a value must never land in a repository by accident.
      const target = output !== undefined ? { path: resolve(output) } : stdoutFile();
      if (target && !force) {
        const tree = target.path !== null ? gitWorkTreeOf(dirname(target.path)) : gitWorkTreeOf(process.cwd());
        if (tree !== null) {
          throw new VaultError(
            'USAGE',
            `Refused: ${target.path ?? 'standard output (a file)'} is inside the git work tree ${tree}, where a token can be committed by mistake. Write elsewhere, or pass --force.`,
          );
        }
      }
      const vault = await ctx.unlocked();
      const chosen = selectTokens(vault, selectionOf(ctx.values));
      await confirmProduction(chosen, { yes: ctx.values.yes === true, interactive: interactive(), ask: promptLine, what: 'print their values' });
      const { vars } = readValues(ctx, chosen);
      let text: string;
      try {
        text = formatEnv(vars, format as EnvFormat);
      } catch (e) {
        throw new VaultError('VALIDATION', `Cannot write ${format}: ${(e as Error).message}.`);
      }
      auditUse(ctx, chosen, `env --format ${format}${output !== undefined ? ` --output ${basename(output)}` : ''}`, 'revealed');
      if (output !== undefined) {
        writePrivateFile(resolve(output), text);
        ctx.out.info(`Wrote ${vars.length} variable${vars.length === 1 ? '' : 's'} to ${output} (owner-only).`);
        return;
      }
      if (process.stdout.isTTY) process.stderr.write('tokenvault: warning: token values are shown on this terminal (and kept in its scrollback).\n');
      process.stdout.write(text);
    },
  },
];
