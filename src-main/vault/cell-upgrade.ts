import { VaultError } from '../../src-shared/errors';
import { dataLoc, type AuditLog } from './audit-log';
import { open, seal, type Random } from './cipher';
import type { Db } from './db';
import type { VaultKeys } from './keys';
import { newGen } from './records';

/**
 * The format of the sealed cells in GEN_CELLS (vault_meta.cell_format): 1, the v1 additional data (table, id, column);
 * 2, the v2 additional data with the cell's write generation (issue 15, see
 * cipher.ts) for workspaces, environments, credentials and the backup
 * schedule; 3, probe reports too (migration 14). A vault created now starts at 3.
 */
export const CELL_FORMAT = 3;

/** The note of the audit event the upgrade to format 2 writes; its presence in the chain refuses a second upgrade (a downgrade). */
export const CELL_UPGRADE_NOTE = 'vault storage upgraded: each sealed cell bound to its write generation (format 2)';

/** The note of the audit event the upgrade to format 3 writes (probe reports); the same role as CELL_UPGRADE_NOTE for its step. */
export const PROBE_UPGRADE_NOTE = 'vault storage upgraded: each probe report bound to its write generation (format 3)';

/** A sealed cell that carries a write generation (`<column>_gen`), the column naming its row, and the cell format from which it does. */
export interface GenCell {
  table: 'workspaces' | 'environments' | 'credentials' | 'backup_schedule' | 'probe_reports';
  column: 'meta' | 'secret' | 'config' | 'last_report' | 'data';
  idColumn: 'id' | 'credential_id';
  format: 2 | 3;
}

/** Every sealed cell that carries a write generation (`<column>_gen`). */
export const GEN_CELLS: readonly GenCell[] = [
  { table: 'workspaces', column: 'meta', idColumn: 'id', format: 2 },
  { table: 'environments', column: 'meta', idColumn: 'id', format: 2 },
  { table: 'credentials', column: 'meta', idColumn: 'id', format: 2 },
  { table: 'credentials', column: 'secret', idColumn: 'id', format: 2 },
  { table: 'backup_schedule', column: 'config', idColumn: 'id', format: 2 },
  { table: 'backup_schedule', column: 'last_report', idColumn: 'id', format: 2 },
  { table: 'probe_reports', column: 'data', idColumn: 'credential_id', format: 3 },
];

/** The upgrade's steps, in order: the format each one reaches, the cells it re-seals, and the note of its audit event. */
const STEPS: readonly { to: number; cells: readonly GenCell[]; note: string }[] = [
  { to: 2, cells: GEN_CELLS.filter((c) => c.format === 2), note: CELL_UPGRADE_NOTE },
  { to: 3, cells: GEN_CELLS.filter((c) => c.format === 3), note: PROBE_UPGRADE_NOTE },
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
 * Brings a vault written with older sealed cells to CELL_FORMAT, at its first
 * unlock (re-sealing needs the vault key, so no SQL migration can): in one
 * write transaction, each step from the vault's format on (1 -> 2: the cells
 * of workspaces, environments, credentials and the backup schedule; 2 -> 3:
 * probe reports) opens its cells that still have generation 0 with the v1
 * additional data, seals them again under a fresh generation, sets
 * cell_format to the step's format and appends an `updated` audit event with
 * the step's note (CELL_UPGRADE_NOTE, PROBE_UPGRADE_NOTE). A format-1 vault
 * takes both steps in the one transaction. Another process that upgraded
 * first is seen inside the transaction (nothing is done twice). A cell that
 * does not open as v1 is left as it is: it was damaged before, and stays
 * CORRUPT (listed as damaged, as before).
 *
 * Returns how many cells were re-sealed (0 when the vault was at CELL_FORMAT).
 * Errors: CORRUPT (details.reason `cell_format_rolled_back`) when cell_format
 * says an older format but a cell a pending step would upgrade already has a
 * generation, or the audit chain does not verify or already holds a pending
 * step's event: the format mark was put back (a downgrade); nothing is changed.
 */
export function upgradeCells(o: CellUpgradeOptions): number {
  if (formatOf(o.db) >= CELL_FORMAT) return 0;
  return o.write(() => {
    const from = formatOf(o.db);
    if (from >= CELL_FORMAT) return 0;
    const pending = STEPS.filter((s) => s.to > from);
    if (pending.some((s) => sealedWithGenerations(o.db, s.cells)) || upgradedBefore(o, pending.map((s) => s.note))) {
      throw new VaultError(
        'CORRUPT',
        'The vault file says its records are in the old format, but they or its audit log show an upgrade already happened (or the audit log was changed): the file was rolled back or tampered with. Restore it from a backup.',
        { details: { reason: 'cell_format_rolled_back' } },
      );
    }
    let total = 0;
    for (const step of pending) {
      const count = reseal(o, step.cells);
      o.db.prepare('UPDATE vault_meta SET cell_format = ? WHERE id = 1').run(step.to);
      o.audit.appendNow({ type: 'updated', note: `${step.note}; ${count} record cell${count === 1 ? '' : 's'} re-sealed` });
      total += count;
    }
    return total;
  });
}

/** Re-seals every v1 cell (generation 0) of `cells` under a fresh generation; returns how many. Inside the upgrade's transaction. */
function reseal(o: CellUpgradeOptions, cells: readonly GenCell[]): number {
  let count = 0;
  for (const { table, column, idColumn } of cells) {
    const gen = `${column}_gen`;
    const rows = o.db.prepare(`SELECT ${idColumn} AS id, ${column} AS box FROM ${table} WHERE ${column} IS NOT NULL AND ${gen} = 0`).all() as { id: string | number; box: Buffer }[];
    const put = o.db.prepare(`UPDATE ${table} SET ${column} = ?, ${gen} = ? WHERE ${idColumn} = ?`);
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
  return count;
}

function formatOf(db: Db): number {
  return (db.prepare('SELECT cell_format FROM vault_meta WHERE id = 1').get() as { cell_format: number } | undefined)?.cell_format ?? CELL_FORMAT;
}

/**
 * Whether any of `cells` (those a pending step would upgrade) already carries
 * a write generation. An honest vault below their format has none: sealing
 * needs the keys, and the first unlock upgrades before anything is written.
 * A vault whose format mark was put back (to 1, or from 3 to 2) after the
 * upgrade still has them unless every one was reset too, which
 * leaves every v2 cell unreadable (the review of issue 15 found that the
 * audit check alone could be hidden by editing the upgrade's event).
 */
function sealedWithGenerations(db: Db, cells: readonly GenCell[]): boolean {
  return cells.some(({ table, column }) => db.prepare(`SELECT 1 FROM ${table} WHERE ${column}_gen <> 0 LIMIT 1`).get() !== undefined);
}

/**
 * Whether the audit log says the vault was upgraded before (an event whose
 * note starts with one of `notes`, the pending steps'), or cannot say.
 * The chain is verified (its MACs cover every column of every event, and the
 * head in vault_meta its end): an edited, deleted or cut event means the log
 * cannot be trusted to show the upgrade, and counts as "upgraded before", so
 * the upgrade is refused (CORRUPT). In the same walk every event's data is
 * opened and its note read, whatever its type; data that does not open counts
 * as "upgraded before" too. A one-time cost, at the first unlock of an old vault.
 */
function upgradedBefore(o: CellUpgradeOptions, notes: readonly string[]): boolean {
  return auditHasNote(o, notes);
}

/**
 * Whether the audit log holds an event whose note starts with one of
 * `notes`, or cannot say (its chain does not verify, or an event's data does
 * not open): see upgradedBefore, whose walk this is. Also used by the
 * records digest's first seal (cell-digest.ts). A one-time cost.
 */
export function auditHasNote(o: { keys: VaultKeys; audit: AuditLog }, notes: readonly string[]): boolean {
  let seen = false;
  const chain = o.audit.verify((seq, data) => {
    if (seen || !data) return;
    try {
      const plain = open(o.keys.enc, data, dataLoc(seq));
      const note = (JSON.parse(plain.toString('utf8')) as { note: string | null }).note;
      plain.fill(0);
      if (note && notes.some((n) => note.startsWith(n))) seen = true;
    } catch {
      seen = true;
    }
  });
  return seen || !chain.ok;
}
