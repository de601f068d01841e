import { describe, expect, it } from 'vitest';
import { credential } from '../../../test/fixtures';
import { buildTable, SORT_COLUMNS, type SortColumn } from './credential-table';
import { columnCandidates, fitColumns, longest, MIN_WIDTH, relativeCandidates } from './column-widths';

const wanted: Record<SortColumn, number> = { name: 220, kind: 90, access: 260, fingerprint: 120, status: 80, expiresAt: 100, lastUsedAt: 100 };
const fixed = wanted.kind + wanted.fingerprint + wanted.status + wanted.expiresAt + wanted.lastUsedAt;
const fit = (available: number) => Object.fromEntries(fitColumns(wanted, available, SORT_COLUMNS).map((w, i) => [SORT_COLUMNS[i], w])) as Record<SortColumn, number>;

describe('columns sized to content (issue 12)', () => {
  it('finds the longest texts in one pass, longest first, without duplicates', () => {
    expect(longest(['a', 'ccc', 'bb', 'ccc', 'dddd', 'e'], 3)).toEqual(['dddd', 'ccc', 'bb']);
    expect(longest([], 3)).toEqual([]);
  });

  it('measures the longest names and roles of the whole list, not the rows on screen', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => credential({ name: `token ${i}`, role: i === 77_777 ? 'Certified accountant with a long role' : 'CFO' }));
    items[99_999] = credential({ name: 'A very long token name at the very end of the list' });
    const c = columnCandidates(buildTable(items));
    expect(c.name[0]).toBe('A very long token name at the very end of the list');
    expect(c.access[0]).toBe('Certified accountant with a long role');
    expect(c.kind).toContain('JWT session');
    expect(c.expiresAt).toContain('Never');
  });

  it('gives every column what it needs when there is room, and the rest to the name and the role', () => {
    const room = fixed + wanted.name + wanted.access + 100;
    const w = fit(room);
    for (const col of ['kind', 'fingerprint', 'status', 'expiresAt', 'lastUsedAt'] as const) expect(w[col]).toBe(wanted[col]);
    expect(w.name).toBe(wanted.name + 60);
    expect(w.access).toBe(wanted.access + 40);
    expect(Object.values(w).reduce((a, b) => a + b, 0)).toBe(room);
  });

  it('when short of room, narrows the role first, then the name, and never the short columns', () => {
    const w = fit(fixed + wanted.name + wanted.access - 100);
    expect(w.name).toBe(wanted.name);
    expect(w.access).toBe(wanted.access - 100);
    expect(w.kind).toBe(wanted.kind);
    const tight = fit(fixed + wanted.name + MIN_WIDTH.access - 50);
    expect(tight.access).toBe(MIN_WIDTH.access);
    expect(tight.name).toBe(wanted.name - 50);
    expect(fit(0).name).toBe(MIN_WIDTH.name);
  });
});

describe('relative dates to measure', () => {
  it('gives one sample per unit, direction and digit count — the dates shown, not every possible one', () => {
    const now = Date.UTC(2026, 10, 30);
    const day = 86_400_000;
    const c = relativeCandidates([null, now + 9 * day, now + 3 * day, now - 3 * day, now + 80 * day], now);
    expect(c).toContain('Never');
    expect(c).toContain('in 8 days'); // one sample for every "in N days" with one digit
    expect(c).toContain('8 days ago');
    expect(c).toContain('in 8 months'); // 80 days shows as "in 3 months": measured as its widest one-digit sibling
    expect(c).toHaveLength(4);
    expect(relativeCandidates([], now)).toEqual([]);
  });
});
