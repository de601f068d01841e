import { describe, expect, it } from 'vitest';
import { getBuiltinProvider } from './index';
import { apiSchemes, authFor, errorShapeFor, expiryPolicy, presetsFor, tokenFormatWarning } from './lookup';

const get = (id: string) => getBuiltinProvider(id)!;

describe('lookups', () => {
  it('finds the auth entry for a credential kind', () => {
    expect(authFor(get('regen-therapy'), 'api_key')?.scheme).toBe('api_key');
    expect(authFor(get('regate'), 'api_key')).toBeNull();
  });

  it('separates API schemes from management ones', () => {
    expect(apiSchemes(get('strapi'))).toEqual(['bearer']);
    expect(apiSchemes(get('regen-therapy'))).toEqual(['api_key', 'jwt_session']);
  });

  it('gives the presets that test a kind', () => {
    expect(presetsFor(get('strapi'), 'bearer').map((p) => p.id)).toEqual(['list-entries']);
    expect(presetsFor(get('strapi'), 'jwt_session')).toEqual([]);
    expect(presetsFor(get('regen-therapy'), 'jwt_session').map((p) => p.id)).toEqual(['list-orders']);
  });

  it('describes expiry per provider and kind', () => {
    expect(expiryPolicy(get('regate'), 'bearer')).toEqual({ kind: 'never' });
    expect(expiryPolicy(get('strapi'), 'bearer')).toMatchObject({ kind: 'chosen', options: [{ days: 7 }, { days: 30 }, { days: 90 }, { days: null }] });
    expect(expiryPolicy(get('regen-therapy'), 'jwt_session')).toEqual({ kind: 'session', accessTokenSeconds: 3600, refreshTokenSeconds: 604800 });
    expect(expiryPolicy(get('regen-therapy'), 'api_key')).toMatchObject({ kind: 'undocumented' });
    expect(expiryPolicy(get('built-accounting'), 'bearer')).toEqual({ kind: 'undocumented', note: 'The documentation states no lifetime for access tokens.' });
  });

  it('explains a status when the documents do', () => {
    expect(errorShapeFor(get('coolset'), 401)?.meaning).toBe('the token is missing or invalid');
    expect(errorShapeFor(get('coolset'), 500)).toBeNull();
  });

  it('warns when a pasted value does not look like the provider’s tokens', () => {
    const regen = get('regen-therapy');
    expect(tokenFormatWarning(regen, 'api_key', 'rg_abc123_your_secret_key_here')).toBeNull();
    expect(tokenFormatWarning(regen, 'api_key', 'eyJhbGciOiJIUzI1NiIs.eyJzdWIiOiIxIn0.sig')).toBe('Regen Therapy API keys start with rg_');
    expect(tokenFormatWarning(regen, 'jwt_session', 'eyJhbGciOiJIUzI1NiIs.eyJzdWIiOiIxIn0.sig')).toBeNull();
    expect(tokenFormatWarning(regen, 'jwt_session', 'rg_abc')).toMatch(/JWT/);
    expect(tokenFormatWarning(get('coolset'), 'bearer', 'anything')).toBeNull();
  });
});
