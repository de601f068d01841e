import { describe, expect, it } from 'vitest';
import { parseCredentialRef, parseScopeRef } from './ref';

describe('parseCredentialRef', () => {
  it('reads a credential id', () => {
    expect(parseCredentialRef('cred_0123456789abcdefghij')).toEqual({ id: 'cred_0123456789abcdefghij' });
  });

  it('reads workspace/env/name, keeping the parts as typed', () => {
    expect(parseCredentialRef('Acme/production/CI deploy')).toEqual({ workspace: 'Acme', environment: 'production', name: 'CI deploy' });
    expect(parseCredentialRef('ws_0123456789abcdefghij/env_0123456789abcdefghij/ci')).toEqual({
      workspace: 'ws_0123456789abcdefghij',
      environment: 'env_0123456789abcdefghij',
      name: 'ci',
    });
  });

  it.each([
    ['an id of another kind', 'ws_0123456789abcdefghij'],
    ['a malformed id', 'cred_0123'],
    ['an id with capitals', 'cred_0123456789ABCDEFGHIJ'],
    ['two parts', 'Acme/ci'],
    ['four parts', 'Acme/prod/ci/extra'],
    ['an empty part', 'Acme//ci'],
    ['a blank part', 'Acme/ /ci'],
    ['a trailing slash', 'Acme/prod/'],
    ['nothing', ''],
  ])('refuses %s', (_what, text) => {
    expect(parseCredentialRef(text)).toBeNull();
  });
});

describe('parseScopeRef', () => {
  it('reads WORKSPACE and WORKSPACE/ENV', () => {
    expect(parseScopeRef('Acme')).toEqual({ workspace: 'Acme' });
    expect(parseScopeRef('Acme/sandbox')).toEqual({ workspace: 'Acme', environment: 'sandbox' });
  });

  it.each(['', 'Acme/', '/sandbox', 'Acme/sandbox/ci', ' '])('refuses %j', (text) => {
    expect(parseScopeRef(text)).toBeNull();
  });
});
