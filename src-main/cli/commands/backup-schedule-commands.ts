import { resolve } from 'node:path';
import { VaultError } from '../../../src-shared/errors';
import type { BackupScheduleView } from '../../../src-shared/domain/backup-schedule';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { date, safe } from '../format';
import { promptHidden } from '../io';
import { backupPassphraseFromFile } from './backup-commands';
import { resolveHome } from '../../platform/home';

/**
 * `tokenvault backup schedule` (set, show, turn off) and `tokenvault backup
 * run-scheduled` (for cron and other schedulers: runs the backup when due).
 * The app runs the same schedule by itself while the vault is unlocked; a
 * run claims its slot in the vault, so the two never write the same backup.
 */

/** The backup passphrase from a file, else asked twice on a terminal; null when neither (keep the stored one). */
async function newBackupPassphrase(ctx: Context, required: boolean): Promise<string | null> {
  const fromFile = backupPassphraseFromFile(ctx);
  if (fromFile !== null) return fromFile;
  if (!required && ctx.values['change-passphrase'] !== true) return null;
  if (!process.stdin.isTTY) {
    throw new VaultError('USAGE', 'A scheduled backup needs its own passphrase: pass --backup-passphrase-file FILE (or set TOKENVAULT_BACKUP_PASSPHRASE_FILE) when not on a terminal.');
  }
  const first = await promptHidden('Backup passphrase for the scheduled backups: ');
  if ((await promptHidden('Repeat it: ')) !== first) throw new VaultError('VALIDATION', 'The two passphrases differ; nothing was changed.');
  return first;
}

const when = (ms: number | null) => (ms === null ? 'never' : date(ms));

function describeSchedule(s: BackupScheduleView, now: number): string {
  return [
    `Scheduled backup: every ${s.every} to ${safe(s.folder)}, keeping the last ${s.keep}.`,
    `Last success: ${when(s.lastSuccessAt)}${s.lastOutcome === 'ok' && s.lastFile ? ` (${safe(s.lastFile)})` : ''}`,
    s.lastOutcome === 'failed' ? `Last run FAILED at ${when(s.lastAttemptAt)}: ${safe(s.lastError ?? '')}` : null,
    `Next: ${s.nextDueAt <= now ? 'due now (the app runs it while unlocked; or tokenvault backup run-scheduled)' : when(s.nextDueAt)}`,
  ]
    .filter((l) => l !== null)
    .join('\n');
}

export const backupScheduleCommands: (CommandSpec & { run(ctx: Context): Promise<void> })[] = [
  {
    words: ['backup', 'schedule'],
    usage: 'backup schedule [--folder DIR --every INTERVAL --keep N [--backup-passphrase-file FILE] [--change-passphrase]] [--off]',
    summary: 'Show, set or turn off the scheduled backup to a folder (keeps the last N)',
    options: {
      folder: { type: 'string', valueName: 'DIR', description: 'an existing folder for the backups (relative to the current one)' },
      every: { type: 'string', valueName: 'INTERVAL', description: 'how often: 12h, 1d, 1w (at least 1h)' },
      keep: { type: 'string', valueName: 'N', description: 'how many scheduled backups to keep (1 to 1000); older ones with the same name pattern are deleted' },
      'backup-passphrase-file': { type: 'string', valueName: 'FILE', description: 'the backups\' passphrase (or TOKENVAULT_BACKUP_PASSPHRASE_FILE); asked on a terminal when setting one up' },
      'change-passphrase': { type: 'boolean', description: 'ask for a new backup passphrase when changing an existing schedule' },
      off: { type: 'boolean', description: 'turn the scheduled backup off (backups already written stay)' },
    },
    positionals: [0, 0],
    async run(ctx) {
      const vault = await ctx.unlocked();
      const { ScheduledBackups } = await import('../../services/scheduled-backup');
      const backups = new ScheduledBackups(vault, resolveHome(ctx.values.home as string | undefined));
      const setting = ['folder', 'every', 'keep'].filter((k) => ctx.values[k] !== undefined);
      if (ctx.values.off === true) {
        if (setting.length > 0) throw new VaultError('USAGE', '--off turns the schedule off: it takes no --folder, --every or --keep.');
        const cleared = backups.clear();
        ctx.out.result({ cleared }, cleared ? 'Scheduled backup turned off. Backups already written were left in their folder.' : 'No scheduled backup was set.');
        return;
      }
      if (setting.length === 0) {
        const view = backups.view();
        ctx.out.result({ schedule: view }, view ? describeSchedule(view, Date.now()) : 'No scheduled backup is set. Set one with: tokenvault backup schedule --folder DIR --every 1d --keep 7');
        return;
      }
      const existing = backups.view();
      const folder = (ctx.values.folder as string | undefined) ?? existing?.folder;
      const every = (ctx.values.every as string | undefined) ?? existing?.every;
      const keepText = (ctx.values.keep as string | undefined) ?? (existing ? String(existing.keep) : undefined);
      if (!folder || !every || !keepText) throw new VaultError('USAGE', 'A new schedule needs --folder DIR, --every INTERVAL and --keep N.');
      if (!/^\d{1,4}$/.test(keepText)) throw new VaultError('USAGE', `--keep takes a whole number from 1 to 1000 (got "${keepText}").`);
      const passphrase = await newBackupPassphrase(ctx, existing === null);
      const view = backups.set({ folder: resolve(folder), every, keep: Number(keepText), ...(passphrase !== null ? { passphrase } : {}) });
      ctx.out.result(
        { schedule: view },
        `${describeSchedule(view, Date.now())}\nThe app makes these backups while the vault is unlocked. Without the app, run "tokenvault backup run-scheduled" from cron (it backs up only when due).`,
      );
    },
  },
  {
    words: ['backup', 'run-scheduled'],
    usage: 'backup run-scheduled [--force]',
    summary: 'Make the scheduled backup if it is due (for cron); --force makes it now',
    options: { force: { type: 'boolean', description: 'back up now even if the last backup is recent' } },
    positionals: [0, 0],
    async run(ctx) {
      const vault = await ctx.unlocked();
      const { ScheduledBackups } = await import('../../services/scheduled-backup');
      const r = await new ScheduledBackups(vault, resolveHome(ctx.values.home as string | undefined)).run({ force: ctx.values.force === true });
      ctx.out.result(
        { ran: r.ran, file: r.file, bytes: r.bytes, removed: r.removed, notRemoved: r.notRemoved, schedule: r.schedule },
        r.ran
          ? `Backed up to ${safe(r.schedule.folder)}/${safe(r.file!)}${r.removed.length ? `; removed ${r.removed.length} older scheduled backup${r.removed.length === 1 ? '' : 's'}` : ''}${r.notRemoved.length ? `; could not remove ${r.notRemoved.join(', ')}` : ''}.`
          : `Not due yet: the next scheduled backup is due at ${when(r.schedule.nextDueAt)}.`,
      );
    },
  },
];
