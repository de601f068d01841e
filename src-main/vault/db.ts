import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { VaultError } from '../../src-shared/errors';
import { registerCellDigest } from './cell-digest';
import { MIGRATIONS } from './migrations';
import { DEFAULT_BUSY_TIMEOUT_MS, useImmediateTransactions } from './write-lock';

export type Db = Database.Database;

export interface OpenDbOptions {
  /** Where the addon built for this runtime lives (Electron's ABI differs from Node's). */
  nativeBinding?: string;
  /** Clock for the name of the pre-migration copy. */
  now?: () => number;
  /** Test seam: the migration list to apply instead of MIGRATIONS (the schema version is its length). */
  migrations?: readonly string[];
  /** How long to wait for another process's write lock before BUSY (ms; default 5000). */
  busyTimeoutMs?: number;
  /** Names this process in the writer-info file (e.g. `tokenvault token add`); never an argument. */
  processLabel?: string;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');

/**
 * Reads `PRAGMA user_version` without opening the database: from the file
 * header (bytes 60–63, big-endian; sqlite.org/fileformat.html §1.3), which is
 * the whole truth when no WAL file is beside it. A read-only SQLite
 * connection would create `-wal`/`-shm` files next to a WAL database, and the
 * probe promises to leave a newer version's files as it found them. With a
 * non-empty WAL (another process has it open, or it crashed) the header may be
 * stale, so SQLite itself reads it; the WAL files exist already then.
 */
function probeVersion(file: string, nativeBinding: { nativeBinding?: string }): { version: number; release(): void } {
  const wal = `${file}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    const probe = new Database(file, { readonly: true, fileMustExist: true, ...nativeBinding });
    try {
      // Released once the real connection is open: the first connection to a WAL
      // database rebuilds the WAL index from the WAL (a one-shot CLI command leaves
      // it for the next, see Vault.close), and the probe being first spares the
      // real connection a second rebuild.
      return { version: probe.pragma('user_version', { simple: true }) as number, release: () => probe.close() };
    } catch (e) {
      probe.close();
      throw e;
    }
  }
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) throw new Error('not a SQLite database');
  return { version: header.readInt32BE(60), release: () => undefined };
}

/**
 * Opens (creating if needed) and migrates the vault database.
 *
 * A database written by a newer Tokenvault is refused before anything writes
 * to it: the version is read on a read-only connection first, because even
 * setting `journal_mode=WAL` modifies the file.
 *
 * Every `db.transaction(fn)()` on the returned connection is `BEGIN
 * IMMEDIATE`, and a wait for another process's write lock longer than
 * `busyTimeoutMs` ends in a typed BUSY error (see write-lock.ts).
 */
export function openDatabase(file: string, opts: OpenDbOptions = {}): Db {
  const nativeBinding = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};
  const migrations = opts.migrations ?? MIGRATIONS;
  const schemaVersion = migrations.length;
  const exists = existsSync(file) && statSync(file).size > 0;
  let probe: ReturnType<typeof probeVersion> | null = null;
  if (exists) {
    try {
      probe = probeVersion(file, nativeBinding);
    } catch {
      throw new VaultError('CORRUPT', `${file} is not a Tokenvault database (or it is damaged).`);
    }
    const version = probe.version;
    if (version > schemaVersion) {
      probe.release();
      throw new VaultError(
        'UNSUPPORTED_VERSION',
        `This vault was written by a newer Tokenvault (schema ${version}; this version reads up to ${schemaVersion}). Update Tokenvault; the file was not changed.`,
        { details: { found: version, supported: schemaVersion } },
      );
    }
  }

  const busyTimeoutMs = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  let db: Db;
  try {
    makePrivate(file);
    // The timeout applies from the first statement: switching to WAL needs a lock too.
    db = new Database(file, { ...nativeBinding, timeout: busyTimeoutMs });
  } catch (e) {
    probe?.release();
    throw e;
  }
  try {
    try {
      useImmediateTransactions(db, file, opts.processLabel ?? `node process ${process.pid}`);
      cacheStatements(db);
      // Before any statement: the cell digest's triggers (migration 15) call these functions.
      registerCellDigest(db);
      db.pragma('journal_mode = WAL');
    } finally {
      // The real connection has the WAL index now (its first statement read it).
      probe?.release();
    }
    // FULL: a commit is on disk before it is acknowledged, WAL or not.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // A replaced, wiped or deleted value's sealed box is overwritten with zeros
    // where it lay: in its b-tree page, and on pages that fall to the freelist.
    // FAST would leave freed pages unwritten ("leaving forensic traces on
    // freelist pages", sqlite.org/pragma.html#pragma_secure_delete): removing a
    // workspace of 300 tokens left 231 of their boxes in the file under FAST,
    // none under ON, for ~2% more WAL pages on that path and no measurable
    // difference on a 10,000-token insert, rotations or single deletes.
    db.pragma('secure_delete = ON');
    // The WAL file is cut back to nothing each time SQLite starts it over after a
    // checkpoint, instead of being overwritten from the start: old frames past
    // the newest write would keep replaced and deleted boxes in `-wal` for as
    // long as the app stays open (the review found 57 of 300 deleted boxes there).
    // It also keeps the file's size a measure of what it holds (leaveToExit).
    db.pragma('journal_size_limit = 0');
    // Reveal is a point read; keep the hot pages in memory (32 MiB; SQLite's default is 2 MiB).
    db.pragma('cache_size = -32768');
    migrate(db, file, opts.now ?? Date.now, migrations);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** Past this size a WAL left for the next process costs it more to read back than a checkpoint now (see leaveToExit). */
export const WAL_LEFT_AT_EXIT_MAX_BYTES = 1024 * 1024;

/**
 * Whether a process that is about to exit may leave `db` open instead of
 * closing it (Vault.close's `processExits`): true while its WAL file is
 * under WAL_LEFT_AT_EXIT_MAX_BYTES. A WAL left behind is read whole by the
 * next first opener to rebuild its index (~1 ms per MB here), and that
 * rebuild also forgets how much of it was checkpointed, so the WAL would
 * only grow; closing it once it passes 1 MiB (about every 35 `tokenvault
 * test`s, ~28 KB each) checkpoints and deletes it, which keeps both bounded.
 * A WAL that cannot be read (gone already) is treated as small.
 */
export function leaveToExit(db: Db): boolean {
  try {
    return statSync(`${db.name}-wal`).size < WAL_LEFT_AT_EXIT_MAX_BYTES;
  } catch {
    return true;
  }
}

/** More distinct SQL texts than any code path here writes (they are literals); past it the cache starts over. */
const MAX_CACHED_STATEMENTS = 500;

/**
 * Makes `db.prepare(sql)` return one compiled statement per SQL text instead
 * of compiling it again on every call: the vault prepares its statements
 * where it runs them, and compiling them was a fifth of a one-click test's
 * time in main (issue 9, measured with --cpu-prof). A statement busy in an
 * `.iterate()` is never handed out twice (a fresh one is compiled for the
 * nested use), and a statement whose caller switches on `pluck`, `raw` or
 * `expand` leaves the cache, so no other caller gets rows in that shape.
 * SQLite re-prepares a cached statement itself after a schema change.
 */
export function cacheStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    const known = cache.get(sql);
    if (known && !known.busy) return known;
    const fresh = prepare(sql);
    if (known) return fresh;
    if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
    cache.set(sql, fresh);
    if (fresh.reader) {
      // A caller that switches a reader's output mode keeps that statement to itself.
      for (const mode of ['pluck', 'raw', 'expand'] as const) {
        const toggle = fresh[mode].bind(fresh);
        fresh[mode] = (on = true) => {
          if (on && cache.get(sql) === fresh) cache.delete(sql);
          return toggle(on);
        };
      }
    }
    return fresh;
  }) as Db['prepare'];
}

/** SQLite's companions of a database file: the WAL, its shared-memory index, a rollback journal. */
const COMPANIONS = ['-wal', '-shm', '-journal'];

/**
 * Every file naming a workspace or token is owner-only (DESIGN.md): the data
 * folder becomes 0700 and the database 0600 before SQLite writes a byte. The
 * database file is created empty with mode 0600 (SQLite then gives its -wal
 * and -shm files the database file's mode); files left by an older version
 * with wider modes are tightened. chmod is a no-op where the platform has no
 * POSIX modes (Windows: the per-user profile folder is the boundary there).
 */
function makePrivate(file: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, ...COMPANIONS.map((c) => `${file}${c}`)]) {
    if (existsSync(f)) chmodSync(f, 0o600);
  }
}

function migrate(db: Db, file: string, now: () => number, migrations: readonly string[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current === migrations.length) return;
  if (current > 0) {
    // A consistent copy of the old database, kept aside in case a migration
    // (or the version that runs it) turns out to be wrong.
    const backup = `${file}.v${current}-${now()}.bak`;
    // Created empty and owner-only first (VACUUM INTO accepts an empty file): the copy names every token.
    closeSync(openSync(backup, 'wx', 0o600));
    chmodSync(backup, 0o600);
    db.prepare('VACUUM INTO ?').run(backup);
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      // Another process may have run this step while we waited for the lock.
      if ((db.pragma('user_version', { simple: true }) as number) > v) return;
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
