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

/** The "Role / scopes" column: the role when there is one, else the scopes. */
export function accessText(c: Pick<CredentialSummary, 'role' | 'scopes'>): string {
  if (c.role) return c.scopes.length > 0 ? `${c.role} · ${c.scopes.join(', ')}` : c.role;
  return c.scopes.join(', ');
}

/** Shared with the audit view (issue 12): one word per event type. */
export { AUDIT_LABELS } from '../../../lib/audit-labels';
