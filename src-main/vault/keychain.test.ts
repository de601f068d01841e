import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE, listEntries, MemoryKeyStore, OsKeyStore, type KeyStore, type KeytarApi } from './keychain';
import { DATA_TABLES, dumpTables, openTempVault, rawDb, vaultError, vaultErrorAsync, type TempVault } from './test-support';

const PASS = 'a master passphrase, long enough';
const TOKEN = 'rg_keychain_test_token_0123456789abcdef';

let t: TempVault;
afterEach(() => t?.cleanup());

function rows(table: string): number {
  const db = rawDb(t.home, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('listing the keychain entries while other processes add and remove vaults', () => {
  // The Secret Service fails a whole listing when an entry it found is deleted before it is read.
  const vanished = new Error('zbus error: org.freedesktop.DBus.Error.UnknownMethod: Object does not exist at path “/org/freedesktop/secrets/collection/login/28”');
  const flaky = (failures: number) => {
    let calls = 0;
    const api: KeytarApi = {
      getPassword: async () => null,
      setPassword: async () => undefined,
      deletePassword: async () => true,
      findCredentials: async (service) => {
        calls++;
        if (calls <= failures) throw vanished;
        return [{ account: `${service}-vault`, password: 'x' }];
      },
    };
    return { api, calls: () => calls };
  };

  it('a listing that fails because an entry vanished is tried again, and answers', async () => {
    const k = flaky(2);
    expect(await listEntries(k.api)).toEqual([{ account: `${KEYCHAIN_SERVICE}-vault`, password: 'x' }]);
    expect(k.calls()).toBe(3);
    // The store's checks use it too: an absent entry is "none", not "no keychain".
    const store = new OsKeyStore(null, async () => flaky(2).api);
    expect(await store.get('another-vault')).toBeNull();
    await expect(new OsKeyStore(null, async () => flaky(2).api).reachable()).resolves.toBeUndefined();
  });

  it('any other failure (a dismissed prompt, no Secret Service) is not asked again', async () => {
    let calls = 0;
    const api = {
      findCredentials: async () => {
        calls++;
        throw new Error('Platform secure storage failure: the user dismissed the prompt');
      },
    };
    await expect(listEntries(api)).rejects.toThrow(/dismissed/);
    expect(calls).toBe(1);
  });

  it('a keychain that keeps failing is still KEYCHAIN_UNAVAILABLE, after three tries', async () => {
    const k = flaky(99);
    await expect(listEntries(k.api)).rejects.toThrow(/does not exist/);
    expect(k.calls()).toBe(3);
    const e = await vaultErrorAsync(() => new OsKeyStore(null, async () => flaky(99).api).get('v'));
    expect(e.code).toBe('KEYCHAIN_UNAVAILABLE');
  });
});

async function keychainVaultWithData() {
  t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  const ws = t.vault.addWorkspace({ name: 'Acme' });
  const env = t.vault.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
  const cred = t.vault.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', secret: { value: TOKEN } });
  const vaultId = t.vault.status().vaultId!;
  return { cred, vaultId };
}

describe('keychain missing or wrong', () => {
  it('init without a keychain fails with KEYCHAIN_UNAVAILABLE, names the passphrase alternative, and writes nothing', async () => {
    const keyStore = new MemoryKeyStore();
    keyStore.available = false;
    t = openTempVault({ keyStore });
    const e = await vaultErrorAsync(() => t.vault.init({ keySource: 'keychain' }));
    expect(e.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(e.message).toMatch(/passphrase/i);
    // The vault names no command (the app has no flags); the CLI adds the line to run (cli-wording.test.ts).
    expect(e.message).toContain('use a master passphrase instead');
    expect(e.message).not.toContain('--passphrase');
    expect(t.vault.status()).toEqual({ state: 'uninitialized', vaultId: null, keySource: null });
    for (const table of ['vault_meta', 'audit', 'pending_audit', 'workspaces']) expect(rows(table), table).toBe(0);
    expect(keyStore.entries.size).toBe(0);
    // The advice works: a passphrase vault can be created right away.
    await t.vault.init({ keySource: 'passphrase', passphrase: PASS });
    expect(t.vault.status()).toMatchObject({ state: 'unlocked', keySource: 'passphrase' });
  });

  it('a keychain that accepts the key but does not keep it fails init with KEYCHAIN_UNAVAILABLE', async () => {
    const forgetful: KeyStore = { get: async () => null, set: async () => undefined, delete: async () => undefined };
    t = openTempVault({ keyStore: forgetful as MemoryKeyStore });
    const e = await vaultErrorAsync(() => t.vault.init({ keySource: 'keychain' }));
    expect(e.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(e.message).toMatch(/passphrase/i);
    expect(t.vault.status().state).toBe('uninitialized');
    expect(rows('vault_meta')).toBe(0);
  });

  it('a vault whose key was deleted from the keychain fails to unlock with KEYCHAIN_UNAVAILABLE', async () => {
    const { vaultId, cred } = await keychainVaultWithData();
    t.keyStore.entries.delete(vaultId);
    const v2 = t.reopen();
    const raw = rawDb(t.home, { readonly: true });
    const before = dumpTables(raw, DATA_TABLES);
    const e = await vaultErrorAsync(() => v2.unlock());
    expect(e.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(v2.status().state).toBe('locked');
    expect(vaultError(() => v2.getCredential(cred.id)).code).toBe('LOCKED');
    expect(dumpTables(raw, DATA_TABLES)).toBe(before);
    raw.close();
  });

  it('a wrong key in the keychain fails to unlock with KEYCHAIN_UNAVAILABLE', async () => {
    const { vaultId } = await keychainVaultWithData();
    t.keyStore.entries.set(vaultId, randomBytes(32).toString('base64'));
    const v2 = t.reopen();
    const e = await vaultErrorAsync(() => v2.unlock());
    expect(e.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(e.message).toMatch(/does not open this vault/);
    expect(v2.isUnlocked).toBe(false);
    // A keychain error is not a guessed passphrase: no failure is counted.
    const db = rawDb(t.home, { readonly: true });
    expect(db.prepare('SELECT unlock_failures AS n FROM vault_meta').get()).toEqual({ n: 0 });
    db.close();
  });

  it('a keychain that is down at unlock fails with KEYCHAIN_UNAVAILABLE, and unlocks once it is back', async () => {
    const { cred } = await keychainVaultWithData();
    const v2 = t.reopen();
    t.keyStore.available = false;
    expect((await vaultErrorAsync(() => v2.unlock())).code).toBe('KEYCHAIN_UNAVAILABLE');
    t.keyStore.available = true;
    await v2.unlock();
    expect(v2.revealCredential(cred.id).value).toBe(TOKEN);
  });
});

describe('changeKeySource', () => {
  it('keychain → passphrase → keychain: the data reads after a reopen each way, with the same vault key', async () => {
    const { vaultId, cred } = await keychainVaultWithData();
    const originalKey = t.keyStore.entries.get(vaultId);
    expect(originalKey).toBeDefined();

    // To a passphrase: the keychain entry goes away.
    expect(await t.vault.changeKeySource({ keySource: 'passphrase', passphrase: PASS })).toMatchObject({ state: 'unlocked', keySource: 'passphrase' });
    expect(t.keyStore.entries.has(vaultId)).toBe(false);
    let v = t.reopen();
    expect(v.status()).toMatchObject({ state: 'locked', keySource: 'passphrase' });
    expect((await vaultErrorAsync(() => v.unlock())).code).toBe('VALIDATION');
    expect((await vaultErrorAsync(() => v.unlock({ passphrase: 'not the passphrase' }))).code).toBe('WRONG_PASSPHRASE');
    await v.unlock({ passphrase: PASS });
    expect(v.revealCredential(cred.id).value).toBe(TOKEN);

    // Back to the keychain: the wrapped key is dropped, the entry is back, and no passphrase is needed.
    expect(await v.changeKeySource({ keySource: 'keychain', currentPassphrase: PASS })).toMatchObject({ keySource: 'keychain' });
    expect(t.keyStore.entries.get(vaultId)).toBe(originalKey);
    const db = rawDb(t.home, { readonly: true });
    expect(db.prepare('SELECT key_source, kdf_params, wrapped_key FROM vault_meta').get()).toEqual({
      key_source: 'keychain',
      kdf_params: null,
      wrapped_key: null,
    });
    db.close();
    v = t.reopen();
    await v.unlock();
    expect(v.revealCredential(cred.id).value).toBe(TOKEN);
    expect(v.listAudit().filter((e) => e.type === 'key_source_changed').map((e) => e.note)).toEqual(['OS keychain', 'master passphrase']);
    expect(v.verifyAudit().ok).toBe(true);
  });

  it('changes the passphrase: the old one stops working, the new one works', async () => {
    t = openTempVault();
    await t.vault.init({ keySource: 'passphrase', passphrase: PASS });
    await t.vault.changeKeySource({ keySource: 'passphrase', currentPassphrase: PASS, passphrase: 'the new passphrase 2' });
    const v = t.reopen();
    expect((await vaultErrorAsync(() => v.unlock({ passphrase: PASS }))).code).toBe('WRONG_PASSPHRASE');
    await v.unlock({ passphrase: 'the new passphrase 2' });
    expect(v.isUnlocked).toBe(true);
  });

  it('moving to an unavailable keychain fails and leaves the passphrase in place', async () => {
    t = openTempVault();
    await t.vault.init({ keySource: 'passphrase', passphrase: PASS });
    t.keyStore.available = false;
    expect((await vaultErrorAsync(() => t.vault.changeKeySource({ keySource: 'keychain', currentPassphrase: PASS }))).code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(t.vault.status().keySource).toBe('passphrase');
    const v = t.reopen();
    await v.unlock({ passphrase: PASS });
    expect(v.isUnlocked).toBe(true);
  });

  it('requires an unlocked vault', async () => {
    await keychainVaultWithData();
    t.vault.lock();
    expect((await vaultErrorAsync(() => t.vault.changeKeySource({ keySource: 'passphrase', passphrase: PASS }))).code).toBe('LOCKED');
    expect(t.vault.status().keySource).toBe('keychain');
  });
});
