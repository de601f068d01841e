import { describe, expect, it } from 'vitest';
import { expiryToTimestamp, parseRotationDays, toDateInputValue } from './expiry-input';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const DAY = 86_400_000;

describe('expiry input → expiresAt', () => {
  it('never expires: null', () => {
    expect(expiryToTimestamp({ mode: 'never' }, NOW)).toEqual({ ok: true, expiresAt: null });
  });

  it('a duration counts from now: hours elapsed, days and years on the calendar of the zone', () => {
    expect(expiryToTimestamp({ mode: 'duration', duration: '30d' }, NOW, 'UTC')).toEqual({ ok: true, expiresAt: NOW + 30 * DAY, expiresAfter: '30d' });
    expect(expiryToTimestamp({ mode: 'duration', duration: ' 2w ' }, NOW, 'UTC')).toMatchObject({ ok: true, expiresAt: NOW + 14 * DAY });
    expect(expiryToTimestamp({ mode: 'duration', duration: '12h' }, NOW, 'UTC')).toMatchObject({ ok: true, expiresAt: NOW + 12 * 3_600_000 });
    expect(expiryToTimestamp({ mode: 'duration', duration: '1y' }, NOW, 'UTC')).toMatchObject({ ok: true, expiresAt: NOW + 365 * DAY });
    // Over the Amsterdam fall-back (26 Oct 2026 → 25 Oct 2026): 30 calendar days are 30 × 24 h + 1 h.
    const oct = Date.UTC(2026, 9, 1, 10);
    expect(expiryToTimestamp({ mode: 'duration', duration: '30d' }, oct, 'Europe/Amsterdam')).toMatchObject({ expiresAt: oct + 30 * DAY + 3_600_000 });
  });

  it('refuses a bare m, naming min and mo', () => {
    expect(expiryToTimestamp({ mode: 'duration', duration: '6m' }, NOW, 'UTC')).toEqual({ ok: false, error: 'Expires after "6m" is ambiguous: write 6min for minutes or 6mo for months.' });
  });

  it('refuses durations it cannot read, and ones beyond 100 years', () => {
    for (const bad of ['', '30', 'thirty days', '0d', '-5d', '3 months']) {
      const r = expiryToTimestamp({ mode: 'duration', duration: bad }, NOW);
      expect(r.ok, bad).toBe(false);
    }
    const far = expiryToTimestamp({ mode: 'duration', duration: '101y' }, NOW);
    expect(far).toEqual({ ok: false, error: 'Expires after must be at most 100 years.' });
  });

  it('a date is a calendar date that ends at the end of that day in the zone, and shows back as the same date', () => {
    const r = expiryToTimestamp({ mode: 'date', date: '2027-03-01' }, NOW, 'America/Los_Angeles');
    expect(r).toEqual({ ok: true, expiresAt: Date.parse('2027-03-01T23:59:59.999-08:00'), expiresOn: '2027-03-01' });
    const local = expiryToTimestamp({ mode: 'date', date: '2027-03-01' }, NOW);
    expect(local.ok && toDateInputValue(local.expiresAt!)).toBe('2027-03-01');
  });

  it('refuses dates that do not exist instead of rolling them over', () => {
    expect(expiryToTimestamp({ mode: 'date', date: '2027-02-31' }, NOW).ok).toBe(false);
    expect(expiryToTimestamp({ mode: 'date', date: '' }, NOW).ok).toBe(false);
    expect(expiryToTimestamp({ mode: 'date', date: '01/03/2027' }, NOW).ok).toBe(false);
  });
});

describe('rotation policy', () => {
  it('is a whole number of days, or nothing', () => {
    expect(parseRotationDays('')).toEqual({ ok: true, days: null });
    expect(parseRotationDays(' 90 ')).toEqual({ ok: true, days: 90 });
    expect(parseRotationDays('0').ok).toBe(false);
    expect(parseRotationDays('1.5').ok).toBe(false);
    expect(parseRotationDays('90d').ok).toBe(false);
    expect(parseRotationDays('3651').ok).toBe(false);
  });
});
