import { describe, expect, it } from 'vitest';
import { DAY_MS, parseDays, parseDuration } from './duration';

const H = 3_600_000;

describe('parseDuration', () => {
  it.each([
    ['30min', 30 * 60_000],
    ['12h', 12 * H],
    ['90d', 90 * DAY_MS],
    ['2w', 14 * DAY_MS],
    ['1y', 365 * DAY_MS],
    ['7D', 7 * DAY_MS],
    [' 90d ', 90 * DAY_MS],
    ['90 d', 90 * DAY_MS],
    ['999999d', 999_999 * DAY_MS],
  ])('%j → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('a year is always 365 days, never a calendar year', () => {
    expect(parseDuration('4y')).toBe(4 * 365 * DAY_MS);
  });

  it.each(['', 'd', '90', '0d', '00d', '-1d', '+1d', '1.5d', '1,5d', '90days', '90s', '1000000d', 'ninety d', '1d2h', 'd90', '30m', '6M', '6mo'])('%j → null', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('parseDays', () => {
  it.each([
    ['90d', 90],
    ['12w', 84],
    ['1y', 365],
    ['48h', 2],
    ['1440min', 1],
  ])('%j → %d days', (text, days) => {
    expect(parseDays(text)).toBe(days);
  });

  it.each(['12h', '25h', '90min', '90m', '0d', 'soon', '1mo'])('%j → null (not a whole number of days)', (text) => {
    expect(parseDays(text)).toBeNull();
  });
});
