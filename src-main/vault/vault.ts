import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { VaultError } from '../../src-shared/errors';
import { fingerprint } from '../../src-shared/domain/fingerprint';
import { isAuthenticatedOutcome } from '../../src-shared/domain/types';
import type { CredentialRef } from '../../src-shared/domain/ref';
import {
  CredentialInput,
  CredentialPatch,
  EnvironmentInput,
  EnvironmentPatch,
  Name,
  Passphrase,
  RotationDays,
  SecretInput,
  Settings,
  SettingsPatch,
  SETTINGS_DEFAULTS,
  WorkspaceInput,
  WorkspacePatch,
  type CredentialKind,
  type CredentialStatus,
  type KeySource,
} from '../../src-shared/domain/schemas';
import type {
  AuditEvent,
  AuditVerification,
  CredentialSummary,
  Environment,
  Listed,
  TestOutcome,
  VaultStatus,
  Workspace,
} from '../../src-shared/domain/types';
import { AuditLog, type AuditInput } from './audit-log';
import { openJson, sealJson, type Random } from './cipher';
import { openDatabase, type Db } from './db';
import { DueStore } from './due-store';
import { ExpiryStore } from './expiry-store';
import { RotationStore } from './rotation-store';
import { SessionStore, type CreatedSession } from './sessions';
import { GrantGuard } from './grant-guard';
import { RateLimitStore } from './rate-limit-store';
import { buildScanTargets, type ScanTarget } from './scan-index';
import { SecretIndex } from './secret-index';
import { newId, newVaultId } from './ids';
import type { KeyStore } from './keychain';
import {
  deriveKeys,
  deriveWrappingKey,
  makeKeyCheck,
  nameMac,
  newKdfParams,
  parseKdfParams,
  unwrapVaultKey,
  VAULT_KEY_BYTES,
  verifyKeyCheck,
  wipeKeys,
  wrapVaultKey,
  type KdfParams,
  type VaultKeys,
} from './keys';
import { parseInput } from './validate';

export interface VaultOptions {
  /** The data directory; the database is `vault.db` inside it. */
  home: string;
  keyStore: KeyStore;
  now?: () => number;
  random?: Random;
  sleep?: (ms: number) => Promise<void>;
  /** better-sqlite3 addon for this runtime; see src-main/vault/native-binding.ts. */
  nativeBinding?: string;
  /** Test hook: weaker scrypt parameters. Never set by the shells or the CLI. */
  kdfParams?: () => KdfParams;
  /** How long to wait for another process's write lock before BUSY (ms; default 5000). */
  busyTimeoutMs?: number;
  /** Names this process to others that wait for the write lock (`tokenvault token add`, `Tokenvault (browser mode)`). */
  processLabel?: string;
  /**
   * How unlock and lock are recorded. `app` (the default, a long-lived shell):
   * `unlocked` and `locked` are audited as they happen. `cli` (one short
   * command): the unlock is recorded together with the process's first
   * audited event, in the same transaction, so a command that only reads
   * metadata writes nothing; the process ending is not a lock.
   */
  lifecycle?: 'app' | 'cli';
}

/** See `Vault.internals()`. */
export interface VaultInternals {
  db: Db;
  keys: VaultKeys;
  audit: AuditLog;
  random: Random;
  now: () => number;
}

export interface SecretValue {
  value: string;
  refreshToken?: string;
}

interface MetaRow {
  vault_id: string;
  key_source: KeySource;
  kdf_params: string | null;
  wrapped_key: Buffer | null;
  key_check: Buffer;
  unlock_failures: number;
  last_failure_at: number | null;
}

interface WorkspaceMeta {
  name: string;
  providerId: string | null;
  color: string | null;
  notes: string;
}
interface EnvironmentMeta {
  name: string;
  baseUrl: string;
}
interface CredentialMeta {
  name: string;
  description: string;
  /** Absent in records written before notes existed. */
  notes?: string;
  headerName: string | null;
  role: string | null;
  scopes: string[];
  tokenType: string | null;
  remoteId: string | null;
  tags: string[];
  fingerprint: string;
  hasRefreshToken: boolean;
  identity?: { account: string | null; company: string | null };
  /** Rotation lineage (absent in records written before rotations existed). */
  supersedes?: string | null;
  supersededBy?: string | null;
}

/** What a test history entry keeps: enough to read back what happened, never a value or a body. */
export interface TestHistoryEntry {
  method: string;
  path: string;
  status: number | null;
  explanation: string;
  totalMs: number;
  rateLimitRemaining: number | null;
}

interface CredentialRow {
  id: string;
  environment_id: string;
  workspace_id: string;
  kind: CredentialKind;
  status: CredentialStatus;
  meta: Buffer;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  rotated_at: number;
  rotation_days: number | null;
  last_used_at: number | null;
  last_tested_at: number | null;
  last_test_outcome: TestOutcome | null;
  has_value: number;
  expiry_source: string | null;
  expiry_date: string | null;
}

export type VaultEvents = {
  locked: [];
  unlocked: [];
  changed: [{ entity: 'workspace' | 'environment' | 'credential' | 'settings'; id: string | null }];
};

/** Failed unlocks before the delay starts, and its ceiling. */
const FREE_ATTEMPTS = 3;
/** How long a test's history line may wait to be committed with others. */
export const TEST_RECORD_DELAY_MS = 200;
const MAX_DELAY_MS = 30_000;

export function unlockDelayMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - FREE_ATTEMPTS));
}

/**
 * The one vault service: the IPC handlers, browser mode and the CLI all call
 * this class, and it is the only code that sees a decrypted value.
 */
export class Vault extends EventEmitter<VaultEvents> {
  readonly file: string;
  private readonly db: Db;
  private readonly keyStore: KeyStore;
  private readonly now: () => number;
  private readonly random: Random;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly kdfParams: () => KdfParams;
  private readonly lifecycle: 'app' | 'cli';
  private readonly processLabel: string;
  private keys: VaultKeys | null = null;
  /** Kept while unlocked only so the key can move between keychain and passphrase; wiped on lock. */
  private vaultKey: Buffer | null = null;
  private readonly audit: AuditLog;
  private unlocking: Promise<void> | null = null;
  /** Dates, reminders and snoozes: plaintext, usable while locked. */
  readonly due: DueStore;
  /** Rotation flows in progress: plaintext ids and steps. */
  readonly rotations: RotationStore;
  /** CLI unlock sessions (owner-only files beside the database). */
  private readonly sessions: SessionStore;
  /** Refuses a role/scopes/token type the provider does not decide by, on every write path. */
  readonly grants = new GrantGuard();
  /** Where each credential's expiry comes from (issue 10). */
  readonly expiry: ExpiryStore;
  /** Rate-limit holds (issue-9): plaintext ids and instants. */
  readonly rateHolds: RateLimitStore;
  /** HMACs of token values, to find one value stored twice (issue-12). */
  readonly secretIndex: SecretIndex;

  private constructor(file: string, db: Db, opts: VaultOptions) {
    super();
    this.file = file;
    this.db = db;
    this.keyStore = opts.keyStore;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? randomBytes;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.kdfParams = opts.kdfParams ?? (() => newKdfParams(this.random));
    this.lifecycle = opts.lifecycle ?? 'app';
    this.processLabel = opts.processLabel ?? 'Tokenvault';
    this.audit = new AuditLog(this.db, () => this.requireKeys(), this.now);
    this.due = new DueStore(this.db);
    this.rotations = new RotationStore(this.db, this.now);
    this.sessions = new SessionStore(opts.home, this.now, this.random, this.db);
    this.expiry = new ExpiryStore(this.db, (id) => this.changed('credential', id));
    this.rateHolds = new RateLimitStore(this.db);
    this.secretIndex = new SecretIndex(this.db, () => this.requireKeys().index);
  }

  static open(opts: VaultOptions): Vault {
    mkdirSync(opts.home, { recursive: true, mode: 0o700 });
    const file = join(opts.home, 'vault.db');
    const db = openDatabase(file, {
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
      ...(opts.busyTimeoutMs !== undefined ? { busyTimeoutMs: opts.busyTimeoutMs } : {}),
      ...(opts.processLabel ? { processLabel: opts.processLabel } : {}),
      now: opts.now ?? Date.now,
    });
    return new Vault(file, db, opts);
  }

  /**
   * Notices commits by other processes (the CLI, a script, another window)
   * and announces them as `changed` events, so an open UI refreshes within
   * `intervalMs`. Polls SQLite's `PRAGMA data_version` on this connection: it
   * changes exactly when another connection committed, costs one small read
   * per poll (figures in the README), works the same everywhere, and needs no
   * file watcher that WAL checkpoints and renames would confuse. Which rows
   * changed is not known, so every list is announced as changed (id null).
   * Returns the function that stops watching; `close` stops it too.
   */
  watchOtherProcesses(intervalMs = 250): () => void {
    this.stopWatching();
    const version = this.db.prepare('PRAGMA data_version').pluck();
    let last = version.get() as number;
    const timer = setInterval(() => {
      if (!this.db.open) return;
      let now: number;
      try {
        now = version.get() as number;
      } catch {
        return; // busy during a checkpoint: look again next time
      }
      if (now === last) return;
      last = now;
      this.searchIndex = null;
      this.emit('changed', { entity: 'workspace', id: null });
      this.emit('changed', { entity: 'credential', id: null });
      this.emit('changed', { entity: 'settings', id: null });
    }, intervalMs);
    timer.unref?.();
    this.stopWatching = () => {
      clearInterval(timer);
      this.stopWatching = () => undefined;
    };
    return () => this.stopWatching();
  }

  private stopWatching: () => void = () => undefined;

  close(): void {
    this.stopWatching();
    if (!this.db.open) return;
    // Quitting is not locking: CLI sessions outlive the app's exit.
    if (this.keys) this.lockKeys(false);
    this.db.close();
  }

  // ---------------------------------------------------------------- lifecycle

  private meta(): MetaRow | undefined {
    return this.db.prepare('SELECT * FROM vault_meta WHERE id = 1').get() as MetaRow | undefined;
  }

  status(): VaultStatus {
    const meta = this.meta();
    if (!meta) return { state: 'uninitialized', vaultId: null, keySource: null };
    return { state: this.keys ? 'unlocked' : 'locked', vaultId: meta.vault_id, keySource: meta.key_source };
  }

  get isUnlocked(): boolean {
    return this.keys !== null;
  }

  /**
   * Creates the vault and leaves it unlocked. `populate` (a restore from a
   * backup) runs inside the creating transaction, before the creation event.
   */
  async init(opts: { keySource: KeySource; passphrase?: string; populate?: (internals: VaultInternals) => void }): Promise<VaultStatus> {
    if (this.meta()) throw new VaultError('ALREADY_INITIALIZED', `A vault already exists in ${this.file}.`);
    const vaultId = newVaultId(this.random);
    const vaultKey = this.random(VAULT_KEY_BYTES);
    try {
      const keys = deriveKeys(vaultKey, vaultId);
      let kdf: KdfParams | null = null;
      let wrapped: Buffer | null = null;
      if (opts.keySource === 'passphrase') {
        const passphrase = parseInput(Passphrase, opts.passphrase ?? '', 'passphrase');
        kdf = this.kdfParams();
        const kek = await deriveWrappingKey(passphrase, kdf);
        wrapped = wrapVaultKey(kek, vaultKey, vaultId);
        kek.fill(0);
      } else {
        await this.storeInKeychain(vaultId, vaultKey);
      }
      this.db.transaction(() => {
        this.db
          .prepare(
            `INSERT INTO vault_meta (id, vault_id, created_at, key_source, kdf_params, wrapped_key, key_check)
             VALUES (1, ?, ?, ?, ?, ?, ?)`,
          )
          .run(vaultId, this.now(), opts.keySource, kdf ? JSON.stringify(kdf) : null, wrapped, makeKeyCheck(keys, vaultId));
        this.keys = keys;
        this.vaultKey = Buffer.from(vaultKey);
        opts.populate?.(this.internals());
        this.audit.appendNow({ type: 'unlocked', note: 'vault created' });
      })();
    } catch (e) {
      // A failed populate rolled the vault back; keys of a vault that does not exist must not stay.
      if (this.keys && !this.meta()) {
        wipeKeys(this.keys);
        this.vaultKey?.fill(0);
        this.keys = null;
        this.vaultKey = null;
      }
      throw e;
    } finally {
      vaultKey.fill(0);
    }
    this.emit('unlocked');
    return this.status();
  }

  /**
   * The database and the unlocked keys, for backup and restore only
   * (src-main/vault/backup-*.ts), which read and write every table at once.
   * Throws LOCKED when locked. Call `bulkChanged()` after writing through it.
   */
  internals(): VaultInternals {
    return { db: this.db, keys: this.requireKeys(), audit: this.audit, random: this.random, now: this.now };
  }

  /** Tells listeners (and the search index) that many records changed at once. */
  bulkChanged(): void {
    this.changed('workspace', null);
    this.changed('environment', null);
    this.changed('credential', null);
    this.emit('changed', { entity: 'settings', id: null });
  }

  private async storeInKeychain(vaultId: string, vaultKey: Buffer): Promise<void> {
    await this.keyStore.set(vaultId, vaultKey);
    const back = await this.keyStore.get(vaultId);
    if (!back || !back.equals(vaultKey)) {
      throw new VaultError('KEYCHAIN_UNAVAILABLE', 'The OS keychain did not keep the vault key. Use a master passphrase instead.');
    }
    back.fill(0);
  }

  async unlock(opts: { passphrase?: string } = {}): Promise<VaultStatus> {
    // One attempt at a time: parallel guesses must not share one delay.
    while (this.unlocking) await this.unlocking.catch(() => undefined);
    const attempt = this.unlockOnce(opts);
    this.unlocking = attempt;
    try {
      await attempt;
    } finally {
      this.unlocking = null;
    }
    return this.status();
  }

  private async unlockOnce(opts: { passphrase?: string }): Promise<void> {
    const meta = this.meta();
    if (!meta) throw new VaultError('NOT_INITIALIZED', 'There is no vault yet. Create one first (tokenvault init).');
    if (this.keys) return;
    let vaultKey: Buffer | null;
    if (meta.key_source === 'keychain') {
      vaultKey = await this.keyStore.get(meta.vault_id);
      if (!vaultKey) {
        throw new VaultError(
          'KEYCHAIN_UNAVAILABLE',
          'The OS keychain holds no key for this vault (it was deleted, or this is another user account). Without it the vault cannot be opened.',
        );
      }
    } else {
      if (typeof opts.passphrase !== 'string' || opts.passphrase.length === 0) {
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
      const wait = (meta.last_failure_at ?? 0) + unlockDelayMs(meta.unlock_failures) - this.now();
      if (wait > 0) await this.sleep(wait);
      const kek = await deriveWrappingKey(opts.passphrase, kdf);
      vaultKey = unwrapVaultKey(kek, wrapped, meta.vault_id);
      kek.fill(0);
      if (!vaultKey) {
        const failures = meta.unlock_failures + 1;
        this.db.transaction(() => {
          this.db.prepare('UPDATE vault_meta SET unlock_failures = ?, last_failure_at = ? WHERE id = 1').run(failures, this.now());
          this.db.prepare("INSERT INTO pending_audit (at, type) VALUES (?, 'unlock_failed')").run(this.now());
        })();
        const next = unlockDelayMs(failures);
        throw new VaultError(
          'WRONG_PASSPHRASE',
          `That passphrase does not unlock this vault.${next > 0 ? ` Wait ${Math.ceil(next / 1000)} s before the next try.` : ''}`,
          { details: { failures, retryAfterMs: next } },
        );
      }
    }
    const keys = deriveKeys(vaultKey, meta.vault_id);
    if (!verifyKeyCheck(keys, meta.vault_id, meta.key_check)) {
      wipeKeys(keys);
      vaultKey.fill(0);
      throw new VaultError(
        meta.key_source === 'keychain' ? 'KEYCHAIN_UNAVAILABLE' : 'CORRUPT',
        meta.key_source === 'keychain'
          ? 'The key in the OS keychain does not open this vault.'
          : 'The vault key opened but does not match this vault: the vault file is damaged.',
      );
    }
    this.keys = keys;
    this.vaultKey = vaultKey;
    this.recordUnlock(meta, this.lifecycle === 'cli' ? this.processLabel : null);
    this.emit('unlocked');
  }

  /**
   * Writes what an unlock leaves behind: failed attempts recorded while
   * locked, the reset failure count, and the `unlocked` event. A CLI process
   * with nothing else to write defers its event to its first audited write
   * (reads take no write lock: parallel read-only commands never contend).
   */
  private recordUnlock(meta: MetaRow, cliNote: string | null): void {
    const hasPending = this.db.prepare('SELECT 1 FROM pending_audit LIMIT 1').get() !== undefined;
    const needsReset = meta.unlock_failures > 0 || meta.last_failure_at !== null;
    if (cliNote !== null && !hasPending && !needsReset) {
      this.audit.appendWithNext({ type: 'unlocked', note: cliNote });
      return;
    }
    this.db.transaction(() => {
      const pending = this.db.prepare('SELECT at, type FROM pending_audit ORDER BY id').all() as { at: number; type: 'unlock_failed' | 'locked' }[];
      for (const p of pending) this.audit.appendNow({ type: p.type, at: p.at });
      this.db.prepare('DELETE FROM pending_audit').run();
      this.db.prepare('UPDATE vault_meta SET unlock_failures = 0, last_failure_at = NULL WHERE id = 1').run();
      this.audit.appendNow(cliNote === null ? { type: 'unlocked' } : { type: 'unlocked', note: cliNote });
    })();
  }

  /** Wipes the keys; every later call that needs them fails with LOCKED. */
  lock(): void {
    this.lockKeys(true);
  }

  /**
   * The app's lock (button, auto-lock, OS lock screen) ends the CLI sessions
   * too, unless the settings keep them; a CLI process ending ends nothing.
   */
  private lockKeys(endSessions: boolean): void {
    if (!this.keys) return;
    this.flushTests();
    try {
      if (this.lifecycle === 'app') {
        const ended = endSessions && !this.getSettings().keepCliSessionsOnLock ? this.sessions.endAll() : 0;
        this.db.transaction(() => this.audit.appendNow(ended > 0 ? { type: 'locked', note: `and ${ended} CLI session${ended === 1 ? '' : 's'} ended` } : { type: 'locked' }))();
      } else this.audit.flush();
    } finally {
      this.audit.dropDeferred();
      wipeKeys(this.keys);
      this.vaultKey?.fill(0);
      this.keys = null;
      this.vaultKey = null;
      this.searchIndex = null;
    }
    this.emit('locked');
  }

  // ------------------------------------------------------------- CLI sessions

  /**
   * Starts a CLI session for `ttlMs` (1 min to 12 h): a copy of the vault key
   * sealed under a fresh random key that is returned only in the token.
   * Audited as one `unlocked` event for the whole session (the commands run
   * in it record no unlock of their own).
   */
  createSession(ttlMs: number): CreatedSession {
    this.requireKeys();
    const meta = this.meta()!;
    const created = this.sessions.create(meta.vault_id, this.vaultKey!, ttlMs);
    // The session's event stands for this process's unlock too.
    this.audit.dropDeferred();
    this.db.transaction(() =>
      this.audit.appendNow({ type: 'unlocked', note: `CLI session ${created.id.slice(0, 8)} until ${new Date(created.expiresAt).toISOString()}` }),
    )();
    return created;
  }

  /** Unlocks with a session token (TOKENVAULT_SESSION); see SessionStore.open for its errors. Writes nothing. */
  unlockWithSession(token: string): VaultStatus {
    const meta = this.meta();
    if (!meta) throw new VaultError('NOT_INITIALIZED', 'There is no vault yet. Create one first (tokenvault init).');
    if (this.keys) return this.status();
    const { vaultKey } = this.sessions.open(token, meta.vault_id);
    const keys = deriveKeys(vaultKey, meta.vault_id);
    if (!verifyKeyCheck(keys, meta.vault_id, meta.key_check)) {
      wipeKeys(keys);
      vaultKey.fill(0);
      throw new VaultError('CORRUPT', 'The session opened a key that does not match this vault. Run: tokenvault lock, then tokenvault unlock.');
    }
    this.keys = keys;
    this.vaultKey = vaultKey;
    this.emit('unlocked');
    return this.status();
  }

  /**
   * Ends every CLI session (`tokenvault lock`); returns how many there were.
   * Audited as `locked` when the vault is unlocked, else recorded to be
   * audited at the next unlock.
   */
  endSessions(): number {
    const ended = this.sessions.endAll();
    if (this.keys) {
      this.db.transaction(() => this.audit.appendNow({ type: 'locked', note: `tokenvault lock: ${ended} CLI session${ended === 1 ? '' : 's'} ended` }))();
    } else if (this.meta()) {
      this.db.transaction(() => this.db.prepare("INSERT INTO pending_audit (at, type) VALUES (?, 'locked')").run(this.now()))();
    }
    return ended;
  }

  /** Moves the vault key between the OS keychain and a master passphrase (or changes the passphrase). */
  async changeKeySource(opts: { keySource: KeySource; passphrase?: string }): Promise<VaultStatus> {
    this.requireKeys();
    const meta = this.meta()!;
    // A copy: the stored buffer is wiped on lock, which may happen while we await.
    const vaultKey = Buffer.from(this.vaultKey!);
    try {
      if (opts.keySource === 'passphrase') {
        const passphrase = parseInput(Passphrase, opts.passphrase ?? '', 'passphrase');
        const kdf = this.kdfParams();
        const kek = await deriveWrappingKey(passphrase, kdf);
        const wrapped = wrapVaultKey(kek, vaultKey, meta.vault_id);
        kek.fill(0);
        this.db.transaction(() => {
          this.db
            .prepare("UPDATE vault_meta SET key_source = 'passphrase', kdf_params = ?, wrapped_key = ? WHERE id = 1")
            .run(JSON.stringify(kdf), wrapped);
          this.audit.appendNow({ type: 'key_source_changed', note: 'master passphrase' });
        })();
        if (meta.key_source === 'keychain') await this.keyStore.delete(meta.vault_id).catch(() => undefined);
      } else {
        await this.storeInKeychain(meta.vault_id, vaultKey);
        this.db.transaction(() => {
          this.db
            .prepare("UPDATE vault_meta SET key_source = 'keychain', kdf_params = NULL, wrapped_key = NULL WHERE id = 1")
            .run();
          this.audit.appendNow({ type: 'key_source_changed', note: 'OS keychain' });
        })();
      }
    } finally {
      vaultKey.fill(0);
    }
    return this.status();
  }

  private requireKeys(): VaultKeys {
    if (!this.keys) {
      if (!this.meta()) throw new VaultError('NOT_INITIALIZED', 'There is no vault yet. Create one first (tokenvault init).');
      throw new VaultError('LOCKED', 'The vault is locked. Unlock it first.');
    }
    return this.keys;
  }

  // ------------------------------------------------------------------ settings

  /** Settings are plain preferences (no user secrets), readable while locked: auto-lock must work then too. */
  getSettings(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const stored: Record<string, unknown> = {};
    for (const r of rows) stored[r.key] = JSON.parse(r.value);
    const merged = { ...SETTINGS_DEFAULTS, ...stored };
    const parsed = Settings.safeParse(merged);
    return parsed.success ? parsed.data : { ...SETTINGS_DEFAULTS };
  }

  updateSettings(patch: unknown): Settings {
    this.requireKeys();
    const p = parseInput(SettingsPatch, patch);
    this.db.transaction(() => {
      const put = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
      for (const [k, v] of Object.entries(p)) if (v !== undefined) put.run(k, JSON.stringify(v));
    })();
    this.emit('changed', { entity: 'settings', id: null });
    return this.getSettings();
  }
  // --------------------------------------------------------------- workspaces

  private sealMeta(table: string, id: string, meta: unknown): Buffer {
    return sealJson(this.requireKeys().enc, meta, { table, id, column: 'meta' }, this.random);
  }

  private openMeta<T>(table: string, id: string, box: Buffer): T {
    return openJson<T>(this.requireKeys().enc, box, { table, id, column: 'meta' });
  }

  private mac(parentId: string, name: string): Buffer {
    return nameMac(this.requireKeys().index, parentId, name);
  }

  private conflictOn<T>(what: string, name: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof Error && /UNIQUE constraint failed/.test(e.message)) {
        throw new VaultError('CONFLICT', `${what} named "${name}" already exists.`, { details: { name } });
      }
      throw e;
    }
  }

  private changed(entity: VaultEvents['changed'][0]['entity'], id: string | null): void {
    this.searchIndex = null;
    this.emit('changed', { entity, id });
  }

  listWorkspaces(): Listed<Workspace>[] {
    this.requireKeys();
    const rows = this.db.prepare('SELECT id, meta, created_at, updated_at FROM workspaces').all() as {
      id: string;
      meta: Buffer;
      created_at: number;
      updated_at: number;
    }[];
    const out = rows.map((r) => this.tryRead('workspaces', r.id, () => this.workspaceFrom(r)));
    return out.sort(byName);
  }

  private workspaceFrom(r: { id: string; meta: Buffer; created_at: number; updated_at: number }): Workspace {
    const m = this.openMeta<WorkspaceMeta>('workspaces', r.id, r.meta);
    return { id: r.id, ...m, createdAt: r.created_at, updatedAt: r.updated_at };
  }

  getWorkspace(id: string): Workspace {
    this.requireKeys();
    const r = this.db.prepare('SELECT id, meta, created_at, updated_at FROM workspaces WHERE id = ?').get(id) as
      | { id: string; meta: Buffer; created_at: number; updated_at: number }
      | undefined;
    if (!r) throw new VaultError('NOT_FOUND', `There is no workspace with id ${id}.`);
    return this.workspaceFrom(r);
  }

  findWorkspace(nameOrId: string): Workspace {
    this.requireKeys();
    if (nameOrId.startsWith('ws_')) {
      const byId = this.db.prepare('SELECT 1 FROM workspaces WHERE id = ?').get(nameOrId);
      if (byId) return this.getWorkspace(nameOrId);
    }
    const r = this.db.prepare('SELECT id FROM workspaces WHERE name_mac = ?').get(this.mac('', nameOrId.trim())) as
      | { id: string }
      | undefined;
    if (!r) throw new VaultError('NOT_FOUND', `There is no workspace named "${nameOrId}".`);
    return this.getWorkspace(r.id);
  }

  addWorkspace(input: unknown): Workspace {
    this.requireKeys();
    const w = parseInput(WorkspaceInput, input);
    const id = newId('ws', this.random);
    const now = this.now();
    const meta: WorkspaceMeta = { name: w.name, providerId: w.providerId ?? null, color: w.color ?? null, notes: w.notes ?? '' };
    this.conflictOn('A workspace', w.name, () =>
      this.db.transaction(() => {
        this.db
          .prepare('INSERT INTO workspaces (id, name_mac, meta, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
          .run(id, this.mac('', w.name), this.sealMeta('workspaces', id, meta), now, now);
        this.audit.appendNow({ type: 'created', note: `workspace ${w.name}` });
      })(),
    );
    this.changed('workspace', id);
    return this.getWorkspace(id);
  }

  updateWorkspace(id: string, patch: unknown): Workspace {
    this.requireKeys();
    const p = parseInput(WorkspacePatch, patch);
    this.conflictOn('A workspace', p.name ?? '', () =>
      this.db.transaction(() => {
        // Read inside the write transaction: no other process can change the row between read and write.
        const current = this.getWorkspace(id);
        this.expectUnchanged('workspace', current, p.expectedUpdatedAt);
        const meta: WorkspaceMeta = {
          name: p.name ?? current.name,
          providerId: p.providerId ?? current.providerId,
          color: p.color ?? current.color,
          notes: p.notes ?? current.notes,
        };
        this.db
          .prepare('UPDATE workspaces SET name_mac = ?, meta = ?, updated_at = MAX(?, updated_at + 1) WHERE id = ?')
          .run(this.mac('', meta.name), this.sealMeta('workspaces', id, meta), this.now(), id);
        this.audit.appendNow({ type: 'updated', note: `workspace ${meta.name}` });
      })(),
    );
    this.changed('workspace', id);
    return this.getWorkspace(id);
  }

  removeWorkspace(id: string): void {
    const w = this.getWorkspace(id);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM workspaces WHERE id = ?').run(id);
      this.audit.appendNow({ type: 'deleted', note: `workspace ${w.name} with its environments and tokens` });
    })();
    this.changed('workspace', id);
  }

  /** The rotation period for this workspace's tokens that have none of their own; null removes it. */
  setWorkspaceRotationDays(id: string, days: number | null): void {
    const ws = this.getWorkspace(id);
    const rotationDays = days === null ? null : parseInput(RotationDays, days, 'rotationDays');
    this.db.transaction(() => {
      this.due.setWorkspaceRotationDays(id, { rotationDays });
      this.audit.appendNow({
        type: 'updated',
        note: `workspace ${ws.name}: ${rotationDays === null ? 'no default rotation period' : `rotate every ${rotationDays} days by default`}`,
      });
    })();
    this.changed('workspace', id);
  }

  // ------------------------------------------------------------- environments

  /**
   * What deleting a workspace takes with it: its environments and tokens, counted
   * without decrypting either (damaged rows count too: they go with it as well).
   * Errors: LOCKED, NOT_FOUND.
   */
  workspaceUsage(workspaceId: string): { environments: number; credentials: number } {
    this.requireKeys();
    this.getWorkspace(workspaceId);
    const count = (table: 'environments' | 'credentials') =>
      (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE workspace_id = ?`).get(workspaceId) as { n: number }).n;
    return { environments: count('environments'), credentials: count('credentials') };
  }

  listEnvironments(workspaceId: string): Listed<Environment>[] {
    this.getWorkspace(workspaceId);
    const rows = this.db
      .prepare('SELECT * FROM environments WHERE workspace_id = ?')
      .all(workspaceId) as EnvironmentRow[];
    return rows.map((r) => this.tryRead('environments', r.id, () => this.environmentFrom(r))).sort(byName);
  }

  private environmentFrom(r: EnvironmentRow): Environment {
    const m = this.openMeta<EnvironmentMeta>('environments', r.id, r.meta);
    return {
      id: r.id,
      workspaceId: r.workspace_id,
      name: m.name,
      baseUrl: m.baseUrl,
      production: r.production === 1,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  getEnvironment(id: string): Environment {
    this.requireKeys();
    const r = this.db.prepare('SELECT * FROM environments WHERE id = ?').get(id) as EnvironmentRow | undefined;
    if (!r) throw new VaultError('NOT_FOUND', `There is no environment with id ${id}.`);
    return this.environmentFrom(r);
  }

  findEnvironment(workspaceId: string, nameOrId: string): Environment {
    this.requireKeys();
    const r = (
      nameOrId.startsWith('env_')
        ? this.db.prepare('SELECT id FROM environments WHERE workspace_id = ? AND id = ?').get(workspaceId, nameOrId)
        : undefined
    ) as { id: string } | undefined;
    const byName =
      r ??
      (this.db
        .prepare('SELECT id FROM environments WHERE workspace_id = ? AND name_mac = ?')
        .get(workspaceId, this.mac(workspaceId, nameOrId.trim())) as { id: string } | undefined);
    if (!byName) throw new VaultError('NOT_FOUND', `There is no environment named "${nameOrId}" in this workspace.`);
    return this.getEnvironment(byName.id);
  }

  addEnvironment(input: unknown): Environment {
    this.requireKeys();
    const e = parseInput(EnvironmentInput, input);
    const ws = this.getWorkspace(e.workspaceId);
    const id = newId('env', this.random);
    const now = this.now();
    const meta: EnvironmentMeta = { name: e.name, baseUrl: e.baseUrl };
    this.conflictOn(`An environment in ${ws.name}`, e.name, () =>
      this.db.transaction(() => {
        this.db
          .prepare(
            'INSERT INTO environments (id, workspace_id, name_mac, production, meta, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(id, e.workspaceId, this.mac(e.workspaceId, e.name), e.production ? 1 : 0, this.sealMeta('environments', id, meta), now, now);
        this.audit.appendNow({ type: 'created', note: `environment ${ws.name}/${e.name}` });
      })(),
    );
    this.changed('environment', id);
    return this.getEnvironment(id);
  }

  updateEnvironment(id: string, patch: unknown): Environment {
    this.requireKeys();
    const p = parseInput(EnvironmentPatch, patch);
    this.conflictOn('An environment', p.name ?? '', () =>
      this.db.transaction(() => {
        const current = this.getEnvironment(id);
        this.expectUnchanged('environment', current, p.expectedUpdatedAt);
        const meta: EnvironmentMeta = { name: p.name ?? current.name, baseUrl: p.baseUrl ?? current.baseUrl };
        const production = p.production ?? current.production;
        this.db
          .prepare('UPDATE environments SET name_mac = ?, production = ?, meta = ?, updated_at = MAX(?, updated_at + 1) WHERE id = ?')
          .run(this.mac(current.workspaceId, meta.name), production ? 1 : 0, this.sealMeta('environments', id, meta), this.now(), id);
        this.audit.appendNow({ type: 'updated', note: `environment ${meta.name}` });
      })(),
    );
    this.changed('environment', id);
    return this.getEnvironment(id);
  }

  removeEnvironment(id: string): void {
    const env = this.getEnvironment(id);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM environments WHERE id = ?').run(id);
      this.audit.appendNow({ type: 'deleted', note: `environment ${env.name} with its tokens` });
    })();
    this.changed('environment', id);
  }

  // -------------------------------------------------------------- credentials

  listCredentials(filter: { workspaceId?: string; environmentId?: string } = {}): Listed<CredentialSummary>[] {
    this.requireKeys();
    let rows: CredentialRow[];
    if (filter.environmentId) {
      rows = this.db.prepare(`SELECT ${CRED_COLUMNS} FROM credentials WHERE environment_id = ?`).all(filter.environmentId) as CredentialRow[];
    } else if (filter.workspaceId) {
      rows = this.db.prepare(`SELECT ${CRED_COLUMNS} FROM credentials WHERE workspace_id = ?`).all(filter.workspaceId) as CredentialRow[];
    } else {
      rows = this.db.prepare(`SELECT ${CRED_COLUMNS} FROM credentials`).all() as CredentialRow[];
    }
    return rows.map((r) => this.tryRead('credentials', r.id, () => this.credentialFrom(r))).sort(byName);
  }

  private credentialFrom(r: CredentialRow): CredentialSummary {
    const m = this.openMeta<CredentialMeta>('credentials', r.id, r.meta);
    const now = this.now();
    return {
      id: r.id,
      workspaceId: r.workspace_id,
      environmentId: r.environment_id,
      name: m.name,
      description: m.description,
      notes: m.notes ?? '',
      kind: r.kind,
      headerName: m.headerName,
      role: m.role,
      scopes: m.scopes,
      tokenType: m.tokenType,
      fingerprint: m.fingerprint,
      hasRefreshToken: m.hasRefreshToken,
      // Expiry is a fact of time, not of storage: an active token past its date reads as expired.
      status: r.status === 'active' && r.expires_at !== null && r.expires_at <= now ? 'expired' : r.status,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      expiresAt: r.expires_at,
      ...expiryFields(r),
      rotationDays: r.rotation_days,
      rotatedAt: r.rotated_at,
      lastUsedAt: r.last_used_at,
      lastTestedAt: r.last_tested_at,
      lastTestOutcome: r.last_test_outcome,
      remoteId: m.remoteId,
      tags: m.tags,
      identity: m.identity ?? null,
      supersedes: m.supersedes ?? null,
      supersededBy: m.supersededBy ?? null,
      hasValue: r.has_value === 1,
    };
  }

  getCredential(id: string): CredentialSummary {
    this.requireKeys();
    const r = this.db.prepare(`SELECT ${CRED_COLUMNS} FROM credentials WHERE id = ?`).get(id) as CredentialRow | undefined;
    if (!r) throw new VaultError('NOT_FOUND', `There is no token with id ${id}.`);
    return this.credentialFrom(r);
  }

  /** Resolves `workspace/env/name` (names, case-insensitive) or a credential id. */
  resolveCredential(ref: CredentialRef): CredentialSummary {
    if ('id' in ref) return this.getCredential(ref.id);
    const ws = this.findWorkspace(ref.workspace);
    const env = this.findEnvironment(ws.id, ref.environment);
    const r = this.db
      .prepare('SELECT id FROM credentials WHERE environment_id = ? AND name_mac = ?')
      .get(env.id, this.mac(env.id, ref.name.trim())) as { id: string } | undefined;
    if (!r) throw new VaultError('NOT_FOUND', `There is no token named "${ref.name}" in ${ws.name}/${env.name}.`);
    return this.getCredential(r.id);
  }

  /** Checks a credential input without storing it (the CLI asks before the user pastes a value). */
  validateCredentialInput(input: unknown): void {
    this.requireKeys();
    parseInput(CredentialInput, input);
  }

  addCredential(input: unknown): CredentialSummary {
    const [created] = this.addCredentials([input]);
    return created!;
  }

  /** Adds many in one transaction: all or nothing (imports, and seeding benchmarks). */
  addCredentials(inputs: unknown[], opts: { auditType?: 'created' | 'imported' } = {}): CredentialSummary[] {
    this.requireKeys();
    const parsed = inputs.map((input, i) => parseInput(CredentialInput, input, inputs.length > 1 ? `[${i}]` : undefined));
    const envCache = new Map<string, Environment>();
    const ids: string[] = [];
    const now = this.now();
    const insert = this.db.prepare(
      `INSERT INTO credentials (id, environment_id, workspace_id, name_mac, kind, status, meta, secret, created_at, updated_at,
         expires_at, rotated_at, rotation_days) VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const c of parsed) {
        let env = envCache.get(c.environmentId);
        if (!env) {
          env = this.getEnvironment(c.environmentId);
          envCache.set(c.environmentId, env);
        }
        this.grants.check(this.getWorkspace(env.workspaceId).providerId, c, parsed.length > 1 ? `[${parsed.indexOf(c)}].` : '');
        const id = newId('cred', this.random);
        const fp = fingerprint(c.secret.value);
        const meta: CredentialMeta = {
          name: c.name,
          description: c.description ?? '',
          notes: c.notes ?? '',
          headerName: c.headerName ?? null,
          role: c.role ?? null,
          scopes: c.scopes ?? [],
          tokenType: c.tokenType ?? null,
          remoteId: c.remoteId ?? null,
          tags: c.tags ?? [],
          fingerprint: fp,
          hasRefreshToken: Boolean(c.secret.refreshToken),
        };
        this.conflictOn(`A token in ${env.name}`, c.name, () =>
          insert.run(
            id,
            env.id,
            env.workspaceId,
            this.mac(env.id, c.name),
            c.kind,
            this.sealMeta('credentials', id, meta),
            this.sealSecret(id, c.secret),
            now,
            now,
            c.expiresAt ?? null,
            now,
            c.rotationDays ?? null,
          ),
        );
        this.audit.appendNow({ type: opts.auditType ?? 'created', credentialId: id, fingerprint: fp });
        ids.push(id);
      }
    })();
    this.changed('credential', ids.length === 1 ? ids[0]! : null);
    return ids.map((id) => this.getCredential(id));
  }

  private sealSecret(id: string, secret: { value: string; refreshToken?: string | undefined }): Buffer {
    this.secretIndex.put(id, secret.value);
    const payload: SecretValue = { value: secret.value };
    if (secret.refreshToken) payload.refreshToken = secret.refreshToken;
    return sealJson(this.requireKeys().enc, payload, { table: 'credentials', id, column: 'secret' }, this.random);
  }

  updateCredential(id: string, patch: unknown): CredentialSummary {
    this.requireKeys();
    const p = parseInput(CredentialPatch, patch);
    this.conflictOn('A token', p.name ?? '', () => this.db.transaction(() => this.updateCredentialNow(id, p))());
    this.changed('credential', id);
    return this.getCredential(id);
  }

  /** The body of updateCredential, inside its write transaction. */
  private updateCredentialNow(id: string, p: ReturnType<typeof CredentialPatch.parse>): void {
    const current = this.getCredential(id);
    this.expectUnchanged('token', current, p.expectedUpdatedAt);
    if (p.role !== undefined || p.scopes !== undefined || p.tokenType !== undefined) {
      // Only what this patch sets: a token stored before this check can still be corrected (role cleared, scopes set).
      this.grants.check(this.getWorkspace(current.workspaceId).providerId, { role: p.role, scopes: p.scopes, tokenType: p.tokenType });
    }
    if (p.headerName !== undefined && current.kind !== 'api_key') {
      throw new VaultError('VALIDATION', 'headerName only applies to API keys', {
        issues: [{ path: 'headerName', message: 'only applies to API keys' }],
      });
    }
    if (current.status === 'revoked' && p.status && p.status !== 'revoked') {
      throw new VaultError('VALIDATION', 'A revoked token cannot be reinstated: the provider will never accept it again.', {
        issues: [{ path: 'status', message: 'cannot change a revoked token back' }],
      });
    }
    const meta: CredentialMeta = {
      // Fields no patch edits (identity, rotation lineage) stay as stored.
      ...this.readMeta(id),
      name: p.name ?? current.name,
      description: p.description ?? current.description,
      notes: p.notes ?? current.notes,
      headerName: p.headerName ?? current.headerName,
      role: p.role === undefined ? current.role : p.role,
      scopes: p.scopes ?? current.scopes,
      tokenType: p.tokenType === undefined ? current.tokenType : p.tokenType,
      remoteId: p.remoteId === undefined ? current.remoteId : p.remoteId,
      tags: p.tags ?? current.tags,
      fingerprint: current.fingerprint,
      hasRefreshToken: current.hasRefreshToken,
    };
    const storedStatus = this.db.prepare('SELECT status FROM credentials WHERE id = ?').get(id) as { status: CredentialStatus };
    this.db
      .prepare(
        `UPDATE credentials SET name_mac = ?, meta = ?, status = ?, expires_at = ?, rotation_days = ?, updated_at = MAX(?, updated_at + 1) WHERE id = ?`,
      )
      .run(
        this.mac(current.environmentId, meta.name),
        this.sealMeta('credentials', id, meta),
        p.status ?? storedStatus.status,
        p.expiresAt === undefined ? current.expiresAt : p.expiresAt,
        p.rotationDays === undefined ? current.rotationDays : p.rotationDays,
        this.now(),
        id,
      );
    this.audit.appendNow({ type: p.status === 'revoked' ? 'revoked' : 'updated', credentialId: id, fingerprint: current.fingerprint });
  }

  /**
   * Refuses an edit made on a stale copy: `expected` is the `updatedAt` the
   * editor read; another window or process saved since. Call inside the write
   * transaction, so no write can slip in between check and update.
   */
  private expectUnchanged(what: string, current: { updatedAt: number }, expected: number | undefined): void {
    if (expected === undefined || expected === current.updatedAt) return;
    throw new VaultError('CONFLICT', `This ${what} was changed elsewhere (another window or a tokenvault command) since you opened it. Reload it and make your change again.`, {
      details: { expectedUpdatedAt: expected, updatedAt: current.updatedAt },
    });
  }

  /** Puts a new value in place of the old (rotation, regeneration); restarts the rotation period. */
  replaceSecret(id: string, secret: unknown): CredentialSummary {
    const current = this.getCredential(id);
    const s = parseInput(SecretInput, secret, 'secret');
    if (current.kind !== 'jwt_session' && s.refreshToken) {
      throw new VaultError('VALIDATION', 'secret.refreshToken only applies to JWT sessions', {
        issues: [{ path: 'secret.refreshToken', message: 'only applies to JWT sessions' }],
      });
    }
    const m = this.readMeta(id);
    const meta: CredentialMeta = { ...m, fingerprint: fingerprint(s.value), hasRefreshToken: Boolean(s.refreshToken) };
    const now = this.now();
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE credentials SET meta = ?, secret = ?, rotated_at = ?, updated_at = ? WHERE id = ?')
        .run(this.sealMeta('credentials', id, meta), this.sealSecret(id, s), now, now, id);
      this.audit.appendNow({ type: 'rotated', credentialId: id, fingerprint: meta.fingerprint, note: `replaces ${current.fingerprint}` });
    })();
    this.changed('credential', id);
    return this.getCredential(id);
  }

  /**
   * Marks a token revoked (final) and, unless the settings keep revoked values
   * for forensics, wipes its value: a dead token's value is only a liability.
   * One transaction: status, value and the `revoked` event with its reason.
   */
  markRevoked(id: string, opts: { wipeSecret: boolean; note: string }): CredentialSummary {
    const current = this.getCredential(id);
    this.db.transaction(() => {
      this.db
        .prepare(`UPDATE credentials SET status = 'revoked', secret = CASE WHEN ? = 1 THEN NULL ELSE secret END, updated_at = ? WHERE id = ?`)
        .run(opts.wipeSecret ? 1 : 0, this.now(), id);
      this.audit.appendNow({ type: 'revoked', credentialId: id, fingerprint: current.fingerprint, note: opts.wipeSecret ? `${opts.note}; value wiped` : opts.note });
    })();
    this.changed('credential', id);
    return this.getCredential(id);
  }

  /** Drops a revoked token's value that was kept for forensics (the record and its history stay). */
  wipeSecret(id: string): CredentialSummary {
    const current = this.getCredential(id);
    if (current.status !== 'revoked') {
      throw new VaultError('VALIDATION', 'Only a revoked token has a value to wipe: revoke it first.');
    }
    this.db.transaction(() => {
      this.db.prepare('UPDATE credentials SET secret = NULL, updated_at = ? WHERE id = ?').run(this.now(), id);
      this.audit.appendNow({ type: 'updated', credentialId: id, fingerprint: current.fingerprint, note: 'value wiped' });
    })();
    this.changed('credential', id);
    return this.getCredential(id);
  }

  /** A provider's own "last used" date (from a token list), kept when it is newer than ours. */
  noteRemoteUse(id: string, at: number): void {
    const r = this.db.transaction(() =>
      this.db.prepare('UPDATE credentials SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)').run(at, id, at),
    )();
    if (r.changes > 0) this.changed('credential', id);
  }

  // ------------------------------------------------------------ rotation lineage

  /** Records that `newId` was stored to replace `oldId` (null unlinks it); the old one stays current. */
  setSupersedes(newId: string, oldId: string | null): CredentialSummary {
    const c = this.getCredential(newId);
    if (oldId !== null) {
      const old = this.getCredential(oldId);
      if (old.environmentId !== c.environmentId) throw new VaultError('VALIDATION', 'A replacement must be in the same environment as the token it replaces.');
    }
    const m = this.readMeta(newId);
    this.db.transaction(() => {
      this.db.prepare('UPDATE credentials SET meta = ?, updated_at = ? WHERE id = ?').run(this.sealMeta('credentials', newId, { ...m, supersedes: oldId }), this.now(), newId);
      this.audit.appendNow({ type: 'updated', credentialId: newId, fingerprint: c.fingerprint, note: oldId ? `rotation: replaces ${oldId}` : 'rotation: unlinked' });
    })();
    this.changed('credential', newId);
    return this.getCredential(newId);
  }

  /**
   * A rotation's switch: the new token becomes current. The two swap names,
   * so WORKSPACE/ENV/NAME (scripts, the CLI) now names the new token, and the
   * old one records what superseded it. `undoSwitch` is the exact inverse.
   */
  switchCurrent(oldId: string, newId: string): void {
    this.swapNames(oldId, newId, newId);
  }

  undoSwitch(oldId: string, newId: string): void {
    this.swapNames(oldId, newId, null);
  }

  private swapNames(oldId: string, newId: string, supersededBy: string | null): void {
    const old = this.getCredential(oldId);
    const next = this.getCredential(newId);
    if (old.environmentId !== next.environmentId) throw new VaultError('VALIDATION', 'Both tokens of a rotation must be in the same environment.');
    const mo = this.readMeta(oldId);
    const mn = this.readMeta(newId);
    const env = old.environmentId;
    const now = this.now();
    const put = this.db.prepare('UPDATE credentials SET name_mac = ?, meta = ?, updated_at = ? WHERE id = ?');
    this.db.transaction(() => {
      // Names are unique per environment: park one under a random mac first.
      this.db.prepare('UPDATE credentials SET name_mac = ? WHERE id = ?').run(this.random(32), oldId);
      put.run(this.mac(env, mo.name), this.sealMeta('credentials', newId, { ...mn, name: mo.name }), now, newId);
      put.run(this.mac(env, mn.name), this.sealMeta('credentials', oldId, { ...mo, name: mn.name, supersededBy }), now, oldId);
      this.audit.appendNow({
        type: 'updated',
        credentialId: oldId,
        fingerprint: old.fingerprint,
        note: supersededBy ? `rotation: superseded by ${newId} (${next.fingerprint})` : `rotation undone: current again instead of ${newId}`,
      });
    })();
    this.changed('credential', null);
  }

  /**
   * Moves a token to another environment, of this workspace or another,
   * optionally under a new name: its id, value, history and lineage stay.
   * Audited as `moved`, naming both places. The caller asks for the
   * production confirmation (see services/credential-move.ts).
   * Errors: NOT_FOUND, VALIDATION (name), CONFLICT (name taken there, or
   * the token changed since `expectedUpdatedAt`).
   */
  moveCredential(id: string, environmentId: string, newName?: string, expectedUpdatedAt?: number): CredentialSummary {
    const c = this.getCredential(id);
    const from = this.getEnvironment(c.environmentId);
    const to = this.getEnvironment(environmentId);
    const name = newName === undefined ? c.name : parseInput(Name, newName, 'name');
    const wsName = (wsId: string) => this.getWorkspace(wsId).name;
    const meta: CredentialMeta = { ...this.readMeta(id), name };
    this.conflictOn(`A token in ${wsName(to.workspaceId)}/${to.name}`, name, () =>
      this.db.transaction(() => {
        this.expectUnchanged('token', this.getCredential(id), expectedUpdatedAt);
        this.db
          .prepare('UPDATE credentials SET environment_id = ?, workspace_id = ?, name_mac = ?, meta = ?, updated_at = ? WHERE id = ?')
          .run(to.id, to.workspaceId, this.mac(to.id, name), this.sealMeta('credentials', id, meta), this.now(), id);
        this.audit.appendNow({
          type: 'moved',
          credentialId: id,
          fingerprint: c.fingerprint,
          note: `from ${wsName(from.workspaceId)}/${from.name}/${c.name} to ${wsName(to.workspaceId)}/${to.name}/${name}`,
        });
      })(),
    );
    this.changed('credential', id);
    return this.getCredential(id);
  }

  /** Deletes a token, audited; a record that fails to authenticate (CORRUPT) can be deleted too. */
  removeCredential(id: string): void {
    this.requireKeys();
    this.db.transaction(() => {
      let fp: string | null;
      try {
        fp = this.getCredential(id).fingerprint;
      } catch (e) {
        if (!(e instanceof VaultError && e.code === 'CORRUPT')) throw e;
        fp = null;
      }
      this.db.prepare('DELETE FROM credentials WHERE id = ?').run(id);
      this.audit.appendNow({ type: 'deleted', credentialId: id, fingerprint: fp, ...(fp === null ? { note: 'record was damaged (failed to authenticate)' } : {}) });
    })();
    this.changed('credential', id);
  }

  /**
   * The only way a secret leaves the vault for a person: audited as `revealed`
   * or `copied`. The HTTP engine uses `secretForRequest` instead.
   */
  revealCredential(id: string, purpose: 'revealed' | 'copied' = 'revealed'): SecretValue {
    const secret = this.readSecret(id);
    this.audit.appendSoon({ type: purpose, credentialId: id, fingerprint: fingerprint(secret.value) });
    return secret;
  }

  /** For the main process's own requests; the caller audits what it does with it (e.g. `tested`). */
  secretForRequest(id: string): SecretValue {
    return this.readSecret(id);
  }

  /**
   * For the leak scanner (issue 13): a copy of the scan subkey and, for each
   * stored value, its length, prefix and keyed hash — built one value at a
   * time (scan-index.ts). The caller wipes the key.
   */
  scanMaterial(): { key: Buffer; targets: ScanTarget[]; unreadable: string[] } {
    const keys = this.requireKeys();
    const ids = (this.db.prepare('SELECT id FROM credentials WHERE secret IS NOT NULL ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    const key = Buffer.from(keys.scan);
    return { key, ...buildScanTargets(key, ids, (id) => this.readSecret(id)) };
  }

  private readSecret(id: string): SecretValue {
    const keys = this.requireKeys();
    const r = this.stmtSecret.get(id) as { secret: Buffer | null } | undefined;
    if (!r) throw new VaultError('NOT_FOUND', `There is no token with id ${id}.`);
    if (!r.secret) throw new VaultError('NOT_FOUND', `The value of token ${id} was wiped (it was revoked).`);
    return openJson<SecretValue>(keys.enc, r.secret, { table: 'credentials', id, column: 'secret' });
  }

  private get stmtSecret() {
    this._stmtSecret ??= this.db.prepare('SELECT secret FROM credentials WHERE id = ?');
    return this._stmtSecret;
  }
  private _stmtSecret: ReturnType<Db['prepare']> | null = null;

  /**
   * Records a test's outcome (and use) on the credential, with its audit event
   * and a history entry. `entry` must hold no secret and no body.
   */
  recordTest(id: string, outcome: TestOutcome, entry: TestHistoryEntry): void {
    const c = this.getCredential(id);
    const at = this.now();
    this.db.transaction(() => this.writeTestRecord(c, outcome, entry, at))();
    this.changed('credential', id);
  }

  /**
   * The same record, committed with others in one transaction at most
   * `TEST_RECORD_DELAY_MS` later: a test's own round trip then carries no
   * fsync, and "Test all" pays one per batch. The window is flushed on lock
   * and close; a crash inside it loses history lines, never user data.
   */
  recordTestSoon(id: string, outcome: TestOutcome, entry: TestHistoryEntry): void {
    this.requireKeys();
    this.pendingTests.push({ id, outcome, entry, at: this.now() });
    if (!this.testTimer) {
      this.testTimer = setTimeout(() => this.flushTests(), TEST_RECORD_DELAY_MS);
      this.testTimer.unref?.();
    }
  }

  private pendingTests: { id: string; outcome: TestOutcome; entry: TestHistoryEntry; at: number }[] = [];
  private testTimer: ReturnType<typeof setTimeout> | null = null;

  private flushTests(): void {
    if (this.testTimer) clearTimeout(this.testTimer);
    this.testTimer = null;
    const batch = this.pendingTests;
    this.pendingTests = [];
    if (batch.length === 0 || !this.keys || !this.db.open) return;
    const touched = new Set<string>();
    this.db.transaction(() => {
      for (const t of batch) {
        // A credential deleted in the meantime has no history to keep.
        const exists = this.db.prepare('SELECT 1 FROM credentials WHERE id = ?').get(t.id);
        if (!exists) continue;
        this.writeTestRecord(this.getCredential(t.id), t.outcome, t.entry, t.at);
        touched.add(t.id);
      }
    })();
    for (const id of touched) this.changed('credential', id);
  }

  private writeTestRecord(c: CredentialSummary, outcome: TestOutcome, entry: TestHistoryEntry, at: number): void {
    // Every attempt is "last tested"; only an answer that shows the provider knew the token is "last used" (issue 10).
    this.db
      .prepare('UPDATE credentials SET last_tested_at = ?, last_test_outcome = ?, last_used_at = CASE WHEN ? = 1 AND (last_used_at IS NULL OR last_used_at < ?) THEN ? ELSE last_used_at END WHERE id = ?')
      .run(at, outcome, isAuthenticatedOutcome(outcome) ? 1 : 0, at, at, c.id);
    // The row id is part of the sealed box's identity, so it is known before sealing.
    const row = this.db.prepare("INSERT INTO test_history (credential_id, at, outcome, data) VALUES (?, ?, ?, x'')").run(c.id, at, outcome);
    const rowId = String(row.lastInsertRowid);
    const data = sealJson(this.requireKeys().enc, entry, { table: 'test_history', id: rowId, column: 'data' }, this.random);
    this.db.prepare('UPDATE test_history SET data = ? WHERE id = ?').run(data, rowId);
    this.audit.appendNow({ type: 'tested', credentialId: c.id, fingerprint: c.fingerprint, note: `${entry.method} ${entry.path} → ${entry.status ?? outcome}`, at });
  }

  /** Keeps a credential's latest permission probe (a report with no secret in it), sealed. */
  saveProbeReport(credentialId: string, report: unknown): void {
    const keys = this.requireKeys();
    this.getCredential(credentialId);
    const data = sealJson(keys.enc, report, { table: 'probe_reports', id: credentialId, column: 'data' }, this.random);
    this.db.transaction(() =>
      this.db
        .prepare('INSERT INTO probe_reports (credential_id, at, data) VALUES (?, ?, ?) ON CONFLICT(credential_id) DO UPDATE SET at = excluded.at, data = excluded.data')
        .run(credentialId, this.now(), data),
    )();
  }

  probeReport<T>(credentialId: string): T | null {
    const keys = this.requireKeys();
    const row = this.db.prepare('SELECT data FROM probe_reports WHERE credential_id = ?').get(credentialId) as { data: Buffer } | undefined;
    return row ? openJson<T>(keys.enc, row.data, { table: 'probe_reports', id: credentialId, column: 'data' }) : null;
  }

  listTestHistory(credentialId: string, limit = 50): (TestHistoryEntry & { at: number; outcome: TestOutcome })[] {
    const keys = this.requireKeys();
    const rows = this.db
      .prepare('SELECT id, at, outcome, data FROM test_history WHERE credential_id = ? ORDER BY at DESC, id DESC LIMIT ?')
      .all(credentialId, Math.min(Math.max(limit, 1), 500)) as { id: number; at: number; outcome: TestOutcome; data: Buffer }[];
    return rows.map((r) => ({
      ...openJson<TestHistoryEntry>(keys.enc, r.data, { table: 'test_history', id: String(r.id), column: 'data' }),
      at: r.at,
      outcome: r.outcome,
    }));
  }

  /**
   * A JWT session's new access (and refresh) token after a login or refresh.
   * Not a rotation: the credential's rotation period does not restart.
   */
  updateSessionSecret(id: string, secret: unknown, expiresAt: number | null): CredentialSummary {
    const current = this.getCredential(id);
    if (current.kind !== 'jwt_session') throw new VaultError('VALIDATION', 'Only a JWT session has session tokens to update.');
    const s = parseInput(SecretInput, secret, 'secret');
    const m = this.readMeta(id);
    const meta: CredentialMeta = { ...m, fingerprint: fingerprint(s.value), hasRefreshToken: Boolean(s.refreshToken) };
    this.db.transaction(() => {
      this.db
        .prepare("UPDATE credentials SET meta = ?, secret = ?, expires_at = ?, status = CASE status WHEN 'revoked' THEN 'revoked' ELSE 'active' END, updated_at = ? WHERE id = ?")
        .run(this.sealMeta('credentials', id, meta), this.sealSecret(id, s), expiresAt, this.now(), id);
      this.audit.appendNow({ type: 'updated', credentialId: id, fingerprint: meta.fingerprint, note: 'session tokens renewed' });
    })();
    this.changed('credential', id);
    return this.getCredential(id);
  }

  /** The account or company a live call said the token belongs to (from an identity preset). */
  setCredentialIdentity(id: string, identity: { account: string | null; company: string | null }): void {
    const m = this.readMeta(id);
    if (m.identity?.account === identity.account && m.identity?.company === identity.company) return;
    this.db.transaction(() =>
      this.db.prepare('UPDATE credentials SET meta = ?, updated_at = ? WHERE id = ?').run(this.sealMeta('credentials', id, { ...m, identity }), this.now(), id),
    )();
    this.changed('credential', id);
  }

  private readMeta(id: string): CredentialMeta {
    const row = this.db.prepare('SELECT meta FROM credentials WHERE id = ?').get(id) as { meta: Buffer } | undefined;
    if (!row) throw new VaultError('NOT_FOUND', `There is no token with id ${id}.`);
    return this.openMeta<CredentialMeta>('credentials', id, row.meta);
  }

  // -------------------------------------------------------------------- audit

  listAudit(opts: { credentialId?: string; limit?: number; beforeSeq?: number } = {}): AuditEvent[] {
    this.requireKeys();
    return this.audit.list(opts);
  }

  verifyAudit(): AuditVerification {
    this.requireKeys();
    return this.audit.verify();
  }

  /** Records an event that happened outside the vault (an export, a copy by the shell). */
  recordEvent(input: AuditInput): void {
    this.requireKeys();
    this.db.transaction(() => this.audit.appendNow(input))();
  }

  /** Commits queued audit events now (before exit, and in tests). */
  flush(): void {
    this.flushTests();
    if (this.keys && this.db.open) this.audit.flush();
  }

  // ------------------------------------------------------------------- search

  private searchIndex: SearchEntry[] | null = null;

  /**
   * Finds workspaces, environments and tokens by name across the whole vault.
   * Names are encrypted at rest, so the index is built in memory on the first
   * search after unlock or a change, and dropped on lock.
   */
  search(query: string, limit = 50): SearchEntry[] {
    this.requireKeys();
    if (!this.searchIndex) this.searchIndex = this.buildSearchIndex();
    // Several words match across the path ("client a prod" finds Client A/production):
    // each word somewhere in the path, at least one in the entry's own name.
    const words = query.normalize('NFC').trim().toLocaleLowerCase('en-US').split(/[\s/]+/).filter(Boolean);
    if (words.length === 0) return [];
    const out: SearchEntry[] = [];
    for (const e of this.searchIndex) {
      const path = e.path.toLocaleLowerCase('en-US');
      if (words.some((w) => e.lower.includes(w)) && words.every((w) => path.includes(w))) {
        out.push(e);
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  private buildSearchIndex(): SearchEntry[] {
    const index: SearchEntry[] = [];
    const wsNames = new Map<string, string>();
    const envNames = new Map<string, string>();
    for (const w of this.listWorkspaces()) {
      if ('corrupt' in w) continue;
      wsNames.set(w.id, w.name);
      index.push({ type: 'workspace', id: w.id, name: w.name, path: w.name, workspaceId: w.id, environmentId: null, lower: w.name.toLocaleLowerCase('en-US') });
    }
    for (const r of this.db.prepare('SELECT * FROM environments').all() as EnvironmentRow[]) {
      const env = this.tryRead('environments', r.id, () => this.environmentFrom(r));
      if ('corrupt' in env) continue;
      envNames.set(env.id, env.name);
      const path = `${wsNames.get(env.workspaceId) ?? '?'}/${env.name}`;
      index.push({ type: 'environment', id: env.id, name: env.name, path, workspaceId: env.workspaceId, environmentId: env.id, lower: env.name.toLocaleLowerCase('en-US') });
    }
    for (const c of this.listCredentials()) {
      if ('corrupt' in c) continue;
      const path = `${wsNames.get(c.workspaceId) ?? '?'}/${envNames.get(c.environmentId) ?? '?'}/${c.name}`;
      index.push({ type: 'credential', id: c.id, name: c.name, path, workspaceId: c.workspaceId, environmentId: c.environmentId, lower: c.name.toLocaleLowerCase('en-US') });
    }
    return index;
  }

  /** Decrypts one record, or reports it as CORRUPT with its id instead of dropping it. */
  private tryRead<T>(table: 'workspaces' | 'environments' | 'credentials', id: string, read: () => T): Listed<T> {
    try {
      return read();
    } catch (e) {
      if (e instanceof VaultError && e.code === 'CORRUPT') return { corrupt: true, table, id };
      throw e;
    }
  }
}

export interface SearchEntry {
  type: 'workspace' | 'environment' | 'credential';
  id: string;
  name: string;
  /** `workspace/env/name` as far as it applies. */
  path: string;
  workspaceId: string;
  environmentId: string | null;
  lower: string;
}

interface EnvironmentRow {
  id: string;
  workspace_id: string;
  production: number;
  meta: Buffer;
  created_at: number;
  updated_at: number;
}

const CRED_COLUMNS =
  'id, environment_id, workspace_id, kind, status, meta, created_at, updated_at, expires_at, rotated_at, rotation_days, last_used_at, last_tested_at, last_test_outcome, (secret IS NOT NULL) AS has_value, ' +
  '(SELECT x.source FROM credential_expiry x WHERE x.credential_id = credentials.id) AS expiry_source, ' +
  "(SELECT CASE WHEN x.source = 'explicit' THEN x.explicit_date END FROM credential_expiry x WHERE x.credential_id = credentials.id) AS expiry_date";

function expiryFields(r: CredentialRow): Pick<CredentialSummary, 'expirySource' | 'expiresOn'> {
  if (r.expires_at === null) return { expirySource: null, expiresOn: null };
  // Stored before sources were kept: the date was entered by hand.
  return { expirySource: (r.expiry_source as CredentialSummary['expirySource']) ?? 'explicit', expiresOn: r.expiry_date };
}

function byName<T>(a: Listed<T>, b: Listed<T>): number {
  const an = 'corrupt' in (a as object) ? '' : (a as { name: string }).name;
  const bn = 'corrupt' in (b as object) ? '' : (b as { name: string }).name;
  return an.localeCompare(bn, 'en', { sensitivity: 'base', numeric: true });
}
