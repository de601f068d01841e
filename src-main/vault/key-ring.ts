import { VaultError } from '../../src-shared/errors';
import { Passphrase, type KeySource } from '../../src-shared/domain/schemas';
import type { VaultStatus } from '../../src-shared/domain/types';
import type { AuditLog } from './audit-log';
import type { Random } from './cipher';
import type { Db } from './db';
import { newVaultId } from './ids';
import type { KeyStore } from './keychain';
import {
  deriveKeys,
  deriveWrappingKey,
  makeKeyCheck,
  parseKdfParams,
  unwrapVaultKey,
  VAULT_KEY_BYTES,
  verifyKeyCheck,
  wipeKeys,
  wrapVaultKey,
  type KdfParams,
  type VaultKeys,
} from './keys';
import type { Write } from './records';
import type { CreatedSession, SessionStore } from './sessions';
import { parseInput } from './validate';
import { KeyRewrap, type KeyChange } from './key-rewrap';
import { CELL_FORMAT, upgradeCells } from './cell-upgrade';

export interface MetaRow {
  vault_id: string;
  key_source: KeySource;
  kdf_params: string | null;
  wrapped_key: Buffer | null;
  key_check: Buffer;
  unlock_failures: number;
  last_failure_at: number | null;
}

export interface KeyRingOptions {
  db: Db;
  write: Write;
  audit: AuditLog;
  keyStore: KeyStore;
  sessions: SessionStore;
  now: () => number;
  random: Random;
  sleep: (ms: number) => Promise<void>;
  kdfParams: () => KdfParams;
  /** `cli`: the unlock is recorded with the process's first audited write (see VaultOptions.lifecycle). */
  lifecycle: 'app' | 'cli';
  processLabel: string;
}

/** Failed unlocks before the delay starts, and its ceiling. */
const FREE_ATTEMPTS = 3;
const MAX_DELAY_MS = 30_000;

/** How long (ms) an unlock waits after `failures` wrong passphrases in a row: 0 for the first three, then 1 s doubling to 30 s. */
export function unlockDelayMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - FREE_ATTEMPTS));
}

const NO_VAULT = 'There is no vault yet. Create one first (tokenvault init).';

/**
 * The vault key and its subkeys: creating them, unlocking (keychain,
 * passphrase with its growing delay, CLI session), locking (wiping every
 * key buffer), CLI sessions and moving the key between keychain and
 * passphrase. It alone holds key material; every other part asks `require()`.
 * Its writes go through the Vault's `write` (one BEGIN IMMEDIATE each).
 */
export class KeyRing {
  private keys: VaultKeys | null = null;
  /** Kept while unlocked only so the key can move between keychain and passphrase; wiped on lock. */
  private vaultKey: Buffer | null = null;
  private unlocking: Promise<void> | null = null;

  constructor(private readonly o: KeyRingOptions) {}

  /** The key metadata row, or undefined before `create`. */
  meta(): MetaRow | undefined {
    return this.o.db.prepare('SELECT * FROM vault_meta WHERE id = 1').get() as MetaRow | undefined;
  }

  status(): VaultStatus {
    const meta = this.meta();
    if (!meta) return { state: 'uninitialized', vaultId: null, keySource: null };
    return { state: this.keys ? 'unlocked' : 'locked', vaultId: meta.vault_id, keySource: meta.key_source };
  }

  get isUnlocked(): boolean {
    return this.keys !== null;
  }

  /** The unlocked keys. Errors: NOT_INITIALIZED (no vault), LOCKED. */
  require(): VaultKeys {
    if (!this.keys) {
      if (!this.meta()) throw new VaultError('NOT_INITIALIZED', NO_VAULT);
      throw new VaultError('LOCKED', 'The vault is locked. Unlock it first.');
    }
    return this.keys;
  }

  /** The raw vault key (wiped on lock); only for sealing a CLI session's copy. */
  get rawVaultKey(): Buffer | null {
    return this.vaultKey;
  }

  /**
   * Makes a new vault key, wraps it (passphrase) or stores it (keychain), and
   * `insideCreate` runs in the creating transaction after the metadata row is
   * written and the keys are held (restore and the creation event go there).
   * A failure leaves no keys behind. Errors: ALREADY_INITIALIZED, VALIDATION, KEYCHAIN_UNAVAILABLE.
   */
  async create(opts: { keySource: KeySource; passphrase?: string; file: string }, insideCreate: () => void): Promise<void> {
    if (this.meta()) throw new VaultError('ALREADY_INITIALIZED', `A vault already exists in ${opts.file}.`);
    const vaultId = newVaultId(this.o.random);
    const vaultKey = this.o.random(VAULT_KEY_BYTES);
    try {
      const keys = deriveKeys(vaultKey, vaultId);
      let kdf: KdfParams | null = null;
      let wrapped: Buffer | null = null;
      if (opts.keySource === 'passphrase') {
        const passphrase = parseInput(Passphrase, opts.passphrase ?? '', 'passphrase');
        kdf = this.o.kdfParams();
        const kek = await deriveWrappingKey(passphrase, kdf);
        wrapped = wrapVaultKey(kek, vaultKey, vaultId);
        kek.fill(0);
      } else {
        await this.storeInKeychain(vaultId, vaultKey);
      }
      this.o.write(() => {
        this.o.db
          .prepare(
            `INSERT INTO vault_meta (id, vault_id, created_at, key_source, kdf_params, wrapped_key, key_check, cell_format)
             VALUES (1, ?, ?, ?, ?, ?, ?, ${CELL_FORMAT})`,
          )
          .run(vaultId, this.o.now(), opts.keySource, kdf ? JSON.stringify(kdf) : null, wrapped, makeKeyCheck(keys, vaultId));
        this.keys = keys;
        this.vaultKey = Buffer.from(vaultKey);
        insideCreate();
      });
    } catch (e) {
      // A failed populate rolled the vault back; keys of a vault that does not exist must not stay.
      if (this.keys && !this.meta()) this.wipe();
      throw e;
    } finally {
      vaultKey.fill(0);
    }
  }

  /**
   * Unlocks with the keychain or a passphrase; true if this call unlocked
   * (false: it was unlocked already). One attempt at a time: parallel guesses
   * must not share one delay. Errors: NOT_INITIALIZED, VALIDATION,
   * WRONG_PASSPHRASE (details: failures, retryAfterMs), KEYCHAIN_UNAVAILABLE, CORRUPT.
   */
  async unlock(opts: { passphrase?: string }): Promise<boolean> {
    while (this.unlocking) await this.unlocking.catch(() => undefined);
    let unlocked = false;
    const attempt = this.unlockOnce(opts).then((did) => {
      unlocked = did;
    });
    this.unlocking = attempt;
    try {
      await attempt;
    } finally {
      this.unlocking = null;
    }
    return unlocked;
  }

  private async unlockOnce(opts: { passphrase?: string }): Promise<boolean> {
    const meta = this.meta();
    if (!meta) throw new VaultError('NOT_INITIALIZED', NO_VAULT);
    if (this.keys) return false;
    const vaultKey = meta.key_source === 'keychain' ? await this.fromKeychain(meta) : await this.fromPassphrase(meta, opts.passphrase);
    this.adopt(meta, vaultKey, meta.key_source === 'keychain' ? 'KEYCHAIN_UNAVAILABLE' : 'CORRUPT',
      meta.key_source === 'keychain'
        ? 'The key in the OS keychain does not open this vault.'
        : 'The vault key opened but does not match this vault: the vault file is damaged.');
    this.upgradeCells();
    this.recordUnlock(meta, this.o.lifecycle === 'cli' ? this.o.processLabel : null);
    return true;
  }

  private async fromKeychain(meta: MetaRow): Promise<Buffer> {
    const vaultKey = await this.o.keyStore.get(meta.vault_id);
    if (!vaultKey) {
      throw new VaultError(
        'KEYCHAIN_UNAVAILABLE',
        'The OS keychain holds no key for this vault (it was deleted, or this is another user account). Without it the vault cannot be opened.',
      );
    }
    return vaultKey;
  }

  private async fromPassphrase(meta: MetaRow, passphrase: string | undefined): Promise<Buffer> {
    if (typeof passphrase !== 'string' || passphrase.length === 0) {
      throw new VaultError('VALIDATION', 'This vault is locked with a master passphrase: enter it to unlock.', {
        issues: [{ path: 'passphrase', message: 'is required' }],
      });
    }
    // Damaged key metadata is no passphrase's fault: report it, and count no failure.
    const kdf = parseKdfParams(meta.kdf_params);
    const wrapped = meta.wrapped_key;
    if (!wrapped) {
      throw new VaultError('CORRUPT', 'This vault is locked with a master passphrase but holds no wrapped key: the vault file is damaged.');
    }
    const wait = (meta.last_failure_at ?? 0) + unlockDelayMs(meta.unlock_failures) - this.o.now();
    if (wait > 0) await this.o.sleep(wait);
    const kek = await deriveWrappingKey(passphrase, kdf);
    const vaultKey = unwrapVaultKey(kek, wrapped, meta.vault_id);
    kek.fill(0);
    if (vaultKey) return vaultKey;
    const failures = meta.unlock_failures + 1;
    this.o.write(() => {
      this.o.db.prepare('UPDATE vault_meta SET unlock_failures = ?, last_failure_at = ? WHERE id = 1').run(failures, this.o.now());
      this.o.db.prepare("INSERT INTO pending_audit (at, type) VALUES (?, 'unlock_failed')").run(this.o.now());
    });
    const next = unlockDelayMs(failures);
    throw new VaultError(
      'WRONG_PASSPHRASE',
      `That passphrase does not unlock this vault.${next > 0 ? ` Wait ${Math.ceil(next / 1000)} s before the next try.` : ''}`,
      { details: { failures, retryAfterMs: next } },
    );
  }

  /** Holds the keys derived from `vaultKey` if they pass the key check; else wipes both and throws `code`. */
  private adopt(meta: MetaRow, vaultKey: Buffer, code: 'KEYCHAIN_UNAVAILABLE' | 'CORRUPT', message: string): void {
    const keys = deriveKeys(vaultKey, meta.vault_id);
    if (!verifyKeyCheck(keys, meta.vault_id, meta.key_check)) {
      wipeKeys(keys);
      vaultKey.fill(0);
      throw new VaultError(code, message);
    }
    this.keys = keys;
    this.vaultKey = vaultKey;
  }

  /**
   * Writes what an unlock leaves behind: failed attempts recorded while
   * locked, the reset failure count, and the `unlocked` event. A CLI process
   * with nothing else to write defers its event to its first audited write
   * (reads take no write lock: parallel read-only commands never contend).
   */
  private recordUnlock(meta: MetaRow, cliNote: string | null): void {
    const { db, audit } = this.o;
    const hasPending = db.prepare('SELECT 1 FROM pending_audit LIMIT 1').get() !== undefined;
    const needsReset = meta.unlock_failures > 0 || meta.last_failure_at !== null;
    if (cliNote !== null && !hasPending && !needsReset) {
      audit.appendWithNext({ type: 'unlocked', note: cliNote });
      return;
    }
    this.o.write(() => {
      const pending = db.prepare('SELECT at, type FROM pending_audit ORDER BY id').all() as { at: number; type: 'unlock_failed' | 'locked' }[];
      for (const p of pending) audit.appendNow({ type: p.type, at: p.at });
      db.prepare('DELETE FROM pending_audit').run();
      db.prepare('UPDATE vault_meta SET unlock_failures = 0, last_failure_at = NULL WHERE id = 1').run();
      audit.appendNow(cliNote === null ? { type: 'unlocked' } : { type: 'unlocked', note: cliNote });
    });
  }

  /**
   * Records the lock (app) or commits queued events (CLI), then wipes every
   * key buffer, even if recording failed. `endSessions`: the app's lock ends
   * the CLI sessions too, unless `keepSessions()` says the settings keep them.
   */
  lock(endSessions: boolean, keepSessions: () => boolean): void {
    if (!this.keys) return;
    try {
      if (this.o.lifecycle === 'app') {
        const ended = endSessions && !keepSessions() ? this.o.sessions.endAll() : 0;
        this.o.write(() => this.o.audit.appendNow(ended > 0 ? { type: 'locked', note: `and ${ended} CLI session${ended === 1 ? '' : 's'} ended` } : { type: 'locked' }));
      } else this.o.audit.flush();
    } finally {
      this.o.audit.dropDeferred();
      this.wipe();
    }
  }

  /**
   * A vault with cells in an older format (before issue 15's write
   * generations, or before probe reports had one) is re-sealed to
   * CELL_FORMAT at its first unlock (cell-upgrade.ts); a no-op read otherwise. If it fails, the unlock
   * fails and no key stays: no process may read cells in the old format.
   */
  private upgradeCells(): void {
    try {
      upgradeCells({ db: this.o.db, keys: this.keys!, audit: this.o.audit, random: this.o.random, write: this.o.write });
    } catch (e) {
      this.wipe();
      throw e;
    }
  }

  private wipe(): void {
    if (this.keys) wipeKeys(this.keys);
    this.vaultKey?.fill(0);
    this.keys = null;
    this.vaultKey = null;
  }

  /** See Vault.createSession. */
  createSession(ttlMs: number): CreatedSession {
    this.require();
    const meta = this.meta()!;
    const created = this.o.sessions.create(meta.vault_id, this.vaultKey!, ttlMs);
    // The session's event stands for this process's unlock too.
    this.o.audit.dropDeferred();
    this.o.write(() =>
      this.o.audit.appendNow({ type: 'unlocked', note: `CLI session ${created.id.slice(0, 8)} until ${new Date(created.expiresAt).toISOString()}` }),
    );
    return created;
  }

  /** Unlocks with a session token; true if this call unlocked. Writes nothing. Errors: NOT_INITIALIZED, CORRUPT, SessionStore.open's. */
  unlockWithSession(token: string): boolean {
    const meta = this.meta();
    if (!meta) throw new VaultError('NOT_INITIALIZED', NO_VAULT);
    if (this.keys) return false;
    const { vaultKey } = this.o.sessions.open(token, meta.vault_id);
    this.adopt(meta, vaultKey, 'CORRUPT', 'The session opened a key that does not match this vault. Run: tokenvault lock, then tokenvault unlock.');
    this.upgradeCells();
    return true;
  }

  /** See Vault.endSessions. */
  endSessions(): number {
    const ended = this.o.sessions.endAll();
    if (this.keys) {
      this.o.write(() => this.o.audit.appendNow({ type: 'locked', note: `tokenvault lock: ${ended} CLI session${ended === 1 ? '' : 's'} ended` }));
    } else if (this.meta()) {
      this.o.write(() => this.o.db.prepare("INSERT INTO pending_audit (at, type) VALUES (?, 'locked')").run(this.o.now()));
    }
    return ended;
  }

  /**
   * Moves the vault key between the OS keychain and a master passphrase, or
   * changes the passphrase: a re-wrap of the key only (KeyRewrap, issue 12).
   * Errors (each changes nothing): LOCKED, VALIDATION, WRONG_PASSPHRASE, KEYCHAIN_UNAVAILABLE.
   */
  async changeKeySource(opts: KeyChange): Promise<void> {
    await new KeyRewrap({
      db: this.o.db,
      write: this.o.write,
      keyStore: this.o.keyStore,
      audit: this.o.audit,
      kdfParams: this.o.kdfParams,
      vaultKey: () => {
        this.require();
        return this.vaultKey!;
      },
      now: this.o.now,
      sleep: this.o.sleep,
      delayMs: unlockDelayMs,
    }).change(opts);
  }

  private async storeInKeychain(vaultId: string, vaultKey: Buffer): Promise<void> {
    await this.o.keyStore.set(vaultId, vaultKey);
    const back = await this.o.keyStore.get(vaultId);
    if (!back || !back.equals(vaultKey)) {
      throw new VaultError('KEYCHAIN_UNAVAILABLE', 'The OS keychain did not keep the vault key. Use a master passphrase instead.');
    }
    back.fill(0);
  }
}
