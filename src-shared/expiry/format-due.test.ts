import { describe, expect, it } from 'vitest';
import { formatDaysLeft, formatDueDate } from './format-due';

const at = Date.parse('2025-04-01T07:00:00Z');
// ICU puts narrow no-break spaces in some times; compare on plain spaces.
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

describe('dates in the user locale and zone', () => {
  it('formats with the locale and zone passed in, not the machine', () => {
    // The zone is always named: a date and time without one is a guess.
    expect(plain(formatDueDate(at, { locale: 'en-GB', timeZone: 'Europe/Amsterdam' }))).toBe('1 Apr 2025, 09:00 CEST');
    expect(plain(formatDueDate(at, { locale: 'en-US', timeZone: 'America/New_York' }))).toBe('Apr 1, 2025, 03:00 AM EDT');
    expect(plain(formatDueDate(at, { locale: 'en-GB', timeZone: 'UTC' }))).toBe('1 Apr 2025, 07:00 UTC');
    expect(plain(formatDueDate(at, { locale: 'en-GB', timeZone: 'Pacific/Kiritimati' }))).toBe('1 Apr 2025, 21:00 GMT+14');
    expect(plain(formatDueDate(at, { locale: 'en-GB', timeZone: 'Pacific/Pago_Pago' }, { withTime: false }))).toBe('31 Mar 2025');
    expect(plain(formatDueDate(at, { locale: 'en-GB', timeZone: 'Pacific/Kiritimati' }, { withTime: false }))).toBe('1 Apr 2025');
  });

  it('shows a date-only expiry as its calendar date in every zone', () => {
    for (const timeZone of ['Pacific/Honolulu', 'UTC', 'Pacific/Kiritimati', 'America/Los_Angeles']) {
      expect(plain(formatDueDate(at, { locale: 'en-GB', timeZone }, { date: '2027-03-01' }))).toBe('1 Mar 2027');
      expect(plain(formatDueDate(at, { locale: 'en-US', timeZone }, { date: '2028-02-29' }))).toBe('Feb 29, 2028');
    }
  });

  it('says days left in words', () => {
    expect(formatDaysLeft(0, 'en')).toBe('today');
    expect(formatDaysLeft(1, 'en')).toBe('tomorrow');
    expect(formatDaysLeft(3, 'en')).toBe('in 3 days');
    expect(formatDaysLeft(-1, 'en')).toBe('yesterday');
    expect(formatDaysLeft(-5, 'en')).toBe('5 days ago');
    expect(formatDaysLeft(1, 'nl')).toBe('morgen');
  });
});
