import type { CredentialInput, CredentialKind, CredentialPatch } from '../../../../src-shared/domain/schemas';
import type { CredentialSummary } from '../../../../src-shared/domain/types';
import { expiryToTimestamp, parseRotationDays, toDateInputValue, type ExpiryChoice } from './expiry-input';

/** What the add/edit form holds while the user types: text, as typed. */
export interface CredentialFormValues {
  name: string;
  description: string;
  notes: string;
  /** Comma separated, as typed. */
  tags: string;
  /** The provider's own id for the token, as typed ('' for none). */
  remoteId: string;
  kind: CredentialKind;
  headerName: string;
  role: string;
  scopes: string;
  tokenType: string;
  expiryMode: ExpiryChoice['mode'];
  expiryDate: string;
  expiryDuration: string;
  rotationDays: string;
  /** Only while adding; cleared from memory with the form. */
  value: string;
  refreshToken: string;
}

/** The form's fields by the API's issue paths, with the labels the errors start with. */
export const CREDENTIAL_FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  notes: 'Notes',
  tags: 'Tags',
  remoteId: 'Remote id',
  kind: 'Kind',
  headerName: 'Header name',
  role: 'Role',
  scopes: 'Scopes',
  tokenType: 'Token type',
  expiresAt: 'Expiry',
  rotationDays: 'Rotate every',
  'secret.value': 'Token value',
  'secret.refreshToken': 'Refresh token',
};

export const DEFAULT_HEADER_NAME = 'X-API-Key';

export function emptyFormValues(): CredentialFormValues {
  return {
    name: '',
    description: '',
    notes: '',
    tags: '',
    remoteId: '',
    kind: 'bearer',
    headerName: DEFAULT_HEADER_NAME,
    role: '',
    scopes: '',
    tokenType: '',
    expiryMode: 'never',
    expiryDate: '',
    expiryDuration: '',
    rotationDays: '',
    value: '',
    refreshToken: '',
  };
}

export function formValuesFrom(c: CredentialSummary): CredentialFormValues {
  return {
    name: c.name,
    description: c.description,
    notes: c.notes,
    tags: c.tags.join(', '),
    remoteId: c.remoteId ?? '',
    kind: c.kind,
    headerName: c.headerName ?? DEFAULT_HEADER_NAME,
    role: c.role ?? '',
    scopes: c.scopes.join(', '),
    tokenType: c.tokenType ?? '',
    expiryMode: c.expiresAt === null ? 'never' : 'date',
    expiryDate: c.expiresAt === null ? '' : (c.expiresOn ?? toDateInputValue(c.expiresAt)),
    expiryDuration: '',
    rotationDays: c.rotationDays === null ? '' : String(c.rotationDays),
    value: '',
    refreshToken: '',
  };
}

/** "read:orders, write:orders" → ["read:orders", "write:orders"]; blanks and repeats dropped. Tags are parsed the same way. */
export function parseScopes(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
}

export type FormBuild<T> = { ok: true; value: T } | { ok: false; fields: Record<string, string> };

function expiryChoice(v: CredentialFormValues): ExpiryChoice {
  if (v.expiryMode === 'date') return { mode: 'date', date: v.expiryDate };
  if (v.expiryMode === 'duration') return { mode: 'duration', duration: v.expiryDuration };
  return { mode: 'never' };
}

/**
 * The fields only the renderer can check (it converts them); everything else
 * is left for the API, whose VALIDATION issues the form shows at each field.
 */
function localChecks(v: CredentialFormValues, now: number) {
  const fields: Record<string, string> = {};
  const expiry = expiryToTimestamp(expiryChoice(v), now);
  if (!expiry.ok) fields.expiresAt = expiry.error;
  const rotation = parseRotationDays(v.rotationDays);
  if (!rotation.ok) fields.rotationDays = rotation.error;
  return {
    fields,
    expiresAt: expiry.ok ? expiry.expiresAt : null,
    // The calendar date or the duration as typed, so the vault records where the date came from.
    expiryFields: expiry.ok ? { ...(expiry.expiresOn ? { expiresOn: expiry.expiresOn } : {}), ...(expiry.expiresAfter ? { expiresAfter: expiry.expiresAfter } : {}) } : {},
    rotationDays: rotation.ok ? rotation.days : null,
  };
}

export function toCredentialInput(v: CredentialFormValues, environmentId: string, now: number = Date.now()): FormBuild<CredentialInput> {
  const checks = localChecks(v, now);
  if (Object.keys(checks.fields).length > 0) return { ok: false, fields: checks.fields };
  const scopes = parseScopes(v.scopes);
  const input: CredentialInput = {
    environmentId,
    name: v.name,
    kind: v.kind,
    secret: {
      value: v.value,
      ...(v.kind === 'jwt_session' && v.refreshToken.trim() !== '' ? { refreshToken: v.refreshToken } : {}),
    },
  };
  if (v.description.trim() !== '') input.description = v.description;
  if (v.notes.trim() !== '') input.notes = v.notes;
  const tags = parseScopes(v.tags);
  if (tags.length > 0) input.tags = tags;
  if (v.remoteId.trim() !== '') input.remoteId = v.remoteId.trim();
  if (v.kind === 'api_key') input.headerName = v.headerName;
  if (v.role.trim() !== '') input.role = v.role;
  if (scopes.length > 0) input.scopes = scopes;
  if (v.tokenType.trim() !== '') input.tokenType = v.tokenType;
  if (checks.expiresAt !== null) Object.assign(input, { expiresAt: checks.expiresAt }, checks.expiryFields);
  if (checks.rotationDays !== null) input.rotationDays = checks.rotationDays;
  return { ok: true, value: input };
}

/**
 * The patch for an edit. The value is never part of it. The expiry is sent
 * only when the user changed it, so an exact expiry (from a duration, or a
 * JWT's `exp`) is not rounded to the start of its day by merely saving.
 */
export function toCredentialPatch(
  v: CredentialFormValues,
  original: CredentialFormValues,
  now: number = Date.now(),
): FormBuild<CredentialPatch> {
  const checks = localChecks(v, now);
  if (Object.keys(checks.fields).length > 0) return { ok: false, fields: checks.fields };
  const patch: CredentialPatch = {
    name: v.name,
    description: v.description,
    notes: v.notes,
    tags: parseScopes(v.tags),
    remoteId: v.remoteId.trim() === '' ? null : v.remoteId.trim(),
    role: v.role.trim() === '' ? null : v.role,
    scopes: parseScopes(v.scopes),
    tokenType: v.tokenType.trim() === '' ? null : v.tokenType,
    rotationDays: checks.rotationDays,
  };
  if (v.kind === 'api_key') patch.headerName = v.headerName;
  const expiryChanged =
    v.expiryMode !== original.expiryMode ||
    (v.expiryMode === 'date' && v.expiryDate !== original.expiryDate) ||
    v.expiryMode === 'duration';
  if (expiryChanged) Object.assign(patch, { expiresAt: checks.expiresAt }, checks.expiryFields);
  return { ok: true, value: patch };
}
