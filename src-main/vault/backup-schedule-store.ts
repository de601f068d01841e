import { openJson, sealJson } from './cipher';
import { newGen } from './records';
import type { VaultInternals } from './vault';

/**
 * The scheduled backup's row (migration 9, issue 14): interval and count in
 * plaintext; the folder and the backup passphrase sealed under the vault key
 * (`config`), so neither is ever on disk in clear; the last run's outcome,
 * with its file name or error sealed (`last_report`: both name the folder).
 * Every method needs the vault unlocked (LOCKED otherwise), because
 * scheduled backups run only then.
 */
export interface ScheduleConfig {
  /** Absolute path. */
  folder: string;
  passphrase: string;
  everyMs: number;
  keep: number;
}

export interface ScheduleRow extends ScheduleConfig {
  updatedAt: number;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastOutcome: 'ok' | 'failed' | null;
  lastFile: string | null;
  lastError: string | null;
}

interface RawRow {
  every_ms: number;
  keep: number;
  config: Buffer;
  config_gen: number;
  updated_at: number;
  last_attempt_at: number | null;
  last_success_at: number | null;
  last_outcome: 'ok' | 'failed' | null;
  last_report: Buffer | null;
  last_report_gen: number;
}

// Both cells carry a write generation (issue 15, see cipher.ts): an older
// folder and backup passphrase written back (one that leaked, say) must not
// open, nor an older report.
const CONFIG_AT = { table: 'backup_schedule', id: '1', column: 'config' } as const;
const REPORT_AT = { table: 'backup_schedule', id: '1', column: 'last_report' } as const;

/** How soon a run that failed (or never finished: the process died) is tried again, at most. */
export const RETRY_AFTER_MS = 15 * 60_000;

export class BackupScheduleStore {
  constructor(private readonly internals: () => VaultInternals) {}

  /** The schedule, decrypted; null when none is set. */
  get(): ScheduleRow | null {
    const x = this.internals();
    const r = x.db.prepare('SELECT * FROM backup_schedule WHERE id = 1').get() as RawRow | undefined;
    if (!r) return null;
    const config = openJson<{ folder: string; passphrase: string }>(x.keys.enc, r.config, { ...CONFIG_AT, gen: r.config_gen });
    const report = r.last_report ? openJson<{ file: string | null; error: string | null }>(x.keys.enc, r.last_report, { ...REPORT_AT, gen: r.last_report_gen }) : null;
    return {
      folder: config.folder,
      passphrase: config.passphrase,
      everyMs: r.every_ms,
      keep: r.keep,
      updatedAt: r.updated_at,
      lastAttemptAt: r.last_attempt_at,
      lastSuccessAt: r.last_success_at,
      lastOutcome: r.last_outcome,
      lastFile: report?.file ?? null,
      lastError: report?.error ?? null,
    };
  }

  /** Sets (or replaces) the schedule; the last run's record is kept. */
  set(c: ScheduleConfig): void {
    const x = this.internals();
    const gen = newGen(x.random);
    const config = sealJson(x.keys.enc, { folder: c.folder, passphrase: c.passphrase }, { ...CONFIG_AT, gen }, x.random);
    // A write transaction (not a lone statement): the records digest is sealed at its end (cell-digest.ts).
    x.db.transaction(() =>
      x.db
        .prepare(
          `INSERT INTO backup_schedule (id, every_ms, keep, config, config_gen, updated_at) VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET every_ms = excluded.every_ms, keep = excluded.keep, config = excluded.config, config_gen = excluded.config_gen, updated_at = excluded.updated_at`,
        )
        .run(c.everyMs, c.keep, config, gen, x.now()),
    )();
  }

  /** Removes the schedule; true when there was one. Backup files already written stay where they are. */
  clear(): boolean {
    const { db } = this.internals();
    return db.transaction(() => db.prepare('DELETE FROM backup_schedule WHERE id = 1').run().changes > 0)();
  }

  /**
   * Claims a run at `now` when one is due: the last success is at least one
   * interval old (or there is none), and no other run started within
   * min(interval, RETRY_AFTER_MS). `force` claims regardless. One short
   * write transaction, so the app and a cron job never run the same backup
   * twice. True when this caller owns the run.
   */
  claim(now: number, force: boolean): boolean {
    const x = this.internals();
    const due = force
      ? ''
      : `AND (last_success_at IS NULL OR last_success_at + every_ms <= @now)
         AND (last_attempt_at IS NULL OR last_attempt_at + MIN(every_ms, ${RETRY_AFTER_MS}) <= @now)`;
    return x.db.prepare(`UPDATE backup_schedule SET last_attempt_at = @now WHERE id = 1 ${due}`).run({ now }).changes > 0;
  }

  /** Records how a claimed run ended. */
  finish(now: number, outcome: { ok: true; file: string } | { ok: false; error: string }): void {
    const x = this.internals();
    const gen = newGen(x.random);
    const report = sealJson(x.keys.enc, outcome.ok ? { file: outcome.file, error: null } : { file: null, error: outcome.error }, { ...REPORT_AT, gen }, x.random);
    x.db.transaction(() =>
      x.db
        .prepare(
          outcome.ok
            ? "UPDATE backup_schedule SET last_outcome = 'ok', last_success_at = ?, last_report = ?, last_report_gen = ? WHERE id = 1"
            : "UPDATE backup_schedule SET last_outcome = 'failed', last_report = ?, last_report_gen = ? WHERE id = 1",
        )
        .run(...(outcome.ok ? [now, report, gen] : [report, gen])),
    )();
  }
}

/** When the next run is due (epoch ms), by the rule of `claim`. */
export function nextDueAt(row: Pick<ScheduleRow, 'everyMs' | 'lastAttemptAt' | 'lastSuccessAt'>, now: number): number {
  const bySuccess = row.lastSuccessAt === null ? now : row.lastSuccessAt + row.everyMs;
  const byAttempt = row.lastAttemptAt === null ? now : row.lastAttemptAt + Math.min(row.everyMs, RETRY_AFTER_MS);
  return Math.max(bySuccess, byAttempt);
}
