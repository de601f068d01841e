import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allowedEndpoints, check, modelAppliesTo, whoCanCall } from './check';
import { coarse, matrix, scopes, tokenTypes } from './test-fixtures';

describe('check: role matrix', () => {
  it('allows what the role has, naming the rule', () => {
    expect(check(matrix, { role: 'Admin' }, 'POST', '/invoices')).toEqual({
      decision: 'allowed',
      rule: 'Test matrix: Admin × /invoices allows POST',
      allowedBy: ['Admin'],
      endpoint: '/invoices',
    });
  });

  it('denies what the role lacks, and says who would be allowed', () => {
    expect(check(matrix, { role: 'Manager (invoices)' }, 'POST', '/invoices')).toEqual({
      decision: 'denied',
      rule: 'Test matrix: Manager (invoices) × /invoices does not allow POST (it allows GET)',
      allowedBy: ['Admin'],
      endpoint: '/invoices',
    });
    expect(check(matrix, { role: 'Viewer' }, 'GET', '/invoices').rule).toBe(
      'Test matrix: Viewer × /invoices does not allow GET (it allows nothing there)',
    );
  });

  it('says when no documented role allows the method at all', () => {
    const r = check(matrix, { role: 'Admin' }, 'DELETE', '/invoices');
    expect(r.decision).toBe('denied');
    expect(r.allowedBy).toEqual([]);
    expect(r.rule).toBe('Test matrix: Admin × /invoices does not allow DELETE (it allows POST, GET); no documented role allows DELETE there');
  });

  it('matches path templates, ignoring the query string and a trailing slash', () => {
    for (const path of ['/plans/42/items', '/plans/42/items/', '/plans/abc/items?page=2&x=/y', 'https://api.example.com/plans/1/items']) {
      expect(check(matrix, { role: 'Viewer' }, 'GET', path)).toMatchObject({ decision: 'allowed', endpoint: '/plans/{plan_id}/items' });
    }
  });

  it('prefers the literal row over the template row', () => {
    expect(check(matrix, { role: 'Viewer' }, 'GET', '/users/me').decision).toBe('allowed');
    expect(check(matrix, { role: 'Viewer' }, 'GET', '/users/7')).toMatchObject({ decision: 'denied', endpoint: '/users/{id}' });
  });

  it('matches role names and methods case-insensitively, answering in the documented spelling', () => {
    const r = check(matrix, { role: '  manager   (INVOICES) ' }, 'get', '/invoices');
    expect(r.decision).toBe('allowed');
    expect(r.rule).toBe('Test matrix: Manager (invoices) × /invoices allows GET');
  });

  it('checks an alias against the corrected row and says it was the documented spelling', () => {
    expect(check(matrix, { role: 'Admin' }, 'GET', '/invoicse')).toEqual({
      decision: 'allowed',
      rule: 'Test matrix: Admin × /invoices (documented as /invoicse) allows GET',
      allowedBy: ['Admin', 'Manager (invoices)'],
      endpoint: '/invoices',
    });
  });

  it('is unknown_endpoint for anything not in the matrix, never a silent allow', () => {
    expect(check(matrix, { role: 'Admin' }, 'GET', '/payments')).toEqual({
      decision: 'unknown_endpoint',
      rule: 'Test matrix: GET /payments is not in the documented matrix',
      allowedBy: [],
      endpoint: null,
    });
    expect(check(matrix, { role: 'Admin' }, 'GET', '/invoices/1').decision).toBe('unknown_endpoint');
    expect(check(matrix, { role: 'Admin' }, 'GET', '/Invoices').decision).toBe('unknown_endpoint');
  });

  it('never allows a path outside the matrix, whatever the role and method', () => {
    const known = new Set(['/invoices', '/invoicse', '/audit', '/users/me']);
    fc.assert(
      fc.property(
        fc.stringMatching(/^(\/[a-z0-9_]{1,8}){1,4}$/),
        fc.constantFrom('Admin', 'Viewer', 'Manager (invoices)', 'nobody'),
        fc.constantFrom('GET', 'POST', 'DELETE', 'PATCH'),
        (path, role, method) => {
          fc.pre(!known.has(path) && !/^\/plans\/[^/]+\/items$/.test(path) && !/^\/users\/[^/]+$/.test(path));
          expect(check(matrix, { role }, method, path).decision).toBe('unknown_endpoint');
        },
      ),
    );
  });

  it('denies without a role, and names an unknown role in the rule', () => {
    expect(check(matrix, {}, 'GET', '/invoices')).toMatchObject({
      decision: 'denied',
      rule: 'Test matrix: no role is recorded for this token, and the matrix decides by role',
      allowedBy: ['Admin', 'Manager (invoices)'],
    });
    expect(check(matrix, { role: 'Boss' }, 'GET', '/invoices').rule).toBe(
      'Test matrix: no role is recorded for this token, and the matrix decides by role (ignored: "Boss" is not a role in the Test matrix)',
    );
  });

  it('lists what a role can do, with aliases', () => {
    expect(allowedEndpoints(matrix, { role: 'manager (invoices)' })).toEqual([
      { path: '/invoices', methods: ['GET'], via: 'role Manager (invoices)', aliases: ['/invoicse'] },
      { path: '/users/me', methods: ['GET'], via: 'role Manager (invoices)' },
    ]);
    expect(allowedEndpoints(matrix, {})).toEqual([]);
  });

  it('answers who can call an endpoint', () => {
    expect(whoCanCall(matrix, 'get', '/invoices?x=1')).toEqual({
      known: true,
      endpoint: '/invoices',
      allowedBy: ['Admin', 'Manager (invoices)'],
      rule: 'Test matrix: GET /invoices is allowed for Admin, Manager (invoices)',
    });
    expect(whoCanCall(matrix, 'PUT', '/invoices')).toMatchObject({ known: true, allowedBy: [], rule: 'Test matrix: no documented role allows PUT /invoices' });
    expect(whoCanCall(matrix, 'GET', '/nope')).toMatchObject({ known: false, allowedBy: [] });
  });
});

describe('check: scope set', () => {
  it('allows through the specific scope or the wildcard', () => {
    expect(check(scopes, { scopes: ['read:orders'] }, 'GET', '/api/v1/orders')).toMatchObject({
      decision: 'allowed',
      rule: 'Test scopes: read:orders allows GET on orders (/api/v1/orders)',
      allowedBy: ['read:orders', 'read:*'],
    });
    expect(check(scopes, { scopes: 'write:*' }, 'DELETE', '/api/v1/orders/ord_1').rule).toBe(
      'Test scopes: write:* allows DELETE on orders (/api/v1/orders)',
    );
    expect(check(scopes, { scopes: ['read:*'] }, 'HEAD', '/api/v1/analytics/daily').decision).toBe('allowed');
  });

  it('denies a read scope a write, and says which scopes would do', () => {
    expect(check(scopes, { scopes: 'read:orders, read:*' }, 'POST', '/api/v1/orders')).toMatchObject({
      decision: 'denied',
      rule: 'Test scopes: POST on orders (/api/v1/orders) needs write:orders or write:*; the token has read:orders, read:*',
      allowedBy: ['write:orders', 'write:*'],
    });
    expect(check(scopes, {}, 'GET', '/api/v1/orders').rule).toContain('the token has no scopes recorded');
  });

  it('write:* does not reach a read-only resource: no documented scope writes analytics', () => {
    expect(check(scopes, { scopes: ['write:*', 'read:*'] }, 'POST', '/api/v1/analytics')).toEqual({
      decision: 'denied',
      rule: 'Test scopes: no documented scope allows write on analytics, so nothing allows POST there',
      allowedBy: [],
      endpoint: '/api/v1/analytics',
    });
  });

  it('matches scope names case-insensitively', () => {
    expect(check(scopes, { scopes: ['READ:Orders'] }, 'GET', '/api/v1/orders').rule).toBe('Test scopes: read:orders allows GET on orders (/api/v1/orders)');
  });

  it('is unknown_endpoint outside the resources, on a lookalike path, and for an unmapped method', () => {
    expect(check(scopes, { scopes: ['read:*'] }, 'GET', '/api/v1/payments')).toMatchObject({
      decision: 'unknown_endpoint',
      rule: 'Test scopes: GET /api/v1/payments is not under a documented resource (/api/v1/orders, /api/v1/analytics)',
    });
    expect(check(scopes, { scopes: ['read:*'] }, 'GET', '/api/v1/orders-archive').decision).toBe('unknown_endpoint');
    expect(check(scopes, { scopes: ['read:*'] }, 'OPTIONS', '/api/v1/orders')).toMatchObject({
      decision: 'unknown_endpoint',
      rule: 'Test scopes: OPTIONS is not a method any documented scope covers (read: GET/HEAD; write: POST/PUT/PATCH/DELETE)',
    });
  });

  it('lists what scopes reach, and who can call', () => {
    expect(allowedEndpoints(scopes, { scopes: 'read:*,write:orders' })).toEqual([
      { path: '/api/v1/orders', methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], via: 'scopes read:*, write:orders', includesSubpaths: true },
      { path: '/api/v1/analytics', methods: ['GET', 'HEAD'], via: 'scopes read:*', includesSubpaths: true },
    ]);
    expect(whoCanCall(scopes, 'PATCH', '/api/v1/orders/1')).toMatchObject({ known: true, allowedBy: ['write:orders', 'write:*'] });
    expect(whoCanCall(scopes, 'PATCH', '/api/v1/analytics')).toMatchObject({ known: true, allowedBy: [], rule: 'Test scopes: no documented scope allows write on analytics' });
  });

  it('says which credential kinds it speaks for', () => {
    expect(modelAppliesTo(scopes, 'api_key')).toBe(true);
    expect(modelAppliesTo(scopes, 'jwt_session')).toBe(false);
    expect(modelAppliesTo(matrix, 'jwt_session')).toBe(true);
    expect(modelAppliesTo(null, 'bearer')).toBe(false);
  });
});

describe('check: token types', () => {
  it('read-only finds but does not create', () => {
    expect(check(tokenTypes, { tokenType: 'Read-only' }, 'GET', '/api/articles/12')).toMatchObject({
      decision: 'allowed',
      rule: 'Test token types: a Read-only token may findOne articles (GET /api/{contentType}/{id})',
      allowedBy: ['read-only', 'full-access', 'custom (articles.findOne)'],
      endpoint: '/api/{contentType}/{id}',
    });
    expect(check(tokenTypes, { tokenType: 'read-only' }, 'POST', '/api/articles')).toMatchObject({
      decision: 'denied',
      rule: 'Test token types: a Read-only token may not create articles (POST /api/{contentType}); needs full-access or custom (articles.create)',
    });
  });

  it('full-access may do every documented action', () => {
    for (const [method, path] of [['GET', '/api/a'], ['GET', '/api/a/1'], ['POST', '/api/a'], ['PUT', '/api/a/1'], ['DELETE', '/api/a/1']] as const) {
      expect(check(tokenTypes, { tokenType: 'FULL ACCESS' }, method, path).decision).toBe('allowed');
    }
  });

  it('custom allows exactly its content-type permissions', () => {
    const grant = { tokenType: 'custom', scopes: ['articles.find', 'Articles.Create'] };
    expect(check(tokenTypes, grant, 'GET', '/api/articles').decision).toBe('allowed');
    expect(check(tokenTypes, grant, 'POST', '/api/articles').rule).toBe(
      'Test token types: a Custom token with articles.create may create articles (POST /api/{contentType})',
    );
    expect(check(tokenTypes, grant, 'GET', '/api/articles/1')).toMatchObject({
      decision: 'denied',
      rule: 'Test token types: a Custom token without articles.findOne may not findOne articles (GET /api/{contentType}/{id}); needs read-only or full-access or custom (articles.findOne)',
    });
    expect(check(tokenTypes, grant, 'GET', '/api/pages').decision).toBe('denied');
  });

  it('is unknown_endpoint for routes the content API does not have', () => {
    expect(check(tokenTypes, { tokenType: 'full-access' }, 'PATCH', '/api/articles/1')).toMatchObject({
      decision: 'unknown_endpoint',
      rule: expect.stringContaining('PATCH is not a documented method for /api/articles/1'),
    });
    expect(check(tokenTypes, { tokenType: 'full-access' }, 'GET', '/admin/users').rule).toContain('GET /admin/users is not a documented content-API route');
    expect(check(tokenTypes, { tokenType: 'full-access' }, 'GET', '/api/a/1/b').decision).toBe('unknown_endpoint');
  });

  it('denies without a token type', () => {
    expect(check(tokenTypes, {}, 'GET', '/api/a')).toMatchObject({ decision: 'denied', allowedBy: ['read-only', 'full-access', 'custom (a.find)'] });
  });

  it('lists endpoints per type, custom ones per content type', () => {
    expect(allowedEndpoints(tokenTypes, { tokenType: 'read-only' })).toEqual([
      { path: '/api/{contentType}', methods: ['GET'], via: 'Read-only: find' },
      { path: '/api/{contentType}/{id}', methods: ['GET'], via: 'Read-only: findOne' },
    ]);
    expect(allowedEndpoints(tokenTypes, { tokenType: 'custom', scopes: 'articles.find articles.create articles.delete' })).toEqual([
      { path: '/api/articles', methods: ['GET', 'POST'], via: 'Custom: articles.find, articles.create' },
      { path: '/api/articles/{id}', methods: ['DELETE'], via: 'Custom: articles.delete' },
    ]);
    expect(allowedEndpoints(tokenTypes, { tokenType: 'full-access' })).toHaveLength(2);
  });

  it('answers who can call', () => {
    expect(whoCanCall(tokenTypes, 'DELETE', '/api/articles/3')).toEqual({
      known: true,
      endpoint: '/api/{contentType}/{id}',
      allowedBy: ['full-access', 'custom (articles.delete)'],
      rule: 'Test token types: to delete articles (DELETE /api/{contentType}/{id}) a token needs full-access or custom (articles.delete)',
    });
  });
});

describe('check: coarse scopes', () => {
  it('each level includes the ones below it', () => {
    expect(check(coarse, { scopes: ['Write'] }, 'GET', '/api/orders/')).toEqual({
      decision: 'allowed',
      rule: 'Test levels: Write allows GET (Write includes Read); Read: View data',
      allowedBy: ['Read', 'Write', 'Admin'],
      endpoint: '*',
    });
    expect(check(coarse, { scopes: 'admin' }, 'POST', '/x').decision).toBe('allowed');
    expect(check(coarse, { scopes: 'Admin' }, 'GET', '/x').decision).toBe('allowed');
  });

  it('denies what the level does not include', () => {
    expect(check(coarse, { scopes: ['read'] }, 'PATCH', '/api/orders/1/')).toMatchObject({
      decision: 'denied',
      rule: 'Test levels: PATCH needs Write or Admin (Write: Create and update); the token has Read',
      allowedBy: ['Write', 'Admin'],
    });
    expect(check(coarse, { scopes: ['Write'] }, 'DELETE', '/x')).toMatchObject({ decision: 'denied', allowedBy: ['Admin'] });
    expect(check(coarse, {}, 'GET', '/x').rule).toContain('no scope is recorded for this token');
  });

  it('is unknown for a method no level covers, and outside its paths when it has some', () => {
    expect(check(coarse, { scopes: ['Admin'] }, 'OPTIONS', '/x').decision).toBe('unknown_endpoint');
    const limited = { ...coarse, paths: ['/api'] } as typeof coarse;
    expect(check(limited, { scopes: ['Admin'] }, 'GET', '/other')).toMatchObject({
      decision: 'unknown_endpoint',
      rule: 'Test levels: GET /other is outside the documented paths (/api)',
    });
    expect(check(limited, { scopes: ['Admin'] }, 'GET', '/api/x')).toMatchObject({ decision: 'allowed', endpoint: '/api' });
  });

  it('lists and explains', () => {
    expect(allowedEndpoints(coarse, { scopes: ['Write'] })).toEqual([
      { path: '*', methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH'], via: 'Write (includes Read)', includesSubpaths: false },
    ]);
    expect(whoCanCall(coarse, 'delete', '/users/1')).toEqual({
      known: true,
      endpoint: '*',
      allowedBy: ['Admin'],
      rule: 'Test levels: DELETE needs Admin (Admin: Full access)',
    });
  });
});

describe('check without a model (generic providers)', () => {
  it('never claims to know', () => {
    expect(check(null, { role: 'anything' }, 'GET', '/x')).toEqual({
      decision: 'unknown_endpoint',
      rule: 'GET /x: this provider has no documented permission model',
      allowedBy: [],
      endpoint: null,
    });
    expect(allowedEndpoints(undefined, { scopes: 'a' })).toEqual([]);
    expect(whoCanCall(null, 'GET', '/x').known).toBe(false);
  });
});
