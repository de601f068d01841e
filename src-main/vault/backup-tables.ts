import * as z from 'zod';
import { VaultError } from '../../src-shared/errors';
import { GEN_CELLS } from './cell-upgrade';
import { openJson, sealJson } from './cipher';
import { nameMac } from './keys';
import { newGen } from './records';
import { SecretIndex } from './secret-index';
import type { Db } from './db';
import type { VaultInternals } from './vault';
import { BACKUP_TABLES, type BackupAuditEvent, type BackupDocument, type BackupTable } from './backup-format';

/**
 * How each table travels in a backup: which columns are sealed (decrypted in
 * the document, sealed again under the new vault's key on restore), which id
 * names the row in a sealed box's location, and under which parent the blind
 * name index (`name_mac`) is recomputed.
 */
export interface TableSpec {
  sealed: readonly string[];
  idColumn: string;
  /** Column holding the parent id of the name index; null for a top-level name (workspaces); absent: no name. */
  nameParent?: string | null;
  orderBy: string;
}

export const TABLE_SPECS: Record<BackupTable, TableSpec> = {
  settings: { sealed: [], idColumn: 'key', orderBy: 'key' },
  workspaces: { sealed: ['meta'], idColumn: 'id', nameParent: null, orderBy: 'id' },
  workspace_policies: { sealed: [], idColumn: 'workspace_id', orderBy: 'workspace_id' },
  environments: { sealed: ['meta'], idColumn: 'id', nameParent: 'workspace_id', orderBy: 'id' },
  credentials: { sealed: ['meta', 'secret'], idColumn: 'id', nameParent: 'environment_id', orderBy: 'id' },
  credential_expiry: { sealed: [], idColumn: 'credential_id', orderBy: 'credential_id' },
  test_history: { sealed: ['data'], idColumn: 'id', orderBy: 'id' },
  probe_reports: { sealed: ['data'], idColumn: 'credential_id', orderBy: 'credential_id' },
  reminders_sent: { sealed: [], idColumn: 'credential_id', orderBy: 'credential_id, kind, threshold, due_at' },
  reminder_snoozes: { sealed: [], idColumn: 'credential_id', orderBy: 'credential_id' },
  rotation_flows: { sealed: [], idColumn: 'id', orderBy: 'id' },
};

/**
 * Tables that are the vault's own machinery, not its content: keys, the audit
 * chain (carried as events), pending failures, and rate-limit holds (a
 * provider's "come back in N seconds": stale by the time a backup is restored),
 * and the blind index of values (`secret_index`: MACs under this vault's
 * index key, recomputed from the values on restore), and this machine's
 * backup schedule (`backup_schedule`, issue 14: a folder of this machine and
 * the backup passphrase; a restored vault sets its own schedule).
 */
const NOT_CONTENT = new Set(['vault_meta', 'audit', 'pending_audit', 'sqlite_sequence', 'rate_limit_holds', 'secret_index', 'backup_schedule']);

export type Row = Record<string, unknown>;

/** Every table of the database that a backup must carry; a table nobody taught the backup about fails loudly. */
export function contentTables(db: Db): string[] {
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );
  return names.filter((n) => !NOT_CONTENT.has(n));
}

function columnsOf(db: Db, table: string): Set<string> {
  return new Set((db.prepare(`PRAGMA table_info(${quoteIdent(table)})`).all() as { name: string }[]).map((c) => c.name));
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new VaultError('CORRUPT', `"${name}" is not a table or column name a backup may use.`);
  return `"${name}"`;
}

const loc = (table: string, id: unknown, column: string, gen?: number) => ({ table, id: String(id), column, ...(gen === undefined ? {} : { gen }) });

/**
 * The write generation column of a sealed column (issue 15, see cipher.ts), or
 * null for tables whose cells carry none (GEN_CELLS lists them: the meta of
 * workspaces, environments and credentials, a credential's secret, a probe
 * report's data). Generations are this vault's own
 * bookkeeping, like name_mac: a backup carries values, not boxes, so they are
 * left out of it, and a restore draws fresh ones as it seals again. A backup
 * made before generations existed restores the same way.
 */
export function genColumn(table: string, col: string): string | null {
  return GEN_CELLS.some((c) => c.table === table && c.column === col) ? `${col}_gen` : null;
}

const GEN_COLUMNS = new Set(GEN_CELLS.map((c) => `${c.column}_gen`));
const isGenColumn = (table: string, col: string) => GEN_COLUMNS.has(col) && genColumn(table, col.slice(0, -4)) === col;

/** Seals one cell of a backup row under this vault's key: the box, and a fresh generation where the table keeps one. */
export function sealBackupCell(x: VaultInternals, table: string, id: unknown, col: string, value: unknown): { box: Buffer; gen: number | null } {
  const gen = genColumn(table, col) === null ? undefined : newGen(x.random);
  return { box: sealJson(x.keys.enc, value, loc(table, id, col, gen), x.random), gen: gen ?? null };
}

/**
 * Reads every content table with its sealed columns decrypted. Throws CORRUPT
 * (naming the record) when a record does not decrypt: a backup never carries a
 * damaged record silently; INTERNAL when the schema holds a table or a binary
 * column this backup format does not know.
 */
export function dumpTables(x: VaultInternals): BackupDocument['tables'] {
  const known = new Set<string>(BACKUP_TABLES);
  const unknown = contentTables(x.db).filter((t) => !known.has(t));
  if (unknown.length > 0) {
    throw new VaultError('INTERNAL', `The backup format does not know the table(s) ${unknown.join(', ')}; nothing was written.`);
  }
  const out = {} as BackupDocument['tables'];
  for (const table of BACKUP_TABLES) {
    const spec = TABLE_SPECS[table];
    const rows = x.db.prepare(`SELECT * FROM ${quoteIdent(table)} ORDER BY ${spec.orderBy}`).all() as Row[];
    out[table] = rows.map((r) => {
      const row: Row = {};
      for (const [col, value] of Object.entries(r)) {
        if (col === 'name_mac' && spec.nameParent !== undefined) continue;
        if (isGenColumn(table, col)) continue;
        if (spec.sealed.includes(col)) {
          const genCol = genColumn(table, col);
          row[col] = value === null ? null : openJson<unknown>(x.keys.enc, value as Buffer, loc(table, r[spec.idColumn], col, genCol === null ? undefined : (r[genCol] as number)));
        } else if (Buffer.isBuffer(value)) {
          throw new VaultError('INTERNAL', `The backup format does not know the binary column ${table}.${col}; nothing was written.`);
        } else {
          row[col] = value;
        }
      }
      return row;
    });
  }
  return out;
}

const NamedMeta = z.looseObject({ name: z.string().min(1).max(200) });
const SecretJson = z.looseObject({ value: z.string().min(1), refreshToken: z.string().optional() }).nullable();

/**
 * Checks what the database's own constraints cannot: the sealed JSON a row
 * carries has the fields restore derives things from. Throws CORRUPT with the
 * JSON path of the first bad field.
 */
export function checkTables(tables: BackupDocument['tables']): void {
  const bad = (path: string, message: string) =>
    new VaultError('CORRUPT', `The backup's content is malformed at ${path}: ${message}.`, { issues: [{ path, message }], details: { reason: 'malformed' } });
  for (const table of BACKUP_TABLES) {
    const spec = TABLE_SPECS[table];
    tables[table].forEach((row, i) => {
      const at = `$.tables.${table}[${i}]`;
      const id = row[spec.idColumn];
      if (typeof id !== 'string' && typeof id !== 'number') throw bad(`${at}.${spec.idColumn}`, 'is missing');
      if (spec.nameParent !== undefined) {
        if (!NamedMeta.safeParse(row.meta).success) throw bad(`${at}.meta.name`, 'must be a name');
        if (spec.nameParent !== null && typeof row[spec.nameParent] !== 'string') throw bad(`${at}.${spec.nameParent}`, 'is missing');
      }
      if (table === 'credentials' && !SecretJson.safeParse(row.secret ?? null).success) throw bad(`${at}.secret`, 'must be null or { value }');
      for (const col of spec.sealed) if (!(col in row)) throw bad(`${at}.${col}`, 'is missing');
    });
  }
}

/**
 * Inserts one backup row into `table`, sealing its sealed columns under this
 * vault's key at their location (so the row's id must be final) and
 * recomputing its name index. Throws UNSUPPORTED_VERSION for a column this
 * schema does not have.
 */
export function insertRow(x: VaultInternals, table: BackupTable, row: Row): void {
  const spec = TABLE_SPECS[table];
  const columns = columnsOf(x.db, table);
  const values: Row = {};
  for (const [col, value] of Object.entries(row)) {
    // A generation in the document is not this vault's: a fresh one is drawn below.
    if (isGenColumn(table, col)) continue;
    if (!columns.has(col)) {
      throw new VaultError('UNSUPPORTED_VERSION', `The backup has a column ${table}.${col} that this version of Tokenvault does not know. Update Tokenvault to restore it.`);
    }
    if (spec.sealed.includes(col)) {
      const genCol = genColumn(table, col);
      if (value === null || value === undefined) {
        values[col] = null;
        if (genCol !== null) values[genCol] = newGen(x.random);
      } else {
        const sealed = sealBackupCell(x, table, row[spec.idColumn], col, value);
        values[col] = sealed.box;
        if (genCol !== null) values[genCol] = sealed.gen;
      }
    } else {
      values[col] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    }
  }
  if (spec.nameParent !== undefined) {
    const parent = spec.nameParent === null ? '' : String(row[spec.nameParent]);
    values.name_mac = nameMac(x.keys.index, parent, (row.meta as { name: string }).name);
  }
  const cols = Object.keys(values);
  if (table === 'credentials') indexSecret(x, String(row.id), row.secret);
  x.db.prepare(`INSERT INTO ${quoteIdent(table)} (${cols.map(quoteIdent).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
    ...cols.map((c) => values[c] as string | number | bigint | Buffer | null),
  );
}

/** Keeps the blind index of values (issue 12) in step with a restored value. */
export function indexSecret(x: VaultInternals, credentialId: string, secret: unknown): void {
  const value = (secret as { value?: unknown } | null | undefined)?.value;
  if (typeof value === 'string') new SecretIndex(x.db, () => x.keys.index).put(credentialId, value);
}

/** Every table's rows into an empty vault, parents first (call inside a transaction). */
export function insertAllTables(x: VaultInternals, tables: BackupDocument['tables']): void {
  for (const table of BACKUP_TABLES) for (const row of tables[table]) insertRow(x, table, row);
}

/**
 * Appends the backup's audit events, in order and with their original times,
 * to this vault's chain (MACed under this vault's key, so the restored log
 * verifies). In a new vault they keep their sequence numbers.
 */
export function appendAuditEvents(x: VaultInternals, events: BackupAuditEvent[]): void {
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    x.audit.appendNow({ type: e.type, credentialId: e.credentialId, fingerprint: e.fingerprint, note: e.note, at: e.at });
  }
}

/** The audit log as events (decrypted notes and fingerprints), oldest first. */
export function dumpAudit(x: VaultInternals): BackupAuditEvent[] {
  const rows = x.db.prepare('SELECT seq, at, type, credential_id, data FROM audit ORDER BY seq').all() as {
    seq: number;
    at: number;
    type: BackupAuditEvent['type'];
    credential_id: string | null;
    data: Buffer | null;
  }[];
  return rows.map((r) => {
    const data = r.data ? openJson<{ fingerprint: string | null; note: string | null }>(x.keys.enc, r.data, loc('audit', r.seq, 'data')) : null;
    return { seq: r.seq, at: r.at, type: r.type, credentialId: r.credential_id, fingerprint: data?.fingerprint ?? null, note: data?.note ?? null };
  });
}
