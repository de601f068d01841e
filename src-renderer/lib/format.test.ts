import { describe, expect, it } from 'vitest';
import { dueState, formatDate, formatDateTime, formatRelative, formatSince, plural } from './format';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const MIN = 60_000;
const DAY = 86_400_000;

describe('relative dates', () => {
  it('pick the unit that reads naturally, past and future', () => {
    expect(formatRelative(NOW - 10_000, NOW, 'en')).toBe('now');
    expect(formatRelative(NOW - 5 * MIN, NOW, 'en')).toBe('5 minutes ago');
    expect(formatRelative(NOW + 3 * 60 * MIN, NOW, 'en')).toBe('in 3 hours');
    expect(formatRelative(NOW - DAY, NOW, 'en')).toBe('yesterday');
    expect(formatRelative(NOW + 30 * DAY, NOW, 'en')).toBe('in 30 days');
    expect(formatRelative(NOW + 90 * DAY, NOW, 'en')).toBe('in 3 months');
    expect(formatRelative(NOW - 800 * DAY, NOW, 'en')).toBe('2 years ago');
  });

  it('follow the locale', () => {
    expect(formatRelative(NOW - 2 * DAY, NOW, 'de')).toBe('vorgestern');
    expect(formatRelative(NOW + 5 * DAY, NOW, 'fr')).toBe('dans 5 jours');
  });
});

describe('absolute dates', () => {
  it('use the locale and time zone', () => {
    expect(formatDate(Date.UTC(2027, 2, 1), 'en-US', 'UTC')).toBe('Mar 1, 2027');
    expect(formatDate(Date.UTC(2027, 2, 1), 'de-DE', 'UTC')).toBe('01.03.2027');
    expect(formatDateTime(Date.UTC(2027, 2, 1, 14, 5), 'en-GB', 'UTC')).toBe('1 Mar 2027, 14:05 UTC');
  });
});

describe('due state', () => {
  it('says whether a deadline is past, near (14 days) or comfortably ahead', () => {
    expect(dueState(null, NOW)).toBe('none');
    expect(dueState(NOW - 1, NOW)).toBe('past');
    expect(dueState(NOW + 3 * DAY, NOW)).toBe('soon');
    expect(dueState(NOW + 20 * DAY, NOW)).toBe('ok');
  });
});

describe('plural', () => {
  it('groups digits and picks the word', () => {
    expect(plural(1, 'token', 'tokens', 'en')).toBe('1 token');
    expect(plural(100_000, 'token', 'tokens', 'en')).toBe('100,000 tokens');
  });
});

describe('formatSince (when something happened)', () => {
  const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
  it('a just-tested token read with a clock that lags (useNow ticks once a minute) or another process running ahead reads "just now", never "in 1 minute"', () => {
    expect(formatSince(NOW + 50_000, NOW, 'en')).toBe('just now');
    expect(formatSince(NOW + 3 * 60_000, NOW, 'en')).toBe('just now');
    expect(formatSince(NOW, NOW, 'en')).toBe('just now');
    expect(formatSince(NOW - 30_000, NOW, 'en')).toBe('just now');
  });
  it('past times read as before', () => {
    expect(formatSince(NOW - 5 * 60_000, NOW, 'en')).toBe('5 minutes ago');
    expect(formatSince(NOW - 3 * 86_400_000, NOW, 'en')).toBe('3 days ago');
  });
});

