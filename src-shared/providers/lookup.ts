import type { CredentialKind } from '../domain/schemas';
import type { AuthScheme, ErrorShape, ProviderDefinition, TestPreset } from './schema';

/** Questions the rest of the app asks of a definition, answered in one place. */

export function authFor(def: ProviderDefinition, scheme: CredentialKind): AuthScheme | null {
  return def.auth.find((a) => a.scheme === scheme) ?? null;
}

/**
 * The header an API key of this provider goes in, as its definition documents
 * it (Regen Therapy: `X-API-Key`, shared/seeds/001), or null when it documents
 * none. The default of every add path (CLI `token add`, the app's form); the
 * user can still name another.
 */
export function documentedApiKeyHeader(def: ProviderDefinition | null | undefined): string | null {
  const auth = def ? authFor(def, 'api_key') : null;
  return auth?.scheme === 'api_key' && auth.headerName ? auth.headerName : null;
}

/** The credential kinds that call the API (not those that only manage tokens). */
export function apiSchemes(def: ProviderDefinition): CredentialKind[] {
  return def.auth.filter((a) => a.purpose === 'api').map((a) => a.scheme);
}

/** The presets that test a credential of this kind. */
export function presetsFor(def: ProviderDefinition, scheme: CredentialKind): TestPreset[] {
  const api = apiSchemes(def);
  return def.testPresets.filter((p) => (p.schemes ? p.schemes.includes(scheme) : api.includes(scheme)));
}

export type ExpiryPolicy =
  /** Documented as never expiring (Regate, Coolset). */
  | { kind: 'never' }
  /** Chosen at creation; `days: null` is unlimited (Strapi). */
  | { kind: 'chosen'; options: { label: string; days: number | null }[] }
  /** A login session: the access token and refresh token lifetimes, null when undocumented. */
  | { kind: 'session'; accessTokenSeconds: number | null; refreshTokenSeconds: number | null }
  /** The documents state none: the user records one if there is one. */
  | { kind: 'undocumented'; note: string | null };

export function expiryPolicy(def: ProviderDefinition, scheme: CredentialKind): ExpiryPolicy {
  const auth = authFor(def, scheme);
  if (auth?.scheme === 'jwt_session') {
    return { kind: 'session', accessTokenSeconds: auth.accessTokenLifetimeSeconds, refreshTokenSeconds: auth.refreshTokenLifetimeSeconds };
  }
  if (def.lifetimes.neverExpires) return { kind: 'never' };
  if (def.lifetimes.options.length > 0) return { kind: 'chosen', options: def.lifetimes.options.map((o) => ({ ...o })) };
  return { kind: 'undocumented', note: def.lifetimes.note ?? null };
}

export function errorShapeFor(def: ProviderDefinition, status: number): ErrorShape | null {
  return def.errorShapes.find((e) => e.status === status) ?? null;
}

/**
 * A warning when a pasted value does not look like this provider's tokens
 * (a JWT pasted as a Regen API key, say); null when it does or there is no hint.
 * Runs where the value is: in the main process.
 */
export function tokenFormatWarning(def: ProviderDefinition, scheme: CredentialKind, value: string): string | null {
  for (const hint of def.tokenFormats) {
    if (hint.scheme !== scheme) continue;
    if (!new RegExp(hint.pattern, 'u').test(value.trim())) return hint.message;
  }
  return null;
}
