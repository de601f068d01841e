import type { CredentialSummary } from '../../../../src-shared/domain/types';

export const KIND_LABELS: Record<CredentialSummary['kind'], string> = {
  bearer: 'Bearer',
  api_key: 'API key',
  jwt_session: 'JWT session',
};

export function kindLabel(kind: CredentialSummary['kind']): string {
  return KIND_LABELS[kind];
}

export const STATUS_LABELS: Record<CredentialSummary['status'], string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
  invalid: 'Invalid',
};

export function statusLabel(status: CredentialSummary['status']): string {
  return STATUS_LABELS[status];
}

/**
 * The "Role / scopes" column: role, token type (Strapi's `full-access`, `read-only`, `custom`) and
 * scopes, whichever the token has, joined by ` · `; empty for none. Same facts as the CLI's
 * `token list` ROLE/SCOPES column, so the app and the terminal agree.
 */
export function accessText(c: Pick<CredentialSummary, 'role' | 'scopes' | 'tokenType'>): string {
  return [c.role, c.tokenType, c.scopes.join(', ')].filter(Boolean).join(' · ');
}

/** Shared with the audit view (issue 12): one word per event type. */
export { AUDIT_LABELS } from '../../../lib/audit-labels';
