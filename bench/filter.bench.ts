import { buildTable, filterRows, type SortSpec } from '../src-renderer/features/credentials/lib/credential-table';
import { credential } from '../src-renderer/test/fixtures';
import { summarize } from './stats';

/**
 * The token list's filter at 100,000 tokens: each keystroke of a word typed
 * and cleared again, and scans of the whole list. The DESIGN.md target is one
 * frame (16 ms) from keystroke to results; this is the filter's share of it,
 * measured here rather than asserted in a test (a loaded machine is slower,
 * not wrong).
 */
export function benchFilter(n = 100_000) {
  const words = ['regate', 'strapi', 'coolset', 'built', 'acme', 'deploy', 'reader', 'admin', 'sync', 'export', 'billing', 'orders'];
  const big = Array.from({ length: n }, (_, i) =>
    credential({
      name: `${words[i % 12]} ${words[(i * 7) % 12]} ${i}`,
      role: i % 3 === 0 ? 'CFO' : null,
      scopes: i % 2 === 0 ? ['read:orders', 'write:orders'] : [],
      fingerprint: `rg_${(i * 2654435761).toString(36).slice(0, 4)}…${i % 10_000}`,
    }),
  );
  const byName: SortSpec = { column: 'name', direction: 'ascending' };
  const keystroke: number[] = [];
  for (let round = 0; round < 5; round++) {
    const table = buildTable(big);
    filterRows(table, '', byName); // the sort is paid once, at load
    let prev = null;
    for (const query of ['billing or', 'sync exp', 'cfo rea']) {
      for (let k = 1; k <= query.length; k++) {
        const t0 = process.hrtime.bigint();
        prev = filterRows(table, query.slice(0, k), byName, prev);
        keystroke.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      const t0 = process.hrtime.bigint();
      prev = filterRows(table, '', byName, prev);
      keystroke.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  const scan: number[] = [];
  const table = buildTable(big);
  filterRows(table, '', byName);
  for (const q of ['r', 'e', 'o', 'a', 's', 'x', 'cfo', 'read:', '9', 'zz', 'rg_', 'sync', 'b', 'd', 'i']) {
    const t0 = process.hrtime.bigint();
    filterRows(table, q, byName);
    scan.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { tokens: n, keystrokeMs: summarize(keystroke), fullScanMs: summarize(scan) };
}
