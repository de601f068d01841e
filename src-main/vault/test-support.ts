import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryKeyStore } from './keychain';
import { Vault, type VaultOptions } from './vault';
import { DEFAULT_KDF, type KdfParams } from './keys';
import { randomBytes } from 'node:crypto';

/**
 * Helpers for tests of the vault: a temporary home, an in-memory keychain,
 * and scrypt at its minimum cost (N=2^14) so each unlock takes milliseconds.
 * Production code never passes `kdfParams`; one test checks the default.
 */
export const FAST_KDF = (): KdfParams => ({ algorithm: 'scrypt', N: 2 ** 14, r: 8, p: 1, salt: randomBytes(16).toString('base64') });
export { DEFAULT_KDF };

export interface TempVault {
  home: string;
  keyStore: MemoryKeyStore;
  vault: Vault;
  reopen(opts?: Partial<VaultOptions>): Vault;
  cleanup(): void;
}

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'tokenvault-test-'));
}

export function openTempVault(opts: Partial<VaultOptions> = {}): TempVault {
  const home = opts.home ?? tempHome();
  const keyStore = (opts.keyStore as MemoryKeyStore | undefined) ?? new MemoryKeyStore();
  let vault = Vault.open({ home, keyStore, kdfParams: FAST_KDF, ...opts });
  return {
    home,
    keyStore,
    get vault() {
      return vault;
    },
    reopen(more = {}) {
      vault.close();
      vault = Vault.open({ home, keyStore, kdfParams: FAST_KDF, ...opts, ...more });
      return vault;
    },
    cleanup() {
      vault.close();
      rmSync(home, { recursive: true, force: true });
    },
  } as TempVault;
}
