import type { CorruptRecord, CredentialSummary, Listed } from '../../../../src-shared/domain/types';
import { isCorrupt } from '../../../../src-shared/domain/types';
import { accessText, kindLabel, statusLabel } from './labels';

/**
 * The token list as the grid needs it, built once per list load so that a
 * keystroke in the search box costs one pass of `String.includes` over
 * precomputed lowercase keys, and never a sort:
 *
 * - `keys[i]`: what a search matches for `items[i]`, lowercased once;
 * - sort orders: computed on first use per column and cached; a descending
 *   sort walks the ascending order backwards;
 * - narrowing: a query that extends the previous one (typing on) filters
 *   the previous result instead of the whole list;
 * - recent results are remembered per list, so deleting back to a query
 *   typed a moment ago costs nothing.
 *
 * 100,000 rows filter in a few milliseconds, inside one frame.
 */

export const SORT_COLUMNS = ['name', 'kind', 'access', 'fingerprint', 'status', 'expiresAt', 'lastUsedAt'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDirection = 'ascending' | 'descending';
export interface SortSpec {
  column: SortColumn;
  direction: SortDirection;
}
export const DEFAULT_SORT: SortSpec = { column: 'name', direction: 'ascending' };

export interface CredentialTable {
  /** What the API listed, in its order: the source every rebuild starts from. */
  readonly listed: readonly Listed<CredentialSummary>[];
  readonly items: readonly CredentialSummary[];
  /** Records that failed to decrypt: always shown, above everything, whatever the search. */
  readonly corrupt: readonly CorruptRecord[];
  readonly keys: readonly string[];
  readonly indexById: ReadonlyMap<string, number>;
  /**
   * Ascending orders per column, filled lazily. A memo cache on immutable
   * data: it never changes what the table means, only how fast it answers.
   */
  readonly orders: Map<SortColumn, Uint32Array>;
  /** Recent results by sort and query (same kind of memo cache, bounded). */
  readonly recent: Map<string, Uint32Array>;
}

/** The rows on screen: indexes into `table.items`, in display order. */
export interface FilterResult {
  readonly table: CredentialTable;
  readonly query: string;
  readonly sort: SortSpec;
  readonly rows: Uint32Array;
}

// A separator no one types, so a query cannot match across two fields.
const SEP = '\u0000';

export function searchKey(c: CredentialSummary): string {
  return [c.name, kindLabel(c.kind), c.role ?? '', c.scopes.join(' '), c.tokenType ?? '', c.fingerprint, statusLabel(c.status), c.tags.join(' ')]
    .join(SEP)
    .toLocaleLowerCase();
}

export function normalizeQuery(query: string): string {
  return query.trim().toLocaleLowerCase();
}

export function buildTable(listed: readonly Listed<CredentialSummary>[]): CredentialTable {
  const items: CredentialSummary[] = [];
  const corrupt: CorruptRecord[] = [];
  for (const entry of listed) {
    if (isCorrupt(entry)) corrupt.push(entry);
    else items.push(entry);
  }
  const keys = new Array<string>(items.length);
  const indexById = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    keys[i] = searchKey(items[i]!);
    indexById.set(items[i]!.id, i);
  }
  return { listed, items, corrupt, keys, indexById, orders: new Map(), recent: new Map() };
}

export const EMPTY_TABLE: CredentialTable = buildTable([]);

/** Replaces (or appends) one credential and rebuilds; the order of `listed` is kept. */
export function upsertInTable(table: CredentialTable, credential: CredentialSummary): CredentialTable {
  let found = false;
  const listed = table.listed.map((entry) => {
    if (entry.id === credential.id) {
      found = true;
      return credential;
    }
    return entry;
  });
  if (!found) listed.push(credential);
  return buildTable(listed);
}

export function removeFromTable(table: CredentialTable, id: string): CredentialTable {
  if (!table.listed.some((e) => e.id === id)) return table;
  return buildTable(table.listed.filter((e) => e.id !== id));
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

const KIND_RANK: Record<CredentialSummary['kind'], number> = { bearer: 0, api_key: 1, jwt_session: 2 };
const STATUS_RANK: Record<CredentialSummary['status'], number> = { active: 0, expired: 1, invalid: 2, revoked: 3 };

/** The ascending order for a column (cached). Ties fall back to name order, so a sort is stable and predictable. */
export function ascendingOrder(table: CredentialTable, column: SortColumn): Uint32Array {
  const cached = table.orders.get(column);
  if (cached) return cached;
  const { items } = table;
  const n = items.length;
  let order: Uint32Array;
  if (column === 'name') {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => collator.compare(items[a]!.name, items[b]!.name) || compareIds(items[a]!.id, items[b]!.id));
    order = Uint32Array.from(idx);
  } else {
    const byName = ascendingOrder(table, 'name');
    const nameRank = new Uint32Array(n);
    for (let pos = 0; pos < n; pos++) nameRank[byName[pos]!] = pos;
    const primary = primaryKeys(items, column);
    order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // NaN (Infinity − Infinity: two "never"s) is falsy, so equal keys fall through to the name.
    order.sort((a, b) => primary[a]! - primary[b]! || nameRank[a]! - nameRank[b]!);
  }
  table.orders.set(column, order);
  return order;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One number per row to sort by: ranks for text columns, timestamps for dates ("never" sorts as the far end). */
function primaryKeys(items: readonly CredentialSummary[], column: Exclude<SortColumn, 'name'>): Float64Array {
  const n = items.length;
  const out = new Float64Array(n);
  switch (column) {
    case 'kind':
      for (let i = 0; i < n; i++) out[i] = KIND_RANK[items[i]!.kind];
      return out;
    case 'status':
      for (let i = 0; i < n; i++) out[i] = STATUS_RANK[items[i]!.status];
      return out;
    case 'expiresAt':
      // Never expiring is the farthest future.
      for (let i = 0; i < n; i++) out[i] = items[i]!.expiresAt ?? Number.POSITIVE_INFINITY;
      return out;
    case 'lastUsedAt':
      // Never used is the farthest past.
      for (let i = 0; i < n; i++) out[i] = items[i]!.lastUsedAt ?? Number.NEGATIVE_INFINITY;
      return out;
    case 'access':
      return textRanks(items.map((c) => accessText(c)));
    case 'fingerprint':
      return textRanks(items.map((c) => c.fingerprint));
  }
}

/** Ranks text by sorting its distinct values once (few roles, many tokens: far cheaper than collating every pair). */
function textRanks(values: string[]): Float64Array {
  const distinct = [...new Set(values)].sort((a, b) => {
    // Empty text (no role, no scopes) goes last.
    if (a === '' || b === '') return a === b ? 0 : a === '' ? 1 : -1;
    return collator.compare(a, b);
  });
  const rank = new Map<string, number>();
  distinct.forEach((v, i) => rank.set(v, i));
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = rank.get(values[i]!)!;
  return out;
}

/**
 * The rows to show for a query and a sort. Pass the previous result: when
 * only the query grew (the user typed on), only the previous matches are
 * searched again.
 */
export function filterRows(table: CredentialTable, rawQuery: string, sort: SortSpec, previous?: FilterResult | null): FilterResult {
  const query = normalizeQuery(rawQuery);
  const samePrevious =
    previous && previous.table === table && previous.sort.column === sort.column && previous.sort.direction === sort.direction;
  if (samePrevious && query === previous.query) return previous;
  const cacheKey = `${sort.column}:${sort.direction}:${query}`;
  const remembered = table.recent.get(cacheKey);
  if (remembered) return { table, query, sort, rows: remembered };

  let rows: Uint32Array;
  if (samePrevious && previous.query !== '' && query.includes(previous.query)) {
    rows = narrow(previous.rows, table.keys, query);
  } else {
    rows = scan(table, query, sort);
  }
  remember(table, cacheKey, rows);
  return { table, query, sort, rows };
}

const RECENT_LIMIT = 32;

function remember(table: CredentialTable, key: string, rows: Uint32Array): void {
  if (table.recent.size >= RECENT_LIMIT) table.recent.delete(table.recent.keys().next().value!);
  table.recent.set(key, rows);
}

function scan(table: CredentialTable, query: string, sort: SortSpec): Uint32Array {
  const { keys } = table;
  const order = ascendingOrder(table, sort.column);
  const n = order.length;
  if (query === '') return sort.direction === 'ascending' ? order : order.slice().reverse();
  const out = new Uint32Array(n);
  let k = 0;
  if (sort.direction === 'ascending') {
    for (let p = 0; p < n; p++) {
      const i = order[p]!;
      if (keys[i]!.includes(query)) out[k++] = i;
    }
  } else {
    for (let p = n - 1; p >= 0; p--) {
      const i = order[p]!;
      if (keys[i]!.includes(query)) out[k++] = i;
    }
  }
  return out.slice(0, k);
}

function narrow(rows: Uint32Array, keys: readonly string[], query: string): Uint32Array {
  const out = new Uint32Array(rows.length);
  let k = 0;
  for (let p = 0; p < rows.length; p++) {
    const i = rows[p]!;
    if (keys[i]!.includes(query)) out[k++] = i;
  }
  return out.slice(0, k);
}

/** What row `index` of the grid shows: corrupt records first, then the filtered tokens. */
export type GridRow = { type: 'corrupt'; record: CorruptRecord } | { type: 'credential'; credential: CredentialSummary };

export function gridRowAt(table: CredentialTable, rows: Uint32Array, index: number): GridRow | null {
  if (index < table.corrupt.length) return { type: 'corrupt', record: table.corrupt[index]! };
  const i = rows[index - table.corrupt.length];
  if (i === undefined) return null;
  return { type: 'credential', credential: table.items[i]! };
}

export function gridRowCount(table: CredentialTable, rows: Uint32Array): number {
  return table.corrupt.length + rows.length;
}

/** The grid index of a credential, or -1 when it is filtered out. */
export function gridIndexOf(table: CredentialTable, rows: Uint32Array, id: string): number {
  const i = table.indexById.get(id);
  if (i === undefined) return -1;
  const p = rows.indexOf(i);
  return p < 0 ? -1 : table.corrupt.length + p;
}
