import { VaultError } from '../errors';
import type { CredentialSummary } from './types';

type ValueFacts = Pick<CredentialSummary, 'name' | 'status' | 'hasValue'>;

/**
 * Why a token's value cannot be revealed, copied or sent, in one sentence
 * naming the token (never its internal id); null when it can. A revoked
 * token's value is wiped unless the settings keep revoked values (issue 12):
 * a revoked token whose value was kept can still be revealed for forensics.
 */
export function valueUnavailableReason(c: ValueFacts): string | null {
  if (c.hasValue) return null;
  if (c.status === 'revoked') return `${c.name} was revoked and its value wiped from the vault: there is nothing to reveal, copy or test.`;
  return `${c.name} has no stored value: there is nothing to reveal, copy or test.`;
}

/**
 * Throws the typed error for an action that needs the stored value of a
 * token that has none: `NOT_FOUND` with `details.reason` = `value_wiped`
 * (revoked) or `no_value`, and the sentence of `valueUnavailableReason`.
 */
export function requireStoredValue(c: ValueFacts): void {
  const reason = valueUnavailableReason(c);
  if (reason !== null) throw new VaultError('NOT_FOUND', reason, { details: { reason: c.status === 'revoked' ? 'value_wiped' : 'no_value' } });
}
