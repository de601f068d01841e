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

/** "Still accepted": what to check before verifying again (the message above says that nothing changed). */
export const STILL_ACCEPTED =
  'Check that you revoked the right token in the portal (compare the fingerprint), wait a minute for the change to reach the API, and verify again.';

export const OVERRIDE_WARNING =
  'Only do this if you are sure the token is revoked (or it cannot be verified from here). Tokenvault will stop treating it as usable and record that you overrode the check in the audit log; if the token still works, whoever holds it can still use it.';

/** The one state a revoke result is in, for its headline and tone. */
export type RevokeState = 'revoked' | 'overridden' | 'already' | 'still_accepted' | 'unproven';

export function revokeState(r: RevokeResult): RevokeState {
  if (r.revoked) return r.alreadyRevoked ? 'already' : r.overridden ? 'overridden' : 'revoked';
  return r.stillAccepted ? 'still_accepted' : 'unproven';
}

/**
 * One state, one message: the headline and its tone come from the state, the
 * sentence is the main process's message (which says what became of the
 * value), and `hint` is advice only where nothing changed.
 */
export function revokeOutcome(r: RevokeResult): { state: RevokeState; headline: string; tone: 'is-dead' | 'is-alive' | 'is-unclear'; message: string; hint: string | null } {
  const state = revokeState(r);
  switch (state) {
    case 'revoked':
      return { state, headline: 'Revoked', tone: 'is-dead', message: r.message, hint: null };
    case 'already':
      return { state, headline: 'Already revoked', tone: 'is-dead', message: r.message, hint: null };
    case 'overridden':
      return { state, headline: 'Marked revoked (check overridden)', tone: 'is-unclear', message: r.message, hint: null };
    case 'still_accepted':
      return { state, headline: 'Still accepted', tone: 'is-alive', message: r.message, hint: STILL_ACCEPTED };
    case 'unproven':
      return { state, headline: 'Not revoked', tone: 'is-unclear', message: r.message, hint: null };
  }
}

export function revokeHeadline(r: RevokeResult): string {
  return revokeOutcome(r).headline;
}
