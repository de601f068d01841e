import { readDuration } from './duration';

/**
 * Scheduled backups (issue 14): how often, and how many files to keep. Pure
 * rules shared by the CLI (`--every 1d --keep 7`), the settings section and
 * the main process that runs them.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** At most one backup an hour: each one costs a scrypt derivation (~1–3 s) and a whole-vault write. */
export const MIN_BACKUP_INTERVAL_MS = HOUR_MS;
export const MAX_BACKUP_INTERVAL_MS = 366 * DAY_MS;
export const MAX_BACKUP_KEEP = 1000;

export type IntervalRead = { ok: true; ms: number } | { ok: false; error: string };

/**
 * Reads an interval such as `1d`, `12h`, `1w` or `90min` into milliseconds of
 * elapsed time (a day is 24 hours here: a backup schedule does not follow the
 * calendar). Months and years are refused (say `30d`, `52w`), as is anything
 * under an hour or over 366 days.
 */
export function readBackupInterval(text: string): IntervalRead {
  const r = readDuration(text);
  if (!r.ok) return { ok: false, error: `must be an interval such as 1d, 12h or 1w (${r.error})` };
  const { amount, unit } = r.duration;
  const per = { min: 60_000, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS } as const;
  if (unit === 'mo' || unit === 'y') return { ok: false, error: 'must be counted in hours, days or weeks (30d rather than 1mo)' };
  const ms = amount * per[unit];
  if (ms < MIN_BACKUP_INTERVAL_MS) return { ok: false, error: 'must be at least 1h' };
  if (ms > MAX_BACKUP_INTERVAL_MS) return { ok: false, error: 'must be at most 366d' };
  return { ok: true, ms };
}

/** An interval in the largest unit that divides it: 86400000 → `1d`, 7200000 → `2h`, 5400000 → `90min`. */
export function formatBackupInterval(ms: number): string {
  if (ms % (7 * DAY_MS) === 0) return `${ms / (7 * DAY_MS)}w`;
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  return `${Math.round(ms / 60_000)}min`;
}

/** What the settings section and `tokenvault backup schedule` show; never the passphrase. */
export interface BackupScheduleView {
  /** Absolute path of the folder on this machine. */
  folder: string;
  everyMs: number;
  /** `1d`, `12h`… (formatBackupInterval). */
  every: string;
  keep: number;
  /** Epoch ms (UTC). */
  updatedAt: number;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  /** The outcome of the last finished run. */
  lastOutcome: 'ok' | 'failed' | null;
  /** The file the last successful run wrote (a name in `folder`). */
  lastFile: string | null;
  /** Why the last run failed, in words; null after a success. */
  lastError: string | null;
  /** When the next run is due (epoch ms): now or earlier means at the next check while unlocked. */
  nextDueAt: number;
}
