import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from './audit-log';
import { openDatabase, type Db } from './db';
import { deriveKeys, makeKeyCheck, type VaultKeys } from './keys';
import type { RecordContext, Write } from './records';
import { tempHome } from './test-support';

/**
 * For unit tests of one vault part without the Vault: a migrated database
 * with a vault_meta row, fixed keys, a clock, an audit log, a record context
 * and a `write` that counts its transactions. `forbidTransactions()` makes
 * any transaction the part would open itself fail, so a test can show that a
 * repository only ever runs inside its caller's.
 */
export interface Parts {
  home: string;
  db: Db;
  keys: VaultKeys;
  audit: AuditLog;
  ctx: RecordContext;
  write: Write;
  writes: () => number;
  clock: { t: number };
  /** Runs `fn` in a transaction opened with plain BEGIN/COMMIT while `db.transaction` throws. */
  insideCallerTx<T>(fn: () => T): T;
  auditTypes(): string[];
  cleanup(): void;
}

export function openParts(opts: { withMeta?: boolean } = {}): Parts {
  const home = tempHome();
  const db = openDatabase(join(home, 'vault.db'));
  const vaultId = 'v_parts_test';
  const keys = deriveKeys(randomBytes(32), vaultId);
  const clock = { t: Date.UTC(2026, 0, 15, 12) };
  const now = () => clock.t;
  if (opts.withMeta !== false) {
    db.prepare("INSERT INTO vault_meta (id, vault_id, created_at, key_source, key_check) VALUES (1, ?, ?, 'keychain', ?)").run(vaultId, now(), makeKeyCheck(keys, vaultId));
  }
  const audit = new AuditLog(db, () => keys, now);
  let count = 0;
  const write: Write = (fn) => {
    count++;
    return db.transaction(fn)();
  };
  const ctx: RecordContext = { db, keys: () => keys, random: randomBytes, now, audit };
  return {
    home,
    db,
    keys,
    audit,
    ctx,
    write,
    writes: () => count,
    clock,
    insideCallerTx(fn) {
      const original = db.transaction;
      db.transaction = (() => {
        throw new Error('a part opened its own transaction');
      }) as unknown as Db['transaction'];
      db.exec('BEGIN IMMEDIATE');
      try {
        const out = fn();
        db.exec('COMMIT');
        return out;
      } catch (e) {
        db.exec('ROLLBACK');
        throw e;
      } finally {
        db.transaction = original;
      }
    },
    auditTypes() {
      return (db.prepare('SELECT type FROM audit ORDER BY seq').all() as { type: string }[]).map((r) => r.type);
    },
    cleanup() {
      db.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
