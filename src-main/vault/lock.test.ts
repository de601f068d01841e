import { afterEach, describe, expect, it, vi } from 'vitest';
import { SETTINGS_DEFAULTS } from '../../src-shared/domain/schemas';
import type { VaultKeys } from './keys';
import { openTempVault, rawDb, vaultError, vaultErrorAsync, type TempVault } from './test-support';
import type { Vault } from './vault';

let t: TempVault;
afterEach(() => t?.cleanup());

async function filled() {
  t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  const v = t.vault;
  const ws = v.addWorkspace({ name: 'Acme' });
  const env = v.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
  const cred = v.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', secret: { value: 'rg_lock_test_token_0123456789' } });
  return { v, ws, env, cred };
}

/** Every method that touches user data, with valid arguments: after lock() each must throw LOCKED. */
function dataCalls(v: Vault, ids: { ws: string; env: string; cred: string }): [string, () => unknown][] {
  return [
    ['listWorkspaces', () => v.listWorkspaces()],
    ['getWorkspace', () => v.getWorkspace(ids.ws)],
    ['findWorkspace', () => v.findWorkspace('Acme')],
    ['addWorkspace', () => v.addWorkspace({ name: 'New' })],
    ['updateWorkspace', () => v.updateWorkspace(ids.ws, { name: 'Renamed' })],
    ['removeWorkspace', () => v.removeWorkspace(ids.ws)],
    ['listEnvironments', () => v.listEnvironments(ids.ws)],
    ['getEnvironment', () => v.getEnvironment(ids.env)],
    ['findEnvironment', () => v.findEnvironment(ids.ws, 'prod')],
    ['addEnvironment', () => v.addEnvironment({ workspaceId: ids.ws, name: 'sandbox', baseUrl: 'https://x.example' })],
    ['updateEnvironment', () => v.updateEnvironment(ids.env, { name: 'production' })],
    ['removeEnvironment', () => v.removeEnvironment(ids.env)],
    ['listCredentials', () => v.listCredentials()],
    ['getCredential', () => v.getCredential(ids.cred)],
    ['resolveCredential by id', () => v.resolveCredential({ id: ids.cred })],
    ['resolveCredential by name', () => v.resolveCredential({ workspace: 'Acme', environment: 'prod', name: 'ci' })],
    ['addCredential', () => v.addCredential({ environmentId: ids.env, name: 'x', kind: 'bearer', secret: { value: 'abcdefghijklmnop' } })],
    ['addCredentials', () => v.addCredentials([{ environmentId: ids.env, name: 'y', kind: 'bearer', secret: { value: 'abcdefghijklmnop' } }])],
    ['updateCredential', () => v.updateCredential(ids.cred, { name: 'renamed' })],
    ['replaceSecret', () => v.replaceSecret(ids.cred, { value: 'abcdefghijklmnop' })],
    ['removeCredential', () => v.removeCredential(ids.cred)],
    ['revealCredential', () => v.revealCredential(ids.cred)],
    ['revealCredential (copy)', () => v.revealCredential(ids.cred, 'copied')],
    ['secretForRequest', () => v.secretForRequest(ids.cred)],
    ['recordTest', () => v.recordTest(ids.cred, 'ok', { method: 'GET', path: '/users', status: 200, explanation: '200 from Test', totalMs: 1, rateLimitRemaining: null })],
    ['listAudit', () => v.listAudit()],
    ['verifyAudit', () => v.verifyAudit()],
    ['recordEvent', () => v.recordEvent({ type: 'exported' })],
    ['search', () => v.search('acme')],
    ['updateSettings', () => v.updateSettings({ autoLockMinutes: 5 })],
  ];
}

describe('lock', () => {
  it('after lock() every data method throws LOCKED, and nothing changes', async () => {
    const { v, ws, env, cred } = await filled();
    const raw = rawDb(t.home, { readonly: true });
    v.lock();
    const count = () => raw.prepare('SELECT (SELECT count(*) FROM workspaces) + (SELECT count(*) FROM environments) + (SELECT count(*) FROM credentials) + (SELECT count(*) FROM audit) AS n').get();
    const before = count();
    const calls = dataCalls(v, { ws: ws.id, env: env.id, cred: cred.id });
    for (const [name, call] of calls) {
      expect(vaultError(call).code, name).toBe('LOCKED');
    }
    expect((await vaultErrorAsync(() => v.changeKeySource({ keySource: 'passphrase', passphrase: 'long enough passphrase' }))).code).toBe('LOCKED');
    expect(count()).toEqual(before);
    raw.close();
    // Unlocking restores access, and the data is intact.
    await v.unlock();
    expect(v.revealCredential(cred.id).value).toBe('rg_lock_test_token_0123456789');
  });

  it('fires locked once (and unlocked on unlock), and reports the state', async () => {
    const { v } = await filled();
    const locked = vi.fn();
    const unlocked = vi.fn();
    v.on('locked', locked);
    v.on('unlocked', unlocked);
    v.lock();
    v.lock();
    expect(locked).toHaveBeenCalledTimes(1);
    expect(v.status().state).toBe('locked');
    expect(v.isUnlocked).toBe(false);
    await v.unlock();
    expect(unlocked).toHaveBeenCalledTimes(1);
    expect(v.status().state).toBe('unlocked');
    // close() of an unlocked vault locks it first.
    v.close();
    expect(locked).toHaveBeenCalledTimes(2);
  });

  it('wipes the key material it held', async () => {
    const { v } = await filled();
    const internals = v as unknown as { keys: VaultKeys; vaultKey: Buffer };
    const keys = internals.keys;
    const vaultKey = internals.vaultKey;
    expect(keys.enc.some((b) => b !== 0)).toBe(true);
    v.lock();
    for (const buf of [keys.enc, keys.index, keys.audit, keys.scan, keys.digest, vaultKey]) expect(buf.every((b) => b === 0)).toBe(true);
  });

  it('getSettings still works while locked; updateSettings does not', async () => {
    const { v } = await filled();
    expect(v.getSettings()).toEqual(SETTINGS_DEFAULTS);
    expect(v.updateSettings({ autoLockMinutes: 3, revealSeconds: 20 })).toEqual({ ...SETTINGS_DEFAULTS, autoLockMinutes: 3, revealSeconds: 20 });
    v.lock();
    expect(v.getSettings()).toEqual({ ...SETTINGS_DEFAULTS, autoLockMinutes: 3, revealSeconds: 20 });
    expect(vaultError(() => v.updateSettings({ autoLockMinutes: 0 })).code).toBe('LOCKED');
    // Also after a restart, before any unlock.
    const v2 = t.reopen();
    expect(v2.getSettings().autoLockMinutes).toBe(3);
  });

  it('records reveals queued before the lock, then the lock itself', async () => {
    const { v, cred } = await filled();
    v.revealCredential(cred.id);
    v.revealCredential(cred.id, 'copied');
    v.lock();
    const raw = rawDb(t.home, { readonly: true });
    const types = (raw.prepare('SELECT type FROM audit ORDER BY seq DESC LIMIT 3').all() as { type: string }[]).map((r) => r.type);
    raw.close();
    expect(types).toEqual(['locked', 'copied', 'revealed']);
    await v.unlock();
    expect(v.verifyAudit().ok).toBe(true);
  });

  it('an uninitialized vault answers NOT_INITIALIZED, not LOCKED', async () => {
    t = openTempVault();
    expect(vaultError(() => t.vault.listWorkspaces()).code).toBe('NOT_INITIALIZED');
    expect((await vaultErrorAsync(() => t.vault.unlock())).code).toBe('NOT_INITIALIZED');
    await t.vault.init({ keySource: 'keychain' });
    expect((await vaultErrorAsync(() => t.vault.init({ keySource: 'keychain' }))).code).toBe('ALREADY_INITIALIZED');
  });
});
