import { describe, expect, it } from 'vitest';
import {
  durationExpiry,
  effectiveExpiry,
  explicitExpiry,
  jwtExpiry,
  pickEffectiveExpiry,
  providerRecordExpiry,
  refreshTokenExpiry,
} from './expiry-sources';
import { testJwt } from './test-jwt';

const iso = (s: string) => Date.parse(s);
const AMS = 'Europe/Amsterdam';

describe('expiry from a duration chosen at creation (Strapi: 7, 30, 90 days or unlimited)', () => {
  const created = iso('2025-03-25T09:00:00+01:00');

  it('counts calendar days in the user zone from the creation instant, across DST', () => {
    expect(durationExpiry(created, { days: 7 }, AMS)).toEqual({ kind: 'duration', at: iso('2025-04-01T09:00:00+02:00') });
    expect(durationExpiry(created, { days: 30 }, AMS)?.at).toBe(iso('2025-04-24T09:00:00+02:00'));
    expect(durationExpiry(created, { days: 90 }, AMS)?.at).toBe(iso('2025-06-23T09:00:00+02:00'));
    expect(durationExpiry(created, 'unlimited', AMS)).toBeNull();
  });

  it('lands on the same local time in New York across fall-back', () => {
    const ny = iso('2025-10-20T17:30:00-04:00');
    expect(durationExpiry(ny, { days: 30 }, 'America/New_York')?.at).toBe(iso('2025-11-19T17:30:00-05:00'));
  });

  it('counts a year as a calendar year: from 29 February to 28 February', () => {
    expect(durationExpiry(iso('2028-02-29T12:00:00Z'), { years: 1 }, 'UTC')?.at).toBe(iso('2029-02-28T12:00:00Z'));
    expect(durationExpiry(iso('2028-02-29T12:00:00Z'), { days: 365 }, 'UTC')?.at).toBe(iso('2029-02-28T12:00:00Z'));
  });
});

describe("expiry from a JWT's exp", () => {
  it('reads exp (seconds) without checking the signature', () => {
    const exp = Date.UTC(2027, 2, 1, 9) / 1000;
    expect(jwtExpiry(testJwt({ sub: 'usr_abc123', exp }))).toEqual({ kind: 'jwt_exp', at: exp * 1000 });
  });

  it('gives nothing for a JWT without exp, a non-JWT, or a malformed exp', () => {
    expect(jwtExpiry(testJwt({ sub: 'usr_abc123', iat: 1_700_000_000 }))).toBeNull();
    expect(jwtExpiry('rg_abc123_your_secret_key_here')).toBeNull();
    expect(jwtExpiry('sk_live_1234567890abcdef')).toBeNull();
    expect(jwtExpiry('a.b.c')).toBeNull();
    expect(jwtExpiry('')).toBeNull();
    expect(jwtExpiry(null)).toBeNull();
    expect(jwtExpiry(testJwt({ exp: '1700000000' }))).toBeNull();
    expect(jwtExpiry(testJwt({ exp: -5 }))).toBeNull();
    expect(jwtExpiry(testJwt({ exp: 1e300 }))).toBeNull();
  });
});

describe('expiry of a JWT session from its refresh token (Regen Therapy: 7 days from login)', () => {
  const login = iso('2025-03-28T10:00:00+01:00');
  const sevenDays = 7 * 86_400;

  it('adds the documented lifetime to the login as elapsed time (a server TTL)', () => {
    // Over Amsterdam's spring-forward: 7 × 24 h later is 11:00 local, not 10:00.
    expect(refreshTokenExpiry({ refreshToken: 'opaque-refresh', issuedAt: login, lifetimeSeconds: sevenDays })).toEqual({
      kind: 'refresh_token',
      at: login + sevenDays * 1000,
    });
  });

  it("prefers the refresh token's own exp, then its iat, to the documented lifetime", () => {
    const exp = login / 1000 + 3 * 86_400;
    expect(refreshTokenExpiry({ refreshToken: testJwt({ exp }), issuedAt: login, lifetimeSeconds: sevenDays })?.at).toBe(exp * 1000);
    const iat = login / 1000 + 3600;
    expect(refreshTokenExpiry({ refreshToken: testJwt({ iat }), issuedAt: login, lifetimeSeconds: sevenDays })?.at).toBe((iat + sevenDays) * 1000);
  });

  it('gives nothing without a lifetime or an exp', () => {
    expect(refreshTokenExpiry({ refreshToken: 'opaque', issuedAt: login })).toBeNull();
  });
});

describe("expiry from the provider's own record", () => {
  it("reads Strapi's expiresAt (ISO) and its null for unlimited", () => {
    expect(providerRecordExpiry('2027-03-01T09:00:00.000Z')).toEqual({ kind: 'provider_record', at: iso('2027-03-01T09:00:00Z') });
    expect(providerRecordExpiry(null)).toBeNull();
    expect(providerRecordExpiry('not a date')).toBeNull();
    expect(providerRecordExpiry(1_800_000_000_000)?.at).toBe(1_800_000_000_000);
  });
});

describe('the effective expiry', () => {
  it('is the earliest source, and says which one decided over which', () => {
    const e = pickEffectiveExpiry([
      explicitExpiry(iso('2027-03-01T00:00:00Z')),
      providerRecordExpiry('2027-02-27T08:00:00Z'),
      jwtExpiry(testJwt({ exp: iso('2027-02-28T00:00:00Z') / 1000 })),
    ]);
    expect(e?.at).toBe(iso('2027-02-27T08:00:00Z'));
    expect(e?.source).toBe('provider_record');
    expect(e?.considered.map((s) => s.kind)).toEqual(['provider_record', 'jwt_exp', 'explicit']);
    expect(e?.explanation).toContain("the provider's own record");
    expect(e?.explanation).toContain('earliest of 3 sources');
  });

  it('breaks a tie by how direct the source is (explicit, provider, JWT, refresh, duration)', () => {
    const at = iso('2027-01-01T00:00:00Z');
    const e = pickEffectiveExpiry([{ kind: 'duration', at }, { kind: 'jwt_exp', at }]);
    expect(e?.source).toBe('jwt_exp');
    expect(e?.explanation).toContain('the same instant');
  });

  it('is null when no source gives a date (never expires)', () => {
    expect(pickEffectiveExpiry([null, undefined, durationExpiry(0, 'unlimited', AMS)])).toBeNull();
    expect(effectiveExpiry({ kind: 'bearer', createdAt: 0, timeZone: AMS, value: 'sk_live_1234567890abcdef' })).toBeNull();
  });

  it("for a Strapi token: the provider's record beats the duration when it is earlier", () => {
    const created = iso('2025-10-20T09:00:00+02:00');
    const e = effectiveExpiry({
      kind: 'bearer',
      createdAt: created,
      timeZone: AMS,
      lifetime: { days: 30 },
      // Strapi adds 30 × 24 h, an hour earlier in local time than 30 calendar days over fall-back.
      providerRecordAt: new Date(created + 30 * 86_400_000).toISOString(),
    });
    expect(e?.source).toBe('provider_record');
    expect(e?.at).toBe(iso('2025-11-19T08:00:00+01:00'));
  });

  it('for a refreshable JWT session: the refresh token decides, not the 1-hour access token', () => {
    const login = iso('2025-06-01T10:00:00Z');
    const access = testJwt({ iat: login / 1000, exp: login / 1000 + 3600 });
    const e = effectiveExpiry({
      kind: 'jwt_session',
      createdAt: login,
      timeZone: AMS,
      value: access,
      refreshToken: 'opaque-refresh-token',
      refreshLifetimeSeconds: 7 * 86_400,
    });
    expect(e).toMatchObject({ source: 'refresh_token', at: login + 7 * 86_400_000 });
  });

  it('for a bearer JWT or a session without a refresh token: its exp decides', () => {
    const exp = iso('2025-06-01T11:00:00Z') / 1000;
    expect(effectiveExpiry({ kind: 'bearer', createdAt: 0, timeZone: AMS, value: testJwt({ exp }) })).toMatchObject({ source: 'jwt_exp', at: exp * 1000 });
    expect(effectiveExpiry({ kind: 'jwt_session', createdAt: 0, timeZone: AMS, value: testJwt({ exp }) })?.source).toBe('jwt_exp');
  });

  it('an explicit date earlier than everything else wins', () => {
    const e = effectiveExpiry({
      kind: 'bearer',
      createdAt: iso('2025-01-01T00:00:00Z'),
      timeZone: AMS,
      explicitAt: iso('2025-01-05T00:00:00Z'),
      lifetime: { days: 7 },
    });
    expect(e?.source).toBe('explicit');
  });
});
