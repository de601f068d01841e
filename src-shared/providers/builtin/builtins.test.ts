import { describe, expect, it } from 'vitest';
import { check, whoCanCall } from '../../roles/check';
import { validateGrant } from '../../roles/grant';
import { getBuiltinProvider } from '../index';
import { authFor } from '../lookup';

const get = (id: string) => getBuiltinProvider(id)!;

describe('Regate', () => {
  const p = get('regate');
  it('is a Bearer token that never expires, revoked for good in the app', () => {
    expect(p.auth).toEqual([{ scheme: 'bearer', purpose: 'api', label: 'Bearer token' }]);
    expect(p.environments).toEqual([{ name: 'Production', defaultBaseUrl: null, production: true }]);
    expect(p.lifetimes.neverExpires).toBe(true);
    expect(p.portal.tokenPage).toBe('Settings > Connect Regate to your tools > Public API');
    expect(p.portal.whoCanCreate).toMatch(/CFO role/);
    expect(p.revocation).toMatchObject({ mode: 'portal', irreversible: true, note: 'Once revoked, a token cannot be reinstated.', verifyWith: 'list-users' });
    expect(p.testPresets.map((t) => `${t.method} ${t.path}`)).toEqual(['GET /users', 'GET /user_roles']);
    expect(p.errorShapes.map((e) => e.status)).toEqual([403]);
  });
});

describe('Regen Therapy', () => {
  const p = get('regen-therapy');

  it('takes an X-API-Key and a JWT session from POST /api/auth/login', () => {
    expect(authFor(p, 'api_key')).toMatchObject({ headerName: 'X-API-Key', headerNameEditable: false });
    expect(authFor(p, 'jwt_session')).toMatchObject({
      login: { method: 'POST', path: '/api/auth/login', emailField: 'email', passwordField: 'password' },
      responseFields: { accessToken: 'data.accessToken', refreshToken: 'data.refreshToken', expiresIn: 'data.expiresIn' },
      accessTokenLifetimeSeconds: 3600,
      refreshTokenLifetimeSeconds: 604800,
    });
    expect(p.environments[0]!.defaultBaseUrl).toBe('https://gateway.regentherapy.com');
  });

  it('has the documented rate limits and headers', () => {
    expect(p.rateLimits).toEqual({
      per: 'per API key',
      headers: { limit: 'X-RateLimit-Limit', remaining: 'X-RateLimit-Remaining', reset: 'X-RateLimit-Reset', resetFormat: 'unix_seconds', retryAfter: 'Retry-After' },
      tiers: [
        { name: 'Standard', limit: 100, windowSeconds: 3600, appliesTo: 'all' },
        { name: 'Burst', limit: 10, windowSeconds: 60, appliesTo: 'all' },
        { name: 'Write Operations', limit: 50, windowSeconds: 3600, appliesTo: 'writes' },
      ],
    });
  });

  it('has exactly the 15 documented scopes, on API keys only', () => {
    const roles = p.roles!;
    expect(roles.kind).toBe('scope_set');
    if (roles.kind !== 'scope_set') return;
    expect(roles.appliesTo).toEqual(['api_key']);
    expect(roles.scopes.map((s) => s.name)).toEqual([
      'read:*', 'write:*', 'read:orders', 'write:orders', 'read:products', 'write:products', 'read:inventory', 'write:inventory',
      'read:commissions', 'write:commissions', 'read:customers', 'write:customers', 'read:webhooks', 'write:webhooks', 'read:analytics',
    ]);
    expect(roles.resources.map((r) => r.path)).toEqual([
      '/api/v1/orders', '/api/v1/products', '/api/v1/inventory', '/api/v1/commissions', '/api/v1/customers', '/api/v1/webhooks', '/api/v1/analytics',
    ]);
  });

  it('checks wildcard and specific scopes per resource', () => {
    const m = p.roles;
    expect(check(m, { scopes: 'read:*' }, 'GET', '/api/v1/commissions').decision).toBe('allowed');
    expect(check(m, { scopes: 'read:orders' }, 'GET', '/api/v1/products').decision).toBe('denied');
    expect(check(m, { scopes: 'read:orders,write:orders' }, 'PUT', '/api/v1/orders/ord_1').decision).toBe('allowed');
    expect(check(m, { scopes: 'write:*' }, 'POST', '/api/v1/webhooks').rule).toBe(
      'Regen Therapy scopes: write:* allows POST on webhooks (/api/v1/webhooks)',
    );
    expect(check(m, { scopes: 'write:*' }, 'POST', '/api/v1/analytics').decision).toBe('denied');
    expect(whoCanCall(m, 'GET', '/api/v1/analytics').allowedBy).toEqual(['read:analytics', 'read:*']);
    expect(check(m, { scopes: 'read:*' }, 'GET', '/api/auth/login').decision).toBe('unknown_endpoint');
  });

  it('normalizes scopes as typed', () => {
    expect(validateGrant(p.roles, { scopes: 'READ:Orders, write:*' })).toMatchObject({ ok: true, grant: { scopes: ['read:orders', 'write:*'] } });
    expect(validateGrant(p.roles, { scopes: 'write:analytics' })).toMatchObject({ ok: false });
  });
});

describe('Strapi', () => {
  const p = get('strapi');

  it('offers the documented durations', () => {
    expect(p.lifetimes).toMatchObject({
      neverExpires: false,
      options: [
        { label: '7 days', days: 7 },
        { label: '30 days', days: 30 },
        { label: '90 days', days: 90 },
        { label: 'Unlimited', days: null },
      ],
    });
  });

  it('is self-hosted: no default base URL; an editable test path', () => {
    expect(p.environments.every((e) => e.defaultBaseUrl === null)).toBe(true);
    expect(p.testPresets[0]).toMatchObject({ method: 'GET', path: '/api/articles', pathEditable: true, safe: true, schemes: ['bearer'] });
  });

  it('manages tokens through the Admin API, authorized by an admin login', () => {
    expect(authFor(p, 'jwt_session')).toMatchObject({ purpose: 'management', login: { method: 'POST', path: '/admin/login' } });
    const t = p.tokenManagement!;
    expect(t.authorizedBy).toBe('jwt_session');
    expect([t.list, t.create, t.regenerate, t.revoke].map((r) => `${r!.method} ${r!.path}`)).toEqual([
      'GET /admin/api-tokens',
      'POST /admin/api-tokens',
      'POST /admin/api-tokens/:id/regenerate',
      'DELETE /admin/api-tokens/:id',
    ]);
    expect(p.revocation.mode).toBe('api');
  });

  it('checks read-only, full-access and custom tokens', () => {
    const m = p.roles;
    expect(check(m, { tokenType: 'read-only' }, 'GET', '/api/articles/5').decision).toBe('allowed');
    expect(check(m, { tokenType: 'Read-only' }, 'DELETE', '/api/articles/5').decision).toBe('denied');
    expect(check(m, { tokenType: 'Full access' }, 'DELETE', '/api/articles/5').decision).toBe('allowed');
    expect(check(m, { tokenType: 'custom', scopes: ['articles.find', 'articles.create'] }, 'POST', '/api/articles').decision).toBe('allowed');
    expect(check(m, { tokenType: 'custom', scopes: ['articles.find', 'articles.create'] }, 'PUT', '/api/articles/5').decision).toBe('denied');
    expect(check(m, { tokenType: 'full-access' }, 'GET', '/admin/api-tokens').decision).toBe('unknown_endpoint');
  });
});

describe('Coolset', () => {
  const p = get('coolset');

  it('uses the curl example host, never expires, and advises rotating every 90 days', () => {
    expect(p.environments[0]!.defaultBaseUrl).toBe('https://developers.coolset.com');
    expect(p.lifetimes.neverExpires).toBe(true);
    expect(p.rotationAdviceDays).toBe(90);
  });

  it('knows the exact error bodies', () => {
    expect(p.errorShapes).toEqual([
      expect.objectContaining({ status: 401, meaning: 'the token is missing or invalid', body: { detail: 'Authentication credentials were not provided.' } }),
      expect.objectContaining({ status: 403, body: { detail: 'You do not have permission to perform this action.' } }),
    ]);
  });

  it('marks GET /api/accounts/user-config/ as the identity call', () => {
    expect(p.testPresets[0]).toMatchObject({ path: '/api/accounts/user-config/', safe: true, identity: expect.any(Object) });
  });

  it('nests Admin over Write over Read', () => {
    const m = p.roles;
    expect(check(m, { scopes: 'Read' }, 'GET', '/api/orders/').decision).toBe('allowed');
    expect(check(m, { scopes: 'Read' }, 'POST', '/api/orders/').decision).toBe('denied');
    expect(check(m, { scopes: 'Write' }, 'PATCH', '/api/orders/1/').decision).toBe('allowed');
    expect(check(m, { scopes: 'Write' }, 'DELETE', '/api/orders/1/')).toMatchObject({ decision: 'denied', allowedBy: ['Admin'] });
    expect(check(m, { scopes: 'admin' }, 'DELETE', '/api/orders/1/').decision).toBe('allowed');
  });

  it('revokes in the portal with the documented steps', () => {
    expect(p.revocation).toMatchObject({
      mode: 'portal',
      steps: ['Go to Settings → API Tokens', 'Click Revoke next to the token', 'The token becomes immediately invalid'],
    });
  });
});

describe('Built Accounting', () => {
  const p = get('built-accounting');

  it('has a sandbox and a production host, each with its portal', () => {
    expect(p.environments.map((e) => [e.name, e.defaultBaseUrl, e.production, e.portalUrl])).toEqual([
      ['Sandbox', 'https://fxweb.builtaccounting.com', false, 'https://test.built.africa'],
      ['Production', 'https://web.builtaccounting.com', true, 'https://app.built.africa'],
    ]);
  });

  it('has no permission model, a 401 shape, and owners-only token creation', () => {
    expect(p.roles).toBeUndefined();
    expect(p.errorShapes.map((e) => e.status)).toEqual([401]);
    expect(p.portal.whoCanCreate).toBe('Only business owners can create access tokens.');
    expect(p.testPresets.map((t) => `${t.method} ${t.path}`)).toEqual(['GET /api/invoices']);
  });
});

describe('generic providers', () => {
  it('Bearer token: user-given base URLs, any grant', () => {
    const p = get('bearer');
    expect(p.name).toBe('Bearer token');
    expect(p.auth).toEqual([{ scheme: 'bearer', purpose: 'api' }]);
    expect(p.environments.every((e) => e.defaultBaseUrl === null)).toBe(true);
    expect(validateGrant(p.roles, { role: 'whatever', scopes: 'x:y' }).ok).toBe(true);
  });

  it('API key in a header: X-API-Key by default, editable', () => {
    const p = get('api-key');
    expect(p.name).toBe('API key in a header');
    expect(p.auth).toEqual([{ scheme: 'api_key', purpose: 'api', headerName: 'X-API-Key', headerNameEditable: true }]);
    expect(p.environments.every((e) => e.defaultBaseUrl === null)).toBe(true);
  });
});
