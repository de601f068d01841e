import { addCalendarDays } from './calendar';

/**
 * How often a credential should be rotated, and who said so. The most specific
 * word wins: the credential's own policy, else its workspace's default, else
 * what the provider advises (Coolset: every 90 days). Provider advice arrives
 * as a plain map so this module never depends on the provider definitions.
 */
export type RotationPolicySource = 'credential' | 'workspace' | 'provider';

export interface RotationPolicy {
  days: number;
  source: RotationPolicySource;
}

/** providerId → advised rotation period in days. */
export type ProviderRotationDefaults = Readonly<Record<string, number>>;

export interface RotationPolicyInput {
  credentialDays?: number | null;
  workspaceDays?: number | null;
  /** The provider's advice, when already looked up (the locked-readable mirror stores the number). */
  providerDays?: number | null;
  providerId?: string | null;
  providerDefaults?: ProviderRotationDefaults;
}

function validDays(n: number | null | undefined): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n > 0;
}

export function providerRotationDays(providerId: string | null | undefined, defaults: ProviderRotationDefaults = {}): number | null {
  if (!providerId || !Object.prototype.hasOwnProperty.call(defaults, providerId)) return null;
  const days = defaults[providerId];
  return validDays(days) ? days : null;
}

export function resolveRotationPolicy(input: RotationPolicyInput): RotationPolicy | null {
  if (validDays(input.credentialDays)) return { days: input.credentialDays, source: 'credential' };
  if (validDays(input.workspaceDays)) return { days: input.workspaceDays, source: 'workspace' };
  const provider = validDays(input.providerDays) ? input.providerDays : providerRotationDays(input.providerId, input.providerDefaults);
  return provider === null ? null : { days: provider, source: 'provider' };
}

/** Last rotation (or creation) plus the policy, in calendar days in the user's zone. */
export function rotationDueAt(rotatedAt: number, policy: RotationPolicy | number, timeZone: string): number {
  return addCalendarDays(rotatedAt, typeof policy === 'number' ? policy : policy.days, timeZone);
}
