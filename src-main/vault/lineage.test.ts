import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempVault, rawDb, type TempVault } from './test-support';

// The vault's side of revocation and rotation: the revoked mark with its
// wipe, and the lineage a rotation records (and undoes).
let t: TempVault;
let envId: string;

beforeEach(async () => {
  t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  const ws = t.vault.addWorkspace({ name: 'Acme' });
  envId = t.vault.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' }).id;
});
afterEach(() => t.cleanup());

const add = (name: string, value: string) => t.vault.addCredential({ environmentId: envId, name, kind: 'bearer', secret: { value } });

describe('markRevoked', () => {
  it('sets the status and NULLs the value in one step, audited with the reason', () => {
    const c = add('ci', 'value-0123456789');
    expect(c.hasValue).toBe(true);
    const r = t.vault.markRevoked(c.id, { wipeSecret: true, note: 'revoked through the API' });
    expect(r).toMatchObject({ status: 'revoked', hasValue: false });
    const db = rawDb(t.home, { readonly: true });
    expect(db.prepare('SELECT secret FROM credentials WHERE id = ?').get(c.id)).toEqual({ secret: null });
    db.close();
    expect(t.vault.listAudit({ credentialId: c.id })[0]).toMatchObject({ type: 'revoked', note: 'revoked through the API; value wiped' });
    expect(() => t.vault.secretForRequest(c.id)).toThrow(/wiped/);
  });

  it('keeps the value when asked, and wipeSecret drops it later (revoked tokens only)', () => {
    const c = add('ci', 'value-0123456789');
    expect(() => t.vault.wipeSecret(c.id)).toThrow(/revoke it first/);
    t.vault.markRevoked(c.id, { wipeSecret: false, note: 'x' });
    expect(t.vault.revealCredential(c.id).value).toBe('value-0123456789');
    expect(t.vault.wipeSecret(c.id).hasValue).toBe(false);
  });
});

describe('rotation lineage', () => {
  it('links, switches by swapping names, and undoes exactly; edits keep the lineage', () => {
    const old = add('deploy', 'old-value-0123456789');
    const nw = add('deploy (rotation)', 'new-value-0123456789');
    t.vault.setSupersedes(nw.id, old.id);
    t.vault.setCredentialIdentity(old.id, { account: 'ada', company: null });
    t.vault.updateCredential(nw.id, { description: 'edited' });
    expect(t.vault.getCredential(nw.id)).toMatchObject({ supersedes: old.id, supersededBy: null, description: 'edited' });

    t.vault.switchCurrent(old.id, nw.id);
    expect(t.vault.resolveCredential({ workspace: 'Acme', environment: 'prod', name: 'deploy' }).id).toBe(nw.id);
    expect(t.vault.getCredential(old.id)).toMatchObject({ name: 'deploy (rotation)', supersededBy: nw.id, identity: { account: 'ada', company: null } });
    expect(t.vault.revealCredential(nw.id).value).toBe('new-value-0123456789');

    t.vault.updateCredential(old.id, { tags: ['x'] });
    expect(t.vault.getCredential(old.id).supersededBy).toBe(nw.id);

    t.vault.undoSwitch(old.id, nw.id);
    expect(t.vault.getCredential(old.id)).toMatchObject({ name: 'deploy', supersededBy: null });
    expect(t.vault.getCredential(nw.id)).toMatchObject({ name: 'deploy (rotation)', supersedes: old.id });
    expect(t.vault.revealCredential(old.id).value).toBe('old-value-0123456789');
  });

  it('rotation flows survive a reopen, one open flow per token', () => {
    const old = add('deploy', 'old-value-0123456789');
    t.vault.rotations.create({ id: 'rot_0123456789abcdefghij', oldCredentialId: old.id, mode: 'manual' });
    expect(() => t.vault.rotations.create({ id: 'rot_0123456789abcdefghik', oldCredentialId: old.id, mode: 'create' })).toThrow(/in progress/);
    const v = t.reopen();
    expect(v.rotations.listOpen()).toEqual([expect.objectContaining({ id: 'rot_0123456789abcdefghij', step: 'started', oldCredentialId: old.id })]);
    v.rotations.update('rot_0123456789abcdefghij', { step: 'abandoned' });
    expect(v.rotations.listOpen()).toEqual([]);
  });
});
