import type { Db } from './db';
import type { VaultKeys } from './keys';
import type { SealedTable } from './records';
import type { SchemaWatch } from './schema-watch';

/** More records than one test, one page or one batch reads at once; past it the cache starts over. */
const MAX_ENTRIES = 2_000;

interface Stamp {
  /** This connection's `total_changes()`: moves with every row it inserts, updates or deletes (committed or not). */
  own: number;
  /** `PRAGMA data_version`: moves when any other connection (another process, another Vault) commits. */
  others: number;
}

/**
 * Decrypted record metadata (a workspace's, an environment's or a token's
 * sealed `meta`: names, base URLs, roles, notes — never a token value), kept
 * in the main process while the vault is unlocked, so a one-click test does
 * not read and decrypt the same three records every time (issue 9: a fifth
 * of the handler's time, measured with --cpu-prof).
 *
 * When an entry may be used: only while the database is exactly as it was
 * when the entry was read. Every lookup reads a stamp — this connection's
 * `total_changes()` (any write of this process through this connection,
 * whichever code made it) and `data_version` (any commit by another
 * connection: the CLI, a script, another window) — and a stamp that moved
 * empties the cache. The stamp is read before the record, so a record read
 * after another process's commit is kept under the older stamp at worst and
 * is dropped at the next lookup, never served stale. Inside a write
 * transaction the cache is left aside (what it reads there may yet be rolled
 * back). Entries are tied to the keys they were decrypted with, and `clear`
 * (on lock and close) drops them all.
 *
 * `readTogether` runs a group of reads as one read transaction: one
 * consistent view of the database, and one round of file locking (two
 * fcntl calls per statement otherwise) for all of them.
 */
export class MetaCache {
  private readonly entries = new Map<string, unknown>();
  private keys: VaultKeys | null = null;
  private stamp: Stamp | null = null;
  /** How many `readTogether` calls are running (their transaction is a read, not a write). */
  private reading = 0;
  private readonly stampOf;
  private readonly begin;
  private readonly commit;
  private readonly rollback;

  /** `schema`: told each stamp's data_version, so a newer schema migrated by another process is noticed without a query of its own. */
  constructor(
    private readonly db: Db,
    private readonly schema?: SchemaWatch,
  ) {
    this.stampOf = db.prepare('SELECT total_changes() AS own, data_version AS others FROM pragma_data_version');
    this.begin = db.prepare('BEGIN DEFERRED');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  /**
   * The record `table`/`id` as `load` makes it (reading and decrypting its
   * row), or the copy made earlier under the same keys while the database
   * has not changed since. `load`'s errors (NOT_FOUND, CORRUPT) pass through
   * and nothing is kept; UNSUPPORTED_VERSION when another process migrated
   * the vault past this code's schema (see SchemaWatch). Callers copy what they hand out (entries are shared).
   */
  get<T>(table: SealedTable, id: string, keys: VaultKeys, load: () => T): T {
    // In a write transaction: what is read may be rolled back, and a rollback leaves total_changes() moved on.
    if (this.db.inTransaction && this.reading === 0) return load();
    const now = this.stampOf.get() as Stamp;
    // Reads user_version only when another process committed (UNSUPPORTED_VERSION when it migrated past this code).
    this.schema?.observe(now.others);
    if (keys !== this.keys || this.stamp === null || now.own !== this.stamp.own || now.others !== this.stamp.others) {
      this.entries.clear();
      this.keys = keys;
      this.stamp = now;
    }
    const key = `${table}/${id}`;
    if (this.entries.has(key)) return this.entries.get(key) as T;
    const value = load();
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }

  /**
   * Runs `fn` — reads only — as one read transaction (`BEGIN DEFERRED` …
   * `COMMIT`): every statement in it sees the same state of the database,
   * and the file locks are taken once instead of once per statement. Inside
   * a transaction already, `fn` simply runs in it. `fn` must not write: a
   * write would have to upgrade the read lock, which another writer may have
   * made impossible (SQLITE_BUSY_SNAPSHOT).
   */
  readTogether<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    this.begin.run();
    this.reading++;
    let done = false;
    try {
      const out = fn();
      done = true;
      return out;
    } finally {
      this.reading--;
      // Rolled back when `fn` threw: nothing it might have written by mistake is kept.
      if (this.db.inTransaction) (done ? this.commit : this.rollback).run();
    }
  }

  /** Drops every entry and the keys they belong to (lock, close). */
  clear(): void {
    this.entries.clear();
    this.keys = null;
    this.stamp = null;
  }

  /** How many records are held (for the tests that check the lock empties it). */
  get size(): number {
    return this.entries.size;
  }
}
