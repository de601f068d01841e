import { addCalendarDays, addCalendarMonths } from '../expiry/calendar';

/**
 * Durations as users type them: `90d`, `2w`, `12h`, `6mo`, `1y`, `45min`.
 *
 * One rule for every shell (the CLI's `--duration`, the token form's "Expires
 * after"): minutes and hours are elapsed time; days and weeks are calendar
 * days in the user's time zone (30 days after 09:00 is 09:00, whichever side
 * of a DST change); months and years are calendar months and years (31 Jan +
 * 1mo = 28/29 Feb, 29 Feb + 1y = 28 Feb). A bare `m` is refused: half the
 * people who type `6m` mean minutes and half mean months.
 */
export const DURATION_UNITS = ['min', 'h', 'd', 'w', 'mo', 'y'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export interface Duration {
  amount: number;
  unit: DurationUnit;
}

/** For help and error text: every unit with its meaning. */
export const DURATION_UNITS_HELP = 'min (minutes), h (hours), d (days), w (weeks), mo (months), y (years)';
export const DURATION_EXAMPLE = 'such as 30d, 2w, 12h, 6mo or 1y';

const MINUTE = 60_000;
const HOUR = 3_600_000;
export const DAY_MS = 86_400_000;

const DURATION_RE = /^(\d{1,6})\s*(min|mo|h|d|w|y)$/;

export type DurationRead = { ok: true; duration: Duration } | { ok: false; error: string };

/** Reads a duration, or says in words what is wrong (the message names every unit; `m` names `min` and `mo`). */
export function readDuration(text: string): DurationRead {
  const t = text.trim().toLowerCase();
  const bareM = /^(\d{1,6})\s*m$/.exec(t);
  if (bareM) {
    return { ok: false, error: `"${text.trim()}" is ambiguous: write ${bareM[1]}min for minutes or ${bareM[1]}mo for months` };
  }
  const m = DURATION_RE.exec(t);
  const amount = m ? Number(m[1]) : 0;
  if (!m || amount <= 0) return { ok: false, error: `must be a duration ${DURATION_EXAMPLE} (units: ${DURATION_UNITS_HELP})` };
  return { ok: true, duration: { amount, unit: m[2] as DurationUnit } };
}

export function parseDurationSpec(text: string): Duration | null {
  const r = readDuration(text);
  return r.ok ? r.duration : null;
}

/**
 * The instant `d` after `at` (epoch ms) by the rule above, counted in `timeZone`
 * (an IANA name: the user's zone). Raises RangeError for an unknown zone.
 */
export function addDuration(at: number, d: Duration, timeZone: string): number {
  switch (d.unit) {
    case 'min':
      return at + d.amount * MINUTE;
    case 'h':
      return at + d.amount * HOUR;
    case 'd':
      return addCalendarDays(at, d.amount, timeZone);
    case 'w':
      return addCalendarDays(at, d.amount * 7, timeZone);
    case 'mo':
      return addCalendarMonths(at, d.amount, timeZone);
    case 'y':
      return addCalendarMonths(at, d.amount * 12, timeZone);
  }
}

/** An upper bound in days (a month as 31, a year as 366), to check a limit without a zone. */
export function maxDays(d: Duration): number {
  const per: Record<DurationUnit, number> = { min: 1 / 1440, h: 1 / 24, d: 1, w: 7, mo: 31, y: 366 };
  return d.amount * per[d.unit];
}

/**
 * A duration as a fixed length in milliseconds, for what is a count rather than
 * a calendar span (rotation periods, `--within`): a day is 24 h, a year 365
 * days; months have no fixed length and give null.
 */
export function parseDuration(text: string): number | null {
  const d = parseDurationSpec(text);
  if (!d) return null;
  const ms: Record<DurationUnit, number | null> = { min: MINUTE, h: HOUR, d: DAY_MS, w: 7 * DAY_MS, mo: null, y: 365 * DAY_MS };
  const unit = ms[d.unit];
  return unit === null ? null : d.amount * unit;
}

/** `90d` → 90; only whole days make sense for rotation policies. */
export function parseDays(text: string): number | null {
  const ms = parseDuration(text);
  if (ms === null || ms % DAY_MS !== 0) return null;
  return ms / DAY_MS;
}
