import type { CredentialKind, CredentialStatus, KeySource } from './schemas';
import type { ExpirySourceKind } from '../expiry/expiry-sources';

/** What the vault hands out. None of these types has a field for a secret value. */

export interface Workspace {
  id: string;
  name: string;
  providerId: string | null;
  color: string | null;
  notes: string;
  createdAt: number;
  updatedAt: number;
}

export interface Environment {
  id: string;
  workspaceId: string;
  name: string;
  baseUrl: string;
  production: boolean;
  createdAt: number;
  updatedAt: number;
}

export type TestOutcome =
  | 'ok'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'client_error'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'tls'
  /** issue-9: the answer did not come from the API with the token (another origin, a loop, a refused redirect). */
  | 'redirected';

/**
 * Outcomes that show the provider received the call and knew the token: the
 * only ones that move "last used" (a 403 is an authenticated refusal). Every
 * attempt, whatever its outcome, moves "last tested".
 */
export function isAuthenticatedOutcome(outcome: TestOutcome): boolean {
  return outcome === 'ok' || outcome === 'forbidden';
}

export interface CredentialSummary {
  id: string;
  workspaceId: string;
  environmentId: string;
  name: string;
  description: string;
  /** The user's notes ('' when none). */
  notes: string;
  kind: CredentialKind;
  headerName: string | null;
  role: string | null;
  scopes: string[];
  tokenType: string | null;
  /** Masked, safe to show: `rg_abc1…9f2e`. */
  fingerprint: string;
  hasRefreshToken: boolean;
  status: CredentialStatus;
  createdAt: number;
  updatedAt: number;
  /** The effective expiry: the earliest date any source gives (epoch ms), or null for never. */
  expiresAt: number | null;
  /** Which source gave `expiresAt` (the date entered, a JWT exp, the provider's record…); null when it never expires. */
  expirySource: ExpirySourceKind | null;
  /**
   * For a date-only expiry (`--expires 2027-03-01`): that calendar date, shown
   * as is in every zone. `expiresAt` is then the end of that day (23:59:59.999)
   * in the user's zone when it was entered.
   */
  expiresOn: string | null;
  rotationDays: number | null;
  /** Last rotation, or creation when never rotated: the start of the rotation period. */
  rotatedAt: number;
  /** The last call the provider answered as authenticated, or the provider's own record of use: the later. */
  lastUsedAt: number | null;
  /** The last attempt of any outcome (with `lastTestOutcome`), even one the provider never received. */
  lastTestedAt: number | null;
  lastTestOutcome: TestOutcome | null;
  remoteId: string | null;
  tags: string[];
  /** Who the provider said this token belongs to, from its "who am I" call. */
  identity: { account: string | null; company: string | null } | null;
  /** Rotation lineage: the token this one replaces (set when a rotation stores it). */
  supersedes: string | null;
  /** The token that replaced this one (set when a rotation switches): null means this one is current. */
  supersededBy: string | null;
  /** False once the value was wiped (a revoked token, unless the settings keep revoked values). */
  hasValue: boolean;
}

/**
 * A record whose ciphertext fails authentication. The vault fails closed: it
 * reports the record instead of dropping it or showing a blank.
 */
export interface CorruptRecord {
  corrupt: true;
  table: 'workspaces' | 'environments' | 'credentials';
  id: string;
}

export type Listed<T> = T | CorruptRecord;

export function isCorrupt<T>(item: Listed<T>): item is CorruptRecord {
  return typeof item === 'object' && item !== null && (item as CorruptRecord).corrupt === true;
}

export const AUDIT_EVENT_TYPES = [
  'created',
  'updated',
  'deleted',
  'revealed',
  'copied',
  'tested',
  'revoked',
  'rotated',
  'imported',
  'exported',
  'unlocked',
  'locked',
  'unlock_failed',
  'key_source_changed',
  'moved',
  /** Put to use outside a test (issue 13): injected by `tokenvault exec`, or served by `tokenvault proxy`. */
  'used',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export interface AuditEvent {
  seq: number;
  at: number;
  type: AuditEventType;
  credentialId: string | null;
  /** Masked fingerprint of the credential at the time, never the value. */
  fingerprint: string | null;
  /** A short human note (e.g. "workspace Acme / production"), never a secret. */
  note: string | null;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first event whose link does not verify, when `ok` is false; null when the chain holds and the records do not. */
  firstBrokenSeq: number | null;
  reason: string | null;
  /**
   * Whether the vault's records add up to their sealed digest (issue 15): false
   * when a record was put back, removed or added outside Tokenvault (`reason`
   * says which check failed); null when not checked (the chain broke first).
   * Absent from older answers.
   */
  recordsIntact?: boolean | null;
}

export type VaultState = 'uninitialized' | 'locked' | 'unlocked';

export interface VaultStatus {
  state: VaultState;
  vaultId: string | null;
  keySource: KeySource | null;
}
