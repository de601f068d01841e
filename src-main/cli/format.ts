import type { CredentialSummary } from '../../src-shared/domain/types';
import { isoWithOffset, localDateKey, systemTimeZone } from '../../src-shared/expiry/calendar';
import { formatDueDate, type DateDisplay } from '../../src-shared/expiry/format-due';

/** Left-aligned columns; a table a person scans, not a format to parse (that is what --json is for). */
export function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

const englishPlural = new Intl.PluralRules('en');

/** A count with its noun in the right number (`1 token`, `0 tokens`, `2 entries` with `many`): CLI text is English; `--json` keeps the bare number. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${englishPlural.select(n) === 'one' ? one : many}`;
}

let settingsZone: string | null | (() => string | null) = null;

/**
 * The vault's Settings time zone (an IANA name; null: none chosen), given by
 * the context when it opens the vault: human dates then print in the zone the
 * app shows, not the process's `TZ`. `--json` keeps its instants as they are.
 * A function is called once, when the first date is printed (issue 11: reading
 * the settings validates them, which loads zod, and most commands print no date).
 */
export function useSettingsTimeZone(zone: string | null | (() => string | null)): void {
  settingsZone = zone;
}

/** The zone human output prints dates in: the Settings time zone when the user chose one, else the process's (`TZ`). */
export function displayZone(): string {
  if (typeof settingsZone === 'function') settingsZone = settingsZone();
  return settingsZone ?? systemTimeZone();
}

/** The user's locale and zone, as the CLI sees them (`LANG`/`LC_ALL` through Intl; the Settings zone, else `TZ`). */
export function display(): DateDisplay {
  return { locale: new Intl.DateTimeFormat().resolvedOptions().locale, timeZone: displayZone() };
}

/**
 * The one human date format of every command: local date and time with the
 * zone named (`1 Apr 2025, 09:00 CEST`), or the calendar date alone for a
 * date-only expiry (`dateKey`); `—` for none.
 */
export function date(ms: number | null, dateKey?: string | null): string {
  return ms === null ? '—' : formatDueDate(ms, display(), { date: dateKey ?? null });
}

/** ISO 8601 with the user's UTC offset (`2027-03-01T23:59:59.999-08:00`): the one date format of `--json`. */
export function isoDate(ms: number | null): string | null {
  return ms === null ? null : isoWithOffset(ms, systemTimeZone());
}

/** The calendar date of an instant in the user's zone. */
export function dateKeyOf(ms: number | null): string | null {
  return ms === null ? null : localDateKey(ms, systemTimeZone());
}

/** A credential as `--json` prints it: every instant as ISO 8601 with offset; `expiresOn` the calendar date of the expiry. */
export function credentialJson(c: CredentialSummary): Record<string, unknown> {
  return {
    ...c,
    createdAt: isoDate(c.createdAt),
    updatedAt: isoDate(c.updatedAt),
    expiresAt: isoDate(c.expiresAt),
    expiresOn: c.expiresOn ?? dateKeyOf(c.expiresAt),
    rotatedAt: isoDate(c.rotatedAt),
    lastUsedAt: isoDate(c.lastUsedAt),
    lastTestedAt: isoDate(c.lastTestedAt),
  };
}

export function grantOf(c: CredentialSummary): string {
  return [c.role, c.tokenType, c.scopes.length ? c.scopes.join(',') : null].filter(Boolean).join(' ') || '—';
}

/** Strips what a terminal would interpret: names are user text, shown in someone's shell. */
export function safe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
