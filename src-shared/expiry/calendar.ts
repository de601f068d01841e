import { tzOffset } from '@date-fns/tz';

/**
 * Calendar arithmetic in a named IANA time zone. Every due date is "N days
 * after" some instant as the user's wall calendar counts them, not N × 24 h:
 * 90 days after 09:00 in Amsterdam is 09:00 in Amsterdam, whichever side of a
 * DST change it lands on. Instants cross every boundary as epoch milliseconds.
 *
 * The reminders check every token of a vault (100,000 of them) each minute, so
 * this does not build a zoned Date per call: it works on "wall-clock
 * milliseconds" (the local date and time read as if it were UTC) and looks up
 * the zone's UTC offset in a small table of the zone's changes, filled from
 * Intl (through @date-fns/tz's tzOffset) once per zone and 16-day span.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Offsets are sampled daily within a span; no zone changes its offset twice in one day. */
const SPAN = 16 * DAY;

interface Span {
  /** Offset in minutes at the start of the span. */
  base: number;
  /** Changes inside the span: the instant and the offset from then on. */
  changes: [number, number][];
}

const spans = new Map<string, Map<number, Span>>();

function rawOffset(timeZone: string, at: number): number {
  const off = tzOffset(timeZone, new Date(at));
  if (Number.isNaN(off)) throw new RangeError(`Unknown time zone: ${timeZone}`);
  return off;
}

function buildSpan(timeZone: string, index: number): Span {
  const start = index * SPAN;
  const base = rawOffset(timeZone, start);
  const changes: [number, number][] = [];
  let prevAt = start;
  let prev = base;
  for (let at = start + DAY; at <= start + SPAN; at += DAY) {
    const off = rawOffset(timeZone, at);
    if (off !== prev) {
      // Bisect to the minute at which the offset changes.
      let lo = prevAt;
      let hi = at;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (rawOffset(timeZone, mid) === prev) lo = mid;
        else hi = mid;
      }
      if (hi < start + SPAN) changes.push([hi, off]);
    }
    prevAt = at;
    prev = off;
  }
  return { base, changes };
}

/** The zone's UTC offset at `at`, in minutes (Amsterdam in summer: 120). */
export function offsetMinutes(at: number, timeZone: string): number {
  let zone = spans.get(timeZone);
  if (!zone) spans.set(timeZone, (zone = new Map()));
  const index = Math.floor(at / SPAN);
  let span = zone.get(index);
  if (!span) zone.set(index, (span = buildSpan(timeZone, index)));
  let off = span.base;
  for (const [changeAt, after] of span.changes) if (at >= changeAt) off = after;
  return off;
}

/** The local date and time of `at`, as milliseconds read as UTC. */
function toWall(at: number, timeZone: string): number {
  return at + offsetMinutes(at, timeZone) * MINUTE;
}

/**
 * The instant that shows `wall` on the zone's clocks. A time the spring-forward
 * gap skips (02:30) moves forward by the gap (03:30); a time the fall-back
 * repeats resolves to its first occurrence, the earlier instant.
 */
function fromWall(wall: number, timeZone: string): number {
  const before = offsetMinutes(wall - DAY, timeZone);
  const after = offsetMinutes(wall + DAY, timeZone);
  const candidates = [wall - before * MINUTE, wall - after * MINUTE].filter((at) => toWall(at, timeZone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // In the gap: read the wall time with the offset from before the change.
  return wall - before * MINUTE;
}

/** The zone the runtime is set to (the user's, in the shells; `TZ` for the CLI). */
export function systemTimeZone(): string {
  return new Intl.DateTimeFormat('en-US').resolvedOptions().timeZone || 'UTC';
}

export function isTimeZone(name: string): boolean {
  if (!name) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** `days` calendar days later (or earlier, when negative) at the same wall-clock time. */
export function addCalendarDays(at: number, days: number, timeZone: string): number {
  return fromWall(toWall(at, timeZone) + days * DAY, timeZone);
}

/** Calendar years, same wall-clock time; 29 February lands on 28 February in a common year. */
export function addCalendarYears(at: number, years: number, timeZone: string): number {
  const w = new Date(toWall(at, timeZone));
  const year = w.getUTCFullYear() + years;
  const month = w.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const target = new Date(w.getTime());
  target.setUTCFullYear(year, month, Math.min(w.getUTCDate(), lastDay));
  return fromWall(target.getTime(), timeZone);
}

/** Whole calendar days from `from`'s date to `to`'s date in the zone: tomorrow is 1 whatever the hour. */
export function calendarDaysBetween(from: number, to: number, timeZone: string): number {
  return Math.floor(toWall(to, timeZone) / DAY) - Math.floor(toWall(from, timeZone) / DAY);
}

/** The first instant of `at`'s local date: midnight, or the end of the gap where midnight is skipped. */
export function startOfLocalDay(at: number, timeZone: string): number {
  return fromWall(Math.floor(toWall(at, timeZone) / DAY) * DAY, timeZone);
}

/** `at`'s date in the zone as `YYYY-MM-DD`: all-day calendar entries, stable ids. */
export function localDateKey(at: number, timeZone: string): string {
  return new Date(toWall(at, timeZone)).toISOString().slice(0, 10);
}

/**
 * Calendar months, same wall-clock time; a day the target month lacks lands on
 * its last day (31 January + 1 month = 28 or 29 February).
 */
export function addCalendarMonths(at: number, months: number, timeZone: string): number {
  const w = new Date(toWall(at, timeZone));
  const total = w.getUTCFullYear() * 12 + w.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const target = new Date(w.getTime());
  target.setUTCFullYear(year, month, Math.min(w.getUTCDate(), lastDay));
  return fromWall(target.getTime(), timeZone);
}

const DATE_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a `YYYY-MM-DD` that exists in the (proleptic Gregorian) calendar: 2028-02-29 yes, 2027-02-29 no. */
export function isDateKey(text: string): boolean {
  const m = DATE_KEY.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/**
 * The last instant (epoch ms) of the calendar date `dateKey` (`YYYY-MM-DD`) in
 * the zone: one millisecond before the next local midnight. This is when a
 * date-only expiry ends — "expires 2027-03-01" works all of 1 March where the
 * user is, and `calendarDaysBetween` from any moment of 1 March to it is 0.
 */
export function endOfLocalDate(dateKey: string, timeZone: string): number {
  if (!isDateKey(dateKey)) throw new RangeError(`Not a calendar date: ${dateKey}`);
  const nextMidnightWall = Date.parse(`${dateKey}T00:00:00Z`) + DAY;
  return fromWall(nextMidnightWall, timeZone) - 1;
}

/**
 * `at` as ISO 8601 with the zone's UTC offset, to the millisecond when it has
 * one: `2027-03-01T23:59:59.999-08:00`, `2025-06-01T10:30:00+14:00`.
 */
export function isoWithOffset(at: number, timeZone: string): string {
  const off = offsetMinutes(at, timeZone);
  const wall = new Date(at + off * MINUTE).toISOString();
  const body = wall.endsWith('.000Z') ? wall.slice(0, 19) : wall.slice(0, 23);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${body}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
