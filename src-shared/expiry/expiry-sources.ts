import { decodeJwt } from 'jose';
import type { CredentialKind } from '../domain/schemas';
import { addCalendarDays, addCalendarYears } from './calendar';

/**
 * Where a credential's expiry can come from. Several may apply at once (a
 * Strapi token has its chosen duration and Strapi's own `expiresAt`; a JWT
 * session has its access token's `exp` and its refresh token's lifetime), and
 * they can disagree: the earliest wins, because a reminder that comes a day
 * early costs nothing and one that comes a day late costs an outage.
 */
export const EXPIRY_SOURCES = ['explicit', 'provider_record', 'jwt_exp', 'refresh_token', 'duration'] as const;
export type ExpirySourceKind = (typeof EXPIRY_SOURCES)[number];

export interface ExpirySource {
  kind: ExpirySourceKind;
  at: number;
}

export interface EffectiveExpiry {
  at: number;
  /** The source that decided (the earliest; on a tie, the first in EXPIRY_SOURCES order). */
  source: ExpirySourceKind;
  /** Every source that gave a date, earliest first. */
  considered: ExpirySource[];
  /** One sentence for a person: which source decided, and over which others. */
  explanation: string;
}

const SOURCE_LABEL: Record<ExpirySourceKind, string> = {
  explicit: 'the date entered',
  provider_record: "the provider's own record",
  jwt_exp: "the token's JWT exp claim",
  refresh_token: "the refresh token's lifetime",
  duration: 'the duration chosen at creation',
};

export function describeExpirySource(kind: ExpirySourceKind): string {
  return SOURCE_LABEL[kind];
}

/** Picks the earliest of the sources that gave a date; null when none did (never expires). */
export function pickEffectiveExpiry(sources: readonly (ExpirySource | null | undefined)[]): EffectiveExpiry | null {
  const rank = (k: ExpirySourceKind) => EXPIRY_SOURCES.indexOf(k);
  const given = sources
    .filter((s): s is ExpirySource => s != null && Number.isFinite(s.at))
    .sort((a, b) => a.at - b.at || rank(a.kind) - rank(b.kind));
  const first = given[0];
  if (!first) return null;
  const others = given.slice(1).filter((s) => s.kind !== first.kind);
  const explanation =
    others.length === 0
      ? `Expiry from ${SOURCE_LABEL[first.kind]}.`
      : `Expiry from ${SOURCE_LABEL[first.kind]}, the earliest of ${given.length} sources (also ${others
          .map((s) => `${SOURCE_LABEL[s.kind]}${s.at === first.at ? ', the same instant' : ''}`)
          .join('; ')}).`;
  return { at: first.at, source: first.kind, considered: given, explanation };
}

export function explicitExpiry(at: number | null | undefined): ExpirySource | null {
  return typeof at === 'number' && Number.isFinite(at) ? { kind: 'explicit', at } : null;
}

/**
 * A lifetime chosen when the token was made, such as Strapi's 7, 30 or 90 days
 * or "unlimited". Counted in calendar days (or years) in the user's zone from
 * the creation instant, so "30 days" on the 1st at 09:00 ends on the 31st at 09:00.
 */
export type LifetimeChoice = { days: number } | { years: number } | 'unlimited';

export function durationExpiry(createdAt: number, lifetime: LifetimeChoice, timeZone: string): ExpirySource | null {
  if (lifetime === 'unlimited') return null;
  const at = 'days' in lifetime ? addCalendarDays(createdAt, lifetime.days, timeZone) : addCalendarYears(createdAt, lifetime.years, timeZone);
  return { kind: 'duration', at };
}

/** Claims of a JWT, read without verifying its signature: we only want its dates, never to trust it. */
function jwtClaims(token: string | null | undefined): { exp?: unknown; iat?: unknown } | null {
  if (!token) return null;
  try {
    return decodeJwt(token);
  } catch {
    // Not a JWT (an opaque API key): it says nothing about its own expiry.
    return null;
  }
}

function claimMs(value: unknown): number | null {
  // NumericDate is seconds; reject what cannot be one rather than guess.
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value < 8.64e12 ? Math.round(value * 1000) : null;
}

/** The `exp` claim of a JWT; null for a non-JWT or a JWT without `exp`. */
export function jwtExpiry(token: string | null | undefined): ExpirySource | null {
  const at = claimMs(jwtClaims(token)?.exp);
  return at === null ? null : { kind: 'jwt_exp', at };
}

export function jwtIssuedAt(token: string | null | undefined): number | null {
  return claimMs(jwtClaims(token)?.iat);
}

/**
 * When a JWT session can no longer be renewed: the refresh token's own `exp`
 * when it is a JWT that has one, else its documented lifetime from issue (Regen
 * Therapy: 7 days from login). The lifetime is a server-side TTL in seconds,
 * so it is added as elapsed time, not as calendar days.
 */
export function refreshTokenExpiry(opts: {
  refreshToken?: string | null;
  /** Login or last refresh; the refresh token's `iat` wins when it has one. */
  issuedAt: number;
  lifetimeSeconds?: number | null;
}): ExpirySource | null {
  const own = jwtExpiry(opts.refreshToken);
  if (own) return { kind: 'refresh_token', at: own.at };
  if (!opts.lifetimeSeconds || opts.lifetimeSeconds <= 0) return null;
  const issued = jwtIssuedAt(opts.refreshToken) ?? opts.issuedAt;
  return { kind: 'refresh_token', at: issued + opts.lifetimeSeconds * 1000 };
}

/** What a provider's list API says (Strapi's `expiresAt`: an ISO string, or null for unlimited). */
export function providerRecordExpiry(value: string | number | null | undefined): ExpirySource | null {
  if (value === null || value === undefined || value === '') return null;
  const at = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(at) ? { kind: 'provider_record', at } : null;
}

export interface ExpiryFacts {
  kind: CredentialKind;
  createdAt: number;
  timeZone: string;
  explicitAt?: number | null;
  lifetime?: LifetimeChoice | null;
  /** The token value: looked at only for a JWT `exp`. */
  value?: string | null;
  refreshToken?: string | null;
  /** The provider's documented refresh-token lifetime (Regen Therapy: 7 × 86 400 s). */
  refreshLifetimeSeconds?: number | null;
  /** Login or last refresh of a JWT session; defaults to creation. */
  issuedAt?: number | null;
  providerRecordAt?: string | number | null;
}

/**
 * Gathers every source that applies to one credential and picks the effective
 * expiry. For a JWT session that can be refreshed, the access token's short
 * `exp` (Regen Therapy: 1 hour) is not the credential's end, it is renewed;
 * the session ends when the refresh token does.
 */
export function effectiveExpiry(f: ExpiryFacts): EffectiveExpiry | null {
  const renewable = f.kind === 'jwt_session' && (Boolean(f.refreshToken) || Boolean(f.refreshLifetimeSeconds));
  return pickEffectiveExpiry([
    explicitExpiry(f.explicitAt),
    providerRecordExpiry(f.providerRecordAt),
    renewable ? null : jwtExpiry(f.value),
    renewable
      ? refreshTokenExpiry({
          refreshToken: f.refreshToken ?? null,
          issuedAt: f.issuedAt ?? jwtIssuedAt(f.value) ?? f.createdAt,
          lifetimeSeconds: f.refreshLifetimeSeconds ?? null,
        })
      : null,
    f.lifetime ? durationExpiry(f.createdAt, f.lifetime, f.timeZone) : null,
  ]);
}
