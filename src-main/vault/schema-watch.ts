import { VaultError } from '../../src-shared/errors';
import type { Db } from './db';

/**
 * Notices that another process migrated the open vault to a schema newer than
 * this process's code (issue 15, version skew): a newer Tokenvault opened the
 * vault while this one kept running. From then on this process may misread
 * cells (a newer additional data, a moved column) or write them the old way,
 * so every check answers UNSUPPORTED_VERSION asking for a restart, for good
 * (the answer is sticky: the vault does not go back).
 *
 * Cheap by construction: `PRAGMA user_version` is read only when
 * `PRAGMA data_version` moved since the last look (it moves exactly when
 * another connection committed). `observe` takes a data_version the caller
 * read anyway (the metadata cache's stamp), so a read path adds no query while
 * nothing changed; `check` reads it itself (one statement, for write
 * transactions and error paths).
 */
export class SchemaWatch {
  private seen: number | null = null;
  private newer: number | null = null;
  private readonly dataVersion;
  private readonly userVersion;

  /** `supported`: the schema version this process's code reads and writes (SCHEMA_VERSION). */
  constructor(
    db: Db,
    private readonly supported: number,
  ) {
    this.dataVersion = db.prepare('SELECT data_version AS v FROM pragma_data_version');
    this.userVersion = db.prepare('SELECT user_version AS v FROM pragma_user_version');
  }

  /**
   * Looks at the schema version when `dataVersion` (this connection's
   * `PRAGMA data_version`, just read by the caller) differs from the last one
   * seen. Errors: UNSUPPORTED_VERSION (`details.reason`
   * 'schema_changed_while_open') once the vault's schema is newer than this
   * code's.
   */
  observe(dataVersion: number): void {
    if (this.newer === null && dataVersion === this.seen) return;
    if (this.newer === null) {
      this.seen = dataVersion;
      const found = (this.userVersion.get() as { v: number }).v;
      if (found > this.supported) this.newer = found;
    }
    if (this.newer !== null) throw this.error(this.newer);
  }

  /** `observe` with a data_version read here (one statement). Same errors. */
  check(): void {
    if (this.newer !== null) throw this.error(this.newer);
    this.observe((this.dataVersion.get() as { v: number }).v);
  }

  private error(found: number): VaultError {
    return new VaultError(
      'UNSUPPORTED_VERSION',
      `A newer Tokenvault updated this vault (schema ${found}; this process reads up to ${this.supported}) while this one was running. Nothing was read or changed: quit this Tokenvault (every window and tokenvault command started before the update) and start the newer version.`,
      { details: { reason: 'schema_changed_while_open', found, supported: this.supported } },
    );
  }
}
