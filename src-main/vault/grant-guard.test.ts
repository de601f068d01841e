import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempVault, vaultError, type TempVault } from './test-support';

let t: TempVault;
let coolsetEnv: string;
let regateEnv: string;

beforeEach(async () => {
  t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  const coolset = t.vault.addWorkspace({ name: 'Northwind', providerId: 'coolset' });
  coolsetEnv = t.vault.addEnvironment({ workspaceId: coolset.id, name: 'production', baseUrl: 'https://api.example.com', production: true }).id;
  const regate = t.vault.addWorkspace({ name: 'Lumière', providerId: 'regate' });
  regateEnv = t.vault.addEnvironment({ workspaceId: regate.id, name: 'production', baseUrl: 'https://api.example.com', production: true }).id;
});
afterEach(() => t.cleanup());

const token = (environmentId: string, name: string, extra: Record<string, unknown>) => ({ environmentId, name, kind: 'bearer', secret: { value: 'tok_abcdefghijklmnop' }, ...extra });

describe('the vault itself refuses a role for a provider that decides by scope (no path skips the check)', () => {
  it('addCredential (what scripts/demo.ts used): VALIDATION naming the scopes, with the field that takes the value', () => {
    const e = vaultError(() => t.vault.addCredential(token(coolsetEnv, 'Ops admin', { role: 'Admin' })));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toMatch(/^Coolset decides permissions by .*scope.*; a role \(--role\) does not apply\. Give "Admin" as the scope instead\.$/i);
    expect(e.issues).toEqual([{ path: 'role', message: expect.stringContaining('does not apply to Coolset') }]);
    expect(t.vault.listCredentials()).toEqual([]);
    // As scopes it is stored.
    expect(t.vault.addCredential(token(coolsetEnv, 'Ops admin', { scopes: ['Admin'] })).scopes).toEqual(['Admin']);
  });

  it('the bulk add (imports, seeding) is all or nothing, and names the entry', () => {
    const e = vaultError(() => t.vault.addCredentials([token(coolsetEnv, 'a', { scopes: ['Read'] }), token(coolsetEnv, 'b', { role: 'Write' })]));
    expect(e.code).toBe('VALIDATION');
    expect(e.issues?.[0]?.path).toBe('[1].role');
    expect(t.vault.listCredentials()).toEqual([]);
  });

  it('an edit that sets a role is refused; a role-model provider still takes roles; clearing a stored role works', () => {
    const c = t.vault.addCredential(token(coolsetEnv, 'feed', { scopes: ['Write'] }));
    expect(vaultError(() => t.vault.updateCredential(c.id, { role: 'Write' })).code).toBe('VALIDATION');
    expect(t.vault.getCredential(c.id).role).toBeNull();
    expect(t.vault.updateCredential(c.id, { role: null, scopes: ['Read'] }).scopes).toEqual(['Read']);
    expect(t.vault.addCredential(token(regateEnv, 'cfo', { role: 'CFO' })).role).toBe('CFO');
  });
});
