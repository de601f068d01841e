import { describe, expect, it } from 'vitest';
import { addDuration, readDuration } from '../domain/duration';
import { endOfLocalDate, isoWithOffset, localDateKey } from './calendar';
import { dueSummary } from './due-status';
import { formatDueDate } from './format-due';

// Issue 10: every date rule with an injected clock and zone, in zones 24 hours apart,
// over a DST change and over 29 February.
const iso = (s: string) => Date.parse(s);
const HONOLULU = 'Pacific/Honolulu'; // UTC−10, no DST
const KIRITIMATI = 'Pacific/Kiritimati'; // UTC+14
const LA = 'America/Los_Angeles';
const dur = (t: string) => {
  const r = readDuration(t);
  if (!r.ok) throw new Error(r.error);
  return r.duration;
};

describe('a date-only expiry is the same calendar date in every zone', () => {
  it('ends at the last millisecond of that day where the user is', () => {
    expect(isoWithOffset(endOfLocalDate('2027-03-01', HONOLULU), HONOLULU)).toBe('2027-03-01T23:59:59.999-10:00');
    expect(isoWithOffset(endOfLocalDate('2027-03-01', 'UTC'), 'UTC')).toBe('2027-03-01T23:59:59.999+00:00');
    expect(isoWithOffset(endOfLocalDate('2027-03-01', KIRITIMATI), KIRITIMATI)).toBe('2027-03-01T23:59:59.999+14:00');
    expect(isoWithOffset(endOfLocalDate('2028-02-29', LA), LA)).toBe('2028-02-29T23:59:59.999-08:00');
    // The day DST starts in Los Angeles (23 hours long) still ends at its own midnight.
    expect(isoWithOffset(endOfLocalDate('2027-03-14', LA), LA)).toBe('2027-03-14T23:59:59.999-07:00');
    for (const tz of [HONOLULU, 'UTC', KIRITIMATI, LA]) expect(localDateKey(endOfLocalDate('2027-03-01', tz), tz)).toBe('2027-03-01');
    expect(() => endOfLocalDate('2027-02-29', 'UTC')).toThrow(RangeError);
  });

  it('is listed, shown and counted as that date, whatever zone reads it', () => {
    // Entered in Los Angeles (the bug: UTC midnight shown as Feb 28, 4:00 PM there).
    const at = endOfLocalDate('2027-03-01', LA);
    for (const timeZone of [HONOLULU, 'UTC', KIRITIMATI, LA]) {
      const now = endOfLocalDate('2027-02-26', timeZone) - 3_600_000; // 23:00 on 26 Feb there
      const s = dueSummary({ status: 'active', expiresAt: at, expiresOn: '2027-03-01', rotatedAt: 0, rotationDays: null }, { now, timeZone });
      expect(s.next?.daysLeft, timeZone).toBe(3);
      expect(s.next?.date).toBe('2027-03-01');
      expect(formatDueDate(at, { locale: 'en-US', timeZone }, { date: s.next?.date ?? null })).toBe('Mar 1, 2027');
    }
  });
});

describe('--duration and the form: one rule, calendar days in the user zone', () => {
  it('adds calendar days across a DST change (not 24-hour days)', () => {
    const start = iso('2027-03-13T09:00:00-08:00'); // the day before LA springs forward
    expect(isoWithOffset(addDuration(start, dur('1d'), LA), LA)).toBe('2027-03-14T09:00:00-07:00');
    expect(isoWithOffset(addDuration(start, dur('1w'), LA), LA)).toBe('2027-03-20T09:00:00-07:00');
    // Hours are elapsed time: 24h over the change is 10:00 local.
    expect(isoWithOffset(addDuration(start, dur('24h'), LA), LA)).toBe('2027-03-14T10:00:00-07:00');
    expect(addDuration(start, dur('90min'), LA) - start).toBe(90 * 60_000);
  });

  it('counts months and years on the calendar, 29 February included', () => {
    const leap = iso('2028-02-29T12:00:00Z');
    expect(isoWithOffset(addDuration(leap, dur('1y'), 'UTC'), 'UTC')).toBe('2029-02-28T12:00:00+00:00');
    expect(isoWithOffset(addDuration(leap, dur('4y'), 'UTC'), 'UTC')).toBe('2032-02-29T12:00:00+00:00');
    expect(isoWithOffset(addDuration(iso('2028-01-31T10:00:00-10:00'), dur('1mo'), HONOLULU), HONOLULU)).toBe('2028-02-29T10:00:00-10:00');
    expect(isoWithOffset(addDuration(iso('2027-08-31T08:00:00+14:00'), dur('6mo'), KIRITIMATI), KIRITIMATI)).toBe('2028-02-29T08:00:00+14:00');
  });

  it('gives the same wall-clock answer in zones 24 hours apart', () => {
    const nowH = iso('2027-06-01T09:00:00-10:00');
    const nowK = iso('2027-06-01T09:00:00+14:00');
    expect(isoWithOffset(addDuration(nowH, dur('30d'), HONOLULU), HONOLULU)).toBe('2027-07-01T09:00:00-10:00');
    expect(isoWithOffset(addDuration(nowK, dur('30d'), KIRITIMATI), KIRITIMATI)).toBe('2027-07-01T09:00:00+14:00');
  });

  it('refuses a bare m and names both readings', () => {
    const r = readDuration('6m');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe('"6m" is ambiguous: write 6min for minutes or 6mo for months');
  });
});
