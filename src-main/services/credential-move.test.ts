import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempVault, vaultError, type TempVault } from '../vault/test-support';
import type { Vault } from '../vault/vault';
import { moveCredential } from './credential-move';

let t: TempVault;
let v: Vault;
let ids: { sandbox: string; production: string; otherProd: string };

beforeEach(async () => {
  t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  v = t.vault;
  const a = v.addWorkspace({ name: 'Client A' });
  const b = v.addWorkspace({ name: 'Client B' });
  ids = {
    sandbox: v.addEnvironment({ workspaceId: a.id, name: 'sandbox', baseUrl: 'https://sandbox.example.com' }).id,
    production: v.addEnvironment({ workspaceId: a.id, name: 'production', baseUrl: 'https://api.example.com', production: true }).id,
    otherProd: v.addEnvironment({ workspaceId: b.id, name: 'production', baseUrl: 'https://api.example.com', production: true }).id,
  };
});
afterEach(() => t.cleanup());

function add(environmentId: string, name: string, value = 'tok_abcdefghijklmnop') {
  return v.addCredential({ environmentId, name, kind: 'bearer', secret: { value }, notes: 'ask Ana', tags: ['ci'] });
}

describe('moving a token', () => {
  it('out of production to the sandbox keeps id, value, notes and tags, and is audited with both places', () => {
    const c = add(ids.production, 'deploy');
    const moved = moveCredential(v, { credentialId: c.id, environmentId: ids.sandbox });
    expect(moved).toMatchObject({ id: c.id, environmentId: ids.sandbox, name: 'deploy', notes: 'ask Ana', tags: ['ci'], fingerprint: c.fingerprint });
    expect(v.revealCredential(c.id).value).toBe('tok_abcdefghijklmnop');
    expect(v.resolveCredential({ workspace: 'Client A', environment: 'sandbox', name: 'deploy' }).id).toBe(c.id);
    const audit = v.listAudit({ credentialId: c.id });
    expect(audit.find((e) => e.type === 'moved')?.note).toBe('from Client A/production/deploy to Client A/sandbox/deploy');
  });

  it('into production needs the target workspace name typed; without it nothing moves', () => {
    const c = add(ids.sandbox, 'ci');
    const missing = vaultError(() => moveCredential(v, { credentialId: c.id, environmentId: ids.otherProd }));
    expect(missing.code).toBe('PRODUCTION_LOCKED');
    expect(missing.message).toContain('Client B');
    expect(vaultError(() => moveCredential(v, { credentialId: c.id, environmentId: ids.otherProd, confirmName: 'Client A' })).code).toBe('PRODUCTION_LOCKED');
    expect(v.getCredential(c.id).environmentId).toBe(ids.sandbox);
    const moved = moveCredential(v, { credentialId: c.id, environmentId: ids.otherProd, confirmName: ' Client B ', name: 'ci-b' });
    expect(moved).toMatchObject({ environmentId: ids.otherProd, name: 'ci-b' });
    expect(v.getCredential(c.id).workspaceId).toBe(v.findWorkspace('Client B').id);
  });

  it('refuses a name already taken there, and a bad name, changing nothing', () => {
    const c = add(ids.production, 'deploy');
    add(ids.sandbox, 'deploy', 'tok_other_value_123456');
    expect(vaultError(() => moveCredential(v, { credentialId: c.id, environmentId: ids.sandbox })).code).toBe('CONFLICT');
    expect(vaultError(() => moveCredential(v, { credentialId: c.id, environmentId: ids.sandbox, name: '' })).code).toBe('VALIDATION');
    expect(v.getCredential(c.id).environmentId).toBe(ids.production);
  });
});

describe('token notes', () => {
  it('are stored, edited and cleared like the description', () => {
    const c = add(ids.sandbox, 'n');
    expect(c.notes).toBe('ask Ana');
    expect(v.updateCredential(c.id, { notes: 'line 1\nline 2' }).notes).toBe('line 1\nline 2');
    expect(v.updateCredential(c.id, { notes: '' }).notes).toBe('');
    expect(vaultError(() => v.updateCredential(c.id, { notes: 'x'.repeat(10_001) })).code).toBe('VALIDATION');
  });
});

describe('the same value in sandbox and production', () => {
  it('is found through the blind index, never stored in plaintext there', async () => {
    const { sameValueWarnings } = await import('./value-warnings');
    const { rawDb } = await import('../vault/test-support');
    const value = 'tok_shared_value_0123456789abcdef';
    const inSandbox = add(ids.sandbox, 'ci', value);
    expect(sameValueWarnings(v, inSandbox.id)).toEqual([]);
    const inProd = add(ids.production, 'deploy', value);
    const w = sameValueWarnings(v, inProd.id);
    expect(w).toEqual([{ credentialId: inSandbox.id, where: 'Client A/sandbox/ci', production: false, message: expect.stringContaining('Client A/sandbox/ci') }]);
    expect(sameValueWarnings(v, inSandbox.id).map((x) => x.where)).toEqual(['Client A/production/deploy']);
    // Same kind of environment: not this mistake.
    const b = v.addEnvironment({ workspaceId: v.findWorkspace('Client B').id, name: 'sandbox', baseUrl: 'https://s.example.com' });
    const twin = add(b.id, 'twin', value);
    expect(sameValueWarnings(v, twin.id).map((x) => x.where)).toEqual(['Client A/production/deploy']);
    const db = rawDb(t.home, { readonly: true });
    try {
      const dump = JSON.stringify(db.prepare('SELECT hex(value_mac) AS h FROM secret_index').all());
      expect(dump).not.toContain(Buffer.from(value).toString('hex').toUpperCase());
    } finally {
      db.close();
    }
  });

  it('a value wiped (revoked) or deleted no longer matches; tokens stored before the index are indexed on first check', async () => {
    const { sameValueWarnings } = await import('./value-warnings');
    const { rawDb } = await import('../vault/test-support');
    const value = 'tok_shared_value_0123456789abcdef';
    const old = add(ids.sandbox, 'old', value);
    const db = rawDb(t.home);
    db.prepare('DELETE FROM secret_index').run();
    db.close();
    const prod = add(ids.production, 'prod', value);
    expect(sameValueWarnings(v, prod.id).map((x) => x.credentialId)).toEqual([old.id]);
    v.markRevoked(old.id, { wipeSecret: true, note: 'test' });
    expect(sameValueWarnings(v, prod.id)).toEqual([]);
    const again = add(ids.sandbox, 'again', value);
    v.removeCredential(again.id);
    expect(sameValueWarnings(v, prod.id)).toEqual([]);
  });
});

describe('what deleting a workspace takes with it', () => {
  it('counts its environments and tokens, the same as listing them, and no other workspace’s', () => {
    add(ids.sandbox, 'a');
    add(ids.production, 'b', 'tok_qrstuvwxyz012345');
    add(ids.otherProd, 'c', 'tok_6789abcdefghijkl');
    const [a, b] = ['Client A', 'Client B'].map((n) => v.findWorkspace(n).id) as [string, string];
    expect(v.workspaceUsage(a)).toEqual({ environments: v.listEnvironments(a).length, credentials: v.listCredentials({ workspaceId: a }).length });
    expect(v.workspaceUsage(a)).toEqual({ environments: 2, credentials: 2 });
    expect(v.workspaceUsage(b)).toEqual({ environments: 1, credentials: 1 });
    expect(vaultError(() => v.workspaceUsage('ws_00000000000000000000')).code).toBe('NOT_FOUND');
  });

  it('with the version the dialog opened on: a token edited elsewhere since is a CONFLICT and stays put', () => {
    const c = add(ids.sandbox, 'ci');
    v.updateCredential(c.id, { notes: 'CLI note v2' });
    const e = vaultError(() => moveCredential(v, { credentialId: c.id, environmentId: ids.production, confirmName: 'Client A', expectedUpdatedAt: c.updatedAt }));
    expect(e.code).toBe('CONFLICT');
    expect(v.getCredential(c.id).environmentId).toBe(ids.sandbox);
    const fresh = v.getCredential(c.id);
    expect(moveCredential(v, { credentialId: c.id, environmentId: ids.production, confirmName: 'Client A', expectedUpdatedAt: fresh.updatedAt }).environmentId).toBe(ids.production);
  });
});

