import { VaultError } from '../../src-shared/errors';
import { dataLoc, type AuditLog } from './audit-log';
import { open, seal, type Random } from './cipher';
import type { Db } from './db';
import type { VaultKeys } from './keys';
import { newGen } from './records';

/**
 * The format of the sealed cells in GEN_CELLS (vault_meta.cell_format): 1, the v1 additional data (table, id, column);
 * 2, the v2 additional data with the cell's write generation (issue 15, see
 * cipher.ts). A vault created now starts at 2.
 */
export const CELL_FORMAT = 2;

/** The note of the audit event the upgrade writes; its presence in the chain refuses a second upgrade (a downgrade). */
export const CELL_UPGRADE_NOTE = 'vault storage upgraded: each sealed cell bound to its write generation (format 2)';

/** Every sealed cell that carries a write generation (`<column>_gen`); each table's key column is `id`. */
export const GEN_CELLS: readonly { table: 'workspaces' | 'environments' | 'credentials' | 'backup_schedule'; column: 'meta' | 'secret' | 'config' | 'last_report' }[] = [
  { table: 'workspaces', column: 'meta' },
  { table: 'environments', column: 'meta' },
  { table: 'credentials', column: 'meta' },
  { table: 'credentials', column: 'secret' },
  { table: 'backup_schedule', column: 'config' },
  { table: 'backup_schedule', column: 'last_report' },
];

export interface CellUpgradeOptions {
  db: Db;
  keys: VaultKeys;
  audit: AuditLog;
  random: Random;
  /** Runs its function as one write transaction (BEGIN IMMEDIATE). */
  write: <T>(fn: () => T) => T;
}

/**
 * Brings a vault written before issue 15 to cell format 2, at its first
 * unlock (re-sealing needs the vault key, so no SQL migration can): in one
 * write transaction, every v1 cell is opened with the v1 additional data and
 * sealed again under a fresh generation, cell_format becomes 2 and the audit
 * chain gets an `updated` event with CELL_UPGRADE_NOTE. Another process that
 * upgraded first is seen inside the transaction (nothing is done twice). A
 * cell that does not open as v1 is left as it is: it was damaged before, and
 * stays CORRUPT (listed as damaged, as before).
 *
 * Returns how many cells were re-sealed (0 when the vault was at format 2).
 * Errors: CORRUPT when cell_format says 1 but the audit chain already holds
 * an upgrade: the format mark was put back (a downgrade); nothing is changed.
 */
export function upgradeCells(o: CellUpgradeOptions): number {
  if (formatOf(o.db) >= CELL_FORMAT) return 0;
  return o.write(() => {
    if (formatOf(o.db) >= CELL_FORMAT) return 0;
    if (sealedWithGenerations(o.db) || upgradedBefore(o)) {
      throw new VaultError(
        'CORRUPT',
        'The vault file says its records are in the old format, but they or its audit log show an upgrade already happened (or the audit log was changed): the file was rolled back or tampered with. Restore it from a backup.',
        { details: { reason: 'cell_format_rolled_back' } },
      );
    }
    let count = 0;
    for (const { table, column } of GEN_CELLS) {
      const gen = `${column}_gen`;
      const rows = o.db.prepare(`SELECT id, ${column} AS box FROM ${table} WHERE ${column} IS NOT NULL AND ${gen} = 0`).all() as { id: string | number; box: Buffer }[];
      const put = o.db.prepare(`UPDATE ${table} SET ${column} = ?, ${gen} = ? WHERE id = ?`);
      for (const r of rows) {
        let plain: Buffer;
        try {
          plain = open(o.keys.enc, r.box, { table, id: String(r.id), column });
        } catch {
          continue;
        }
        const g = newGen(o.random);
        put.run(seal(o.keys.enc, plain, { table, id: String(r.id), column, gen: g }, o.random), g, r.id);
        plain.fill(0);
        count++;
      }
    }
    o.db.prepare('UPDATE vault_meta SET cell_format = ? WHERE id = 1').run(CELL_FORMAT);
    o.audit.appendNow({ type: 'updated', note: `${CELL_UPGRADE_NOTE}; ${count} record cell${count === 1 ? '' : 's'} re-sealed` });
    return count;
  });
}

function formatOf(db: Db): number {
  return (db.prepare('SELECT cell_format FROM vault_meta WHERE id = 1').get() as { cell_format: number } | undefined)?.cell_format ?? CELL_FORMAT;
}

/**
 * Whether any cell already carries a write generation. An honest format-1
 * vault has none: sealing needs the keys, and the first unlock upgrades
 * before anything is written. A vault whose format mark was put back to 1
 * after the upgrade still has them unless every one was reset too, which
 * leaves every v2 cell unreadable (the review of issue 15 found that the
 * audit check alone could be hidden by editing the upgrade's event).
 */
function sealedWithGenerations(db: Db): boolean {
  return GEN_CELLS.some(({ table, column }) => db.prepare(`SELECT 1 FROM ${table} WHERE ${column}_gen <> 0 LIMIT 1`).get() !== undefined);
}

/**
 * Whether the audit log says the vault was upgraded before, or cannot say.
 * The chain is verified (its MACs cover every column of every event, and the
 * head in vault_meta its end): an edited, deleted or cut event means the log
 * cannot be trusted to show the upgrade, and counts as "upgraded before", so
 * the upgrade is refused (CORRUPT). In the same walk every event's data is
 * opened and its note read, whatever its type; data that does not open counts
 * as "upgraded before" too. A one-time cost, at the first unlock of an old vault.
 */
function upgradedBefore(o: CellUpgradeOptions): boolean {
  let seen = false;
  const chain = o.audit.verify((seq, data) => {
    if (seen || !data) return;
    try {
      const plain = open(o.keys.enc, data, dataLoc(seq));
      const note = (JSON.parse(plain.toString('utf8')) as { note: string | null }).note;
      plain.fill(0);
      if (note?.startsWith(CELL_UPGRADE_NOTE)) seen = true;
    } catch {
      seen = true;
    }
  });
  return seen || !chain.ok;
}
