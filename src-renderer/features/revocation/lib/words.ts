import type { RevokeResult, VerificationCall } from '../../../../src-shared/domain/revocation-types';

/** The verification call in one sentence: what was sent, what came back, what it means. */
export function verificationSentence(v: VerificationCall): string {
  const status = v.status === null ? v.outcome : `${v.status}`;
  const meaning =
    v.outcome === 'unauthorized'
      ? 'the provider refuses the token: it is dead.'
      : v.outcome === 'ok'
        ? 'the provider still accepts the token.'
        : `the result does not prove either way (${v.explanation}).`;
  return `${v.method} ${v.url} → ${status}: ${meaning}`;
}

/** "Still accepted": why the vault did not mark it revoked, and what to do. */
export const STILL_ACCEPTED =
  'The provider still accepts this token, so Tokenvault has not marked it revoked. Check that you revoked the right token in the portal (compare the fingerprint), wait a minute for the change to reach the API, and try again.';

export const OVERRIDE_WARNING =
  'Only do this if you are sure the token is revoked (or it cannot be verified from here). Tokenvault will stop treating it as usable and record that you overrode the check in the audit log; if the token still works, whoever holds it can still use it.';

export function revokeHeadline(r: RevokeResult): string {
  if (r.stillAccepted) return 'Still accepted';
  if (r.revoked && r.overridden) return 'Marked revoked (check overridden)';
  if (r.revoked) return 'Revoked';
  return 'Not revoked';
}
