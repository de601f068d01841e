import { addDuration, DURATION_EXAMPLE, readDuration } from '../../../../src-shared/domain/duration';
import { LIMITS } from '../../../../src-shared/domain/limits';
import { endOfLocalDate, isDateKey, systemTimeZone } from '../../../../src-shared/expiry/calendar';

/**
 * The expiry as the form asks for it — never, on a date, or after a
 * duration such as `30d` — turned into the `expiresAt` timestamp the API
 * stores, by the same rules as the CLI (src-shared/domain/duration.ts and
 * calendar.ts): a date is a calendar date that ends at the end of that day in
 * the user's zone (sent as `expiresOn` too, so it shows as that date
 * everywhere); a duration counts calendar days, months and years in the
 * user's zone (sent as `expiresAfter` too, so the vault records its source).
 */
export type ExpiryChoice =
  | { mode: 'never' }
  /** `YYYY-MM-DD` as an <input type="date"> gives it. */
  | { mode: 'date'; date: string }
  | { mode: 'duration'; duration: string };

export type ExpiryResult =
  | { ok: true; expiresAt: number | null; expiresOn?: string; expiresAfter?: string }
  | { ok: false; error: string };

export function expiryToTimestamp(choice: ExpiryChoice, now: number = Date.now(), timeZone: string = systemTimeZone()): ExpiryResult {
  switch (choice.mode) {
    case 'never':
      return { ok: true, expiresAt: null };
    case 'date': {
      const date = choice.date.trim();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { ok: false, error: 'Expiry date must be a date such as 2027-03-01.' };
      // 2027-02-31 is refused, never rolled over into March.
      if (!isDateKey(date)) return { ok: false, error: 'Expiry date does not exist in the calendar.' };
      return { ok: true, expiresAt: endOfLocalDate(date, timeZone), expiresOn: date };
    }
    case 'duration': {
      const text = choice.duration.trim();
      const r = readDuration(text);
      if (text === '') return { ok: false, error: `Expires after must be a duration ${DURATION_EXAMPLE}.` };
      if (!r.ok) return { ok: false, error: `Expires after ${r.error}.` };
      const at = addDuration(now, r.duration, timeZone);
      if (at - now > LIMITS.durationDaysMax * 86_400_000) {
        return { ok: false, error: `Expires after must be at most ${LIMITS.durationDaysMax / 365} years.` };
      }
      return { ok: true, expiresAt: at, expiresAfter: text };
    }
  }
}

/** The `YYYY-MM-DD` of a timestamp in the user's time zone (to prefill a date input). */
export function toDateInputValue(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Rotation policy in whole days; empty means no policy. */
export function parseRotationDays(text: string): { ok: true; days: number | null } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '') return { ok: true, days: null };
  if (!/^\d+$/.test(t)) return { ok: false, error: 'Rotate every must be a whole number of days, such as 90.' };
  const days = Number(t);
  if (days < 1 || days > LIMITS.rotationDaysMax) {
    return { ok: false, error: `Rotate every must be between 1 and ${LIMITS.rotationDaysMax} days.` };
  }
  return { ok: true, days };
}
