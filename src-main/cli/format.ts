import type { CredentialSummary } from '../../src-shared/domain/types';

/** Left-aligned columns; a table a person scans, not a format to parse (that is what --json is for). */
export function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function date(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + 'Z';
}

export function grantOf(c: CredentialSummary): string {
  return [c.role, c.tokenType, c.scopes.length ? c.scopes.join(',') : null].filter(Boolean).join(' ') || '—';
}

/** Strips what a terminal would interpret: names are user text, shown in someone's shell. */
export function safe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
