import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from './http-util';
import { decodeJwt, signHs256 } from './jwt';
import { REGEN_RESOURCES, startRegen, type RegenScope, type RegenState } from './regen';
import { call, fakeClock, type FakeClock } from './test-support';

let clock: FakeClock;
let emu: Emulator<RegenState>;

async function fresh(opts: Parameters<typeof startRegen>[0] = {}) {
  clock = fakeClock();
  emu = await startRegen({ now: clock.now, ...opts });
}

afterEach(() => emu.close());

const login = (email = 'user@example.com', password = 'your_password') =>
  call(`${emu.url}/api/auth/login`, { method: 'POST', json: { email, password } });

describe('Regen Therapy emulator: JWT login, refresh and expiry', () => {
  beforeEach(() => fresh());

  it('logs in with the seed example user and answers the documented shape', async () => {
    const res = await login();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      data: { expiresIn: 3600, user: { id: 'usr_abc123', email: 'user@example.com', role: 'CLIENT_OWNER' } },
    });
    expect(res.body.data.accessToken).toMatch(/^eyJhbGciOiJIUzI1NiIs/);
    expect(res.body.data.refreshToken).toMatch(/^eyJhbGciOiJIUzI1NiIs/);
    const access = decodeJwt(res.body.data.accessToken)!;
    const refresh = decodeJwt(res.body.data.refreshToken)!;
    const nowS = clock.now() / 1000;
    expect(access.exp).toBe(nowS + 3600);
    expect(refresh.exp).toBe(nowS + 7 * 86_400);
  });

  it('refuses wrong credentials (401) and a bad body (400)', async () => {
    expect((await login('user@example.com', 'wrong')).body).toEqual({
      success: false,
      error: { code: 'INVALID_CREDENTIALS', message: 'Invalid email or password' },
    });
    expect((await login('nobody@example.com')).status).toBe(401);
    expect((await call(`${emu.url}/api/auth/login`, { method: 'POST', json: { email: 'x' } })).status).toBe(400);
    expect((await call(`${emu.url}/api/auth/login`)).status).toBe(405);
  });

  it('accepts the access token for an hour, then says it expired', async () => {
    const { accessToken } = (await login()).body.data;
    expect((await call(`${emu.url}/api/v1/orders`, { bearer: accessToken })).status).toBe(200);
    clock.advance(3599_000);
    expect((await call(`${emu.url}/api/v1/orders`, { bearer: accessToken })).status).toBe(200);
    clock.advance(1_000);
    const expired = await call(`${emu.url}/api/v1/orders`, { bearer: accessToken });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('TOKEN_EXPIRED');
    expect(expired.body.error.message).toMatch(/expired/);
  });

  it('refreshes with POST /api/auth/refresh, rotating the refresh token', async () => {
    const first = (await login()).body.data;
    clock.advance(2 * 3600_000);
    const res = await call(`${emu.url}/api/auth/refresh`, { method: 'POST', json: { refreshToken: first.refreshToken } });
    expect(res.status).toBe(200);
    expect(res.body.data.expiresIn).toBe(3600);
    expect((await call(`${emu.url}/api/v1/orders`, { bearer: res.body.data.accessToken })).status).toBe(200);
    const reused = await call(`${emu.url}/api/auth/refresh`, { method: 'POST', json: { refreshToken: first.refreshToken } });
    expect(reused.status).toBe(401);
    expect(reused.body.error.message).toMatch(/already been used/);
    // the 7 days run from login, not from the refresh
    expect(decodeJwt(res.body.data.refreshToken)!.exp).toBe(decodeJwt(first.refreshToken)!.exp);
  });

  it('refuses a refresh token older than 7 days', async () => {
    const { refreshToken } = (await login()).body.data;
    clock.advance(7 * 86_400_000);
    const res = await call(`${emu.url}/api/auth/refresh`, { method: 'POST', json: { refreshToken } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_EXPIRED');
  });

  it('does not mix the two kinds of token, and checks signatures', async () => {
    const { accessToken, refreshToken } = (await login()).body.data;
    expect((await call(`${emu.url}/api/v1/orders`, { bearer: refreshToken })).status).toBe(401);
    expect((await call(`${emu.url}/api/auth/refresh`, { method: 'POST', json: { refreshToken: accessToken } })).status).toBe(401);
    const forged = signHs256({ ...decodeJwt(accessToken)!, role: 'ADMIN' }, 'not-the-secret');
    const res = await call(`${emu.url}/api/v1/orders`, { bearer: forged });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_TOKEN');
    expect((await call(`${emu.url}/api/auth/refresh`, { method: 'POST', json: {} })).status).toBe(400);
  });

  it('issues tokens without HTTP through state.issueTokens', async () => {
    const { accessToken } = emu.state.issueTokens('user@example.com');
    expect((await call(`${emu.url}/api/v1/products`, { bearer: accessToken })).status).toBe(200);
  });
});

describe('Regen Therapy emulator: API keys and scopes', () => {
  beforeEach(() => fresh({ rateLimits: false }));

  const key = (scopes: RegenScope[]) => emu.state.addApiKey({ scopes }).value;

  it('answers 401 without credentials, for an unknown key, and for a revoked one', async () => {
    const none = await call(`${emu.url}/api/v1/orders`);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ success: false, error: { code: 'UNAUTHORIZED' } });
    expect((await call(`${emu.url}/api/v1/orders`, { apiKey: 'rg_nope' })).body.error.code).toBe('INVALID_API_KEY');
    const k = key(['read:*']);
    expect((await call(`${emu.url}/api/v1/orders`, { apiKey: k })).status).toBe(200);
    emu.state.revokeApiKey(k);
    expect((await call(`${emu.url}/api/v1/orders`, { apiKey: k })).status).toBe(401);
  });

  const scopeCases: Array<{ scopes: RegenScope[]; method: string; resource: string; status: number }> = [
    ...REGEN_RESOURCES.map((r) => ({ scopes: [`read:${r}` as RegenScope], method: 'GET', resource: r, status: 200 })),
    ...REGEN_RESOURCES.map((r) => ({ scopes: ['read:*' as RegenScope], method: 'GET', resource: r, status: 200 })),
    ...REGEN_RESOURCES.filter((r) => r !== 'analytics').flatMap((r) => [
      { scopes: [`write:${r}` as RegenScope], method: 'POST', resource: r, status: 201 },
      { scopes: ['write:*' as RegenScope], method: 'POST', resource: r, status: 201 },
      { scopes: [`write:${r}` as RegenScope], method: 'GET', resource: r, status: 403 },
      { scopes: [`read:${r}` as RegenScope], method: 'POST', resource: r, status: 403 },
      { scopes: ['read:*' as RegenScope], method: 'POST', resource: r, status: 403 },
    ]),
    { scopes: ['read:orders'], method: 'GET', resource: 'products', status: 403 },
    { scopes: ['write:*'], method: 'GET', resource: 'orders', status: 403 },
    { scopes: ['write:*'], method: 'POST', resource: 'analytics', status: 405 },
    { scopes: ['read:analytics'], method: 'GET', resource: 'analytics', status: 200 },
    { scopes: ['read:*'], method: 'GET', resource: 'unknown', status: 404 },
  ];

  it.each(scopeCases)('$scopes $method /api/v1/$resource → $status', async ({ scopes, method, resource, status }) => {
    const res = await call(`${emu.url}/api/v1/${resource}`, { method, apiKey: key(scopes), json: method === 'GET' ? undefined : { note: 'x' } });
    expect(res.status).toBe(status);
    if (status === 403) expect(res.body.error.code).toBe('INSUFFICIENT_SCOPE');
  });

  it('maps PUT, PATCH and DELETE on a record to the write scope', async () => {
    const w = key(['write:orders']);
    const created = (await call(`${emu.url}/api/v1/orders`, { method: 'POST', apiKey: w, json: { total: 10 } })).body.data;
    expect((await call(`${emu.url}/api/v1/orders/${created.id}`, { method: 'PUT', apiKey: w, json: { total: 12 } })).body.data.total).toBe(12);
    expect((await call(`${emu.url}/api/v1/orders/${created.id}`, { method: 'PATCH', apiKey: w, json: { total: 13 } })).status).toBe(200);
    expect((await call(`${emu.url}/api/v1/orders/${created.id}`, { method: 'DELETE', apiKey: w })).status).toBe(200);
    expect((await call(`${emu.url}/api/v1/orders/${created.id}`, { method: 'DELETE', apiKey: key(['read:orders']) })).status).toBe(403);
    expect((await call(`${emu.url}/api/v1/orders`, { method: 'POST', apiKey: w, json: {} })).status).toBe(400);
  });

  it('restricts a JWT user to the user’s scopes', async () => {
    emu.state.addUser({ email: 'reader@example.com', password: 'pw', scopes: ['read:orders'] });
    const { accessToken } = emu.state.issueTokens('reader@example.com');
    expect((await call(`${emu.url}/api/v1/orders`, { bearer: accessToken })).status).toBe(200);
    expect((await call(`${emu.url}/api/v1/orders`, { method: 'POST', bearer: accessToken, json: { a: 1 } })).status).toBe(403);
  });

  it('rotates a key without downtime: the old one works through the grace period', async () => {
    const old = key(['read:*']);
    const next = emu.state.rotateApiKey(old, { graceMs: 60_000 });
    expect(next.scopes).toEqual(['read:*']);
    expect((await call(`${emu.url}/api/v1/orders`, { apiKey: old })).status).toBe(200);
    expect((await call(`${emu.url}/api/v1/orders`, { apiKey: next.value })).status).toBe(200);
    clock.advance(60_000);
    expect((await call(`${emu.url}/api/v1/orders`, { apiKey: old })).status).toBe(401);
    expect((await call(`${emu.url}/api/v1/orders`, { apiKey: next.value })).status).toBe(200);
    expect(() => emu.state.addApiKey({ scopes: ['read:*'], value: 'sk_wrong_prefix' })).toThrow(/rg_/);
  });

  it('records the X-API-Key header of each request', async () => {
    await call(`${emu.url}/api/v1/orders`, { apiKey: 'rg_recorded' });
    expect(emu.state.requests.at(-1)).toMatchObject({ apiKey: 'rg_recorded', authorization: null, status: 401 });
  });
});

describe('Regen Therapy emulator: rate limits', () => {
  const get = (k: string) => call(`${emu.url}/api/v1/orders`, { apiKey: k });
  const post = (k: string) => call(`${emu.url}/api/v1/orders`, { method: 'POST', apiKey: k, json: { total: 1 } });

  it('allows 10 requests a minute; the 11th gets 429 with Retry-After; the window rolls over', async () => {
    await fresh();
    const k = emu.state.addApiKey({ scopes: ['read:*'] }).value;
    const resetS = String((clock.now() + 60_000) / 1000);
    for (let i = 1; i <= 10; i++) {
      const res = await get(k);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('10');
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(10 - i));
      expect(res.headers.get('x-ratelimit-reset')).toBe(resetS);
      clock.advance(1_000);
    }
    const limited = await get(k);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(limited.headers.get('retry-after')).toBe('50');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(resetS);

    const other = emu.state.addApiKey({ scopes: ['read:*'] }).value;
    expect((await get(other)).status).toBe(200); // limits are per key

    clock.advance(50_000);
    const after = await get(k);
    expect(after.status).toBe(200);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('9');
  });

  it('allows 100 requests an hour', async () => {
    await fresh();
    const k = emu.state.addApiKey({ scopes: ['read:*'] }).value;
    for (let minute = 0; minute < 10; minute++) {
      for (let i = 0; i < 10; i++) expect((await get(k)).status).toBe(200);
      clock.advance(60_000);
    }
    const limited = await get(k);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('100');
    expect(limited.headers.get('retry-after')).toBe(String(3600 - 600));
    clock.advance(3000_000);
    expect((await get(k)).status).toBe(200);
  });

  it('allows 50 writes an hour while reads go on', async () => {
    await fresh();
    const k = emu.state.addApiKey({ scopes: ['read:*', 'write:*'] }).value;
    for (let minute = 0; minute < 5; minute++) {
      for (let i = 0; i < 10; i++) expect((await post(k)).status).toBe(201);
      clock.advance(60_000);
    }
    const limited = await post(k);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('50');
    expect(Number(limited.headers.get('retry-after'))).toBe(3600 - 300);
    expect((await get(k)).status).toBe(200);
  });

  it('counts 403s but not 401s, and sends no rate-limit headers on a 401', async () => {
    await fresh();
    const k = emu.state.addApiKey({ scopes: ['read:orders'] }).value;
    const denied = await call(`${emu.url}/api/v1/products`, { apiKey: k });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('x-ratelimit-remaining')).toBe('9');
    const unauth = await call(`${emu.url}/api/v1/products`, { apiKey: 'rg_unknown' });
    expect(unauth.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('can also send the IETF RateLimit and RateLimit-Policy fields', async () => {
    await fresh({ ietfRateLimitHeaders: true });
    const res = await get(emu.state.addApiKey({ scopes: ['read:*'] }).value);
    expect(res.headers.get('ratelimit-policy')).toBe('"standard";q=100;w=3600, "burst";q=10;w=60, "write";q=50;w=3600');
    expect(res.headers.get('ratelimit')).toBe('"burst";r=9;t=60');
  });

  it('can be switched off or tuned', async () => {
    await fresh({ rateLimits: false });
    const k = emu.state.addApiKey({ scopes: ['read:*'] }).value;
    for (let i = 0; i < 15; i++) expect((await get(k)).status).toBe(200);
    expect((await get(k)).headers.get('x-ratelimit-limit')).toBeNull();
    await emu.close();
    await fresh({ rateLimits: { burst: { limit: 2, windowMs: 1_000 } } });
    const k2 = emu.state.addApiKey({ scopes: ['read:*'] }).value;
    await get(k2);
    await get(k2);
    expect((await get(k2)).headers.get('retry-after')).toBe('1');
    emu.state.resetRateLimits();
    expect((await get(k2)).status).toBe(200);
  });
});
