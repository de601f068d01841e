import type { CredentialSummary } from '../../src-shared/domain/types';
import { isoWithOffset, localDateKey, systemTimeZone } from '../../src-shared/expiry/calendar';
import { formatDueDate, type DateDisplay } from '../../src-shared/expiry/format-due';
import { BIDI_CONTROLS, CONTROLS } from '../../src-shared/unsafe-text';

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

const UNPRINTABLE = new RegExp(`[${CONTROLS}${BIDI_CONTROLS}]`, 'g');

/**
 * Untrusted text (names, import files, server messages) made fit to print in
 * someone's terminal: each character a terminal or its text layout would act
 * on instead of showing becomes a visible `?`. Those are the C0 and C1 control
 * characters (escape sequences, carriage returns) and Unicode's bidirectional
 * formatting characters (UAX #9 §2: the embeddings and overrides U+202A–U+202E,
 * the isolates U+2066–U+2069, the marks U+200E, U+200F and U+061C), which
 * reorder what is shown so that text reads differently from what it is
 * ("Trojan Source", CVE-2021-42574). Replaced rather than dropped, so the
 * reader sees that something was there: dropped, a name with a hidden
 * override would print exactly like the name it imitates. The stored text is
 * unchanged; only what is printed.
 */
export function safe(text: string): string {
  return text.replace(UNPRINTABLE, '?');
}

/** The C1 controls and the bidirectional formatting characters: what JSON.stringify leaves raw that `safe` replaces. */
const RAW_IN_JSON = new RegExp(`[\\u007f-\\u009f${BIDI_CONTROLS}]`, 'g');

/**
 * `--json` output: JSON.stringify's text (2-space indent) with every
 * character `safe` would replace written as a `\uXXXX` escape. JSON.stringify
 * escapes the C0 controls itself but not C1 or the bidirectional formatting
 * characters, so a name could reorder the JSON a person reads in a terminal.
 * Such characters can only stand inside JSON strings, where the escape means
 * the same character (RFC 8259 §7): a parser gets exactly the stored text.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
