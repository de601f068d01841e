import { parseDuration } from '../../../../src-shared/domain/duration';
import { LIMITS } from '../../../../src-shared/domain/limits';

/**
 * The expiry as the form asks for it — never, on a date, or after a
 * duration such as `30d` — turned into the `expiresAt` timestamp the API
 * stores. Conversion happens here, in the renderer, because "30 days" means
 * 30 days from the moment the user saves.
 */
export type ExpiryChoice =
  | { mode: 'never' }
  /** `YYYY-MM-DD` as an <input type="date"> gives it. */
  | { mode: 'date'; date: string }
  | { mode: 'duration'; duration: string };

export type ExpiryResult = { ok: true; expiresAt: number | null } | { ok: false; error: string };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A date means the start of that day in the user's own time zone, so the list
 * shows back exactly the date that was picked.
 */
export function expiryToTimestamp(choice: ExpiryChoice, now: number = Date.now()): ExpiryResult {
  switch (choice.mode) {
    case 'never':
      return { ok: true, expiresAt: null };
    case 'date': {
      const m = ISO_DATE.exec(choice.date.trim());
      if (!m) return { ok: false, error: 'Expiry date must be a date such as 2027-03-01.' };
      const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const at = new Date(year, month - 1, day, 0, 0, 0, 0);
      // new Date rolls 2027-02-31 over into March: a typo must not become another date.
      if (at.getFullYear() !== year || at.getMonth() !== month - 1 || at.getDate() !== day) {
        return { ok: false, error: 'Expiry date does not exist in the calendar.' };
      }
      return { ok: true, expiresAt: at.getTime() };
    }
    case 'duration': {
      const text = choice.duration.trim();
      if (text === '') return { ok: false, error: 'Expires after must be a duration such as 30d, 2w, 12h or 1y.' };
      const ms = parseDuration(text);
      if (ms === null) return { ok: false, error: 'Expires after must be a duration such as 30d, 2w, 12h or 1y.' };
      if (ms > LIMITS.durationDaysMax * 86_400_000) {
        return { ok: false, error: `Expires after must be at most ${LIMITS.durationDaysMax / 365} years.` };
      }
      return { ok: true, expiresAt: now + ms };
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
