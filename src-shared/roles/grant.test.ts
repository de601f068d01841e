import { describe, expect, it } from 'vitest';
import { grantFields, splitScopes, validateGrant } from './grant';
import { coarse, matrix, scopes, tokenTypes } from './test-fixtures';

describe('splitScopes', () => {
  it('splits on commas and spaces, remembering the entry each came from', () => {
    expect(splitScopes('read:orders,write:*')).toEqual([
      { name: 'read:orders', entry: 0 },
      { name: 'write:*', entry: 0 },
    ]);
    expect(splitScopes(['a, b', ' c '])).toEqual([
      { name: 'a', entry: 0 },
      { name: 'b', entry: 0 },
      { name: 'c', entry: 1 },
    ]);
    expect(splitScopes(null)).toEqual([]);
  });
});

describe('validateGrant', () => {
  it('normalizes role names to the documented spelling', () => {
    expect(validateGrant(matrix, { role: 'MANAGER (invoices)' })).toEqual({
      ok: true,
      grant: { role: 'Manager (invoices)', scopes: [], tokenType: null },
      ignored: [],
    });
  });

  it('refuses an unknown role with the list of known ones', () => {
    expect(validateGrant(matrix, { role: 'Manager' })).toEqual({
      ok: false,
      issues: [{ path: 'role', message: '"Manager" is not a role in the Test matrix', known: ['Admin', 'Manager (invoices)', 'Viewer'] }],
    });
  });

  it('keeps fields the model does not decide by, and says they were ignored', () => {
    expect(validateGrant(matrix, { role: 'viewer', scopes: 'x y', tokenType: 't' })).toEqual({
      ok: true,
      grant: { role: 'Viewer', scopes: ['x', 'y'], tokenType: 't' },
      ignored: ['scopes', 'tokenType'],
    });
  });

  it('accepts scopes written as the documents write them, deduplicated', () => {
    expect(validateGrant(scopes, { scopes: 'READ:orders,write:*, read:orders' })).toEqual({
      ok: true,
      grant: { role: null, scopes: ['read:orders', 'write:*'], tokenType: null },
      ignored: [],
    });
  });

  it('refuses each unknown scope, pointing at its entry', () => {
    const r = validateGrant(scopes, { scopes: ['read:orders', 'write:analytics,admin'] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.path, i.message])).toEqual([
      ['scopes[1]', '"write:analytics" is not a scope in the Test scopes'],
      ['scopes[1]', '"admin" is not a scope in the Test scopes'],
    ]);
    expect(r.issues[0]!.known).toEqual(['read:*', 'write:*', 'read:orders', 'write:orders', 'read:analytics']);
  });

  it('accepts token types by API name or panel label, and custom permissions', () => {
    expect(validateGrant(tokenTypes, { tokenType: 'Full access' })).toMatchObject({ ok: true, grant: { tokenType: 'full-access' } });
    expect(validateGrant(tokenTypes, { tokenType: 'custom', scopes: 'Articles.FINDONE, articles.create' })).toMatchObject({
      ok: true,
      grant: { tokenType: 'custom', scopes: ['articles.findOne', 'articles.create'] },
    });
  });

  it("accepts Strapi's own permission spelling and stores the short one (issue 10)", () => {
    expect(validateGrant(tokenTypes, { tokenType: 'custom', scopes: ['api::article.article.find', 'api::category.category.findOne', 'articles.find'] })).toMatchObject({
      ok: true,
      grant: { tokenType: 'custom', scopes: ['articles.find', 'categories.findOne'] },
    });
    expect(validateGrant(tokenTypes, { tokenType: 'custom', scopes: ['api::address.address.delete'] })).toMatchObject({ ok: true, grant: { scopes: ['addresses.delete'] } });
    expect(validateGrant(tokenTypes, { tokenType: 'custom', scopes: ['api::article.article.list'] }).ok).toBe(false);
  });

  it('refuses unknown token types and actions, and permissions on a non-custom token', () => {
    expect(validateGrant(tokenTypes, { tokenType: 'admin' })).toEqual({
      ok: false,
      issues: [{ path: 'tokenType', message: '"admin" is not a token type in the Test token types', known: ['read-only', 'full-access', 'custom'] }],
    });
    const bad = validateGrant(tokenTypes, { tokenType: 'custom', scopes: ['articles.list', 'find', 'Bad Type.find'] });
    expect(bad.ok === false && bad.issues.map((i) => i.path)).toEqual(['scopes[0]', 'scopes[1]', 'scopes[2]']);
    expect(validateGrant(tokenTypes, { tokenType: 'read-only', scopes: ['articles.find'] })).toEqual({
      ok: false,
      issues: [{ path: 'scopes', message: 'per-content-type permissions only apply to a Custom token, not Read-only', known: [] }],
    });
  });

  it('accepts coarse levels case-insensitively', () => {
    expect(validateGrant(coarse, { scopes: 'write' })).toMatchObject({ ok: true, grant: { scopes: ['Write'] } });
    expect(validateGrant(coarse, { scopes: 'owner' })).toMatchObject({ ok: false, issues: [{ known: ['Read', 'Write', 'Admin'] }] });
  });

  it('accepts anything for a generic provider, trimmed', () => {
    expect(validateGrant(null, { role: ' Boss ', scopes: 'a,b a', tokenType: '' })).toEqual({
      ok: true,
      grant: { role: 'Boss', scopes: ['a', 'b'], tokenType: null },
      ignored: [],
    });
  });
});

describe('grantFields', () => {
  it('tells a form what to ask for', () => {
    expect(grantFields(matrix)).toEqual([{ field: 'role', label: 'Role', multiple: false, options: ['Admin', 'Manager (invoices)', 'Viewer'] }]);
    expect(grantFields(scopes)[0]).toMatchObject({ field: 'scopes', multiple: true });
    expect(grantFields(tokenTypes).map((f) => f.field)).toEqual(['tokenType', 'scopes']);
    expect(grantFields(coarse)).toEqual([{ field: 'scopes', label: 'Scope', multiple: false, options: ['Read', 'Write', 'Admin'] }]);
    expect(grantFields(null).every((f) => f.options.length === 0)).toBe(true);
  });
});
