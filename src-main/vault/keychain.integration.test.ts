import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE, listEntries, OsKeyStore } from './keychain';
import { FAST_KDF, tempHome, vaultErrorAsync } from './test-support';
import { Vault } from './vault';

/**
 * The vault against the real OS keychain (Secret Service on Linux) through
 * @napi-rs/keyring. Run it with a throwaway keyring:
 *
 *   dbus-run-session -- sh -c 'export XDG_DATA_HOME=$(mktemp -d); printf %s throwaway |
 *     gnome-keyring-daemon --unlock --components=secrets >/dev/null;
 *     TOKENVAULT_REQUIRE_KEYCHAIN=1 NO_COLOR=1 npx vitest run src-main/vault/keychain.integration.test.ts'
 *
 * Without a keychain these tests are skipped, unless TOKENVAULT_REQUIRE_KEYCHAIN=1
 * says this run must have one (CI), and then they fail.
 */

const store = new OsKeyStore();
const required = process.env.TOKENVAULT_REQUIRE_KEYCHAIN === '1';

/** A set/get/delete of a throwaway entry: the keychain works, or why not. */
async function probe(): Promise<string | null> {
  const account = `tokenvault-probe-${process.pid}-${Date.now()}`;
  const attempt = (async () => {
    try {
      await store.set(account, Buffer.from('probe'));
      const back = await store.get(account);
      await store.delete(account);
      return back?.toString() === 'probe' ? null : 'the keychain did not give back what was stored';
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  })();
  const timeout = new Promise<string>((r) => setTimeout(() => r('no answer from the keychain within 10 s'), 10_000).unref());
  return Promise.race([attempt, timeout]);
}

const unavailable = await probe();

async function keytar() {
  return import('@napi-rs/keyring/keytar');
}

if (unavailable !== null) {
  const why = unavailable.replace(/\.$/, '');
  if (required) {
    it('the OS keychain is available (TOKENVAULT_REQUIRE_KEYCHAIN=1)', () => {
      throw new Error(
        `TOKENVAULT_REQUIRE_KEYCHAIN=1, but the OS keychain is not available: ${why}. ` +
          'Run under dbus-run-session with gnome-keyring-daemon --unlock --components=secrets (see the top of this file).',
      );
    });
  } else {
    // Shown as skipped, with the reason; TOKENVAULT_REQUIRE_KEYCHAIN=1 turns this into a failure.
    it.skip(`OS keychain integration: skipped, the keychain is not available here (${why})`, () => undefined);
  }
}

describe.skipIf(unavailable !== null)('vault with the real OS keychain', () => {
  const homes: string[] = [];
  const vaultIds: string[] = [];
  const open: Vault[] = [];

  afterAll(async () => {
    for (const v of open) v.close();
    const k = await keytar();
    for (const id of vaultIds) await k.deletePassword(KEYCHAIN_SERVICE, id).catch(() => undefined);
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  });

  function openVault(home: string): Vault {
    const v = Vault.open({ home, keyStore: new OsKeyStore(), kdfParams: FAST_KDF });
    open.push(v);
    return v;
  }

  async function newVault() {
    const home = tempHome();
    homes.push(home);
    const v = openVault(home);
    const { vaultId } = await v.init({ keySource: 'keychain' });
    vaultIds.push(vaultId!);
    const ws = v.addWorkspace({ name: 'Acme' });
    const env = v.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
    const cred = v.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', secret: { value: 'rg_real_keychain_token_0123456789' } });
    return { home, v, vaultId: vaultId!, cred };
  }

  it('keeps the vault key under service Tokenvault, account = vault id; reopen, unlock and reveal work', async () => {
    const { home, v, vaultId, cred } = await newVault();
    const k = await keytar();
    const stored = await k.getPassword(KEYCHAIN_SERVICE, vaultId);
    expect(stored).toBeTruthy();
    expect(Buffer.from(stored!, 'base64')).toHaveLength(32);
    expect((await listEntries(k)).map((c) => c.account)).toContain(vaultId);

    v.close();
    const v2 = openVault(home);
    expect(v2.status()).toEqual({ state: 'locked', vaultId, keySource: 'keychain' });
    expect(await v2.unlock()).toMatchObject({ state: 'unlocked' });
    expect(v2.revealCredential(cred.id).value).toBe('rg_real_keychain_token_0123456789');
    expect(v2.verifyAudit().ok).toBe(true);
  });

  it('changeKeySource to a passphrase deletes the keychain entry; back to the keychain restores it', async () => {
    const { home, v, vaultId, cred } = await newVault();
    const k = await keytar();
    const original = await k.getPassword(KEYCHAIN_SERVICE, vaultId);
    await v.changeKeySource({ keySource: 'passphrase', passphrase: 'integration passphrase 1' });
    expect(await k.getPassword(KEYCHAIN_SERVICE, vaultId)).toBeNull();

    v.close();
    const v2 = openVault(home);
    await v2.unlock({ passphrase: 'integration passphrase 1' });
    expect(v2.revealCredential(cred.id).value).toBe('rg_real_keychain_token_0123456789');

    await v2.changeKeySource({ keySource: 'keychain', currentPassphrase: 'integration passphrase 1' });
    expect(await k.getPassword(KEYCHAIN_SERVICE, vaultId)).toBe(original);
    v2.close();
    const v3 = openVault(home);
    await v3.unlock();
    expect(v3.revealCredential(cred.id).value).toBe('rg_real_keychain_token_0123456789');
  });

  it('a key deleted from the keychain behind the vault\'s back: KEYCHAIN_UNAVAILABLE', async () => {
    const { home, v, vaultId } = await newVault();
    v.close();
    const k = await keytar();
    await k.deletePassword(KEYCHAIN_SERVICE, vaultId);
    const v2 = openVault(home);
    const e = await vaultErrorAsync(() => v2.unlock());
    expect(e.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(v2.status().state).toBe('locked');
  });
});
