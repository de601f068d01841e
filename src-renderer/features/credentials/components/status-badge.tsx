import type { CredentialSummary } from '../../../../src-shared/domain/types';
import { Badge, type BadgeTone } from '../../../components/ui/badge';
import { statusLabel } from '../lib/labels';

const TONES: Record<CredentialSummary['status'], BadgeTone> = {
  active: 'success',
  expired: 'danger',
  revoked: 'neutral',
  invalid: 'danger',
};

/** The stored status, except that a token past its expiry shows as expired even before anything re-checked it. */
export function displayStatus(c: Pick<CredentialSummary, 'status' | 'expiresAt'>, now: number): CredentialSummary['status'] {
  if (c.status === 'active' && c.expiresAt !== null && c.expiresAt <= now) return 'expired';
  return c.status;
}

export function StatusBadge({ credential, now }: { credential: Pick<CredentialSummary, 'status' | 'expiresAt'>; now: number }) {
  const status = displayStatus(credential, now);
  return <Badge tone={TONES[status]}>{statusLabel(status)}</Badge>;
}
