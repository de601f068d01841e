import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { VaultError } from '../../src-shared/errors';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export interface OpenDbOptions {
  /** Where the addon built for this runtime lives (Electron's ABI differs from Node's). */
  nativeBinding?: string;
  /** Clock for the name of the pre-migration copy. */
  now?: () => number;
  /** Test seam: the migration list to apply instead of MIGRATIONS (the schema version is its length). */
  migrations?: readonly string[];
}

/**
 * Opens (creating if needed) and migrates the vault database.
 *
 * A database written by a newer Tokenvault is refused before anything writes
 * to it: the version is read on a read-only connection first, because even
 * setting `journal_mode=WAL` modifies the file.
 */
export function openDatabase(file: string, opts: OpenDbOptions = {}): Db {
  const nativeBinding = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};
  const migrations = opts.migrations ?? MIGRATIONS;
  const schemaVersion = migrations.length;
  const exists = existsSync(file) && statSync(file).size > 0;
  if (exists) {
    let version: number;
    const probe = new Database(file, { readonly: true, fileMustExist: true, ...nativeBinding });
    try {
      version = probe.pragma('user_version', { simple: true }) as number;
    } catch {
      throw new VaultError('CORRUPT', `${file} is not a Tokenvault database (or it is damaged).`);
    } finally {
      probe.close();
    }
    if (version > schemaVersion) {
      throw new VaultError(
        'UNSUPPORTED_VERSION',
        `This vault was written by a newer Tokenvault (schema ${version}; this version reads up to ${schemaVersion}). Update Tokenvault; the file was not changed.`,
        { details: { found: version, supported: schemaVersion } },
      );
    }
  }

  const db = new Database(file, nativeBinding);
  try {
    db.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before it is acknowledged, WAL or not.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Reveal is a point read; keep the hot pages in memory (32 MiB; SQLite's default is 2 MiB).
    db.pragma('cache_size = -32768');
    migrate(db, file, opts.now ?? Date.now, migrations);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

function migrate(db: Db, file: string, now: () => number, migrations: readonly string[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current === migrations.length) return;
  if (current > 0) {
    // A consistent copy of the old database, kept aside in case a migration
    // (or the version that runs it) turns out to be wrong.
    const backup = `${file}.v${current}-${now()}.bak`;
    db.prepare('VACUUM INTO ?').run(backup);
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
