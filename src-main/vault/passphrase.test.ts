import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryKeyStore } from './keychain';
import { DATA_TABLES, dumpTables, openTempVault, rawDb, tempHome, testClock, vaultError, vaultErrorAsync, type TempVault } from './test-support';
import { unlockDelayMs, Vault } from './vault';

const PASS = 'correct horse battery staple';
const WRONG = 'correct horse battery stapler';

let t: TempVault;
afterEach(() => t?.cleanup());

/** A vault whose clock only moves when the test (or a requested sleep) moves it, and which records every sleep. */
async function passphraseVault() {
  const clock = testClock();
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock.advance(ms);
  };
  t = openTempVault({ now: clock.now, sleep });
  await t.vault.init({ keySource: 'passphrase', passphrase: PASS });
  const ws = t.vault.addWorkspace({ name: 'Acme' });
  const env = t.vault.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
  const cred = t.vault.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', secret: { value: 'rg_passphrase_vault_token_0123456789' } });
  t.vault.lock();
  return { clock, sleeps, sleep, cred };
}

function metaRow(home: string) {
  const db = rawDb(home, { readonly: true });
  try {
    return db.prepare('SELECT * FROM vault_meta').get() as Record<string, unknown>;
  } finally {
    db.close();
  }
}

/** One unlock attempt; returns the sleep it asked for (0 when none) and the error code, if any. */
async function attempt(v: Vault, sleeps: number[], passphrase: string) {
  const before = sleeps.length;
  let code: string | null = null;
  let retryAfterMs: unknown = null;
  try {
    await v.unlock({ passphrase });
  } catch (e) {
    code = (e as { code: string }).code;
    retryAfterMs = (e as { details?: { retryAfterMs?: number } }).details?.retryAfterMs ?? null;
  }
  const asked = sleeps.slice(before);
  expect(asked.length).toBeLessThanOrEqual(1);
  return { slept: asked[0] ?? 0, code, retryAfterMs };
}

describe('passphrase vaults', () => {
  it('init with a passphrase, reopen, unlock and read; the keychain is never touched', async () => {
    const { cred, clock, sleep } = await passphraseVault();
    expect(t.keyStore.entries.size).toBe(0);
    const v2 = t.reopen({ now: clock.now, sleep });
    expect(v2.status()).toMatchObject({ state: 'locked', keySource: 'passphrase' });
    expect(await v2.unlock({ passphrase: PASS })).toMatchObject({ state: 'unlocked', keySource: 'passphrase' });
    expect(v2.revealCredential(cred.id).value).toBe('rg_passphrase_vault_token_0123456789');
    expect(t.keyStore.entries.size).toBe(0);
    const meta = metaRow(t.home);
    expect(meta.key_source).toBe('passphrase');
    expect(Buffer.isBuffer(meta.wrapped_key)).toBe(true);
  });

  it('a passphrase vault is created even when no keychain exists at all', async () => {
    const keyStore = new MemoryKeyStore();
    keyStore.available = false;
    t = openTempVault({ keyStore });
    await t.vault.init({ keySource: 'passphrase', passphrase: PASS });
    t.vault.lock();
    await t.vault.unlock({ passphrase: PASS });
    expect(t.vault.status().state).toBe('unlocked');
  });

  it('a wrong passphrase fails with WRONG_PASSPHRASE and changes no record', async () => {
    const { sleeps, cred } = await passphraseVault();
    const raw = rawDb(t.home, { readonly: true });
    const before = dumpTables(raw, DATA_TABLES);
    const metaBefore = metaRow(t.home);
    const e = await vaultErrorAsync(() => t.vault.unlock({ passphrase: WRONG }));
    expect(e.code).toBe('WRONG_PASSPHRASE');
    expect(e.message).not.toContain(WRONG);
    expect(e.details).toMatchObject({ failures: 1, retryAfterMs: 0 });
    expect(t.vault.status().state).toBe('locked');
    expect(vaultError(() => t.vault.getCredential(cred.id)).code).toBe('LOCKED');
    expect(dumpTables(raw, DATA_TABLES)).toBe(before);
    // Only the failure counter moved; the key material is untouched.
    const metaAfter = metaRow(t.home);
    for (const k of ['vault_id', 'key_source', 'kdf_params', 'wrapped_key', 'key_check', 'audit_head_seq', 'audit_head_mac']) {
      expect(metaAfter[k], k).toEqual(metaBefore[k]);
    }
    expect(metaAfter.unlock_failures).toBe(1);
    raw.close();
    expect(sleeps).toEqual([]);
  });

  it('an empty passphrase is a VALIDATION error and does not count as a failed attempt', async () => {
    await passphraseVault();
    for (const opts of [{}, { passphrase: '' }]) {
      const e = await vaultErrorAsync(() => t.vault.unlock(opts));
      expect(e.code).toBe('VALIDATION');
      expect(e.issues?.[0]?.path).toBe('passphrase');
    }
    expect(metaRow(t.home).unlock_failures).toBe(0);
  });

  it('repeated failures make each next attempt wait longer: 0, 0, 0, 1 s, 2 s, 4 s … capped at 30 s', async () => {
    const { sleeps } = await passphraseVault();
    const results = [];
    for (let i = 0; i < 11; i++) results.push(await attempt(t.vault, sleeps, WRONG));
    expect(results.map((r) => r.code)).toEqual(Array(11).fill('WRONG_PASSPHRASE'));
    expect(results.map((r) => r.slept)).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    // Each error tells how long the next try will wait.
    expect(results.map((r) => r.retryAfterMs)).toEqual([0, 0, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    // The right passphrase waits too, then unlocks and resets the count.
    const good = await attempt(t.vault, sleeps, PASS);
    expect(good).toEqual({ slept: 30_000, code: null, retryAfterMs: null });
    expect(metaRow(t.home)).toMatchObject({ unlock_failures: 0, last_failure_at: null });
    t.vault.lock();
    expect((await attempt(t.vault, sleeps, WRONG)).slept).toBe(0);
  });

  it('unlockDelayMs: the schedule itself', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100].map(unlockDelayMs)).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('the delay counts from the last failure: time already passed is not waited again', async () => {
    const { sleeps, clock } = await passphraseVault();
    for (let i = 0; i < 5; i++) await attempt(t.vault, sleeps, WRONG); // next delay: 4 s
    clock.advance(1500);
    expect((await attempt(t.vault, sleeps, WRONG)).slept).toBe(2500); // next delay: 8 s
    clock.advance(60_000);
    expect((await attempt(t.vault, sleeps, WRONG)).slept).toBe(0);
  });

  it('the delay survives a restart: reopening the vault does not reset it', async () => {
    const { sleeps, clock, sleep } = await passphraseVault();
    for (let i = 0; i < 4; i++) await attempt(t.vault, sleeps, WRONG);
    const v2 = t.reopen({ now: clock.now, sleep });
    expect((await attempt(v2, sleeps, WRONG)).slept).toBe(2000);
  });

  it('parallel guesses are serialized: each waits its own, growing delay', async () => {
    const { sleeps } = await passphraseVault();
    for (let i = 0; i < 2; i++) await attempt(t.vault, sleeps, WRONG);
    sleeps.length = 0;
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => t.vault.unlock({ passphrase: WRONG })));
    expect(results.every((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'WRONG_PASSPHRASE')).toBe(true);
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(metaRow(t.home).unlock_failures).toBe(6);
  });

  it('failed unlocks join the audit log, in order and with their times, at the next successful unlock', async () => {
    const { sleeps, clock } = await passphraseVault();
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(10_000);
      times.push(clock.now());
      await attempt(t.vault, sleeps, WRONG);
    }
    const raw = rawDb(t.home, { readonly: true });
    expect((raw.prepare('SELECT count(*) AS n FROM pending_audit').get() as { n: number }).n).toBe(3);
    // Not in the chain yet: they cannot be MACed while locked.
    expect((raw.prepare("SELECT count(*) AS n FROM audit WHERE type = 'unlock_failed'").get() as { n: number }).n).toBe(0);
    clock.advance(10_000);
    await t.vault.unlock({ passphrase: PASS });
    const events = t.vault.listAudit().reverse();
    const tail = events.slice(-4).map((e) => [e.type, e.at]);
    expect(tail).toEqual([['unlock_failed', times[0]], ['unlock_failed', times[1]], ['unlock_failed', times[2]], ['unlocked', clock.now()]]);
    expect((raw.prepare('SELECT count(*) AS n FROM pending_audit').get() as { n: number }).n).toBe(0);
    raw.close();
    expect(t.vault.verifyAudit()).toMatchObject({ ok: true, checked: events.length });
  });

  it('a passphrase shorter than 10 characters is refused (VALIDATION) and nothing is created', async () => {
    t = openTempVault();
    const e = await vaultErrorAsync(() => t.vault.init({ keySource: 'passphrase', passphrase: 'too-short' }));
    expect(e.code).toBe('VALIDATION');
    expect(e.issues).toEqual([{ path: 'passphrase', message: expect.stringContaining('10') }]);
    expect(t.vault.status().state).toBe('uninitialized');
    const missing = await vaultErrorAsync(() => t.vault.init({ keySource: 'passphrase' }));
    expect(missing.code).toBe('VALIDATION');
    expect(t.vault.status().state).toBe('uninitialized');
    // And when changing to a passphrase later.
    await t.vault.init({ keySource: 'keychain' });
    const change = await vaultErrorAsync(() => t.vault.changeKeySource({ keySource: 'passphrase', passphrase: 'short' }));
    expect(change.code).toBe('VALIDATION');
    expect(t.vault.status().keySource).toBe('keychain');
    expect(t.keyStore.entries.size).toBe(1);
  });

  it('accepts the passphrase in another Unicode normalization form', async () => {
    t = openTempVault();
    await t.vault.init({ keySource: 'passphrase', passphrase: 'p\u00e4ssw\u00f6rd long enough' });
    t.vault.lock();
    await t.vault.unlock({ passphrase: 'pa\u0308ssw\u006f\u0308rd long enough' });
    expect(t.vault.isUnlocked).toBe(true);
  });

  it.each<[string, string | null]>([
    ['missing', null],
    ['not JSON', 'garbage{'],
    ['not an object', '42'],
    ['an empty object', '{}'],
    ['N not a power of two', JSON.stringify({ algorithm: 'scrypt', N: 2 ** 14 + 1, r: 8, p: 1, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' })],
    ['no salt', JSON.stringify({ algorithm: 'scrypt', N: 2 ** 14, r: 8, p: 1 })],
    ['N below the floor', JSON.stringify({ algorithm: 'scrypt', N: 2 ** 10, r: 8, p: 1, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' })],
    // Tampered upwards: scrypt would ask OpenSSL for 128 GiB (or hours of work) and fail inside it.
    ['N = 2^30', JSON.stringify({ algorithm: 'scrypt', N: 2 ** 30, r: 8, p: 1, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' })],
    ['r = 2^20', JSON.stringify({ algorithm: 'scrypt', N: 2 ** 14, r: 2 ** 20, p: 1, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' })],
    ['p = 2^20', JSON.stringify({ algorithm: 'scrypt', N: 2 ** 14, r: 8, p: 2 ** 20, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' })],
    ['memory over 1 GiB', JSON.stringify({ algorithm: 'scrypt', N: 2 ** 20, r: 16, p: 1, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' })],
  ])('damaged key-derivation parameters (%s) fail as CORRUPT, not as a crash or a wrong passphrase', async (_what, kdf) => {
    const { sleeps } = await passphraseVault();
    const raw = rawDb(t.home);
    raw.prepare('UPDATE vault_meta SET kdf_params = ?').run(kdf);
    const e = await vaultErrorAsync(() => t.vault.unlock({ passphrase: PASS }));
    expect(e.code).toBe('CORRUPT');
    expect(e.message).toMatch(/key-derivation/);
    expect(raw.prepare('SELECT unlock_failures FROM vault_meta').get()).toEqual({ unlock_failures: 0 });
    raw.close();
    expect(sleeps).toEqual([]);
  });

  it('a missing wrapped key fails as CORRUPT: no passphrase could ever open it, so none is counted as wrong', async () => {
    await passphraseVault();
    const raw = rawDb(t.home);
    raw.prepare('UPDATE vault_meta SET wrapped_key = NULL').run();
    const e = await vaultErrorAsync(() => t.vault.unlock({ passphrase: PASS }));
    expect(e.code).toBe('CORRUPT');
    expect(raw.prepare('SELECT unlock_failures FROM vault_meta').get()).toEqual({ unlock_failures: 0 });
    raw.close();
  });

  it('without kdfParams, a new vault uses scrypt N=2^17, r=8, p=1 (the OWASP floor)', async () => {
    const home = tempHome();
    const v = Vault.open({ home, keyStore: new MemoryKeyStore() });
    try {
      await v.init({ keySource: 'passphrase', passphrase: PASS });
      const raw = rawDb(home, { readonly: true });
      const { kdf_params } = raw.prepare('SELECT kdf_params FROM vault_meta').get() as { kdf_params: string };
      raw.close();
      const params = JSON.parse(kdf_params) as Record<string, unknown>;
      expect(params).toEqual({ algorithm: 'scrypt', N: 131072, r: 8, p: 1, salt: expect.any(String) });
      expect(Buffer.from(params.salt as string, 'base64').length).toBe(16);
    } finally {
      v.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
