import { timingSafeEqual } from 'node:crypto';
import { VaultError } from '../../src-shared/errors';
import { Passphrase, type KeySource } from '../../src-shared/domain/schemas';
import type { AuditLog } from './audit-log';
import type { Db } from './db';
import type { KeyStore } from './keychain';
import type { Write } from './records';
import { deriveWrappingKey, parseKdfParams, unwrapVaultKey, wrapVaultKey, type KdfParams } from './keys';
import { parseInput } from './validate';

/** What a key change asks for: where the vault key goes, the new passphrase, and the current one when the key is behind a passphrase now. */
export interface KeyChange {
  keySource: KeySource;
  /** The new master passphrase (keySource `passphrase`); the scrypt parameters are fresh (N=2^17, r=8, p=1, a new salt). */
  passphrase?: string | undefined;
  /** The passphrase that wraps the key now; required when the vault's key source is `passphrase`. */
  currentPassphrase?: string | undefined;
}

export interface KeyRewrapDeps {
  db: Db;
  /** The vault's write boundary: one BEGIN IMMEDIATE transaction. */
  write: Write;
  keyStore: KeyStore;
  audit: AuditLog;
  kdfParams: () => KdfParams;
  /** The unlocked vault key (a live buffer; this module copies it); throws LOCKED when locked. */
  vaultKey: () => Buffer;
  /** Milliseconds since the epoch (UTC). */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** The unlock throttle (key-ring.ts): the wait owed after `failures` wrong passphrases in a row, in ms. */
  delayMs: (failures: number) => number;
}

interface KeyMeta {
  vault_id: string;
  unlock_failures: number;
  last_failure_at: number | null;
  key_source: KeySource;
  kdf_params: string | null;
  wrapped_key: Buffer | null;
}

/**
 * Changes where the vault key is kept — a new master passphrase, or a move
 * between the OS keychain and a passphrase — without touching a single
 * record: the vault key stays the same, only its wrapping changes.
 *
 * Each change is one `vault_meta` update and its `key_source_changed` audit
 * event in one transaction, so a crash at any point leaves a vault that opens
 * with the old secret or the new one, never neither:
 * - a new passphrase: old wrapping or new wrapping, whichever committed;
 * - passphrase → keychain: the key is written to the keychain (and read back)
 *   before the commit; until the commit the vault still opens with the passphrase;
 * - keychain → passphrase: the keychain entry is deleted only after the commit;
 *   a crash in between leaves a spare copy in the keychain, never a vault without a key.
 *
 * Errors (each changes nothing): LOCKED; VALIDATION (a new passphrase outside
 * 10–1,024 characters, or a missing current passphrase); WRONG_PASSPHRASE (the
 * current passphrase does not unwrap the stored key); KEYCHAIN_UNAVAILABLE (the
 * keychain cannot be read, written or does not keep the key); CORRUPT (damaged key metadata).
 */
export class KeyRewrap {
  constructor(private readonly deps: KeyRewrapDeps) {}

  private meta(): KeyMeta {
    const meta = this.deps.db.prepare('SELECT vault_id, key_source, kdf_params, wrapped_key, unlock_failures, last_failure_at FROM vault_meta WHERE id = 1').get() as KeyMeta | undefined;
    if (!meta) throw new VaultError('NOT_INITIALIZED', 'There is no vault yet. Create one first (tokenvault init).');
    return meta;
  }

  async change(input: KeyChange): Promise<void> {
    // A copy: the vault's buffer is wiped on lock, which may happen while we await.
    const vaultKey = Buffer.from(this.deps.vaultKey());
    try {
      const meta = this.meta();
      if (input.keySource === 'keychain' && meta.key_source === 'keychain') {
        throw new VaultError('VALIDATION', 'The vault key is already in the OS keychain.', { issues: [{ path: 'keySource', message: 'is already keychain' }] });
      }
      // Validate everything the user typed before any slow or outside step.
      const next = input.keySource === 'passphrase' ? parseInput(Passphrase, input.passphrase ?? '', 'passphrase') : null;
      if (meta.key_source === 'passphrase') await this.checkCurrentPassphrase(meta, input.currentPassphrase, vaultKey);
      else await this.checkKeychain(meta, vaultKey);

      if (next !== null) {
        const kdf = this.deps.kdfParams();
        const kek = await deriveWrappingKey(next, kdf);
        const wrapped = wrapVaultKey(kek, vaultKey, meta.vault_id);
        kek.fill(0);
        this.commit(
          () =>
            this.deps.db
              .prepare("UPDATE vault_meta SET key_source = 'passphrase', kdf_params = ?, wrapped_key = ? WHERE id = 1")
              .run(JSON.stringify(kdf), wrapped),
          meta.key_source === 'passphrase' ? 'master passphrase changed' : 'master passphrase',
        );
        // After the commit: a crash before this line leaves a spare copy in the keychain, not a vault without a key.
        if (meta.key_source === 'keychain') await this.deps.keyStore.delete(meta.vault_id).catch(() => undefined);
      } else {
        if (meta.key_source === 'passphrase') await this.storeInKeychain(meta.vault_id, vaultKey);
        this.commit(
          () => this.deps.db.prepare("UPDATE vault_meta SET key_source = 'keychain', kdf_params = NULL, wrapped_key = NULL WHERE id = 1").run(),
          'OS keychain',
        );
      }
    } finally {
      vaultKey.fill(0);
    }
  }

  private commit(update: () => void, note: string): void {
    this.deps.write(() => {
      update();
      this.deps.audit.appendNow({ type: 'key_source_changed', note });
    });
  }

  /**
   * The current passphrase must unwrap the stored key to this very vault key.
   * A wrong one counts as a failed unlock and waits the same growing delay:
   * otherwise an unlocked app would be an oracle for guessing the passphrase
   * at scrypt speed. The vault stays unlocked.
   */
  private async checkCurrentPassphrase(meta: KeyMeta, current: string | undefined, vaultKey: Buffer): Promise<void> {
    if (typeof current !== 'string' || current.length === 0) {
      throw new VaultError('VALIDATION', 'Enter the current master passphrase to change it.', {
        issues: [{ path: 'currentPassphrase', message: 'is required' }],
      });
    }
    if (current.length > 1024) throw new VaultError('WRONG_PASSPHRASE', 'That is not the current master passphrase. Nothing was changed.');
    const kdf = parseKdfParams(meta.kdf_params);
    if (!meta.wrapped_key) throw new VaultError('CORRUPT', 'This vault is locked with a master passphrase but holds no wrapped key: the vault file is damaged.');
    const wait = (meta.last_failure_at ?? 0) + this.deps.delayMs(meta.unlock_failures) - this.deps.now();
    if (wait > 0) await this.deps.sleep(wait);
    const kek = await deriveWrappingKey(current, kdf);
    const unwrapped = unwrapVaultKey(kek, meta.wrapped_key, meta.vault_id);
    kek.fill(0);
    const same = unwrapped !== null && unwrapped.length === vaultKey.length && timingSafeEqual(unwrapped, vaultKey);
    unwrapped?.fill(0);
    if (same) {
      if (meta.unlock_failures > 0) this.deps.write(() => this.deps.db.prepare('UPDATE vault_meta SET unlock_failures = 0, last_failure_at = NULL WHERE id = 1').run());
      return;
    }
    const failures = meta.unlock_failures + 1;
    this.deps.write(() => {
      this.deps.db.prepare('UPDATE vault_meta SET unlock_failures = ?, last_failure_at = ? WHERE id = 1').run(failures, this.deps.now());
      this.deps.audit.appendNow({ type: 'unlock_failed', note: 'wrong current passphrase in a key change' });
    });
    throw new VaultError('WRONG_PASSPHRASE', 'That is not the current master passphrase. Nothing was changed.', {
      details: { failures, retryAfterMs: this.deps.delayMs(failures) },
    });
  }

  /** Leaving (or re-saving to) the keychain needs it reachable, so its copy of the key can be removed or replaced. */
  private async checkKeychain(meta: KeyMeta, vaultKey: Buffer): Promise<void> {
    const stored = await this.deps.keyStore.get(meta.vault_id);
    const same = stored !== null && stored.length === vaultKey.length && timingSafeEqual(stored, vaultKey);
    stored?.fill(0);
    if (!same) {
      throw new VaultError('KEYCHAIN_UNAVAILABLE', 'The OS keychain does not hold this vault\u2019s key right now (locked or unreachable). Nothing was changed.');
    }
  }

  private async storeInKeychain(vaultId: string, vaultKey: Buffer): Promise<void> {
    await this.deps.keyStore.set(vaultId, vaultKey);
    const back = await this.deps.keyStore.get(vaultId);
    const same = back !== null && back.equals(vaultKey);
    back?.fill(0);
    if (!same) {
      await this.deps.keyStore.delete(vaultId).catch(() => undefined);
      throw new VaultError('KEYCHAIN_UNAVAILABLE', 'The OS keychain did not keep the vault key. Nothing was changed: the master passphrase still opens the vault.');
    }
  }
}
