import { describe, expect, it } from 'vitest';
import { expiryToTimestamp, parseRotationDays, toDateInputValue } from './expiry-input';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const DAY = 86_400_000;

describe('expiry input → expiresAt', () => {
  it('never expires: null', () => {
    expect(expiryToTimestamp({ mode: 'never' }, NOW)).toEqual({ ok: true, expiresAt: null });
  });

  it('a duration counts from now', () => {
    expect(expiryToTimestamp({ mode: 'duration', duration: '30d' }, NOW)).toEqual({ ok: true, expiresAt: NOW + 30 * DAY });
    expect(expiryToTimestamp({ mode: 'duration', duration: ' 2w ' }, NOW)).toEqual({ ok: true, expiresAt: NOW + 14 * DAY });
    expect(expiryToTimestamp({ mode: 'duration', duration: '12h' }, NOW)).toEqual({ ok: true, expiresAt: NOW + 12 * 3_600_000 });
    expect(expiryToTimestamp({ mode: 'duration', duration: '1y' }, NOW)).toEqual({ ok: true, expiresAt: NOW + 365 * DAY });
  });

  it('refuses durations it cannot read, and ones beyond 100 years', () => {
    for (const bad of ['', '30', 'thirty days', '0d', '-5d', '3 months']) {
      const r = expiryToTimestamp({ mode: 'duration', duration: bad }, NOW);
      expect(r.ok, bad).toBe(false);
    }
    const far = expiryToTimestamp({ mode: 'duration', duration: '101y' }, NOW);
    expect(far).toEqual({ ok: false, error: 'Expires after must be at most 100 years.' });
  });

  it('a date is the start of that day in the local time zone, and shows back as the same date', () => {
    const r = expiryToTimestamp({ mode: 'date', date: '2027-03-01' }, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = new Date(r.expiresAt!);
    expect([d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()]).toEqual([2027, 3, 1, 0, 0]);
    expect(toDateInputValue(r.expiresAt!)).toBe('2027-03-01');
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
