import { VaultError } from '../../src-shared/errors';
import { fingerprint as fingerprintOf } from '../../src-shared/domain/fingerprint';
import { newId } from './ids';
import { nameMac } from './keys';
import type { VaultInternals } from './vault';
import type { BackupDocument } from './backup-format';
import { dumpTables, indexSecret, insertRow, sealBackupCell, TABLE_SPECS, type Row } from './backup-tables';
import { newGen } from './records';
import { sealJson } from './cipher';
import { insertHistoryRow } from './test-history-repo';

export { CONFLICT_CHOICES, type ConflictChoice, type MergeCounts, type RestoreConflict } from '../../src-shared/domain/transfer-types';
import type { ConflictChoice, MergeCounts, RestoreConflict } from '../../src-shared/domain/transfer-types';

export interface MergePlan {
  /** Records the backup adds (ids and names new to this vault). */
  create: MergeCounts;
  /** Records identical in both: nothing to do. */
  unchanged: number;
  conflicts: RestoreConflict[];
}

export interface ProviderFile {
  file: string;
  definition: unknown;
}

export interface MergeChoices {
  /** For every conflict without its own choice. */
  all?: ConflictChoice;
  /** Per conflict key. */
  byKey?: Record<string, ConflictChoice>;
}

export interface MergeResult extends MergePlan {
  resolved: { key: string; choice: ConflictChoice }[];
  /** Provider files to write after the transaction commits (name → JSON). */
  providerWrites: ProviderFile[];
}

type Entity = 'workspace' | 'environment' | 'credential';
const TABLE_OF: Record<Entity, 'workspaces' | 'environments' | 'credentials'> = {
  workspace: 'workspaces',
  environment: 'environments',
  credential: 'credentials',
};

/** JSON with sorted keys: two records are equal when their content is, whatever the key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const nameOf = (row: Row) => (row.meta as { name: string }).name;
const providerId = (p: ProviderFile) => ((p.definition as { id?: unknown })?.id as string | undefined) ?? p.file.replace(/\.json$/, '');

/**
 * Plans, and with `apply` performs, a merge of a backup into this vault
 * (call inside one transaction). Records are matched by id; a record whose id
 * exists with other content, or whose name is taken by another record in the
 * same place, is a conflict, resolved only by an explicit choice: with any
 * conflict unresolved it throws CONFLICT listing them and writes nothing.
 *
 * The backup's audit events are not spliced into this vault's chain (a chain
 * only grows at its end): each restored token gets an `imported` event, and
 * one event records the restore itself.
 */
export function mergeBackup(
  x: VaultInternals,
  doc: BackupDocument,
  currentProviders: ProviderFile[],
  opts: { apply: boolean; choices?: MergeChoices },
): MergeResult {
  const cur = dumpTables(x);
  const byId = {
    workspace: new Map(cur.workspaces.map((r) => [r.id as string, r])),
    environment: new Map(cur.environments.map((r) => [r.id as string, r])),
    credential: new Map(cur.credentials.map((r) => [r.id as string, r])),
  };
  const idMap = { workspace: new Map<string, string>(), environment: new Map<string, string>(), credential: new Map<string, string>() };
  const names = { workspace: new Map<string, string>(), environment: new Map<string, string>() };
  const result: MergeResult = {
    create: { workspaces: 0, environments: 0, credentials: 0, settings: 0, providers: 0 },
    unchanged: 0,
    conflicts: [],
    resolved: [],
    providerWrites: [],
  };
  const unresolved: RestoreConflict[] = [];
  const inserted = new Set<string>(); // backup credential ids inserted as new rows
  const renamedMeta = new Map<string, object>(); // backup credential id → meta of its renamed copy
  const choose = (c: RestoreConflict): ConflictChoice | null => {
    result.conflicts.push(c);
    const choice = opts.choices?.byKey?.[c.key] ?? opts.choices?.all ?? null;
    if (!choice) {
      unresolved.push(c);
      return null;
    }
    const effective = c.choices.includes(choice) ? choice : 'mine';
    result.resolved.push({ key: c.key, choice: effective });
    return effective;
  };
  const clashId = (entity: Entity, parent: string, name: string): string | null => {
    const table = TABLE_OF[entity];
    const parentCol = TABLE_SPECS[table].nameParent;
    const mac = nameMac(x.keys.index, parent, name);
    const r = (
      parentCol ? x.db.prepare(`SELECT id FROM ${table} WHERE ${parentCol} = ? AND name_mac = ?`).get(parent, mac) : x.db.prepare(`SELECT id FROM ${table} WHERE name_mac = ?`).get(mac)
    ) as { id: string } | undefined;
    return r?.id ?? null;
  };
  const freeName = (entity: Entity, parent: string, name: string): string => {
    for (let n = 1; n < 1000; n++) {
      const candidate = `${name.slice(0, 85)} (restored${n === 1 ? '' : ` ${n}`})`;
      if (!clashId(entity, parent, candidate)) return candidate;
    }
    throw new VaultError('CONFLICT', `No free name for "${name}".`);
  };
  const updateRow = (table: 'workspaces' | 'environments' | 'credentials', targetId: string, row: Row) => {
    const spec = TABLE_SPECS[table];
    const cols = Object.keys(row).filter((c) => c !== 'id' && c !== 'meta_gen' && c !== 'secret_gen');
    const values: (string | number | Buffer | null)[] = [];
    const setCols: string[] = [];
    for (const c of cols) {
      const v = row[c];
      setCols.push(c);
      if (spec.sealed.includes(c)) {
        // Each sealed cell written gets a fresh generation (issue 15, see cipher.ts).
        const sealed = v === null || v === undefined ? { box: null, gen: newGen(x.random) } : sealBackupCell(x, table, targetId, c, v);
        values.push(sealed.box);
        setCols.push(`${c}_gen`);
        values.push(sealed.gen);
      } else values.push(typeof v === 'boolean' ? (v ? 1 : 0) : (v as string | number | null));
    }
    const parent = spec.nameParent ? String(row[spec.nameParent]) : '';
    if (table === 'credentials') indexSecret(x, targetId, row.secret);
    x.db
      .prepare(`UPDATE ${table} SET ${setCols.map((c) => `${c} = ?`).join(', ')}, name_mac = ? WHERE id = ?`)
      .run(...values, nameMac(x.keys.index, parent, nameOf(row)), targetId);
  };

  const mergeEntity = (entity: Entity, row0: Row, parentPath: string) => {
    const table = TABLE_OF[entity];
    const row: Row = { ...row0 };
    if (entity !== 'workspace') row.workspace_id = idMap.workspace.get(row0.workspace_id as string) ?? row0.workspace_id;
    if (entity === 'credential') row.environment_id = idMap.environment.get(row0.environment_id as string) ?? row0.environment_id;
    const parentCol = TABLE_SPECS[table].nameParent;
    const parent = parentCol ? String(row[parentCol]) : '';
    const id = row0.id as string;
    const path = parentPath ? `${parentPath}/${nameOf(row)}` : nameOf(row);
    if (entity !== 'credential') names[entity].set(id, path);
    const existing = byId[entity].get(id);
    const clash = clashId(entity, parent, nameOf(row));
    const otherClash = clash !== null && clash !== id ? clash : null;
    if (existing && !otherClash && canonical(existing) === canonical(row)) {
      idMap[entity].set(id, id);
      result.unchanged++;
      return;
    }
    if (!existing && !otherClash) {
      idMap[entity].set(id, id);
      result.create[table]++;
      if (opts.apply) insertRow(x, table, row);
      if (entity === 'credential') inserted.add(id);
      return;
    }
    const choice = choose({ key: `${entity}:${id}`, entity, id, path, reason: existing ? 'same-id' : 'same-name', choices: ['mine', 'theirs', 'both'] });
    if (choice === null || choice === 'mine') {
      idMap[entity].set(id, existing ? id : otherClash!);
      return;
    }
    if (choice === 'theirs') {
      const target = existing ? id : otherClash!;
      idMap[entity].set(id, target);
      if (opts.apply) updateRow(table, target, row);
      return;
    }
    const copy = restoredCopyOf(cur[table], parentCol, row);
    if (copy) {
      // "Keep both" again with the same backup: the copy it made last time is still here, unchanged.
      idMap[entity].set(id, copy);
      result.unchanged++;
      return;
    }
    const fresh = newId(entity === 'workspace' ? 'ws' : entity === 'environment' ? 'env' : 'cred', x.random);
    idMap[entity].set(id, fresh);
    const renamed = { ...row, id: fresh, meta: { ...(row.meta as object), name: freeName(entity, parent, nameOf(row)) } };
    if (opts.apply) insertRow(x, table, renamed);
    if (entity === 'credential') {
      inserted.add(id);
      renamedMeta.set(id, renamed.meta);
    }
  };

  for (const w of doc.tables.workspaces) mergeEntity('workspace', w, '');
  for (const e of doc.tables.environments) mergeEntity('environment', e, names.workspace.get(e.workspace_id as string) ?? '?');
  for (const c of doc.tables.credentials) mergeEntity('credential', c, names.environment.get(c.environment_id as string) ?? '?');

  // Settings: a key the vault lacks is added; a different value is a conflict (no "both" for one setting).
  const curSettings = new Map(cur.settings.map((r) => [r.key as string, r.value]));
  for (const s of doc.tables.settings) {
    const key = s.key as string;
    if (!curSettings.has(key)) {
      result.create.settings++;
      if (opts.apply) insertRow(x, 'settings', s);
    } else if (curSettings.get(key) === s.value) {
      result.unchanged++;
    } else if (choose({ key: `setting:${key}`, entity: 'setting', id: key, path: key, reason: 'same-id', choices: ['mine', 'theirs'] }) === 'theirs' && opts.apply) {
      x.db.prepare('UPDATE settings SET value = ? WHERE key = ?').run(s.value as string, key);
    }
  }

  // Provider definitions (files beside the vault), matched by their id.
  const mine = new Map(currentProviders.map((p) => [providerId(p), p]));
  for (const p of doc.providers) {
    const pid = providerId(p);
    const have = mine.get(pid);
    if (!have) {
      result.create.providers++;
      result.providerWrites.push(p);
    } else if (canonical(have.definition) === canonical(p.definition)) {
      result.unchanged++;
    } else {
      const choice = choose({ key: `provider:${pid}`, entity: 'provider', id: pid, path: pid, reason: 'same-id', choices: ['mine', 'theirs', 'both'] });
      if (choice === 'theirs') result.providerWrites.push({ file: have.file, definition: p.definition });
      if (choice === 'both') {
        const again = [...mine.entries()].some(([mid, m]) => /-restored(-\d+)?$/.test(mid) && canonical(m.definition) === canonical({ ...(p.definition as object), id: mid }));
        if (again) continue; // kept both last time already: the copy is unchanged
        let n = 1;
        let id = `${pid}-restored`;
        while (mine.has(id)) id = `${pid}-restored-${++n}`;
        result.providerWrites.push({ file: `${id}.json`, definition: { ...(p.definition as object), id } });
      }
    }
  }

  if (unresolved.length > 0 && opts.apply) {
    throw new VaultError(
      'CONFLICT',
      `The backup conflicts with this vault in ${unresolved.length} place${unresolved.length === 1 ? '' : 's'} (${unresolved
        .slice(0, 5)
        .map((c) => c.path)
        .join(', ')}${unresolved.length > 5 ? ', …' : ''}). Choose for each: keep mine, take theirs, or keep both. Nothing was restored.`,
      { details: { conflicts: unresolved.length } },
    );
  }
  if (!opts.apply) return result;

  // What belongs to newly inserted tokens comes with them: history, probe reports, reminders, rotation flows, lineage.
  const credMap = (id: unknown) => idMap.credential.get(id as string) ?? null;
  for (const c of doc.tables.credentials) {
    const oldId = c.id as string;
    if (!inserted.has(oldId)) continue;
    const newCredId = credMap(oldId)!;
    const meta = c.meta as { supersedes?: string | null; supersededBy?: string | null };
    if ((meta.supersedes || meta.supersededBy) && newCredId !== oldId) {
      const remapped = { ...(renamedMeta.get(oldId) ?? meta), supersedes: meta.supersedes ? credMap(meta.supersedes) : (meta.supersedes ?? null), supersededBy: meta.supersededBy ? credMap(meta.supersededBy) : (meta.supersededBy ?? null) };
      const sealed = sealBackupCell(x, 'credentials', newCredId, 'meta', remapped);
      x.db.prepare('UPDATE credentials SET meta = ?, meta_gen = ? WHERE id = ?').run(sealed.box, sealed.gen, newCredId);
    }
    const secret = c.secret as { value: string } | null;
    x.audit.appendNow({ type: 'imported', credentialId: newCredId, fingerprint: secret ? fingerprintOf(secret.value) : null, note: 'restored from backup' });
  }
  for (const h of doc.tables.test_history) {
    const credentialId = credMap(h.credential_id);
    if (!inserted.has(h.credential_id as string) || credentialId === null) continue;
    insertHistoryRow(x, credentialId, h.at as number, h.outcome as string, (rowId) => sealJson(x.keys.enc, h.data, { table: 'test_history', id: rowId, column: 'data' }, x.random));
  }
  for (const table of ['credential_expiry', 'probe_reports', 'reminders_sent', 'reminder_snoozes'] as const) {
    for (const r of doc.tables[table]) if (inserted.has(r.credential_id as string)) insertRow(x, table, { ...r, credential_id: credMap(r.credential_id) });
  }
  for (const f of doc.tables.rotation_flows) {
    if (!inserted.has(f.old_credential_id as string)) continue;
    insertRow(x, 'rotation_flows', { ...f, id: byIdFree(x, f.id as string), old_credential_id: credMap(f.old_credential_id), new_credential_id: f.new_credential_id ? credMap(f.new_credential_id) : null });
  }
  // A workspace's rotation default comes along where the workspace it lands in has none.
  for (const p of doc.tables.workspace_policies) {
    const target = idMap.workspace.get(p.workspace_id as string);
    if (!target || x.db.prepare('SELECT 1 FROM workspace_policies WHERE workspace_id = ?').get(target)) continue;
    insertRow(x, 'workspace_policies', { ...p, workspace_id: target });
  }
  return result;
}

/**
 * The id of a copy that an earlier "keep both" made of `row`: a record in the
 * same place named `NAME (restored)` or `NAME (restored N)` whose content,
 * apart from its id and name, is identical. Null when there is none.
 */
function restoredCopyOf(rows: Row[], parentCol: string | null | undefined, row: Row): string | null {
  const base = nameOf(row).slice(0, 85);
  // Lineage links of a copy point at the other copies (remapped after insert): compared by the rest.
  const strip = (r: Row) => canonical({ ...r, id: null, meta: { ...(r.meta as object), name: null, supersedes: null, supersededBy: null } });
  const want = strip(row);
  for (const r of rows) {
    if (parentCol && r[parentCol] !== row[parentCol]) continue;
    const name = nameOf(r);
    if (!name.startsWith(`${base} (restored`) || !/^ \(restored( \d+)?\)$/.test(name.slice(base.length))) continue;
    if (strip(r) === want) return r.id as string;
  }
  return null;
}

function byIdFree(x: VaultInternals, id: string): string {
  return x.db.prepare('SELECT 1 FROM rotation_flows WHERE id = ?').get(id) ? newId('rot', x.random) : id;
}
