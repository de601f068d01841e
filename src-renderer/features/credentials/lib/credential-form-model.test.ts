import { describe, expect, it } from 'vitest';
import { credential } from '../../../test/fixtures';
import { emptyFormValues, formValuesFrom, parseScopes, toCredentialInput, toCredentialPatch } from './credential-form-model';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('the add form → credentials:add input', () => {
  it('sends only what was filled in, and the header name only for API keys', () => {
    const v = { ...emptyFormValues(), name: 'CI', value: 'tok_abcdefghijklmnop' };
    expect(toCredentialInput(v, 'env_x', NOW)).toEqual({
      ok: true,
      value: { environmentId: 'env_x', name: 'CI', kind: 'bearer', secret: { value: 'tok_abcdefghijklmnop' } },
    });
    const key = toCredentialInput({ ...v, kind: 'api_key' }, 'env_x', NOW);
    expect(key.ok && key.value.headerName).toBe('X-API-Key');
  });

  it('converts scopes, expiry and rotation', () => {
    const v = {
      ...emptyFormValues(),
      name: 'CI',
      value: 'x',
      scopes: ' read:orders, write:orders ,, read:orders',
      expiryMode: 'duration' as const,
      expiryDuration: '7d',
      rotationDays: '90',
      role: 'CFO',
    };
    const r = toCredentialInput(v, 'env_x', NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.scopes).toEqual(['read:orders', 'write:orders']);
    expect(r.value.expiresAt).toBe(NOW + 7 * 86_400_000);
    expect(r.value.rotationDays).toBe(90);
    expect(r.value.role).toBe('CFO');
  });

  it('sends a refresh token only for a JWT session', () => {
    const v = { ...emptyFormValues(), name: 'S', value: 'a', refreshToken: 'r' };
    const bearer = toCredentialInput(v, 'env_x', NOW);
    expect(bearer.ok && bearer.value.secret.refreshToken).toBeFalsy();
    const jwt = toCredentialInput({ ...v, kind: 'jwt_session' }, 'env_x', NOW);
    expect(jwt.ok && jwt.value.secret.refreshToken).toBe('r');
  });

  it('reports the fields only the renderer can check, by their API paths', () => {
    const r = toCredentialInput({ ...emptyFormValues(), expiryMode: 'duration', expiryDuration: 'soon', rotationDays: 'often' }, 'env_x', NOW);
    expect(r).toEqual({
      ok: false,
      fields: {
        expiresAt: 'Expires after must be a duration such as 30d, 2w, 12h, 6mo or 1y (units: min (minutes), h (hours), d (days), w (weeks), mo (months), y (years)).',
        rotationDays: 'Rotate every must be a whole number of days, such as 90.',
      },
    });
  });
});

describe('the edit form → credentials:update patch', () => {
  const c = credential({ name: 'Old', role: 'CFO', scopes: ['a'], expiresAt: Date.UTC(2027, 0, 15, 17, 30), kind: 'api_key', headerName: 'X-Key' });

  it('never carries a value, clears emptied fields with null, and keeps an untouched expiry exact', () => {
    const original = formValuesFrom(c);
    const r = toCredentialPatch({ ...original, name: 'New', role: '' }, original, NOW);
    expect(r).toEqual({
      ok: true,
      value: { name: 'New', description: '', notes: '', tags: [], remoteId: null, role: null, scopes: ['a'], tokenType: null, rotationDays: null, headerName: 'X-Key' },
    });
    expect(r.ok && Object.keys(r.value)).not.toContain('secret');
  });

  it('sends the expiry when the user changed it', () => {
    const original = formValuesFrom(c);
    const never = toCredentialPatch({ ...original, expiryMode: 'never' }, original, NOW);
    expect(never.ok && never.value.expiresAt).toBeNull();
    const later = toCredentialPatch({ ...original, expiryMode: 'duration', expiryDuration: '1d' }, original, NOW);
    expect(later.ok && later.value.expiresAt).toBe(NOW + 86_400_000);
  });
});

describe('parseScopes', () => {
  it('splits on commas, trims, drops blanks and repeats', () => {
    expect(parseScopes('')).toEqual([]);
    expect(parseScopes('read:*,  write:* , ,read:*')).toEqual(['read:*', 'write:*']);
  });
});
