/**
 * Dates and numbers in the user's own locale. Intl formatters are costly to
 * build and the token list formats thousands of cells, so each one is built
 * once per locale and reused.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The zone every date is shown in (Settings → Time zone); undefined: the runtime's (the OS's). */
let displayZone: string | undefined;

/** Sets the zone that formatDate and formatDateTime use when not given one. See lib/appearance.ts. */
export function setDisplayTimeZone(timeZone: string | null): void {
  displayZone = timeZone ?? undefined;
}

/** The zone dates are shown in: the chosen one, else the OS's. */
export function displayTimeZone(): string {
  return displayZone ?? new Intl.DateTimeFormat('en-US').resolvedOptions().timeZone ?? 'UTC';
}

const cache = new Map<string, Intl.RelativeTimeFormat | Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.RelativeTimeFormat | Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

function relativeFormat(locale: string | undefined) {
  return cached(`rel:${locale ?? ''}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
}

/**
 * "3 days ago", "in 2 months", "yesterday". Picks the largest unit that still
 * reads naturally; months count as 30 days and years as 365 (this is a hint
 * next to an exact date, not a calendar calculation).
 */
export function formatRelative(at: number, now: number = Date.now(), locale?: string): string {
  const diff = at - now;
  const abs = Math.abs(diff);
  const rtf = relativeFormat(locale);
  if (abs < 45 * SECOND) return rtf.format(0, 'second');
  if (abs < 45 * MINUTE) return rtf.format(Math.round(diff / MINUTE), 'minute');
  if (abs < 22 * HOUR) return rtf.format(Math.round(diff / HOUR), 'hour');
  if (abs < 46 * DAY) return rtf.format(Math.round(diff / DAY), 'day');
  if (abs < 320 * DAY) return rtf.format(Math.round(diff / (30 * DAY)), 'month');
  return rtf.format(Math.round(diff / (365 * DAY)), 'year');
}

/** "Mar 1, 2027" (in the user's locale and the chosen time zone). */
export function formatDate(at: number, locale?: string, timeZone: string | undefined = displayZone): string {
  return cached(`date:${locale ?? ''}:${timeZone ?? ''}`, () =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(timeZone ? { timeZone } : {}) }),
  ).format(at);
}

/** "Mar 1, 2027, 02:05 PM CET": the one human format of a date and time, with the zone named (as the CLI prints it); in the chosen zone. */
export function formatDateTime(at: number, locale?: string, timeZone: string | undefined = displayZone): string {
  return cached(`datetime:${locale ?? ''}:${timeZone ?? ''}`, () =>
    new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
      ...(timeZone ? { timeZone } : {}),
    }),
  ).format(at);
}

/** "100,000" (grouping per locale). */
export function formatCount(n: number, locale?: string): string {
  return cached(`num:${locale ?? ''}`, () => new Intl.NumberFormat(locale)).format(n);
}

/** "1 token" / "12 tokens". English only for now, like every other string in the UI. */
export function plural(n: number, one: string, many: string, locale?: string): string {
  return `${formatCount(n, locale)} ${n === 1 ? one : many}`;
}

export type DueState = 'none' | 'ok' | 'soon' | 'past';

/** How close a deadline (expiry, rotation due) is: past, within `soonDays`, or comfortably ahead. */
export function dueState(at: number | null, now: number = Date.now(), soonDays = 14): DueState {
  if (at === null) return 'none';
  if (at <= now) return 'past';
  if (at - now <= soonDays * DAY) return 'soon';
  return 'ok';
}

export const TIME = { SECOND, MINUTE, HOUR, DAY } as const;
