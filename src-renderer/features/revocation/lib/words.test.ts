import { describe, expect, it } from 'vitest';
import type { RevokeResult } from '../../../../src-shared/domain/revocation-types';
import { revokeOutcome } from './words';

const base: RevokeResult = {
  credentialId: 'cred_00000000000000000001',
  revoked: false,
  alreadyRevoked: false,
  alreadyRevokedAtProvider: false,
  stillAccepted: false,
  overridden: false,
  valueWiped: false,
  verification: { method: 'GET', url: 'https://api.example/me', status: 200, outcome: 'ok', explanation: '200' },
  message: 'm',
};

describe('a revoke result in one state (issue 12)', () => {
  it('an override reads as marked revoked, warned, with no "still accepted" advice', () => {
    const o = revokeOutcome({ ...base, revoked: true, overridden: true, valueWiped: true });
    expect(o).toMatchObject({ state: 'overridden', headline: 'Marked revoked (check overridden)', tone: 'is-unclear', hint: null });
  });

  it('still accepted is a warning state with advice, never the green of a dead token', () => {
    const o = revokeOutcome({ ...base, stillAccepted: true });
    expect(o).toMatchObject({ state: 'still_accepted', headline: 'Still accepted', tone: 'is-alive' });
    expect(o.hint).toMatch(/compare the fingerprint/);
  });

  it('a proven revoke is green; an unproven one says not revoked', () => {
    expect(revokeOutcome({ ...base, revoked: true, verification: { ...base.verification!, status: 401, outcome: 'unauthorized' } })).toMatchObject({ headline: 'Revoked', tone: 'is-dead' });
    expect(revokeOutcome({ ...base, verification: null })).toMatchObject({ state: 'unproven', headline: 'Not revoked' });
  });
});
