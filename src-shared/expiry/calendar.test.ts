import { TZDate } from '@date-fns/tz';
import { addDays, addYears, differenceInCalendarDays } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, addCalendarYears, calendarDaysBetween, isTimeZone, localDateKey, offsetMinutes, startOfLocalDay } from './calendar';

const iso = (s: string) => Date.parse(s);
const HOUR = 3_600_000;

describe('calendar days in a time zone', () => {
  it('keeps the wall-clock time across Amsterdam spring-forward and fall-back', () => {
    const tz = 'Europe/Amsterdam';
    // 2025-03-30 02:00 → 03:00: that day has 23 hours.
    const beforeSpring = iso('2025-03-29T09:00:00+01:00');
    expect(addCalendarDays(beforeSpring, 1, tz)).toBe(iso('2025-03-30T09:00:00+02:00'));
    expect(addCalendarDays(beforeSpring, 1, tz) - beforeSpring).toBe(23 * HOUR);
    // 2025-10-26 03:00 → 02:00: that day has 25 hours.
    const beforeFall = iso('2025-10-25T09:00:00+02:00');
    expect(addCalendarDays(beforeFall, 1, tz)).toBe(iso('2025-10-26T09:00:00+01:00'));
    expect(addCalendarDays(beforeFall, 1, tz) - beforeFall).toBe(25 * HOUR);
    // 90 days after 09:00 in winter is 09:00 in summer.
    expect(addCalendarDays(iso('2025-01-15T09:00:00+01:00'), 90, tz)).toBe(iso('2025-04-15T09:00:00+02:00'));
  });

  it('keeps the wall-clock time across New York spring-forward and fall-back', () => {
    const tz = 'America/New_York';
    expect(addCalendarDays(iso('2025-03-08T09:00:00-05:00'), 1, tz)).toBe(iso('2025-03-09T09:00:00-04:00'));
    expect(addCalendarDays(iso('2025-11-01T09:00:00-04:00'), 1, tz)).toBe(iso('2025-11-02T09:00:00-05:00'));
    expect(addCalendarDays(iso('2025-08-01T09:00:00-04:00'), 120, tz)).toBe(iso('2025-11-29T09:00:00-05:00'));
    // Going back over the change works the same way.
    expect(addCalendarDays(iso('2025-03-10T09:00:00-04:00'), -2, tz)).toBe(iso('2025-03-08T09:00:00-05:00'));
  });

  it('moves a time that the spring-forward gap skips into the hour that exists', () => {
    const at = addCalendarDays(iso('2025-03-29T02:30:00+01:00'), 1, 'Europe/Amsterdam');
    expect(at).toBe(iso('2025-03-30T03:30:00+02:00'));
  });

  it('counts days and years over leap days', () => {
    const tz = 'Europe/Amsterdam';
    const leapDay = iso('2028-02-29T09:00:00+01:00');
    expect(addCalendarDays(leapDay, 365, tz)).toBe(iso('2029-02-28T09:00:00+01:00'));
    expect(addCalendarDays(leapDay, 366, tz)).toBe(iso('2029-03-01T09:00:00+01:00'));
    expect(addCalendarYears(leapDay, 1, tz)).toBe(iso('2029-02-28T09:00:00+01:00'));
    expect(addCalendarYears(leapDay, 4, tz)).toBe(iso('2032-02-29T09:00:00+01:00'));
    // 365 days over a leap day falls a day short of a calendar year.
    const march = iso('2027-03-01T09:00:00+01:00');
    expect(addCalendarDays(march, 365, tz)).toBe(iso('2028-02-29T09:00:00+01:00'));
    expect(addCalendarYears(march, 1, tz)).toBe(iso('2028-03-01T09:00:00+01:00'));
  });

  it('gives one instant different dates in zones 25 hours apart', () => {
    const at = iso('2025-06-01T10:30:00Z');
    expect(localDateKey(at, 'Pacific/Kiritimati')).toBe('2025-06-02');
    expect(localDateKey(at, 'Pacific/Pago_Pago')).toBe('2025-05-31');
    expect(localDateKey(at, 'UTC')).toBe('2025-06-01');
    const now = iso('2025-06-01T09:00:00Z');
    // Kiritimati: 23:00 → 00:30 next day. Pago Pago: 22:00 → 23:30 the same day.
    expect(calendarDaysBetween(now, at, 'Pacific/Kiritimati')).toBe(1);
    expect(calendarDaysBetween(now, at, 'Pacific/Pago_Pago')).toBe(0);
    expect(startOfLocalDay(at, 'Pacific/Kiritimati')).toBe(iso('2025-06-02T00:00:00+14:00'));
    expect(startOfLocalDay(at, 'Pacific/Pago_Pago')).toBe(iso('2025-05-31T00:00:00-11:00'));
  });

  it('counts calendar days, not 24-hour periods', () => {
    const tz = 'Europe/Amsterdam';
    expect(calendarDaysBetween(iso('2025-05-01T23:59:00+02:00'), iso('2025-05-02T00:01:00+02:00'), tz)).toBe(1);
    expect(calendarDaysBetween(iso('2025-05-01T00:01:00+02:00'), iso('2025-05-01T23:59:00+02:00'), tz)).toBe(0);
    expect(calendarDaysBetween(iso('2025-05-03T10:00:00+02:00'), iso('2025-05-01T10:00:00+02:00'), tz)).toBe(-2);
    expect(calendarDaysBetween(iso('2025-03-29T12:00:00+01:00'), iso('2025-03-31T12:00:00+02:00'), tz)).toBe(2);
  });

  it('round-trips: N days added are N calendar days apart, at the same wall-clock time outside DST gaps', () => {
    const zones = ['Europe/Amsterdam', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Australia/Lord_Howe', 'UTC'];
    const wallClock = (at: number, tz: string) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2060, 0, 1) }),
        fc.integer({ min: -3650, max: 3650 }),
        (tz, start, days) => {
          const at = addCalendarDays(start, days, tz);
          expect(calendarDaysBetween(start, at, tz)).toBe(days);
          // Equal unless the start time falls in an hour the target day skips or repeats.
          const off = Math.abs(at - start - days * 86_400_000);
          if (off === 0 || off === HOUR || off === HOUR / 2) return;
          expect(wallClock(at, tz)).toBe(wallClock(start, tz));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("agrees with date-fns' TZDate, except where a wall-clock time is skipped or repeated", () => {
    const zones = ['Europe/Amsterdam', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Australia/Lord_Howe', 'America/Sao_Paulo', 'Asia/Kolkata'];
    const nearChange = (at: number, tz: string) => offsetMinutes(at - 3 * HOUR, tz) !== offsetMinutes(at + 3 * HOUR, tz);
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        // From 2006, so that no result reaches Kiritimati's 1994 jump across the date line, where TZDate is a day off (see below).
        fc.integer({ min: Date.UTC(2006, 0, 1), max: Date.UTC(2060, 0, 1) }),
        fc.integer({ min: -3650, max: 3650 }),
        fc.integer({ min: -5, max: 5 }),
        (tz, start, days, years) => {
          const byDays = +addDays(new TZDate(start, tz), days);
          const mine = addCalendarDays(start, days, tz);
          if (mine !== byDays) expect(nearChange(mine, tz) || nearChange(start, tz)).toBe(true);
          const byYears = +addYears(new TZDate(start, tz), years);
          const mineYears = addCalendarYears(start, years, tz);
          if (mineYears !== byYears) expect(nearChange(mineYears, tz) || nearChange(start, tz)).toBe(true);
          expect(calendarDaysBetween(start, start + days * 3_600_000, tz)).toBe(
            differenceInCalendarDays(new TZDate(start + days * 3_600_000, tz), new TZDate(start, tz)),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads offsets, DST included, to the minute', () => {
    expect(offsetMinutes(iso('2025-03-30T00:59:00Z'), 'Europe/Amsterdam')).toBe(60);
    expect(offsetMinutes(iso('2025-03-30T01:00:00Z'), 'Europe/Amsterdam')).toBe(120);
    expect(offsetMinutes(iso('2025-11-02T05:59:00Z'), 'America/New_York')).toBe(-240);
    expect(offsetMinutes(iso('2025-11-02T06:00:00Z'), 'America/New_York')).toBe(-300);
    expect(offsetMinutes(iso('2025-06-01T00:00:00Z'), 'Pacific/Kiritimati')).toBe(840);
    expect(offsetMinutes(iso('2025-06-01T00:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(() => offsetMinutes(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('handles a day a zone skipped: Kiritimati went from UTC−10 to UTC+14 after 30 December 1994', () => {
    const tz = 'Pacific/Kiritimati';
    // 31 December 1994 never happened there: one day after the 30th is the 1st, at the same time.
    expect(addCalendarDays(iso('1994-12-30T12:00:00-10:00'), 1, tz)).toBe(iso('1995-01-01T12:00:00+14:00'));
    expect(addCalendarYears(iso('1993-12-01T00:00:00-10:00'), 1, tz)).toBe(iso('1994-12-01T00:00:00-10:00'));
    expect(addCalendarYears(iso('1995-12-01T00:00:00+14:00'), -1, tz)).toBe(iso('1994-12-01T00:00:00-10:00'));
  });

  it('resolves a repeated fall-back time to its first occurrence', () => {
    // 26 October 2025, 02:30 happens twice in Amsterdam: first at 00:30Z (CEST), then at 01:30Z (CET).
    expect(addCalendarDays(iso('2025-10-25T02:30:00+02:00'), 1, 'Europe/Amsterdam')).toBe(iso('2025-10-26T00:30:00Z'));
  });

  it('knows a time zone name from a typo', () => {
    expect(isTimeZone('Europe/Amsterdam')).toBe(true);
    expect(isTimeZone('Pacific/Kiritimati')).toBe(true);
    expect(isTimeZone('Europe/Amsterdamm')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
