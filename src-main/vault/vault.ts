import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { VaultError } from '../../src-shared/errors';
import { fingerprint } from '../../src-shared/domain/fingerprint';
import type { CredentialRef } from '../../src-shared/domain/ref';
import {
  CredentialInput,
  CredentialPatch,
  EnvironmentInput,
  EnvironmentPatch,
  Name,
  RotationDays,
  SecretInput,
  WorkspaceInput,
  WorkspacePatch,
  type KeySource,
  type Settings,
} from '../../src-shared/domain/schemas';
import type { AuditEvent, AuditVerification, CredentialSummary, Environment, Listed, TestOutcome, VaultStatus, Workspace } from '../../src-shared/domain/types';
import { AuditLog, type AuditInput } from './audit-log';
import type { Random } from './cipher';
import { sealCellDigestOnCommit, verifyCellDigest } from './cell-digest';
import { CredentialRepository } from './credential-repo';
import { leaveToExit, openDatabase, type Db } from './db';
import { DueStore } from './due-store';
import { EnvironmentRepository } from './environment-repo';
import { ExpiryStore } from './expiry-store';
import { KeyRing } from './key-ring';
import type { KeyChange } from './key-rewrap';
import type { KeyStore } from './keychain';
import { newKdfParams, type KdfParams, type VaultKeys } from './keys';
import { LineageRepository } from './lineage-repo';
import { MetaCache } from './meta-cache';
import { SchemaWatch } from './schema-watch';
import { SCHEMA_VERSION } from './migrations';
import { ProbeReportRepository } from './probe-report-repo';
import { RateLimitStore } from './rate-limit-store';
import { expectUnchanged, type RecordContext } from './records';
import { RotationStore } from './rotation-store';
import { buildScanTargets, type ScanTarget } from './scan-index';
import { SearchIndex, type SearchEntry } from './search-index';
import { SecretIndex } from './secret-index';
import { SecretRepository, sealSecretValue, type SecretValue } from './secret-repo';
import { SessionStore, type CreatedSession } from './sessions';
import { GrantGuard } from './grant-guard';
import { SettingsRepository } from './settings-repo';
import { TestHistoryRepository, type TestHistoryEntry } from './test-history-repo';
import { parseInput } from './validate';
import { WorkspaceRepository } from './workspace-repo';

export { unlockDelayMs } from './key-ring';
export type { SearchEntry } from './search-index';
export type { SecretValue } from './secret-repo';
export type { TestHistoryEntry } from './test-history-repo';

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

export type VaultEvents = {
  locked: [];
  unlocked: [];
  changed: [{ entity: 'workspace' | 'environment' | 'credential' | 'settings'; id: string | null }];
};

/** How long a test's history line may wait to be committed with others. */
export const TEST_RECORD_DELAY_MS = 200;

/**
 * The one vault service: the IPC handlers, browser mode and the CLI all call
 * this class, and it is the only code that sees a decrypted value. It
 * composes the parts (key ring, one repository per table, audit log, search
 * index) and owns the transaction boundary: each public write validates its
 * input, then runs as ONE `write(…)` (BEGIN IMMEDIATE) holding the statements
 * and the audit event, then announces the change. Reads take no write lock.
 *
 * The parts: key-ring.ts (unlock, lock, sessions, key source; the only
 * holder of key material), settings-repo.ts, workspace-repo.ts,
 * environment-repo.ts, credential-repo.ts (records), secret-repo.ts (values),
 * lineage-repo.ts (rotation lineage, moves), test-history-repo.ts,
 * probe-report-repo.ts, audit-log.ts, search-index.ts; shared sealing and
 * error helpers in records.ts. Repositories never open a transaction.
 */
export class Vault extends EventEmitter<VaultEvents> {
  readonly file: string;
  private readonly db: Db;
  private readonly now: () => number;
  private readonly random: Random;
  private readonly audit: AuditLog;
  private readonly ring: KeyRing;
  private readonly settings: SettingsRepository;
  private readonly workspaces: WorkspaceRepository;
  private readonly environments: EnvironmentRepository;
  private readonly credentials: CredentialRepository;
  private readonly secrets: SecretRepository;
  private readonly lineage: LineageRepository;
  private readonly tests: TestHistoryRepository;
  private readonly probes: ProbeReportRepository;
  private readonly names: SearchIndex;
  /** Notices another process migrating the vault past this code's schema (issue 15, version skew). */
  private readonly schema: SchemaWatch;
  /** Decrypted metadata while unlocked, checked against every change (meta-cache.ts); emptied on lock. */
  private readonly metaCache: MetaCache;
  /** Dates, reminders and snoozes: plaintext, usable while locked. */
  readonly due: DueStore;
  /** Rotation flows in progress: plaintext ids and steps. */
  readonly rotations: RotationStore;
  /** CLI unlock sessions (owner-only files beside the database). */
  private readonly sessions: SessionStore;
  /** Refuses a role/scopes/token type the provider does not decide by, on every write path (grant-guard.ts). */
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
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? randomBytes;
    this.schema = new SchemaWatch(db, SCHEMA_VERSION);
    const keys = () => this.ring.require();
    this.audit = new AuditLog(this.db, keys, this.now);
    this.due = new DueStore(this.db);
    this.rotations = new RotationStore(this.db, this.now);
    this.sessions = new SessionStore(opts.home, this.now, this.random, this.db);
    this.expiry = new ExpiryStore(this.db, (id) => this.changed('credential', id));
    this.rateHolds = new RateLimitStore(this.db);
    this.secretIndex = new SecretIndex(this.db, () => this.ring.require().index);
    this.ring = new KeyRing({
      db,
      write: this.write,
      audit: this.audit,
      keyStore: opts.keyStore,
      sessions: this.sessions,
      now: this.now,
      random: this.random,
      sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      kdfParams: opts.kdfParams ?? (() => newKdfParams(this.random)),
      lifecycle: opts.lifecycle ?? 'app',
      processLabel: opts.processLabel ?? 'Tokenvault',
    });
    // The digest of the vault's records is sealed at the end of each write transaction that moved it (cell-digest.ts).
    sealCellDigestOnCommit(db, () => (this.ring.isUnlocked ? this.ring.require() : null));
    this.metaCache = new MetaCache(db, this.schema);
    const ctx: RecordContext = { db, keys, random: this.random, now: this.now, audit: this.audit, cache: this.metaCache, schema: this.schema };
    this.settings = new SettingsRepository(db);
    this.workspaces = new WorkspaceRepository(ctx, this.due);
    this.environments = new EnvironmentRepository(ctx, this.workspaces);
    this.credentials = new CredentialRepository(ctx, this.workspaces, this.environments, (id, s) => sealSecretValue(ctx, this.secretIndex, id, s));
    this.secrets = new SecretRepository(ctx, this.secretIndex, this.credentials);
    this.lineage = new LineageRepository(ctx, this.credentials);
    this.tests = new TestHistoryRepository(ctx);
    this.probes = new ProbeReportRepository(ctx);
    this.names = new SearchIndex({
      workspaces: () => this.workspaces.list(),
      environments: () => this.environments.listAll(),
      credentials: () => this.credentials.list(),
    });
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

  /** The transaction boundary: `fn` as one BEGIN IMMEDIATE transaction (db.ts, write-lock.ts); every write of every part runs in one. */
  private readonly write = <T>(fn: () => T): T =>
    this.db.transaction(() => {
      // A vault another process migrated past this code is never written the old way (schema-watch.ts).
      this.schema.check();
      return fn();
    })();

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
      this.names.invalidate();
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

  /**
   * Locks the keys (wiping them) and closes the database.
   *
   * `opts.processExits`: the caller ends the process with `process.exit`
   * right after (the CLI launcher, for a one-shot command). The database
   * handle is then left to the exit instead of closed: SQLite's last close
   * checkpoints the WAL into the file and deletes it, and the next process
   * re-creates it — 4 of a `tokenvault test`'s 5 fsyncs (strace, issue 11).
   * Nothing is lost: every commit is already in the fsynced WAL
   * (`synchronous = FULL`), the OS drops the file locks at exit, and the next
   * opener rebuilds the WAL index from the WAL, as after a crash
   * (sqlite.org/wal.html). If the process does go on, the handle is closed by
   * better-sqlite3 at the environment's teardown, with the checkpoint. A WAL
   * past 1 MiB is closed (checkpointed) all the same: see leaveToExit.
   */
  close(opts: { processExits?: boolean } = {}): void {
    this.stopWatching();
    if (!this.db.open) return;
    // Quitting is not locking: CLI sessions outlive the app's exit.
    try {
      if (this.ring.isUnlocked) this.lockKeys(false);
    } finally {
      // Closed even when the lock could not be recorded (the keys are gone either way).
      this.metaCache.clear();
      if (!(opts.processExits && leaveToExit(this.db))) this.db.close();
    }
  }

  /**
   * After a value was removed, replaced or wiped: copies the WAL into the
   * database file now, so the zeros secure_delete wrote over the old sealed
   * box reach vault.db at once instead of at the next checkpoint, which may
   * be far off while other processes keep the vault open (found by a trial:
   * the box of a token deleted with the app open stayed in vault.db for ~300
   * reveals). PASSIVE: it never waits for another process; what readers
   * still need waits for the next checkpoint. Best effort: a failure here
   * changes nothing the user asked for.
   */
  private settleRemovedValues(): void {
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or interrupted: the next checkpoint does it.
    }
  }

  private changed(entity: VaultEvents['changed'][0]['entity'], id: string | null): void {
    this.names.invalidate();
    this.emit('changed', { entity, id });
  }

  /**
   * Runs `fn`, which only reads, as one read transaction: one consistent view
   * of the database and one round of file locking for all its statements
   * (a one-click test's reads; see MetaCache.readTogether). Never write in it.
   */
  readTogether<T>(fn: () => T): T {
    return this.metaCache.readTogether(fn);
  }

  /** How many decrypted records the metadata cache holds (tests check that lock empties it). */
  protected get cachedRecords(): number {
    return this.metaCache.size;
  }

  /** Key buffers as held, for the test that checks the lock wipes them (lock.test.ts). */
  protected get keys(): VaultKeys | null {
    return this.ring.isUnlocked ? this.ring.require() : null;
  }

  protected get vaultKey(): Buffer | null {
    return this.ring.rawVaultKey;
  }

  // ---------------------------------------------------------------- lifecycle (key-ring.ts)

  status(): VaultStatus {
    return this.ring.status();
  }

  get isUnlocked(): boolean {
    return this.ring.isUnlocked;
  }

  /**
   * Creates the vault and leaves it unlocked. `populate` (a restore from a
   * backup) runs inside the creating transaction, before the creation event.
   */
  async init(opts: { keySource: KeySource; passphrase?: string; populate?: (internals: VaultInternals) => void }): Promise<VaultStatus> {
    await this.ring.create({ keySource: opts.keySource, ...(opts.passphrase !== undefined ? { passphrase: opts.passphrase } : {}), file: this.file }, () => {
      opts.populate?.(this.internals());
      this.audit.appendNow({ type: 'unlocked', note: 'vault created' });
    });
    this.emit('unlocked');
    return this.status();
  }

  /**
   * The database and the unlocked keys, for backup and restore only
   * (src-main/vault/backup-*.ts), which read and write every table at once.
   * Throws LOCKED when locked. Call `bulkChanged()` after writing through it.
   */
  internals(): VaultInternals {
    return { db: this.db, keys: this.ring.require(), audit: this.audit, random: this.random, now: this.now };
  }

  /** Tells listeners (and the search index) that many records changed at once. */
  bulkChanged(): void {
    this.changed('workspace', null);
    this.changed('environment', null);
    this.changed('credential', null);
    this.emit('changed', { entity: 'settings', id: null });
  }

  /** Unlocks with the keychain or a passphrase; see KeyRing.unlock for the errors. */
  async unlock(opts: { passphrase?: string } = {}): Promise<VaultStatus> {
    if (await this.ring.unlock(opts)) this.emit('unlocked');
    return this.status();
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
    if (!this.ring.isUnlocked) return;
    try {
      try {
        this.flushTests();
      } finally {
        // The keys go even when recording failed (busy, or a vault migrated past this code: UNSUPPORTED_VERSION).
        this.ring.lock(endSessions, () => this.getSettings().keepCliSessionsOnLock);
      }
    } finally {
      this.names.invalidate();
      this.metaCache.clear();
      if (!this.ring.isUnlocked) this.emit('locked');
    }
  }

  /**
   * Starts a CLI session for `ttlMs` (1 min to 12 h): a copy of the vault key
   * sealed under a fresh random key that is returned only in the token.
   * Audited as one `unlocked` event for the whole session (the commands run
   * in it record no unlock of their own).
   */
  createSession(ttlMs: number): CreatedSession {
    return this.ring.createSession(ttlMs);
  }

  /** Unlocks with a session token (TOKENVAULT_SESSION); see SessionStore.open for its errors. Writes nothing. */
  unlockWithSession(token: string): VaultStatus {
    if (this.ring.unlockWithSession(token)) this.emit('unlocked');
    return this.status();
  }

  /**
   * Ends every CLI session (`tokenvault lock`); returns how many there were.
   * Audited as `locked` when the vault is unlocked, else recorded to be
   * audited at the next unlock.
   */
  endSessions(): number {
    return this.ring.endSessions();
  }

  /** Moves the vault key between the OS keychain and a master passphrase, or changes the passphrase (the current one required): see KeyRewrap (key-rewrap.ts). */
  async changeKeySource(opts: KeyChange): Promise<VaultStatus> {
    await this.ring.changeKeySource(opts);
    return this.status();
  }

  // ------------------------------------------------------------------ settings (settings-repo.ts)

  /** Settings are plain preferences (no user secrets), readable while locked: auto-lock must work then too. */
  getSettings(): Settings {
    return this.settings.get();
  }

  updateSettings(patch: unknown): Settings {
    this.ring.require();
    const p = this.settings.parsePatch(patch);
    this.write(() => this.settings.put(p));
    this.emit('changed', { entity: 'settings', id: null });
    return this.getSettings();
  }

  // --------------------------------------------------------------- workspaces (workspace-repo.ts)

  listWorkspaces(): Listed<Workspace>[] {
    return this.workspaces.list();
  }

  getWorkspace(id: string): Workspace {
    return this.workspaces.get(id);
  }

  findWorkspace(nameOrId: string): Workspace {
    return this.workspaces.find(nameOrId);
  }

  addWorkspace(input: unknown): Workspace {
    this.ring.require();
    const w = parseInput(WorkspaceInput, input);
    const id = this.write(() => this.workspaces.insert(w));
    this.changed('workspace', id);
    return this.getWorkspace(id);
  }

  updateWorkspace(id: string, patch: unknown): Workspace {
    this.ring.require();
    const p = parseInput(WorkspacePatch, patch);
    this.write(() => this.workspaces.update(id, p));
    this.changed('workspace', id);
    return this.getWorkspace(id);
  }

  removeWorkspace(id: string): void {
    const w = this.getWorkspace(id);
    this.write(() => this.workspaces.remove(w));
    this.settleRemovedValues();
    this.changed('workspace', id);
  }

  /** The rotation period for this workspace's tokens that have none of their own; null removes it. */
  setWorkspaceRotationDays(id: string, days: number | null): void {
    const ws = this.getWorkspace(id);
    const rotationDays = days === null ? null : parseInput(RotationDays, days, 'rotationDays');
    this.write(() => this.workspaces.setRotationDays(ws, rotationDays));
    this.changed('workspace', id);
  }

  /**
   * What deleting a workspace takes with it: its environments and tokens, counted
   * without decrypting either (damaged rows count too: they go with it as well).
   * Errors: LOCKED, NOT_FOUND.
   */
  workspaceUsage(workspaceId: string): { environments: number; credentials: number } {
    return this.workspaces.usage(workspaceId);
  }

  // ------------------------------------------------------------- environments (environment-repo.ts)

  listEnvironments(workspaceId: string): Listed<Environment>[] {
    return this.environments.list(workspaceId);
  }

  getEnvironment(id: string): Environment {
    return this.environments.get(id);
  }

  findEnvironment(workspaceId: string, nameOrId: string): Environment {
    return this.environments.find(workspaceId, nameOrId);
  }

  addEnvironment(input: unknown): Environment {
    this.ring.require();
    const e = parseInput(EnvironmentInput, input);
    const ws = this.getWorkspace(e.workspaceId);
    const id = this.write(() => this.environments.insert(ws, e));
    this.changed('environment', id);
    return this.getEnvironment(id);
  }

  updateEnvironment(id: string, patch: unknown): Environment {
    this.ring.require();
    const p = parseInput(EnvironmentPatch, patch);
    this.write(() => this.environments.update(id, p));
    this.changed('environment', id);
    return this.getEnvironment(id);
  }

  removeEnvironment(id: string): void {
    const env = this.getEnvironment(id);
    this.write(() => this.environments.remove(env));
    this.settleRemovedValues();
    this.changed('environment', id);
  }

  // -------------------------------------------------------------- credentials (credential-repo.ts)

  listCredentials(filter: { workspaceId?: string; environmentId?: string } = {}): Listed<CredentialSummary>[] {
    return this.credentials.list(filter);
  }

  getCredential(id: string): CredentialSummary {
    return this.credentials.get(id);
  }

  /** Resolves `workspace/env/name` (names, case-insensitive) or a credential id. */
  resolveCredential(ref: CredentialRef): CredentialSummary {
    return this.credentials.resolve(ref);
  }

  /** Checks a credential input without storing it (the CLI asks before the user pastes a value). */
  validateCredentialInput(input: unknown): void {
    this.ring.require();
    parseInput(CredentialInput, input);
  }

  addCredential(input: unknown): CredentialSummary {
    const [created] = this.addCredentials([input]);
    return created!;
  }

  /** Adds many in one transaction: all or nothing (imports, and seeding benchmarks). */
  addCredentials(inputs: unknown[], opts: { auditType?: 'created' | 'imported' } = {}): CredentialSummary[] {
    this.ring.require();
    const parsed = inputs.map((input, i) => parseInput(CredentialInput, input, inputs.length > 1 ? `[${i}]` : undefined));
    parsed.forEach((c, i) => this.grants.check(this.getWorkspace(this.getEnvironment(c.environmentId).workspaceId).providerId, c, parsed.length > 1 ? `[${i}].` : ''));
    const ids = this.write(() => this.credentials.insert(parsed, opts.auditType ?? 'created'));
    this.changed('credential', ids.length === 1 ? ids[0]! : null);
    return ids.map((id) => this.getCredential(id));
  }

  updateCredential(id: string, patch: unknown): CredentialSummary {
    this.ring.require();
    const p = parseInput(CredentialPatch, patch);
    // Only what this patch sets: a token stored before the check can still be corrected (role cleared, scopes set).
    if (p.role !== undefined || p.scopes !== undefined || p.tokenType !== undefined) {
      this.grants.check(this.getWorkspace(this.getCredential(id).workspaceId).providerId, { role: p.role, scopes: p.scopes, tokenType: p.tokenType });
    }
    this.write(() => this.credentials.update(id, p));
    this.changed('credential', id);
    return this.getCredential(id);
  }

  /** A provider's own "last used" date (from a token list), kept when it is newer than ours. */
  noteRemoteUse(id: string, at: number): void {
    if (this.write(() => this.credentials.noteRemoteUse(id, at))) this.changed('credential', id);
  }

  /** The account or company a live call said the token belongs to (from an identity preset). */
  setCredentialIdentity(id: string, identity: { account: string | null; company: string | null }): void {
    const m = this.credentials.readMeta(id);
    if (m.identity?.account === identity.account && m.identity?.company === identity.company) return;
    this.write(() => this.credentials.writeMeta(id, { ...m, identity }));
    this.changed('credential', id);
  }

  /** Deletes a token, audited; a record that fails to authenticate (CORRUPT) can be deleted too. */
  removeCredential(id: string): void {
    this.ring.require();
    this.write(() => this.credentials.remove(id));
    this.settleRemovedValues();
    this.changed('credential', id);
  }

  // ------------------------------------------------------------------- values (secret-repo.ts)

  /** Puts a new value in place of the old (rotation, regeneration); restarts the rotation period. */
  replaceSecret(id: string, secret: unknown): CredentialSummary {
    const current = this.getCredential(id);
    const s = parseInput(SecretInput, secret, 'secret');
    if (current.kind !== 'jwt_session' && s.refreshToken) {
      throw new VaultError('VALIDATION', 'secret.refreshToken only applies to JWT sessions', {
        issues: [{ path: 'secret.refreshToken', message: 'only applies to JWT sessions' }],
      });
    }
    const meta = this.secrets.metaFor(id, s);
    this.write(() => this.secrets.replace(current, s, meta));
    this.settleRemovedValues();
    this.changed('credential', id);
    return this.getCredential(id);
  }

  /**
   * A JWT session's new access (and refresh) token after a login or refresh.
   * Not a rotation: the credential's rotation period does not restart.
   */
  updateSessionSecret(id: string, secret: unknown, expiresAt: number | null): CredentialSummary {
    const current = this.getCredential(id);
    if (current.kind !== 'jwt_session') throw new VaultError('VALIDATION', 'Only a JWT session has session tokens to update.');
    const s = parseInput(SecretInput, secret, 'secret');
    const meta = this.secrets.metaFor(id, s);
    this.write(() => this.secrets.renewSession(id, s, meta, expiresAt));
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
    this.write(() => this.secrets.markRevoked(current, opts));
    if (opts.wipeSecret) this.settleRemovedValues();
    this.changed('credential', id);
    return this.getCredential(id);
  }

  /** Drops a revoked token's value that was kept for forensics (the record and its history stay). */
  wipeSecret(id: string): CredentialSummary {
    const current = this.getCredential(id);
    this.secrets.checkWipeable(current);
    this.write(() => this.secrets.wipe(current));
    this.settleRemovedValues();
    this.changed('credential', id);
    return this.getCredential(id);
  }

  /**
   * The only way a secret leaves the vault for a person: audited as `revealed`
   * or `copied`. The HTTP engine uses `secretForRequest` instead.
   */
  revealCredential(id: string, purpose: 'revealed' | 'copied' = 'revealed'): SecretValue {
    const secret = this.secrets.read(id);
    this.audit.appendSoon({ type: purpose, credentialId: id, fingerprint: fingerprint(secret.value) });
    return secret;
  }

  /** For the main process's own requests; the caller audits what it does with it (e.g. `tested`). */
  secretForRequest(id: string): SecretValue {
    return this.secrets.read(id);
  }

  /**
   * For the leak scanner (issue 13): a copy of the scan subkey and, for each
   * stored value, its length, prefix and keyed hash — built one value at a
   * time (scan-index.ts). The caller wipes the key.
   */
  scanMaterial(): { key: Buffer; targets: ScanTarget[]; unreadable: string[] } {
    const keys = this.ring.require();
    const ids = this.secrets.idsWithValue();
    const key = Buffer.from(keys.scan);
    return { key, ...buildScanTargets(key, ids, (id) => this.secrets.read(id)) };
  }

  // ------------------------------------------------------------ rotation lineage and moves (lineage-repo.ts)

  /** Records that `newId` was stored to replace `oldId` (null unlinks it); the old one stays current. */
  setSupersedes(newId: string, oldId: string | null): CredentialSummary {
    const c = this.getCredential(newId);
    if (oldId !== null) this.lineage.checkSameEnvironment(this.getCredential(oldId), c, 'A replacement must be in the same environment as the token it replaces.');
    this.write(() => this.lineage.setSupersedes(c, oldId));
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
    this.lineage.checkSameEnvironment(old, next, 'Both tokens of a rotation must be in the same environment.');
    this.write(() => this.lineage.swapNames(old, next, supersededBy));
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
    const fromPath = `${wsName(from.workspaceId)}/${from.name}/${c.name}`;
    const toPlace = `${wsName(to.workspaceId)}/${to.name}`;
    this.write(() => {
      expectUnchanged('token', this.getCredential(id), expectedUpdatedAt);
      return this.lineage.move(c, to, name, fromPath, toPlace);
    });
    this.changed('credential', id);
    return this.getCredential(id);
  }

  // ------------------------------------------------------------- tests and probes (test-history-repo.ts, probe-report-repo.ts)

  /**
   * Records a test's outcome (and use) on the credential, with its audit event
   * and a history entry. `entry` must hold no secret and no body.
   */
  recordTest(id: string, outcome: TestOutcome, entry: TestHistoryEntry): void {
    const c = this.getCredential(id);
    const at = this.now();
    this.write(() => this.tests.write(c, outcome, entry, at));
    this.changed('credential', id);
  }

  /**
   * The same record, committed with others in one transaction at most
   * `TEST_RECORD_DELAY_MS` later: a test's own round trip then carries no
   * fsync, and "Test all" pays one per batch. The window is flushed on lock
   * and close; a crash inside it loses history lines, never user data.
   */
  recordTestSoon(id: string, outcome: TestOutcome, entry: TestHistoryEntry): void {
    this.ring.require();
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
    if (batch.length === 0 || !this.ring.isUnlocked || !this.db.open) return;
    const touched = new Map<string, CredentialSummary>();
    this.write(() => {
      for (const t of batch) {
        // A credential deleted in the meantime has no history to keep.
        if (!this.credentials.exists(t.id)) continue;
        // Read (and decrypted) once per batch: under this write lock only these history writes change it, and they leave its id and fingerprint as they are.
        const c = touched.get(t.id) ?? this.getCredential(t.id);
        this.tests.write(c, t.outcome, t.entry, t.at);
        touched.set(t.id, c);
      }
    });
    for (const id of touched.keys()) this.changed('credential', id);
  }

  listTestHistory(credentialId: string, limit = 50): (TestHistoryEntry & { at: number; outcome: TestOutcome })[] {
    return this.tests.list(credentialId, limit);
  }

  /** Keeps a credential's latest permission probe (a report with no secret in it), sealed. */
  saveProbeReport(credentialId: string, report: unknown): void {
    this.ring.require();
    this.getCredential(credentialId);
    const sealed = this.probes.seal(credentialId, report);
    this.write(() => this.probes.put(credentialId, sealed));
  }

  probeReport<T>(credentialId: string): T | null {
    return this.probes.get<T>(credentialId);
  }

  // -------------------------------------------------------------------- audit (audit-log.ts)

  listAudit(opts: Parameters<AuditLog['list']>[0] = {}): AuditEvent[] {
    this.ring.require();
    return this.audit.list(opts);
  }

  /**
   * Verifies the audit chain, then the digest of the vault's records
   * (cell-digest.ts): `ok` is false with `firstBrokenSeq` naming the first bad
   * event when the chain breaks, or with `firstBrokenSeq` null and
   * `recordsIntact` false when a record was put back, removed or added
   * outside Tokenvault. LOCKED when locked.
   */
  verifyAudit(): AuditVerification {
    const keys = this.ring.require();
    // Queued events first (a write); then the chain, the head it must end at and the
    // records digest all from one read transaction: read statement by statement, another
    // process's commit in between made an intact log look cut short ("the log ends at
    // event 622 but the vault recorded 626"), found with parallel CLI writers.
    this.audit.flush();
    return this.readTogether(() => {
      const chain = this.audit.verify();
      if (!chain.ok) return { ...chain, recordsIntact: null };
      const records = verifyCellDigest(this.db, keys);
      return records.ok ? { ...chain, recordsIntact: true } : { ...chain, ok: false, reason: records.reason, recordsIntact: false };
    });
  }

  /** Records an event that happened outside the vault (an export, a copy by the shell). */
  recordEvent(input: AuditInput): void {
    this.ring.require();
    this.write(() => this.audit.appendNow(input));
  }

  /** Commits queued audit events now (before exit, and in tests). */
  flush(): void {
    this.flushTests();
    if (this.ring.isUnlocked && this.db.open) this.audit.flush();
  }

  // ------------------------------------------------------------------- search (search-index.ts)

  /**
   * Finds workspaces, environments and tokens by name across the whole vault
   * (see SearchIndex.search). Errors: LOCKED.
   */
  search(query: string, limit = 50): SearchEntry[] {
    this.ring.require();
    return this.names.search(query, limit);
  }
}
