import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryKeyStore } from './keychain';
import { Vault, type VaultOptions } from './vault';
import { DEFAULT_KDF, type KdfParams } from './keys';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { VaultError } from '../../src-shared/errors';
import { dataLoc, linkMac } from './audit-log';
import { DIGEST_SEALED_NOTE, registerCellDigest } from './cell-digest';
import { open, seal } from './cipher';

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
 * an attacker with file access can do, bypassing the vault entirely. It has
 * the cell digest's SQL functions (they need no key: an attacker can write
 * them too), so its writes keep vault_meta.cell_digest in step with the rows,
 * but nothing seals it: audit verification reports them (cell-digest.ts).
 * `bare`: without them, as a Tokenvault build from before migration 15.
 */
export function rawDb(home: string, opts: { readonly?: boolean; bare?: boolean } = {}): Database.Database {
  const db = new Database(join(home, 'vault.db'), { readonly: opts.readonly ?? false, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  if (!opts.bare) registerCellDigest(db);
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

/**
 * Drops the cell digest's triggers on the tables of sealed cells (migration
 * 15, `cell_digest_*`), as an attacker who edits rows without updating the
 * digest would (the audit head's trigger stays: without it the vault's own
 * writes could not keep the seal); with `columns`, every trigger and the two
 * vault_meta columns too (taking a vault back to a schema before migration
 * 15). Returns the trigger names dropped.
 */
export function dropCellDigest(db: Database.Database, opts: { columns?: boolean } = {}): string[] {
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'cell\\_digest\\_%' ESCAPE '\\'").all() as { name: string }[])
    .map((r) => r.name)
    .filter((name) => opts.columns || name !== 'cell_digest_audit_head');
  for (const name of names) db.exec(`DROP TRIGGER "${name}"`);
  if (opts.columns) {
    db.exec('ALTER TABLE vault_meta DROP COLUMN cell_digest');
    db.exec('ALTER TABLE vault_meta DROP COLUMN cell_digest_mac');
  }
  return names;
}

/**
 * Makes a vault built by this version look as one from before migration 15
 * to its audit log: the event that records the first seal of the records
 * digest (DIGEST_SEALED_NOTE) gets another note, and the chain from it on is
 * linked again with the audit key (as only Tokenvault can). Used with
 * dropCellDigest({ columns: true }) by tests that take a vault back to an
 * older schema. `db` is a raw connection inside the caller's transaction.
 */
export function forgetDigestSeal(db: Database.Database, keys: { enc: Buffer; audit: Buffer }): void {
  type Row = { seq: number; at: number; type: string; credential_id: string | null; data: Buffer | null; mac: Buffer };
  const guards = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ('audit_no_update', 'audit_no_delete')").pluck().all() as string[];
  db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
  let prev: Buffer = Buffer.alloc(32);
  let relink = false;
  for (const r of db.prepare('SELECT * FROM audit ORDER BY seq').all() as Row[]) {
    if (r.data) {
      const loc = dataLoc(r.seq);
      const plain = JSON.parse(open(keys.enc, r.data, loc).toString('utf8')) as { fingerprint: string | null; note: string | null };
      if (plain.note === DIGEST_SEALED_NOTE) {
        r.data = seal(keys.enc, Buffer.from(JSON.stringify({ fingerprint: null, note: 'test: an event of an older vault' })), loc);
        relink = true;
      }
    }
    if (relink) {
      r.mac = linkMac(keys.audit, prev, r);
      db.prepare('UPDATE audit SET data = ?, mac = ? WHERE seq = ?').run(r.data, r.mac, r.seq);
      db.prepare('UPDATE vault_meta SET audit_head_mac = ? WHERE audit_head_seq = ?').run(r.mac, r.seq);
    }
    prev = r.mac;
  }
  for (const sql of guards) db.exec(sql);
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
