import { describe, expect, it } from 'vitest';
import { formatDaysLeft, formatDueDate } from './format-due';

const at = Date.parse('2025-04-01T07:00:00Z');
// ICU puts narrow no-break spaces in some times; compare on plain spaces.
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

describe('dates in the user locale and zone', () => {
  it('formats with the locale and zone passed in, not the machine', () => {
    expect(plain(formatDueDate(at, { locale: 'en-GB', timeZone: 'Europe/Amsterdam' }))).toBe('1 Apr 2025, 09:00');
    expect(plain(formatDueDate(at, { locale: 'en-US', timeZone: 'America/New_York' }))).toBe('Apr 1, 2025, 3:00 AM');
    expect(plain(formatDueDate(at, { locale: 'de-DE', timeZone: 'Europe/Berlin' }))).toBe('01.04.2025, 09:00');
    expect(plain(formatDueDate(at, { locale: 'en-GB', timeZone: 'Pacific/Pago_Pago' }, { withTime: false }))).toBe('31 Mar 2025');
    expect(plain(formatDueDate(at, { locale: 'en-GB', timeZone: 'Pacific/Kiritimati' }, { withTime: false }))).toBe('1 Apr 2025');
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
