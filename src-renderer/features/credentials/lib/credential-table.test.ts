import { describe, expect, it } from 'vitest';
import type { CredentialSummary, Listed } from '../../../../src-shared/domain/types';
import { credential } from '../../../test/fixtures';
import {
  ascendingOrder,
  buildTable,
  filterRows,
  gridIndexOf,
  gridRowAt,
  gridRowCount,
  removeFromTable,
  upsertInTable,
  type SortSpec,
} from './credential-table';

const byName: SortSpec = { column: 'name', direction: 'ascending' };
const names = (table: ReturnType<typeof buildTable>, rows: Uint32Array) => Array.from(rows, (i) => table.items[i]!.name);

describe('the token list filter', () => {
  const list = [
    credential({ name: 'Warehouse sync', kind: 'api_key', scopes: ['read:orders', 'write:orders'], fingerprint: 'rg_live_ab…9f2e' }),
    credential({ name: 'CI deploy', role: 'CFO' }),
    credential({ name: 'finance export', role: 'Read', tokenType: 'read-only' }),
    credential({ name: 'Mobile session', kind: 'jwt_session', status: 'revoked' }),
  ];
  const table = buildTable(list);

  it('matches name, role, scopes, kind, token type, fingerprint and status, ignoring case', () => {
    expect(names(table, filterRows(table, 'WAREHOUSE', byName).rows)).toEqual(['Warehouse sync']);
    expect(names(table, filterRows(table, 'cfo', byName).rows)).toEqual(['CI deploy']);
    expect(names(table, filterRows(table, 'write:orders', byName).rows)).toEqual(['Warehouse sync']);
    expect(names(table, filterRows(table, 'api key', byName).rows)).toEqual(['Warehouse sync']);
    expect(names(table, filterRows(table, 'read-only', byName).rows)).toEqual(['finance export']);
    expect(names(table, filterRows(table, 'rg_live', byName).rows)).toEqual(['Warehouse sync']);
    expect(names(table, filterRows(table, 'revoked', byName).rows)).toEqual(['Mobile session']);
  });

  it('shows everything, sorted, for an empty or blank query', () => {
    expect(names(table, filterRows(table, '   ', byName).rows)).toEqual(['CI deploy', 'finance export', 'Mobile session', 'Warehouse sync']);
  });

  it('does not match across two fields', () => {
    // "sync" ends the name and "api" starts the kind: no single field holds "sync api".
    expect(filterRows(table, 'sync api', byName).rows.length).toBe(0);
  });

  it('narrows the previous result while the user types on, with the same answer as a fresh filter', () => {
    const r1 = filterRows(table, 'e', byName);
    const r2 = filterRows(table, 'er', byName, r1);
    expect(Array.from(r2.rows)).toEqual(Array.from(filterRows(table, 'er', byName).rows));
    // Deleting a character is not a narrowing: it must search the whole list again.
    const r3 = filterRows(table, 'e', byName, r2);
    expect(Array.from(r3.rows)).toEqual(Array.from(r1.rows));
    // The same query again returns the same result object (nothing to redo).
    expect(filterRows(table, 'er', byName, r2)).toBe(r2);
  });
});

describe('sorting', () => {
  const day = 86_400_000;
  const list = [
    credential({ name: 'token 10', expiresAt: 5 * day, lastUsedAt: null, kind: 'jwt_session', role: 'b', status: 'revoked' }),
    credential({ name: 'Token 2', expiresAt: null, lastUsedAt: 3 * day, kind: 'bearer', role: null, status: 'active' }),
    credential({ name: 'token 1', expiresAt: 1 * day, lastUsedAt: 9 * day, kind: 'api_key', role: 'A', status: 'expired' }),
  ];
  const table = buildTable(list);
  const sorted = (column: SortSpec['column'], direction: SortSpec['direction'] = 'ascending') =>
    names(table, filterRows(table, '', { column, direction }).rows);

  it('sorts names naturally and without regard to case', () => {
    expect(sorted('name')).toEqual(['token 1', 'Token 2', 'token 10']);
    expect(sorted('name', 'descending')).toEqual(['token 10', 'Token 2', 'token 1']);
  });

  it('puts "never expires" after every date, and "never used" before every date', () => {
    expect(sorted('expiresAt')).toEqual(['token 1', 'token 10', 'Token 2']);
    expect(sorted('lastUsedAt')).toEqual(['token 10', 'Token 2', 'token 1']);
  });

  it('sorts kinds, statuses and roles (no role last), breaking ties by name', () => {
    expect(sorted('kind')).toEqual(['Token 2', 'token 1', 'token 10']);
    expect(sorted('status')).toEqual(['Token 2', 'token 1', 'token 10']);
    expect(sorted('access')).toEqual(['token 1', 'token 10', 'Token 2']);
  });

  it('computes an order once per list and reuses it', () => {
    const t = buildTable(list);
    expect(ascendingOrder(t, 'status')).toBe(ascendingOrder(t, 'status'));
  });

  it('keeps the sort while filtering', () => {
    expect(names(table, filterRows(table, 'token 1', { column: 'name', direction: 'descending' }).rows)).toEqual(['token 10', 'token 1']);
  });
});

describe('corrupt records', () => {
  const good = credential({ name: 'Readable' });
  const listed: Listed<CredentialSummary>[] = [good, { corrupt: true, table: 'credentials', id: 'cred_broken0000000000001' }];
  const table = buildTable(listed);

  it('are kept apart and shown first, whatever the search', () => {
    const { rows } = filterRows(table, 'no such token', byName);
    expect(rows.length).toBe(0);
    expect(gridRowCount(table, rows)).toBe(1);
    expect(gridRowAt(table, rows, 0)).toEqual({ type: 'corrupt', record: listed[1] });
  });

  it('shift the grid index of every token by one', () => {
    const { rows } = filterRows(table, '', byName);
    expect(gridIndexOf(table, rows, good.id)).toBe(1);
    expect(gridRowAt(table, rows, 1)).toEqual({ type: 'credential', credential: good });
  });
});

describe('updating the table', () => {
  it('replaces a token in place, appends a new one, and removes one', () => {
    const a = credential({ name: 'a' });
    const b = credential({ name: 'b' });
    let t = buildTable([a, b]);
    t = upsertInTable(t, { ...a, name: 'a renamed' });
    expect(t.items.map((c) => c.name)).toEqual(['a renamed', 'b']);
    const c = credential({ name: 'c' });
    t = upsertInTable(t, c);
    expect(t.indexById.get(c.id)).toBe(2);
    t = removeFromTable(t, b.id);
    expect(t.items.map((x) => x.name)).toEqual(['a renamed', 'c']);
    expect(removeFromTable(t, 'cred_notthere000000000000')).toBe(t);
  });
});

describe('at 100,000 tokens', () => {
  const words = ['regate', 'strapi', 'coolset', 'built', 'acme', 'deploy', 'reader', 'admin', 'sync', 'export', 'billing', 'orders'];
  const big = Array.from({ length: 100_000 }, (_, i) =>
    credential({
      name: `${words[i % 12]} ${words[(i * 7) % 12]} ${i}`,
      role: i % 3 === 0 ? 'CFO' : null,
      scopes: i % 2 === 0 ? ['read:orders', 'write:orders'] : [],
      fingerprint: `rg_${(i * 2654435761).toString(36).slice(0, 4)}…${i % 10_000}`,
    }),
  );

  // How fast each keystroke filters is a figure for `npm run bench` (bench/filter.bench.ts);
  // here only what the filter answers at this size is checked.
  it('narrows and widens again as a word is typed and cleared, keystroke by keystroke', () => {
    const table = buildTable(big);
    const fresh = buildTable(big);
    filterRows(table, '', byName);
    const query = 'strapi ad';
    let prev = null;
    const counts: number[] = [];
    for (let n = 1; n <= query.length; n++) {
      prev = filterRows(table, query.slice(0, n), byName, prev);
      counts.push(prev.rows.length);
      // Narrowing the last result answers exactly what a scan of the whole list does.
      expect(Array.from(prev.rows)).toEqual(Array.from(filterRows(fresh, query.slice(0, n), byName).rows));
    }
    // Each added letter can only narrow the result.
    for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeLessThanOrEqual(counts[i - 1]!);
    const final = names(table, prev!.rows);
    // "strapi" names are every twelfth token, each "strapi admin N".
    expect(final.length).toBe(Math.ceil((big.length - 1) / 12));
    for (const name of final) expect(name).toContain('strapi admin');
    expect(filterRows(table, '', byName, prev).rows.length).toBe(big.length);
  });

  it('scans the whole list for short and odd queries', () => {
    const table = buildTable(big);
    filterRows(table, '', byName);
    expect(filterRows(table, 'no such token anywhere', byName).rows.length).toBe(0);
    expect(names(table, filterRows(table, 'strapi admin 1', byName).rows)).toContain('strapi admin 1');
    expect(filterRows(table, 'rg_', byName).rows.length).toBe(big.length);
  });
});
