import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryKeyStore } from './keychain';
import { Vault, type VaultOptions } from './vault';
import { DEFAULT_KDF, type KdfParams } from './keys';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { VaultError } from '../../src-shared/errors';

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

/**
 * A second, raw connection to a vault's database file: what a damaged disk or
 * an attacker with file access can do, bypassing the vault entirely.
 */
export function rawDb(home: string, opts: { readonly?: boolean } = {}): Database.Database {
  const db = new Database(join(home, 'vault.db'), { readonly: opts.readonly ?? false, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Drops the schema's write guards (migration 13: the `gen_guard_*` triggers
 * that refuse a sealed cell written without a new generation), so a tamper
 * test can write an old or foreign box into a cell as an attacker with file
 * access would (they can drop triggers too), and prove that the cipher itself
 * refuses it. Returns the names dropped. Reopening the vault does not put
 * them back (the migration has run); use a fresh vault for guarded writes.
 */
export function dropWriteGuards(db: Database.Database): string[] {
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'gen\\_guard\\_%' ESCAPE '\\'").all() as { name: string }[]).map((r) => r.name);
  for (const name of names) db.exec(`DROP TRIGGER "${name}"`);
  return names;
}

/** Runs `fn` and returns the VaultError it throws; fails the test when it returns or throws anything else. */
export function vaultError(fn: () => unknown): VaultError {
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    if (e instanceof VaultError) return e;
    throw e;
  }
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    throw new Error('vaultError() was given an async function: use vaultErrorAsync()');
  }
  throw new Error(`expected a VaultError, but the call returned ${JSON.stringify(result)?.slice(0, 200)}`);
}

export async function vaultErrorAsync(fn: () => Promise<unknown>): Promise<VaultError> {
  let result: unknown;
  try {
    result = await fn();
  } catch (e) {
    if (e instanceof VaultError) return e;
    throw e;
  }
  throw new Error(`expected a VaultError, but the call resolved to ${JSON.stringify(result)?.slice(0, 200)}`);
}

/** Every row of the given tables, blobs as hex, in a stable order: compare two dumps to prove nothing changed. */
export function dumpTables(db: Database.Database, tables: readonly string[]): string {
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const rows = db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all() as Record<string, unknown>[];
    out[t] = rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Buffer.isBuffer(v) ? `x'${v.toString('hex')}'` : v])),
    );
  }
  return JSON.stringify(out);
}

export const DATA_TABLES = ['workspaces', 'environments', 'credentials', 'audit', 'settings'] as const;

/** A clock tests can move; starts at a fixed instant so timestamps are predictable. */
export function testClock(start = Date.UTC(2026, 0, 15, 12, 0, 0)): { now: () => number; advance(ms: number): void; set(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    set(ms) {
      t = ms;
    },
  };
}
