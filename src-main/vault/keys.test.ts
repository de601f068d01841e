import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_KDF,
  deriveKeys,
  deriveWrappingKey,
  makeKeyCheck,
  nameMac,
  newKdfParams,
  unwrapVaultKey,
  verifyKeyCheck,
  wipeKeys,
  wrapVaultKey,
} from './keys';
import { FAST_KDF, vaultErrorAsync } from './test-support';

describe('vault keys', () => {
  it('derives three distinct subkeys, deterministic per (vault key, vault id)', () => {
    const vk = randomBytes(32);
    const a = deriveKeys(vk, 'vault_1');
    const b = deriveKeys(vk, 'vault_1');
    const c = deriveKeys(vk, 'vault_2');
    expect(a.enc.equals(b.enc) && a.index.equals(b.index) && a.audit.equals(b.audit)).toBe(true);
    expect(a.enc.equals(a.index) || a.enc.equals(a.audit) || a.index.equals(a.audit)).toBe(false);
    expect(a.enc.equals(c.enc)).toBe(false);
    // No subkey is the vault key itself.
    for (const k of [a.enc, a.index, a.audit]) expect(k.equals(vk)).toBe(false);
  });

  it('wipeKeys zeroes every subkey in place', () => {
    const k = deriveKeys(randomBytes(32), 'vault_1');
    const enc = k.enc;
    wipeKeys(k);
    expect(enc.every((b) => b === 0)).toBe(true);
    expect(k.index.every((b) => b === 0) && k.audit.every((b) => b === 0)).toBe(true);
  });

  it('nameMac ignores case and Unicode normalization, but not the parent', () => {
    const ik = randomBytes(32);
    const composed = 'Caf\u00e9 Prod';
    const decomposed = 'cafe\u0301 PROD';
    expect(nameMac(ik, 'env_1', composed).equals(nameMac(ik, 'env_1', decomposed))).toBe(true);
    expect(nameMac(ik, 'env_1', 'ci').equals(nameMac(ik, 'env_2', 'ci'))).toBe(false);
    expect(nameMac(ik, 'env_1', 'ci').equals(nameMac(ik, 'env_1', 'cd'))).toBe(false);
    // The parent/name boundary is delimited.
    expect(nameMac(ik, 'ab', 'c').equals(nameMac(ik, 'a', 'bc'))).toBe(false);
    expect(nameMac(randomBytes(32), 'env_1', 'ci').equals(nameMac(ik, 'env_1', 'ci'))).toBe(false);
  });

  it('the key check accepts the right keys only', () => {
    const keys = deriveKeys(randomBytes(32), 'vault_1');
    const check = makeKeyCheck(keys, 'vault_1');
    expect(verifyKeyCheck(keys, 'vault_1', check)).toBe(true);
    expect(verifyKeyCheck(deriveKeys(randomBytes(32), 'vault_1'), 'vault_1', check)).toBe(false);
    expect(verifyKeyCheck(keys, 'vault_2', check)).toBe(false);
    const damaged = Buffer.from(check);
    damaged[damaged.length - 1]! ^= 1;
    expect(verifyKeyCheck(keys, 'vault_1', damaged)).toBe(false);
  });

  it('wraps the vault key under a passphrase-derived key; a wrong passphrase unwraps to null', async () => {
    const params = FAST_KDF();
    const vk = randomBytes(32);
    const kek = await deriveWrappingKey('correct horse battery', params);
    const wrapped = wrapVaultKey(kek, vk, 'vault_1');
    expect(wrapped.includes(vk)).toBe(false);
    expect(unwrapVaultKey(kek, wrapped, 'vault_1')?.equals(vk)).toBe(true);
    const wrong = await deriveWrappingKey('correct horse battery!', params);
    expect(unwrapVaultKey(wrong, wrapped, 'vault_1')).toBeNull();
    expect(unwrapVaultKey(kek, wrapped, 'vault_2')).toBeNull();
    // Same passphrase, other salt: other key.
    const otherSalt = await deriveWrappingKey('correct horse battery', FAST_KDF());
    expect(otherSalt.equals(kek)).toBe(false);
  });

  it('normalizes the passphrase (NFC) before deriving', async () => {
    const params = FAST_KDF();
    const a = await deriveWrappingKey('p\u00e4ssphrase-long', params);
    const b = await deriveWrappingKey('pa\u0308ssphrase-long', params);
    expect(a.equals(b)).toBe(true);
  });

  it.each([
    ['N below 2^14', { N: 2 ** 13 }],
    ['r below 1', { r: 0 }],
    ['p below 1', { p: 0 }],
    ['another algorithm', { algorithm: 'pbkdf2' }],
    ['N = 2^30 (128 GiB)', { N: 2 ** 30 }],
    ['work N·r·p over 2^24', { N: 2 ** 18, r: 8, p: 16 }],
  ])('refuses weak or unknown KDF parameters (%s) as CORRUPT', async (_what, change) => {
    const params = { ...FAST_KDF(), ...change } as ReturnType<typeof FAST_KDF>;
    expect((await vaultErrorAsync(() => deriveWrappingKey('long enough passphrase', params))).code).toBe('CORRUPT');
  });

  it('new KDF parameters default to scrypt N=2^17, r=8, p=1 with a fresh 16-byte salt', () => {
    const a = newKdfParams();
    const b = newKdfParams();
    expect(a).toMatchObject({ algorithm: 'scrypt', N: 131072, r: 8, p: 1 });
    expect(DEFAULT_KDF).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(Buffer.from(a.salt, 'base64').length).toBe(16);
    expect(a.salt).not.toBe(b.salt);
  });
});
