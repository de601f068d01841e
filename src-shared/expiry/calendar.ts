import { TZDate } from '@date-fns/tz';
import { addDays, addYears, differenceInCalendarDays, startOfDay } from 'date-fns';

/**
 * Calendar arithmetic in a named IANA time zone. Every due date is "N days
 * after" some instant as the user's wall calendar counts them, not N × 24 h:
 * 90 days after 09:00 in Amsterdam is 09:00 in Amsterdam, whichever side of a
 * DST change it lands on. Instants cross every boundary as epoch milliseconds.
 */

/** The zone the runtime is set to (the user's, in the shells; `TZ` for the CLI). */
export function systemTimeZone(): string {
  return new Intl.DateTimeFormat('en-US').resolvedOptions().timeZone || 'UTC';
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * `days` calendar days later (or earlier, when negative) at the same wall-clock
 * time. A time the DST gap skips (02:30 on a spring-forward day) moves forward
 * into the hour that exists.
 */
export function addCalendarDays(at: number, days: number, timeZone: string): number {
  return +addDays(new TZDate(at, timeZone), days);
}

/** Calendar years, same wall-clock time; 29 February lands on 28 February in a common year. */
export function addCalendarYears(at: number, years: number, timeZone: string): number {
  return +addYears(new TZDate(at, timeZone), years);
}

/** Whole calendar days from `from`'s date to `to`'s date in the zone: tomorrow is 1 whatever the hour. */
export function calendarDaysBetween(from: number, to: number, timeZone: string): number {
  return differenceInCalendarDays(new TZDate(to, timeZone), new TZDate(from, timeZone));
}

/** Local midnight (or the first instant of the day, where midnight is skipped) of `at`'s date. */
export function startOfLocalDay(at: number, timeZone: string): number {
  return +startOfDay(new TZDate(at, timeZone));
}

/** `at`'s date in the zone as `YYYY-MM-DD`: all-day calendar entries, stable ids. */
export function localDateKey(at: number, timeZone: string): string {
  const d = new TZDate(at, timeZone);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
