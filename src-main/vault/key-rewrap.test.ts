import { afterEach, describe, expect, it } from 'vitest';
import { MemoryKeyStore } from './keychain';
import { openTempVault, rawDb, vaultErrorAsync, type TempVault } from './test-support';

/**
 * Changing the passphrase or the key source re-wraps the vault key only:
 * the records are not re-encrypted, a wrong current passphrase or an
 * unreachable keychain changes nothing (not one byte of vault_meta, no audit
 * event), and the vault opens afterwards with the new secret.
 */
const OLD = 'the old passphrase 1';
const NEW = 'the new passphrase 2';
const TOKEN = 'rg_rewrap_test_token_0123456789abcdef';

let t: TempVault;
afterEach(() => t?.cleanup());

async function vaultWith(keySource: 'keychain' | 'passphrase') {
  t = openTempVault();
  await t.vault.init(keySource === 'passphrase' ? { keySource, passphrase: OLD } : { keySource });
  const ws = t.vault.addWorkspace({ name: 'Acme' });
  const env = t.vault.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
  const cred = t.vault.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', secret: { value: TOKEN } });
  return { cred };
}

/** vault_meta's key columns, the records' ciphertexts and the audit log, as one string: equal strings mean nothing changed. */
function snapshot(home: string): string {
  const db = rawDb(home, { readonly: true });
  try {
    const meta = db.prepare('SELECT key_source, kdf_params, hex(wrapped_key) AS w, hex(key_check) AS k, audit_head_seq FROM vault_meta').get();
    const creds = db.prepare('SELECT id, hex(meta) AS m, hex(secret) AS s FROM credentials ORDER BY id').all();
    const audit = db.prepare('SELECT COUNT(*) AS n FROM audit').get();
    return JSON.stringify({ meta, creds, audit });
  } finally {
    db.close();
  }
}

/** The key columns and the records' ciphertexts, without the audit log or the failure count. */
function keyState(home: string): string {
  const db = rawDb(home, { readonly: true });
  try {
    const meta = db.prepare('SELECT key_source, kdf_params, hex(wrapped_key) AS w, hex(key_check) AS k FROM vault_meta').get();
    return JSON.stringify({ meta, creds: recordCiphertexts(home) });
  } finally {
    db.close();
  }
}

function unlockFailures(home: string): number {
  const db = rawDb(home, { readonly: true });
  try {
    return (db.prepare('SELECT unlock_failures AS n FROM vault_meta').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function recordCiphertexts(home: string): string {
  const db = rawDb(home, { readonly: true });
  try {
    return JSON.stringify(db.prepare('SELECT id, hex(meta) AS m, hex(secret) AS s FROM credentials ORDER BY id').all());
  } finally {
    db.close();
  }
}

describe('change the master passphrase (old + new)', () => {
  it('re-wraps the key only: records keep their ciphertexts, the old passphrase stops working, the new one opens the vault', async () => {
    const { cred } = await vaultWith('passphrase');
    const records = recordCiphertexts(t.home);
    await t.vault.changeKeySource({ keySource: 'passphrase', currentPassphrase: OLD, passphrase: NEW });
    expect(recordCiphertexts(t.home)).toBe(records);
    const v = t.reopen();
    expect((await vaultErrorAsync(() => v.unlock({ passphrase: OLD }))).code).toBe('WRONG_PASSPHRASE');
    await v.unlock({ passphrase: NEW });
    expect(v.revealCredential(cred.id).value).toBe(TOKEN);
    expect(v.listAudit({ types: ['key_source_changed'] }).map((e) => e.note)).toEqual(['master passphrase changed']);
    expect(v.verifyAudit().ok).toBe(true);
  });

  it('a wrong current passphrase is WRONG_PASSPHRASE and changes no key or record; it counts as a failed unlock (same throttle, audited); the old passphrase still opens the vault', async () => {
    const { cred } = await vaultWith('passphrase');
    const before = keyState(t.home);
    const e = await vaultErrorAsync(() => t.vault.changeKeySource({ keySource: 'passphrase', currentPassphrase: 'not the passphrase', passphrase: NEW }));
    expect(e.code).toBe('WRONG_PASSPHRASE');
    expect(e.message).toContain('Nothing was changed');
    expect(e.details).toMatchObject({ failures: 1 });
    expect(keyState(t.home)).toBe(before);
    // And the same for a move to the keychain.
    expect((await vaultErrorAsync(() => t.vault.changeKeySource({ keySource: 'keychain', currentPassphrase: 'not the passphrase' }))).code).toBe('WRONG_PASSPHRASE');
    expect(keyState(t.home)).toBe(before);
    expect(t.keyStore.entries.size).toBe(0);
    // Guessing through an unlocked app is no cheaper than guessing at the unlock screen.
    expect(unlockFailures(t.home)).toBe(2);
    expect(t.vault.listAudit({ types: ['unlock_failed'] })).toHaveLength(2);
    expect(t.vault.verifyAudit().ok).toBe(true);
    // The right passphrase resets the count.
    await t.vault.changeKeySource({ keySource: 'passphrase', currentPassphrase: OLD, passphrase: OLD });
    expect(unlockFailures(t.home)).toBe(0);
    const v = t.reopen();
    await v.unlock({ passphrase: OLD });
    expect(v.revealCredential(cred.id).value).toBe(TOKEN);
  });

  it('needs the current passphrase, and a new one within the passphrase bounds (10 to 1,024 characters): VALIDATION, nothing changed', async () => {
    await vaultWith('passphrase');
    const before = snapshot(t.home);
    const missing = await vaultErrorAsync(() => t.vault.changeKeySource({ keySource: 'passphrase', passphrase: NEW }));
    expect(missing.code).toBe('VALIDATION');
    expect(missing.issues?.[0]?.path).toBe('currentPassphrase');
    const short = await vaultErrorAsync(() => t.vault.changeKeySource({ keySource: 'passphrase', currentPassphrase: OLD, passphrase: 'short' }));
    expect(short.code).toBe('VALIDATION');
    expect(short.issues?.[0]?.path).toBe('passphrase');
    const long = await vaultErrorAsync(() => t.vault.changeKeySource({ keySource: 'passphrase', currentPassphrase: OLD, passphrase: 'x'.repeat(1025) }));
    expect(long.code).toBe('VALIDATION');
    expect(snapshot(t.home)).toBe(before);
  });

  it('writes fresh scrypt parameters (a new salt) with the new wrapping', async () => {
    await vaultWith('passphrase');
    const salt = () => {
      const db = rawDb(t.home, { readonly: true });
      const row = db.prepare('SELECT kdf_params FROM vault_meta').get() as { kdf_params: string };
      db.close();
      return JSON.parse(row.kdf_params) as { salt: string; N: number };
    };
    const a = salt();
    await t.vault.changeKeySource({ keySource: 'passphrase', currentPassphrase: OLD, passphrase: NEW });
    const b = salt();
    expect(b.salt).not.toBe(a.salt);
    expect(b.N).toBe(a.N);
  });

  it('requires an unlocked vault (LOCKED)', async () => {
    await vaultWith('passphrase');
    t.vault.lock();
    expect((await vaultErrorAsync(() => t.vault.changeKeySource({ keySource: 'passphrase', currentPassphrase: OLD, passphrase: NEW }))).code).toBe('LOCKED');
  });
});

describe('change the key source', () => {
  it('keychain → passphrase → keychain: the vault opens after each move, the records untouched, both moves audited', async () => {
    const { cred } = await vaultWith('keychain');
    const records = recordCiphertexts(t.home);
    const vaultId = t.vault.status().vaultId!;
    await t.vault.changeKeySource({ keySource: 'passphrase', passphrase: NEW });
    expect(t.keyStore.entries.has(vaultId)).toBe(false);
    let v = t.reopen();
    await v.unlock({ passphrase: NEW });
    expect(v.revealCredential(cred.id).value).toBe(TOKEN);
    await v.changeKeySource({ keySource: 'keychain', currentPassphrase: NEW });
    v = t.reopen();
    await v.unlock();
    expect(v.revealCredential(cred.id).value).toBe(TOKEN);
    expect(recordCiphertexts(t.home)).toBe(records);
    expect(v.listAudit({ types: ['key_source_changed'] }).map((e) => e.note)).toEqual(['OS keychain', 'master passphrase']);
    expect(v.verifyAudit().ok).toBe(true);
  });

  it('passphrase → an unreachable keychain: KEYCHAIN_UNAVAILABLE, nothing changed, the passphrase still opens it', async () => {
    const { cred } = await vaultWith('passphrase');
    const before = snapshot(t.home);
    t.keyStore.available = false;
    expect((await vaultErrorAsync(() => t.vault.changeKeySource({ keySource: 'keychain', currentPassphrase: OLD }))).code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(snapshot(t.home)).toBe(before);
    t.keyStore.available = true;
    const v = t.reopen();
    await v.unlock({ passphrase: OLD });
    expect(v.revealCredential(cred.id).value).toBe(TOKEN);
  });

  it('a keychain that does not keep the key: KEYCHAIN_UNAVAILABLE, nothing changed, no half-written entry left behind', async () => {
    await vaultWith('passphrase');
    const before = snapshot(t.home);
    // Accepts the write but hands back something else.
    const forgetful = t.keyStore as MemoryKeyStore;
    const realGet = forgetful.get.bind(forgetful);
    forgetful.get = async (account: string) => ((await realGet(account)) ? Buffer.alloc(32, 7) : null);
    expect((await vaultErrorAsync(() => t.vault.changeKeySource({ keySource: 'keychain', currentPassphrase: OLD }))).code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(snapshot(t.home)).toBe(before);
    expect(forgetful.entries.size).toBe(0);
  });

  it('keychain → passphrase while the keychain is unreachable: KEYCHAIN_UNAVAILABLE, nothing changed (its copy could not be removed)', async () => {
    await vaultWith('keychain');
    const before = snapshot(t.home);
    t.keyStore.available = false;
    expect((await vaultErrorAsync(() => t.vault.changeKeySource({ keySource: 'passphrase', passphrase: NEW }))).code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(snapshot(t.home)).toBe(before);
    t.keyStore.available = true;
    const v = t.reopen();
    await v.unlock();
    expect(v.isUnlocked).toBe(true);
  });

  it('keychain → keychain is refused (VALIDATION), nothing audited', async () => {
    await vaultWith('keychain');
    const before = snapshot(t.home);
    expect((await vaultErrorAsync(() => t.vault.changeKeySource({ keySource: 'keychain' }))).code).toBe('VALIDATION');
    expect(snapshot(t.home)).toBe(before);
  });
});
