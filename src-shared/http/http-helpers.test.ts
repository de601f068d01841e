import { describe, expect, it } from 'vitest';
import { classifyError, classifyStatus, explainStatus } from './classify';
import { parseRateLimit, parseRetryAfter } from './rate-limit';
import { redact } from './redact';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('rate-limit headers', () => {
  it('reads X-RateLimit-* with an epoch reset (Regen Therapy)', () => {
    const s = parseRateLimit({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1795000000', 'retry-after': '42' }, NOW);
    expect(s).toMatchObject({ limit: 100, remaining: 0, resetAt: 1_795_000_000_000, retryAt: NOW + 42_000 });
    expect(s!.sources).toEqual(['X-RateLimit', 'Retry-After']);
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
