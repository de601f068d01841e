import { describe, expect, it } from 'vitest';
import { getBuiltinProvider } from '../../../../src-shared/providers';
import { emptyForm, formFromDefinition, validateProviderForm } from './provider-form';

describe('provider form (validated by the definition schema)', () => {
  it('turns a filled-in form into a valid definition', () => {
    const form = { ...emptyForm(), id: 'acme-api', name: 'Acme API', roleModel: 'roles' as const, roleNames: 'Admin, Reader', presetPath: '/api/me' };
    form.environments = [
      { name: 'Sandbox', baseUrl: 'https://sandbox.acme.example', production: false },
      { name: 'Production', baseUrl: 'https://api.acme.example', production: true },
    ];
    const r = validateProviderForm(form, null, { takenIds: ['regate'], isNew: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.definition).toMatchObject({ id: 'acme-api', auth: [{ scheme: 'bearer' }], roles: { kind: 'role_matrix', roles: ['Admin', 'Reader'] } });
    expect(r.definition.environments.map((e) => [e.name, e.defaultBaseUrl, e.production])).toEqual([
      ['Sandbox', 'https://sandbox.acme.example', false],
      ['Production', 'https://api.acme.example', true],
    ]);
    expect(r.definition.testPresets[0]).toMatchObject({ method: 'GET', path: '/api/me', safe: true });
  });

  it('puts each schema problem at its field: id, base URL, header name, scopes; a taken id too', () => {
    const form = { ...emptyForm(), id: 'Bad Id', name: '', scheme: 'api_key' as const, headerName: 'bad header', roleModel: 'scopes' as const, roleNames: 'delete:all' };
    form.environments = [{ name: 'Sandbox', baseUrl: 'ftp://nope', production: false }];
    const r = validateProviderForm(form, null, { takenIds: [], isNew: true });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.fields).sort()).toEqual(['env.0.baseUrl', 'headerName', 'id', 'name', 'roleNames']);
    expect(r.fields.roleNames).toContain('read:orders');
    const taken = validateProviderForm({ ...emptyForm(), id: 'mine', name: 'Mine' }, null, { takenIds: ['mine'], isNew: true });
    expect(!taken.ok && taken.fields.id).toContain('taken');
  });

  it('a duplicated built-in keeps what the form does not show (lifetimes, portal, revocation)', () => {
    const coolset = getBuiltinProvider('coolset')!;
    const form = { ...formFromDefinition(coolset), id: 'coolset-custom', name: 'Coolset (custom)' };
    const r = validateProviderForm(form, coolset, { takenIds: ['coolset'], isNew: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.definition.roles).toEqual(coolset.roles);
    expect(r.definition.portal).toEqual(coolset.portal);
    expect(r.definition.rotationAdviceDays).toBe(90);
  });
});
