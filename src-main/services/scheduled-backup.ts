import { accessSync, constants, existsSync, lstatSync, readdirSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { toErrorPayload, VaultError } from '../../src-shared/errors';
import { Passphrase } from '../../src-shared/domain/schemas';
import { formatBackupInterval, MAX_BACKUP_KEEP, readBackupInterval, type BackupScheduleView } from '../../src-shared/domain/backup-schedule';
import { parseInput } from '../vault/validate';
import type { Vault } from '../vault/vault';
import { BackupScheduleStore, nextDueAt, type ScheduleRow } from '../vault/backup-schedule-store';
import { ageEncrypt, buildBackupDocument, type BackupOptions } from './backup';
import { writePrivateFile } from '../platform/write-private-file';

/**
 * Scheduled backups to a folder, keeping the last N (issue 14). The app runs
 * them while the vault is unlocked (BackupScheduler); cron users run
 * `tokenvault backup run-scheduled`, which does the same when one is due.
 *
 * Files are named `tokenvault-auto-<8 hex of the vault id>-<UTC instant>.age`;
 * pruning deletes only regular files with exactly this vault's name pattern,
 * never anything else in the folder (manual backups, other vaults' backups,
 * the user's own files).
 */

const NAME_RE = /^tokenvault-auto-([0-9a-f]{8})-(\d{8}T\d{6}\.\d{3}Z)\.age$/;

/** The part of the vault id that names its scheduled backups. */
function vaultTag(vaultId: string): string {
  return vaultId.replace(/^vault_/, '').slice(0, 8);
}

/** `20261130T194000.123Z`: sorts as text in time order. */
function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '');
}

/** The file name of a scheduled backup of vault `vaultId` made at `at` (epoch ms). */
export function scheduledBackupName(vaultId: string, at: number): string {
  return `tokenvault-auto-${vaultTag(vaultId)}-${stamp(at)}.age`;
}

/** This vault's scheduled backups in `folder`, newest first (regular files matching the pattern only). */
export function listScheduledBackups(folder: string, vaultId: string): string[] {
  const tag = vaultTag(vaultId);
  return readdirSync(folder)
    .filter((name) => NAME_RE.exec(name)?.[1] === tag)
    .filter((name) => {
      try {
        return lstatSync(join(folder, name)).isFile();
      } catch {
        return false;
      }
    })
    .sort()
    .reverse();
}

/**
 * Deletes this vault's scheduled backups beyond the newest `keep`. Returns
 * the names removed and the names that could not be (left in place).
 */
export function pruneScheduledBackups(folder: string, vaultId: string, keep: number): { removed: string[]; failed: string[] } {
  const removed: string[] = [];
  const failed: string[] = [];
  for (const name of listScheduledBackups(folder, vaultId).slice(keep)) {
    try {
      rmSync(join(folder, name));
      removed.push(name);
    } catch {
      failed.push(name);
    }
  }
  return { removed, failed };
}

/**
 * Checks that `folder` is an absolute path to an existing folder this process
 * can write to. Throws VALIDATION saying which of these is wrong.
 */
export function checkBackupFolder(folder: string): void {
  if (!isAbsolute(folder)) throw new VaultError('VALIDATION', `The backup folder must be an absolute path (got "${folder}").`, { issues: [{ path: 'folder', message: 'must be an absolute path' }] });
  let isDir: boolean;
  try {
    isDir = statSync(folder).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new VaultError('VALIDATION', code === 'ENOENT' ? `The backup folder ${folder} does not exist. Create it first, or choose another.` : `Cannot reach the backup folder ${folder} (${code ?? 'error'}).`, {
      issues: [{ path: 'folder', message: code === 'ENOENT' ? 'does not exist' : `cannot be reached (${code ?? 'error'})` }],
    });
  }
  if (!isDir) throw new VaultError('VALIDATION', `${folder} is a file, not a folder: choose a folder for the backups.`, { issues: [{ path: 'folder', message: 'is not a folder' }] });
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new VaultError('VALIDATION', `Tokenvault cannot write to the backup folder ${folder} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, {
      issues: [{ path: 'folder', message: 'is not writable' }],
    });
  }
}

export interface ScheduleInput {
  folder: string;
  /** `1d`, `12h`, `1w`… */
  every: string;
  keep: number;
  /** Required when no schedule exists yet; absent keeps the stored one. */
  passphrase?: string;
}

export interface ScheduledRunResult {
  ran: boolean;
  /** Set when it ran and succeeded: the file written (a name in the folder). */
  file: string | null;
  bytes: number;
  /** Scheduled backups of this vault removed to keep the last N. */
  removed: string[];
  /** Ones that could not be removed (left in place). */
  notRemoved: string[];
  schedule: BackupScheduleView;
}

/**
 * The scheduled backup of one vault: its settings, and one run. Shared by
 * the app's scheduler, the IPC handlers and the CLI.
 */
export class ScheduledBackups {
  readonly store: BackupScheduleStore;

  constructor(
    private readonly vault: Vault,
    private readonly home: string,
    private readonly opts: BackupOptions & {
      now?: () => number;
      /** The owner-only atomic writer (temporary file + rename); tests put a failing one here. */
      writeFile?: (path: string, data: Uint8Array) => void;
    } = {},
  ) {
    this.store = new BackupScheduleStore(() => vault.internals());
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** The schedule as shown to people (never the passphrase); null when none is set. Needs the vault unlocked. */
  view(): BackupScheduleView | null {
    const row = this.store.get();
    return row ? toView(row, this.now()) : null;
  }

  /**
   * Sets the schedule after checking the folder (absolute, existing,
   * writable), the interval and the count; audited. The passphrase is sealed
   * under the vault key. Throws VALIDATION for any bad field (nothing saved).
   */
  set(input: ScheduleInput): BackupScheduleView {
    checkBackupFolder(input.folder);
    const folder = resolve(input.folder);
    const every = readBackupInterval(input.every);
    if (!every.ok) throw new VaultError('VALIDATION', `The interval ${every.error}.`, { issues: [{ path: 'every', message: every.error }] });
    if (!Number.isInteger(input.keep) || input.keep < 1 || input.keep > MAX_BACKUP_KEEP) {
      throw new VaultError('VALIDATION', `Keep must be a whole number from 1 to ${MAX_BACKUP_KEEP}.`, { issues: [{ path: 'keep', message: `must be 1 to ${MAX_BACKUP_KEEP}` }] });
    }
    const existing = this.store.get();
    let passphrase: string;
    if (input.passphrase !== undefined) passphrase = parseInput(Passphrase, input.passphrase, 'passphrase');
    else if (existing) passphrase = existing.passphrase;
    else throw new VaultError('VALIDATION', 'A scheduled backup needs a backup passphrase.', { issues: [{ path: 'passphrase', message: 'is required' }] });
    this.store.set({ folder, passphrase, everyMs: every.ms, keep: input.keep });
    this.vault.recordEvent({
      type: 'updated',
      note: `scheduled backup ${existing ? 'changed' : 'set'}: every ${formatBackupInterval(every.ms)} to ${folder}, keeping the last ${input.keep}${input.passphrase !== undefined && existing ? ' (new passphrase)' : ''}`,
    });
    return this.view()!;
  }

  /** Turns the schedule off (files already written stay); audited. False when none was set. */
  clear(): boolean {
    const had = this.store.clear();
    if (had) this.vault.recordEvent({ type: 'updated', note: 'scheduled backup turned off' });
    return had;
  }

  /**
   * Runs the scheduled backup when one is due (or always, with `force`):
   * writes the encrypted backup owner-only via a temporary file and a rename,
   * then prunes this vault's scheduled backups to the last N. Records the
   * outcome (shown in settings and `backup schedule`) and audits it, success
   * or failure. A failure leaves every earlier backup in place and throws its
   * typed error (VALIDATION for a missing or unwritable folder). Throws
   * NOT_FOUND when no schedule is set, LOCKED when the vault is locked.
   */
  async run(opts: { force?: boolean; onFailed?: (message: string) => void } = {}): Promise<ScheduledRunResult> {
    const row = this.store.get();
    if (!row) throw new VaultError('NOT_FOUND', 'No scheduled backup is set. Set one with: tokenvault backup schedule --folder DIR --every 1d --keep 7');
    const started = this.now();
    if (!this.store.claim(started, opts.force === true)) return { ran: false, file: null, bytes: 0, removed: [], notRemoved: [], schedule: toView(row, started) };
    try {
      checkBackupFolder(row.folder);
      const status = this.vault.status();
      const doc = buildBackupDocument(this.vault, this.home, this.opts);
      const bytes = await ageEncrypt(JSON.stringify(doc), row.passphrase, this.opts.scryptWorkFactor);
      let at = started;
      while (existsSync(join(row.folder, scheduledBackupName(status.vaultId!, at)))) at++;
      const file = scheduledBackupName(status.vaultId!, at);
      try {
        (this.opts.writeFile ?? writePrivateFile)(join(row.folder, file), bytes);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? 'error';
        throw new VaultError('INTERNAL', `Could not write the backup ${file} in ${row.folder} (${code}); earlier backups were left as they were.`, { details: { errno: code } });
      }
      // Only after the new file is whole on disk: a failed write never costs an older backup.
      const pruned = pruneScheduledBackups(row.folder, status.vaultId!, row.keep);
      const done = this.now();
      this.store.finish(done, { ok: true, file });
      this.vault.recordEvent({
        type: 'exported',
        note: `scheduled backup to ${join(row.folder, file)}: ${doc.tables.workspaces.length} workspaces, ${doc.tables.environments.length} environments, ${doc.tables.credentials.length} tokens; ${pruned.removed.length} older removed${pruned.failed.length ? `, ${pruned.failed.length} could not be removed` : ''}`,
      });
      return { ran: true, file, bytes: bytes.length, removed: pruned.removed, notRemoved: pruned.failed, schedule: this.view()! };
    } catch (e) {
      const message = toErrorPayload(e).message;
      try {
        this.store.finish(this.now(), { ok: false, error: message });
        this.vault.recordEvent({ type: 'exported', note: `scheduled backup to ${row.folder} FAILED: ${message}` });
      } catch {
        // Locked meanwhile: the attempt time is recorded, the run is retried after RETRY_AFTER_MS.
      }
      opts.onFailed?.(message);
      throw e;
    }
  }
}

function toView(row: ScheduleRow, now: number): BackupScheduleView {
  return {
    folder: row.folder,
    everyMs: row.everyMs,
    every: formatBackupInterval(row.everyMs),
    keep: row.keep,
    updatedAt: row.updatedAt,
    lastAttemptAt: row.lastAttemptAt,
    lastSuccessAt: row.lastSuccessAt,
    lastOutcome: row.lastOutcome,
    lastFile: row.lastFile,
    lastError: row.lastError,
    nextDueAt: nextDueAt(row, now),
  };
}

/**
 * The app's timer: while the vault is unlocked, checks every `intervalMs`
 * (default a minute, and shortly after each unlock) whether the scheduled
 * backup is due, and runs it. Failures are recorded and audited by the run
 * itself; the timer never throws.
 */
export class BackupScheduler {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;
  private readonly offUnlocked: () => void;

  /**
   * @param notify shows a failed run to the user (the app: a desktop
   *   notification); the message names the folder, never the passphrase.
   */
  constructor(
    private readonly vault: Vault,
    private readonly backups: ScheduledBackups,
    private readonly notify: (n: { title: string; body: string }) => void = () => {},
    private readonly intervalMs = 60_000,
  ) {
    const onUnlocked = () => {
      setTimeout(() => void this.tick(), 5_000).unref?.();
    };
    vault.on('unlocked', onUnlocked);
    this.offUnlocked = () => vault.off('unlocked', onUnlocked);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.offUnlocked();
  }

  /** One check: runs the backup when the vault is unlocked and a schedule is due. Resolves when done. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    if (!this.vault.isUnlocked) return Promise.resolve();
    this.running = (async () => {
      try {
        await this.backups.run({ onFailed: (body) => this.notify({ title: 'Scheduled backup failed', body }) });
      } catch {
        // NOT_FOUND (no schedule), LOCKED meanwhile, or a failed run (already recorded and audited).
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}
