import { VaultError } from '../../src-shared/errors';
import { addDuration, readDuration, type Duration } from '../../src-shared/domain/duration';
import { LIMITS } from '../../src-shared/domain/limits';
import type { CredentialSummary } from '../../src-shared/domain/types';
import { endOfLocalDate, isDateKey, systemTimeZone } from '../../src-shared/expiry/calendar';
import { jwtExpiry, pickEffectiveExpiry, type ExpirySource } from '../../src-shared/expiry/expiry-sources';
import type { Vault } from '../vault/vault';
import { EMPTY_EXPIRY, type ExpiryRecord } from '../vault/expiry-store';

/**
 * What changed about a credential's expiry sources; a field left undefined
 * keeps what is stored. Dates are epoch milliseconds.
 */
export interface ExpiryChange {
  /** The date entered: an instant, or a calendar date (`YYYY-MM-DD`) that ends at the end of that day in the user's zone; null clears it. */
  explicit?: { at: number } | { date: string } | null;
  /** The lifetime chosen at creation, counted from now by the shared duration rule; or an instant; null clears it. */
  duration?: { after: Duration } | { at: number } | null;
  /** The provider's own record (Strapi `expiresAt`); null: the provider says it never expires. */
  providerAt?: number | null;
  /** A session's end by its documented refresh-token lifetime. */
  refreshAt?: number | null;
}

/** The two fields every shell may send with a token instead of (or beside) `expiresAt`: see CredentialFields. */
export interface ExpiryInputFields {
  expiresOn?: string | null;
  expiresAfter?: string | null;
}

/**
 * Every source of a credential's expiry, used wherever a token is added,
 * edited, rotated, regenerated, signed in or synced: the date entered, the
 * lifetime chosen, the provider's record, a JWT's `exp` (read from the value),
 * and a session's refresh-token end. The earliest wins and is stored as
 * `expires_at` with the name of its source, so reminders, `due` and the UI
 * all read one date and can say where it came from.
 *
 * Sessions: a JWT session that can be renewed ends with its refresh token (its
 * access token's `exp` is not the session's end); one that cannot (Strapi's
 * admin login) ends with its access token, which is a sign-in that lapses,
 * not a token to rotate (see isSessionLapse).
 */
export class ExpiryService {
  constructor(
    private readonly vault: Vault,
    private readonly now: () => number = Date.now,
    // The zone chosen in Settings (issue 12), else the system's: a date-only expiry ends at midnight there.
    private readonly timeZone: () => string = () => vault.getSettings().timeZone ?? systemTimeZone(),
  ) {}

  /**
   * Reads `expiresOn` / `expiresAfter` from an input or patch (and removes
   * them, so the vault sees its own schema) into an ExpiryChange. An explicit
   * `expiresAt` in the input counts as the date entered. Raises VALIDATION for
   * a bad date or duration.
   */
  takeInputFields(input: Record<string, unknown>): ExpiryChange {
    const change: ExpiryChange = {};
    const { expiresOn, expiresAfter } = input as ExpiryInputFields;
    delete input.expiresOn;
    delete input.expiresAfter;
    // What the user enters replaces what the user entered before (a date, or a
    // lifetime): never the provider's record or the token's own exp.
    const given = input.expiresAt !== undefined || (expiresOn !== undefined && expiresOn !== null) || (expiresAfter !== undefined && expiresAfter !== null);
    if (!given) return change;
    change.explicit = null;
    change.duration = null;
    // With a duration, expiresAt is only the sender's preview of it: the duration is the source.
    if (typeof input.expiresAt === 'number' && (expiresAfter === undefined || expiresAfter === null)) change.explicit = { at: input.expiresAt };
    if (expiresOn !== undefined && expiresOn !== null) {
      if (typeof expiresOn !== 'string' || !isDateKey(expiresOn)) {
        throw new VaultError('VALIDATION', 'expiresOn must be a calendar date such as 2027-03-01.', { issues: [{ path: 'expiresOn', message: 'must be a date such as 2027-03-01' }] });
      }
      change.explicit = { date: expiresOn };
    }
    if (expiresAfter !== undefined && expiresAfter !== null) {
      change.duration = { after: parseDurationField(String(expiresAfter), 'expiresAfter') };
    }
    return change;
  }

  /** The instant a change's date-only or duration entry stands for, in the user's zone now. */
  private resolve(change: ExpiryChange, base: ExpiryRecord): ExpiryRecord {
    const tz = this.timeZone();
    const next = { ...base };
    if (change.explicit !== undefined) {
      if (change.explicit === null) Object.assign(next, { explicitAt: null, explicitDate: null });
      else if ('date' in change.explicit) Object.assign(next, { explicitAt: endOfLocalDate(change.explicit.date, tz), explicitDate: change.explicit.date });
      else Object.assign(next, { explicitAt: change.explicit.at, explicitDate: null });
    }
    if (change.duration !== undefined) {
      next.durationAt = change.duration === null ? null : 'at' in change.duration ? change.duration.at : addDuration(this.now(), change.duration.after, tz);
    }
    if (change.providerAt !== undefined) next.providerAt = change.providerAt;
    if (change.refreshAt !== undefined) next.refreshAt = change.refreshAt;
    return next;
  }

  /**
   * The effective expiry before a credential exists (so the vault stores the
   * right `expiresAt` from the first write): the record to keep and its date.
   */
  preview(kind: CredentialSummary['kind'], secret: { value: string; refreshToken?: string | undefined }, change: ExpiryChange): { record: ExpiryRecord; at: number | null } {
    const record = this.resolve(change, EMPTY_EXPIRY);
    const picked = pick(kind, secret, record);
    return { record: { ...record, source: picked?.source ?? null }, at: picked?.at ?? null };
  }

  /** Recomputes a stored credential's expiry from every source after `change`, stores it, and returns the credential. */
  apply(credentialId: string, change: ExpiryChange = {}): CredentialSummary {
    const c = this.vault.getCredential(credentialId);
    // A credential from before sources were kept: its date was entered by hand.
    const stored = this.vault.expiry.get(credentialId) ?? { ...EMPTY_EXPIRY, explicitAt: c.expiresAt };
    const record = this.resolve(change, stored);
    let secret: { value: string; refreshToken?: string } = { value: '' };
    if (c.hasValue) secret = this.vault.secretForRequest(credentialId);
    const picked = pick(c.kind, secret, record);
    this.vault.expiry.save(credentialId, { ...record, source: picked?.source ?? null }, picked?.at ?? null);
    return this.vault.getCredential(credentialId);
  }
}

function pick(kind: CredentialSummary['kind'], secret: { value: string; refreshToken?: string | undefined }, r: ExpiryRecord) {
  const sources: (ExpirySource | null)[] = [
    r.explicitAt !== null ? { kind: 'explicit', at: r.explicitAt } : null,
    r.providerAt !== null ? { kind: 'provider_record', at: r.providerAt } : null,
    r.durationAt !== null ? { kind: 'duration', at: r.durationAt } : null,
  ];
  const access = secret.value ? jwtExpiry(secret.value) : null;
  if (kind === 'jwt_session') {
    const ownRefresh = secret.refreshToken ? jwtExpiry(secret.refreshToken) : null;
    const refresh = [ownRefresh?.at, r.refreshAt].filter((x): x is number => typeof x === 'number');
    if (refresh.length > 0) sources.push({ kind: 'refresh_token', at: Math.min(...refresh) });
    // No way to renew: the access token's end is the session's end (a sign-in that lapses).
    else if (!secret.refreshToken && access) sources.push(access);
  } else if (access) {
    sources.push(access);
  }
  return pickEffectiveExpiry(sources);
}

/** A duration field, or VALIDATION whose message names the units (and both `min` and `mo` for a bare `m`). */
export function parseDurationField(text: string, field: string): Duration {
  const r = readDuration(text);
  if (!r.ok) throw new VaultError('VALIDATION', `${field} ${r.error}.`, { issues: [{ path: field, message: r.error }] });
  const d = r.duration;
  const days = { min: d.amount / 1440, h: d.amount / 24, d: d.amount, w: d.amount * 7, mo: d.amount * 30, y: d.amount * 365 }[d.unit];
  if (days > LIMITS.durationDaysMax) {
    throw new VaultError('VALIDATION', `${field} must be at most ${LIMITS.durationDaysMax / 365} years.`, { issues: [{ path: field, message: 'is too long' }] });
  }
  return d;
}

/**
 * True for a JWT session whose end is its access token's (it has no refresh
 * token to renew it): when that passes, the user is signed out and signs in
 * again. It is not an expiry to rotate for, and `due` leaves it out unless
 * asked (`--include-sessions`).
 */
export function isSessionLapse(c: Pick<CredentialSummary, 'kind' | 'expirySource'>): boolean {
  return c.kind === 'jwt_session' && c.expirySource === 'jwt_exp';
}
