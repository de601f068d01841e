import { describe, expect, it } from 'vitest';
import { providerRotationDays, resolveRotationPolicy, rotationDueAt } from './rotation-policy';

const iso = (s: string) => Date.parse(s);
const providerDefaults = { coolset: 90 };

describe('rotation policy', () => {
  it("takes the credential's own, else the workspace default, else the provider's advice", () => {
    expect(resolveRotationPolicy({ credentialDays: 30, workspaceDays: 60, providerId: 'coolset', providerDefaults })).toEqual({ days: 30, source: 'credential' });
    expect(resolveRotationPolicy({ credentialDays: null, workspaceDays: 60, providerId: 'coolset', providerDefaults })).toEqual({ days: 60, source: 'workspace' });
    expect(resolveRotationPolicy({ credentialDays: null, workspaceDays: null, providerId: 'coolset', providerDefaults })).toEqual({ days: 90, source: 'provider' });
    expect(resolveRotationPolicy({ credentialDays: null, providerDays: 45 })).toEqual({ days: 45, source: 'provider' });
  });

  it('has no policy for providers that advise none (Regate, Strapi) or unknown ones', () => {
    expect(resolveRotationPolicy({ credentialDays: null, providerId: 'regate', providerDefaults })).toBeNull();
    expect(resolveRotationPolicy({ credentialDays: null, providerId: null, providerDefaults })).toBeNull();
    expect(resolveRotationPolicy({})).toBeNull();
  });

  it('ignores numbers that are not a period and names that are not own keys', () => {
    expect(resolveRotationPolicy({ credentialDays: 0, workspaceDays: -3, providerDays: 1.5 })).toBeNull();
    expect(resolveRotationPolicy({ credentialDays: Number.NaN, workspaceDays: 7 })?.source).toBe('workspace');
    expect(providerRotationDays('__proto__', providerDefaults)).toBeNull();
    expect(providerRotationDays('toString', providerDefaults)).toBeNull();
  });

  it('is due the policy in calendar days after the last rotation: 09:00 stays 09:00 over DST', () => {
    const policy = { days: 90, source: 'provider' as const };
    expect(rotationDueAt(iso('2025-01-10T09:00:00+01:00'), policy, 'Europe/Amsterdam')).toBe(iso('2025-04-10T09:00:00+02:00'));
    expect(rotationDueAt(iso('2025-09-01T09:00:00+02:00'), policy, 'Europe/Amsterdam')).toBe(iso('2025-11-30T09:00:00+01:00'));
    expect(rotationDueAt(iso('2025-01-10T09:00:00-05:00'), 90, 'America/New_York')).toBe(iso('2025-04-10T09:00:00-04:00'));
    expect(rotationDueAt(iso('2025-09-01T09:00:00-04:00'), 90, 'America/New_York')).toBe(iso('2025-11-30T09:00:00-05:00'));
  });

  it('over a leap day: 365 days after 29 February 2028 is 28 February 2029', () => {
    expect(rotationDueAt(iso('2028-02-29T09:00:00-05:00'), 365, 'America/New_York')).toBe(iso('2029-02-28T09:00:00-05:00'));
    expect(rotationDueAt(iso('2027-03-01T09:00:00-05:00'), 365, 'America/New_York')).toBe(iso('2028-02-29T09:00:00-05:00'));
  });
});
