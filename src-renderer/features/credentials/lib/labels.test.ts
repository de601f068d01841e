import { describe, expect, it } from 'vitest';
import { accessText } from './labels';

describe('accessText (the Role / scopes column)', () => {
  it('shows a token type such as Strapi full-access, as `token list` does', () => {
    expect(accessText({ role: null, tokenType: 'full-access', scopes: [] })).toBe('full-access');
    expect(accessText({ role: null, tokenType: 'custom', scopes: ['api::article.find'] })).toBe('custom · api::article.find');
  });
  it('role, then scopes; empty when the token has none of them', () => {
    expect(accessText({ role: 'admin', tokenType: null, scopes: ['read', 'write'] })).toBe('admin · read, write');
    expect(accessText({ role: null, tokenType: null, scopes: ['read:*'] })).toBe('read:*');
    expect(accessText({ role: null, tokenType: null, scopes: [] })).toBe('');
  });
});
