import { describe, expect, it } from 'vitest';
import { classifyError, classifyStatus, explainStatus } from './classify';
import { parseRateLimit, parseRetryAfter } from './rate-limit';
import { redact } from './redact';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('rate-limit headers', () => {
  it('reads X-RateLimit-* with an epoch reset (Regen Therapy)', () => {
    // Half an hour ahead, in epoch seconds (an epoch in the past is implausible: see below).
    const reset = NOW / 1000 + 1800;
    const s = parseRateLimit({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), 'retry-after': '42' }, NOW);
    expect(s).toMatchObject({ limit: 100, remaining: 0, resetAt: reset * 1000, retryAt: NOW + 42_000 });
    expect(s!.sources).toEqual(['X-RateLimit', 'Retry-After']);
  });

  it.each([
    ['X-RateLimit-Reset', 'x-ratelimit-reset'],
    ['RateLimit-Reset', 'ratelimit-reset'],
  ])('reads %s as delta seconds, epoch seconds or epoch milliseconds', (_name, header) => {
    expect(parseRateLimit({ [header]: '90' }, NOW)!.resetAt).toBe(NOW + 90_000);
    expect(parseRateLimit({ [header]: String(NOW / 1000 + 90) }, NOW)!.resetAt).toBe(NOW + 90_000);
    // Epoch milliseconds: read as seconds this would be the year 58884.
    expect(parseRateLimit({ [header]: String(NOW + 90_000) }, NOW)!.resetAt).toBe(NOW + 90_000);
  });

  it('turns an implausible reset (in the past, or days ahead of a per-minute limit) into null with a note', () => {
    const past = parseRateLimit({ 'x-ratelimit-limit': '10', 'x-ratelimit-reset': String(NOW / 1000 - 3600) }, NOW)!;
    expect(past.resetAt).toBeNull();
    expect(past.limit).toBe(10);
    expect(past.notes!.join(' ')).toMatch(/X-RateLimit-Reset: .* in the past/);
    const far = parseRateLimit({ 'ratelimit-reset': String(NOW / 1000 + 30 * 86_400), 'ratelimit-policy': '10;w=60' }, NOW)!;
    expect(far.resetAt).toBeNull();
    expect(far.notes!.join(' ')).toMatch(/RateLimit-Reset: .* implausible/);
    // A daily window makes a reset 20 h ahead plausible.
    expect(parseRateLimit({ 'ratelimit-reset': String(20 * 3600), 'ratelimit-policy': '1000;w=86400' }, NOW)!.resetAt).toBe(NOW + 20 * 3_600_000);
    expect(parseRateLimit({ 'x-ratelimit-reset': '60' }, NOW)!.notes).toBeUndefined();
  });

  it('treats a small X-RateLimit-Reset as seconds from now', () => {
    expect(parseRateLimit({ 'x-ratelimit-reset': '60' }, NOW)!.resetAt).toBe(NOW + 60_000);
  });

  it('reads the IETF dictionary form and the list form with its policy', () => {
    expect(parseRateLimit({ ratelimit: 'limit=100, remaining=50, reset=30' }, NOW)).toMatchObject({ limit: 100, remaining: 50, resetAt: NOW + 30_000 });
    const s = parseRateLimit({ ratelimit: '"default";r=7;t=12', 'ratelimit-policy': '"default";q=10;w=60' }, NOW);
    expect(s).toMatchObject({ limit: 10, remaining: 7, resetAt: NOW + 12_000, windowSeconds: 60 });
  });

  it('reads Retry-After as seconds or an HTTP date, and ignores garbage', () => {
    expect(parseRetryAfter('120', NOW)).toBe(NOW + 120_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:05:00 GMT', NOW)).toBe(NOW + 300_000);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRateLimit({ ratelimit: '!!!', 'x-ratelimit-limit': 'many' }, NOW)).toBeNull();
    expect(parseRateLimit({}, NOW)).toBeNull();
  });
});

describe('redaction', () => {
  const token = 'rg_abc123_your_secret_key_here';
  it('removes the value and its common encodings', () => {
    const text = `a ${token} b ${btoa(token)} c ${encodeURIComponent('x' + token)} d ${btoa(token).replace(/=+$/, '')}`;
    const out = redact(text, [token]);
    expect(out).not.toContain(token);
    expect(out).not.toContain(btoa(token).replace(/=+$/, ''));
    expect(out.match(/\[REDACTED\]/g)!.length).toBeGreaterThanOrEqual(3);
  });
  it('leaves text without secrets alone and ignores tiny values', () => {
    expect(redact('nothing here', [token, 'ab'])).toBe('nothing here');
  });
});

describe('classification', () => {
  it.each([
    [200, 'ok'],
    [204, 'ok'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [429, 'rate_limited'],
    [422, 'client_error'],
    [503, 'server_error'],
  ] as const)('%i → %s', (status, c) => expect(classifyStatus(status)).toBe(c));

  it('sorts socket failures into network, TLS and timeout', () => {
    expect(classifyError('ECONNREFUSED').classification).toBe('network');
    expect(classifyError('CERT_HAS_EXPIRED').classification).toBe('tls');
    expect(classifyError('ERR_TLS_CERT_ALTNAME_INVALID').classification).toBe('tls');
    expect(classifyError('TIMEOUT').classification).toBe('timeout');
  });

  it("uses the provider's documented meaning, matched by body when several share a status", () => {
    const docs = [
      { status: 401, meaning: 'the token is missing or invalid', bodyIncludes: 'credentials were not provided' },
      { status: 401, meaning: 'the token has expired', bodyIncludes: 'expired' },
    ];
    expect(explainStatus(401, 'Coolset', '{"detail":"Authentication credentials were not provided."}', docs)).toBe(
      '401 from Coolset: the token is missing or invalid',
    );
    expect(explainStatus(401, 'Regen Therapy', '{"error":"token expired"}', docs)).toBe('401 from Regen Therapy: the token has expired');
    expect(explainStatus(418, 'X', '', docs)).toBe('418 from X: the server rejected the request');
  });
});
