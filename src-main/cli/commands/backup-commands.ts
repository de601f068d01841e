import { VaultError } from '../../../src-shared/errors';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { safe, table, plural } from '../format';
import { promptHidden, readPassphraseFile } from '../io';
import { resolveHome } from '../../platform/home';
import { CONFLICT_CHOICES, type ConflictChoice, type MergeChoices, type RestoreConflict } from '../../vault/backup-merge';

/**
 * The backup passphrase from `--backup-passphrase-file` or TOKENVAULT_BACKUP_PASSPHRASE_FILE;
 * null when neither is given. Errors: USAGE when the file cannot be read.
 */
export function backupPassphraseFromFile(ctx: Context): string | null {
  const file = (ctx.values['backup-passphrase-file'] as string | undefined) ?? process.env.TOKENVAULT_BACKUP_PASSPHRASE_FILE;
  if (!file) return null;
  try {
    return readPassphraseFile(file);
  } catch (e) {
    throw new VaultError('USAGE', `Cannot read the backup passphrase file ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`);
  }
}

/** The backup's passphrase (not the vault's): a file for scripts, else asked on the terminal (twice for a new backup). */
async function backupPassphrase(ctx: Context, confirm: boolean): Promise<string> {
  const fromFile = backupPassphraseFromFile(ctx);
  if (fromFile !== null) return fromFile;
  if (!process.stdin.isTTY) {
    throw new VaultError('USAGE', 'A backup needs its own passphrase: pass --backup-passphrase-file FILE (or set TOKENVAULT_BACKUP_PASSPHRASE_FILE) when not on a terminal.');
  }
  const first = await promptHidden('Backup passphrase: ');
  if (confirm && (await promptHidden('Repeat it: ')) !== first) throw new VaultError('VALIDATION', 'The two passphrases differ; nothing was written.');
  return first;
}

/** `--on-conflict mine` for all, `--on-conflict credential:cred_…=theirs` for one; repeatable. */
export function parseChoices(values: string[]): MergeChoices {
  const choices: MergeChoices = { byKey: {} };
  const isChoice = (s: string): s is ConflictChoice => (CONFLICT_CHOICES as readonly string[]).includes(s);
  for (const v of values) {
    const eq = v.lastIndexOf('=');
    const choice = eq === -1 ? v : v.slice(eq + 1);
    if (!isChoice(choice)) {
      throw new VaultError('USAGE', `--on-conflict takes mine, theirs or both (for all), or KEY=mine|theirs|both (for one); got "${v}".`);
    }
    if (eq === -1) choices.all = choice;
    else choices.byKey![v.slice(0, eq)] = choice;
  }
  return choices;
}

function conflictTable(conflicts: RestoreConflict[]): string {
  return table(
    ['KEY', 'WHAT', 'WHY', 'CHOICES'],
    conflicts.map((c) => [c.key, safe(c.path), c.reason === 'same-id' ? 'differs from this vault' : 'the name is taken here', c.choices.join('|')]),
  );
}

export const backupCommands: (CommandSpec & { run(ctx: Context): Promise<void> })[] = [
  {
    words: ['backup'],
    usage: 'backup FILE [--backup-passphrase-file FILE]',
    summary: 'Write the whole vault to FILE, encrypted (age, scrypt passphrase), owner-only',
    options: { 'backup-passphrase-file': { type: 'string' } },
    positionals: [1, 1],
    async run(ctx) {
      const file = ctx.positionals[0]!;
      const vault = await ctx.unlocked();
      const passphrase = await backupPassphrase(ctx, true);
      const { writeBackup } = await import('../../services/backup');
      const s = await writeBackup(vault, resolveHome(ctx.values.home as string | undefined), file, passphrase);
      ctx.out.result(
        s,
        `Backed up ${plural(s.workspaces, 'workspace')}, ${plural(s.environments, 'environment')}, ${plural(s.credentials, 'token')}, ${plural(s.auditEvents, 'audit event')} and ${plural(s.providers, 'provider')} to ${file}.\nOpen it anywhere with: age -d ${file}`,
      );
    },
  },
  {
    words: ['restore'],
    usage: 'restore FILE [--dry-run] [--on-conflict mine|theirs|both|KEY=CHOICE ...] [--passphrase] [--backup-passphrase-file FILE]',
    summary: 'Restore a backup: into a new vault where there is none (--passphrase: master passphrase), else merge',
    options: {
      'backup-passphrase-file': { type: 'string' },
      'dry-run': { type: 'boolean' },
      'on-conflict': { type: 'string', multiple: true },
      passphrase: { type: 'boolean' },
    },
    positionals: [1, 1],
    async run(ctx) {
      const file = ctx.positionals[0]!;
      const choices = parseChoices((ctx.values['on-conflict'] as string[] | undefined) ?? []);
      const dryRun = ctx.values['dry-run'] === true;
      const home = resolveHome(ctx.values.home as string | undefined);
      const vault = ctx.open();
      const fresh = vault.status().state === 'uninitialized';
      const { readBackup, restoreIntoNewVault, mergeBackupIntoVault } = await import('../../services/backup');
      if (fresh) {
        const doc = await readBackup(file, await backupPassphrase(ctx, false));
        const what = `${plural(doc.tables.workspaces.length, 'workspace')}, ${plural(doc.tables.environments.length, 'environment')}, ${plural(doc.tables.credentials.length, 'token')}, ${plural(doc.audit.length, 'audit event')}`;
        if (dryRun) {
          ctx.out.result({ mode: 'new', dryRun: true, backupCreatedAt: doc.createdAt, workspaces: doc.tables.workspaces.length, environments: doc.tables.environments.length, credentials: doc.tables.credentials.length, auditEvents: doc.audit.length, providers: doc.providers.length, conflicts: [] }, `Would create a new vault with ${what} from the backup of ${doc.createdAt}.`);
          return;
        }
        const usePassphrase = ctx.values.passphrase === true;
        const s = await restoreIntoNewVault(vault, home, doc, usePassphrase ? { keySource: 'passphrase', passphrase: await ctx.passphrase(true) } : { keySource: 'keychain' });
        ctx.out.result({ ...s, file: vault.file }, `Restored ${what} into a new vault in ${vault.file} (key in ${usePassphrase ? 'a master passphrase' : 'the OS keychain'}).`);
        return;
      }
      await ctx.unlocked();
      const doc = await readBackup(file, await backupPassphrase(ctx, false));
      const plan = mergeBackupIntoVault(vault, home, doc, { dryRun: true, choices });
      const m = plan.merge!;
      const summary = `${plural(m.create.workspaces, 'workspace')}, ${plural(m.create.environments, 'environment')}, ${plural(m.create.credentials, 'token')}, ${plural(m.create.providers, 'provider')} and ${plural(m.create.settings, 'setting')} to add; ${m.unchanged} identical`;
      if (dryRun) {
        ctx.out.result({ mode: 'merge', dryRun: true, create: m.create, unchanged: m.unchanged, conflicts: m.conflicts }, () =>
          [`Merging the backup of ${doc.createdAt} would find ${summary}.`, m.conflicts.length ? `${plural(m.conflicts.length, 'conflict')} (resolve with --on-conflict):\n${conflictTable(m.conflicts)}` : 'No conflicts.'].join('\n'),
        );
        return;
      }
      const open = m.conflicts.filter((c) => !choices.byKey?.[c.key] && !choices.all);
      if (open.length > 0) {
        if (!ctx.out.json) process.stderr.write(`${conflictTable(open)}\n`);
        throw new VaultError('CONFLICT', `The backup conflicts with this vault in ${plural(open.length, 'place')}: choose with --on-conflict mine|theirs|both (all) or KEY=CHOICE (one). Nothing was restored.`, {
          details: { conflicts: open.length },
        });
      }
      const done = mergeBackupIntoVault(vault, home, doc, { dryRun: false, choices });
      ctx.out.result({ mode: 'merge', create: done.merge!.create, unchanged: done.merge!.unchanged, resolved: done.merge!.resolved }, `Merged the backup of ${doc.createdAt}: ${summary}; ${plural(done.merge!.resolved.length, 'conflict')} resolved.`);
    },
  },
];
