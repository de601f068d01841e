import type { CredentialTable, SortColumn } from './credential-table';
import { accessText, KIND_LABELS, STATUS_LABELS } from './labels';
import { formatRelative } from '../../../lib/format';

/**
 * Column widths that follow the content (issue 12): every column is as wide
 * as its widest text (measured once per list, over all its tokens, not only
 * the rows on screen, so widths do not jump while scrolling or typing), and
 * when the list is narrower than that, Role / scopes gives way first, then
 * the name; the short columns keep their width. Room left over goes to the
 * name and the role.
 */

/** How many of the longest texts (by characters) are measured per column: a proportional font can make a shorter one wider. */
export const CANDIDATES_PER_COLUMN = 12;

/** Below these the name and the role are cut (with an ellipsis and the full text as a tooltip) rather than narrowed further. */
export const MIN_WIDTH: Record<'name' | 'access', number> = { name: 140, access: 90 };

const FLEXIBLE = ['name', 'access'] as const;

/** The `n` longest distinct strings, longest first: one pass, no sort of the whole list (100,000 names cost a few ms). */
export function longest(values: Iterable<string>, n: number): string[] {
  const top: string[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    if (top.length === n && v.length <= top[top.length - 1]!.length) continue;
    if (seen.has(v)) continue;
    seen.add(v);
    let i = top.length;
    while (i > 0 && top[i - 1]!.length < v.length) i--;
    top.splice(i, 0, v);
    if (top.length > n) seen.delete(top.pop()!);
  }
  return top;
}

function* mapped<T>(items: readonly T[], f: (x: T) => string): Iterable<string> {
  for (const x of items) yield f(x);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The relative times a date column shows for these dates ("in 9 days", "3
 * months ago"), without formatting each one: the dates are bucketed by the
 * unit formatRelative picks, the direction and the number's digits, and one
 * sample per bucket (its widest number) is formatted. 100,000 dates cost a
 * pass of arithmetic and a handful of Intl calls.
 */
const CAP = { m: 44, h: 21, d: 45, M: 10, y: Number.MAX_SAFE_INTEGER } as const;

export function relativeCandidates(values: Iterable<number | null>, now: number): string[] {
  const buckets = new Map<string, number>();
  let never = false;
  for (const at of values) {
    if (at === null) {
      never = true;
      continue;
    }
    const diff = at - now;
    const abs = Math.abs(diff);
    const [unit, size] = abs < 45_000 ? ['now', 1] : abs < 45 * MINUTE ? ['m', MINUTE] : abs < 22 * HOUR ? ['h', HOUR] : abs < 46 * DAY ? ['d', DAY] : abs < 320 * DAY ? ['M', 30 * DAY] : ['y', 365 * DAY];
    const n = unit === 'now' ? 0 : Math.round(abs / size);
    const key = `${unit}${diff < 0 ? '-' : '+'}${String(n).length}`;
    // A wide number of that many digits (8, 88, 888), kept inside what formatRelative shows in this unit.
    const sample = unit === 'now' ? 0 : Math.sign(diff) * size * Math.min(Number('8'.repeat(String(n).length)), CAP[unit as keyof typeof CAP]);
    if (!buckets.has(key) || Math.abs(sample) > Math.abs(buckets.get(key)!)) buckets.set(key, sample);
  }
  const out = [...buckets.values()].map((d) => formatRelative(now + d, now));
  if (never) out.push('Never');
  return out;
}

function* mapped2<T>(items: readonly T[], f: (x: T) => number | null): Iterable<number | null> {
  for (const x of items) yield f(x);
}

const cache = new WeakMap<CredentialTable, Record<SortColumn, string[]>>();

/** What to measure for each column of a table: its longest texts (cached per table). */
export function columnCandidates(table: CredentialTable): Record<SortColumn, string[]> {
  const hit = cache.get(table);
  if (hit) return hit;
  const items = table.items;
  const now = Date.now();
  const out: Record<SortColumn, string[]> = {
    name: longest(mapped(items, (c) => c.name), CANDIDATES_PER_COLUMN),
    kind: Object.values(KIND_LABELS),
    access: longest(mapped(items, (c) => accessText(c)), CANDIDATES_PER_COLUMN),
    fingerprint: longest(mapped(items, (c) => c.fingerprint), 4),
    status: Object.values(STATUS_LABELS),
    expiresAt: relativeCandidates(mapped2(items, (c) => c.expiresAt), now),
    lastUsedAt: relativeCandidates(mapped2(items, (c) => c.lastUsedAt), now),
  };
  cache.set(table, out);
  return out;
}

/**
 * Fits measured widths (px, cell padding included) into `available` px:
 * returns one width per column, in `order`. Short columns keep what they
 * need; extra room is shared by the name (60 %) and the role (40 %); a
 * shortfall is taken from the role first, then the name, each down to its
 * minimum.
 */
export function fitColumns(wanted: Record<SortColumn, number>, available: number, order: readonly SortColumn[]): number[] {
  const w = { ...wanted };
  const fixed = order.filter((c) => !(FLEXIBLE as readonly string[]).includes(c)).reduce((s, c) => s + w[c], 0);
  const room = Math.max(0, available - fixed);
  const need = w.name + w.access;
  if (need <= room) {
    const extra = room - need;
    const toName = Math.floor(extra * 0.6);
    w.name += toName;
    w.access += extra - toName;
  } else {
    let over = need - room;
    for (const c of ['access', 'name'] as const) {
      const cut = Math.min(over, Math.max(0, w[c] - MIN_WIDTH[c]));
      w[c] -= cut;
      over -= cut;
    }
  }
  return order.map((c) => Math.floor(w[c]));
}
