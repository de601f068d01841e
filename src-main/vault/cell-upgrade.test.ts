import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { open, seal } from './cipher';
import { BackupScheduleStore } from './backup-schedule-store';
import { CELL_UPGRADE_NOTE, GEN_CELLS, PROBE_UPGRADE_NOTE } from './cell-upgrade';
import { MIGRATIONS } from './migrations';
import { dropCellDigest, dropWriteGuards, FAST_KDF, forgetDigestSeal, openTempVault, rawDb, vaultError, vaultErrorAsync, type TempVault } from './test-support';
import { Vault } from './vault';

/** The schema version before the write generations: MIGRATIONS[10] (migration 11) adds them. */
const SCHEMA_BEFORE_GENERATIONS = MIGRATIONS.findIndex((sql) => sql.includes('ADD COLUMN secret_gen'));

/**
 * Issue 15, secret rollback: a vault written before sealed cells carried a
 * write generation (schema 10, v1 additional data) is migrated, re-sealed at
 * its first unlock, and from then on refuses cells in the old format (the
 * downgrade attack), including with its format mark put back.
 */

const A_VALUE = 'rg_alpha_upgrade_0123456789abcdef';
const B_VALUE = 'rg_bravo_upgrade_fedcba9876543210';
const CELLS = GEN_CELLS.map((c) => [c.table, c.column, c.idColumn] as const);
const PROBE = { checks: [{ path: '/orders', method: 'GET', documented: 'allowed', observed: 'allowed' }] };
const schedule = () => new BackupScheduleStore(() => t.vault.internals());

let t: TempVault;
/** The vault key as an older process that unlocked the vault before it was migrated holds it. */
let oldProcessKey: Buffer;
let ids: { ws: string; env: string; a: string; b: string; wiped: string };

/**
 * Turns the vault in `t` into one as the previous version wrote it: every
 * cell sealed with the v1 additional data, no generation columns, no format
 * mark, no write guards, schema 10. Built with the current code and then taken back, because
 * the v1 boxes are exactly what `seal` without a generation writes.
 */
function toPreviousFormat(): void {
  const enc = Buffer.from(t.vault.internals().keys.enc);
  const audit = Buffer.from(t.vault.internals().keys.audit);
  oldProcessKey = Buffer.from(enc);
  t.vault.close();
  const raw = rawDb(t.home);
  try {
    raw.transaction(() => {
      // Schema 10 had neither the generations (migration 11) nor their write guards (13), which also refuse these v1 writes.
      dropWriteGuards(raw);
      // Nor the records digest (migration 15), whose triggers name the generation columns.
      dropCellDigest(raw, { columns: true });
      forgetDigestSeal(raw, { enc, audit });
      for (const [table, column, idColumn] of CELLS) toV1Boxes(raw, enc, table, column, idColumn);
      // Back to schema 10, the last one before the generations (migration 11): what later
      // migrations added goes too (12's index names secret_gen, 14 adds probe_reports.data_gen), and opening runs them again.
      raw.exec('DROP INDEX credentials_secret_by_id');
      for (const [table, column] of CELLS) raw.exec(`ALTER TABLE ${table} DROP COLUMN ${column}_gen`);
      raw.exec('ALTER TABLE vault_meta DROP COLUMN cell_format');
      raw.pragma(`user_version = ${SCHEMA_BEFORE_GENERATIONS}`);
    })();
  } finally {
    raw.close();
    enc.fill(0);
    audit.fill(0);
  }
}

/** Seals every box of one column again with the v1 additional data (no generation), as the code before its generation wrote it. */
function toV1Boxes(raw: Database.Database, enc: Buffer, table: string, column: string, idColumn: string): void {
  const rows = raw.prepare(`SELECT ${idColumn} AS id, ${column} AS box, ${column}_gen AS gen FROM ${table} WHERE ${column} IS NOT NULL`).all() as { id: string | number; box: Buffer; gen: number }[];
  for (const r of rows) {
    const plain = open(enc, r.box, { table, id: String(r.id), column, gen: r.gen });
    raw.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${idColumn} = ?`).run(seal(enc, plain, { table, id: String(r.id), column }), r.id);
  }
}

function expectAllValuesBack(): void {
  const v = t.vault;
  expect(v.getWorkspace(ids.ws)).toMatchObject({ name: 'Acme', notes: 'client notes' });
  expect(v.getEnvironment(ids.env)).toMatchObject({ name: 'prod', baseUrl: 'https://api.example.com' });
  expect(v.getCredential(ids.a)).toMatchObject({ name: 'alpha', notes: 'first token' });
  expect(v.revealCredential(ids.a)).toEqual({ value: A_VALUE });
  expect(v.revealCredential(ids.b)).toEqual({ value: B_VALUE, refreshToken: 'refresh_bravo_123456' });
  expect(v.getCredential(ids.wiped)).toMatchObject({ name: 'gamma', status: 'revoked', hasValue: false });
  expect(v.listCredentials().filter((c) => 'corrupt' in c)).toEqual([]);
  expect(schedule().get()).toMatchObject({ folder: '/backups/acme', passphrase: 'schedule passphrase 1', lastFile: '/backups/acme/b1.age' });
  expect(v.probeReport(ids.a)).toEqual(PROBE);
}

beforeEach(async () => {
  t = openTempVault();
  const v = t.vault;
  await v.init({ keySource: 'keychain' });
  const ws = v.addWorkspace({ name: 'Acme', notes: 'client notes' });
  const env = v.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
  const a = v.addCredential({ environmentId: env.id, name: 'alpha', kind: 'bearer', notes: 'first token', secret: { value: A_VALUE } });
  const b = v.addCredential({ environmentId: env.id, name: 'bravo', kind: 'jwt_session', secret: { value: B_VALUE, refreshToken: 'refresh_bravo_123456' } });
  const g = v.addCredential({ environmentId: env.id, name: 'gamma', kind: 'bearer', secret: { value: 'rg_gamma_upgrade_00000000000000' } });
  v.markRevoked(g.id, { wipeSecret: true, note: 'revoked' });
  v.saveProbeReport(a.id, PROBE);
  schedule().set({ folder: '/backups/acme', passphrase: 'schedule passphrase 1', everyMs: 86_400_000, keep: 7 });
  schedule().finish(Date.now(), { ok: true, file: '/backups/acme/b1.age' });
  ids = { ws: ws.id, env: env.id, a: a.id, b: b.id, wiped: g.id };
});
afterEach(() => {
  oldProcessKey.fill(0);
  t.cleanup();
});

describe('a vault from the previous format', () => {
  beforeEach(() => toPreviousFormat());

  it('is migrated when opened, re-sealed at its first unlock, and every value reads back; the audit log verifies and records the upgrade', async () => {
    const v = t.reopen();
    let raw = rawDb(t.home, { readonly: true });
    expect(raw.prepare('SELECT cell_format FROM vault_meta').get()).toEqual({ cell_format: 1 });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM credentials WHERE meta_gen = 0').get()).toEqual({ n: 3 });
    raw.close();
    await v.unlock();
    expectAllValuesBack();
    raw = rawDb(t.home, { readonly: true });
    try {
      expect(raw.prepare('SELECT cell_format FROM vault_meta').get()).toEqual({ cell_format: 3 });
      for (const [table, column] of CELLS) {
        expect(raw.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} IS NOT NULL AND ${column}_gen = 0`).get(), `${table}.${column}`).toEqual({ n: 0 });
      }
    } finally {
      raw.close();
    }
    expect(v.verifyAudit().ok).toBe(true);
    const upgrades = v.listAudit({ types: ['updated'] }).filter((e) => e.note?.startsWith(CELL_UPGRADE_NOTE));
    expect(upgrades).toHaveLength(1);
    expect(upgrades[0]!.note).toContain('9 record cells re-sealed');
    // Both steps (format 1 -> 2 -> 3) in the one unlock, each with its event: the second re-sealed the probe report.
    const probeUpgrades = v.listAudit({ types: ['updated'] }).filter((e) => e.note?.startsWith(PROBE_UPGRADE_NOTE));
    expect(probeUpgrades).toHaveLength(1);
    expect(probeUpgrades[0]!.note).toContain('1 record cell re-sealed');
    // A second unlock does nothing more.
    v.lock();
    await v.unlock();
    expect(v.listAudit({ types: ['updated'] }).filter((e) => e.note?.startsWith(CELL_UPGRADE_NOTE))).toHaveLength(1);
    expect(v.listAudit({ types: ['updated'] }).filter((e) => e.note?.startsWith(PROBE_UPGRADE_NOTE))).toHaveLength(1);
    expectAllValuesBack();
  });

  it('a cell in the old format written back after the upgrade (box and generation 0) fails as CORRUPT: no downgrade', async () => {
    let raw = rawDb(t.home);
    const old = raw.prepare('SELECT secret FROM credentials WHERE id = ?').get(ids.a) as { secret: Buffer };
    const oldEnv = raw.prepare('SELECT meta FROM environments WHERE id = ?').get(ids.env) as { meta: Buffer };
    const oldProbe = raw.prepare('SELECT data FROM probe_reports WHERE credential_id = ?').get(ids.a) as { data: Buffer };
    raw.close();
    const v = t.reopen();
    await v.unlock();
    expect(v.revealCredential(ids.a).value).toBe(A_VALUE);
    raw = rawDb(t.home);
    try {
      raw.prepare('UPDATE credentials SET secret = ?, secret_gen = 0 WHERE id = ?').run(old.secret, ids.a);
      raw.prepare('UPDATE environments SET meta = ?, meta_gen = 0 WHERE id = ?').run(oldEnv.meta, ids.env);
      raw.prepare('UPDATE probe_reports SET data = ?, data_gen = 0 WHERE credential_id = ?').run(oldProbe.data, ids.a);
    } finally {
      raw.close();
    }
    const e = vaultError(() => v.revealCredential(ids.a));
    expect(e.code).toBe('CORRUPT');
    expect(e.details).toEqual({ table: 'credentials', id: ids.a, column: 'secret' });
    expect(e.message).not.toContain(A_VALUE);
    expect(vaultError(() => v.getEnvironment(ids.env)).code).toBe('CORRUPT');
    expect(vaultError(() => v.probeReport(ids.a)).code).toBe('CORRUPT');
    // Another unlock does not take the old cell back in either (the format mark says 2).
    v.lock();
    await v.unlock();
    expect(vaultError(() => v.revealCredential(ids.a)).code).toBe('CORRUPT');
  });

  // The format mark put back alone, and (found in review) with the upgrade's audit event hidden too: its
  // type or data edited, or the event deleted, so the audit check alone would miss it; a v1 box from the
  // migration's .bak copy would then have been re-sealed and served.
  type Raw = ReturnType<typeof rawDb>;
  it.each([
    ['nothing else changed', (_raw: Raw, _seq: number): void => undefined, false],
    // The audit log intact: only the upgrade's note in it tells (the chain verifies, no cell has a generation).
    ['every generation reset to 0, the audit log left as it is', (_raw: Raw, _seq: number): void => undefined, true],
    ['the upgrade event relabelled, generations kept', (raw: Raw, seq: number) => raw.prepare("UPDATE audit SET type = 'used' WHERE seq = ?").run(seq), false],
    ['the upgrade event relabelled and every generation reset to 0', (raw: Raw, seq: number) => raw.prepare("UPDATE audit SET type = 'used' WHERE seq = ?").run(seq), true],
    ['the upgrade event data removed and every generation reset to 0', (raw: Raw, seq: number) => raw.prepare('UPDATE audit SET data = NULL WHERE seq = ?').run(seq), true],
    ['the upgrade event deleted and every generation reset to 0', (raw: Raw, seq: number) => raw.prepare('DELETE FROM audit WHERE seq = ?').run(seq), true],
  ] as const)('the format mark put back to 1 after the upgrade (with old-format cells), %s: refused at unlock, CORRUPT, nothing changed, no key held', async (_what, hide, resetGens) => {
    let raw = rawDb(t.home);
    const old = raw.prepare('SELECT secret FROM credentials WHERE id = ?').get(ids.a) as { secret: Buffer };
    raw.close();
    const v = t.reopen();
    await v.unlock();
    const upgrade = v.listAudit({ types: ['updated'] }).find((e) => e.note?.startsWith(CELL_UPGRADE_NOTE));
    expect(upgrade).toBeDefined();
    v.replaceSecret(ids.a, { value: `${A_VALUE}_rotated` });
    v.lock();
    raw = rawDb(t.home);
    let before: unknown;
    try {
      raw.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
      dropWriteGuards(raw); // the rollback under test writes a v1 box back; the guards would refuse it
      hide(raw, upgrade!.seq);
      if (resetGens) for (const [table, column] of CELLS) raw.prepare(`UPDATE ${table} SET ${column}_gen = 0`).run();
      raw.prepare('UPDATE credentials SET secret = ?, secret_gen = 0 WHERE id = ?').run(old.secret, ids.a);
      raw.prepare('UPDATE vault_meta SET cell_format = 1').run();
      before = raw.prepare('SELECT id, secret, secret_gen, meta, meta_gen FROM credentials ORDER BY id').all();
    } finally {
      raw.close();
    }
    const e = await vaultErrorAsync(() => v.unlock());
    expect(e.code).toBe('CORRUPT');
    expect(e.details).toEqual({ reason: 'cell_format_rolled_back' });
    expect(v.isUnlocked).toBe(false);
    raw = rawDb(t.home, { readonly: true });
    try {
      expect(raw.prepare('SELECT id, secret, secret_gen, meta, meta_gen FROM credentials ORDER BY id').all()).toEqual(before);
      expect(raw.prepare('SELECT secret, secret_gen FROM credentials WHERE id = ?').get(ids.a)).toEqual({ secret: old.secret, secret_gen: 0 });
      expect(raw.prepare('SELECT cell_format FROM vault_meta').get()).toEqual({ cell_format: 1 });
    } finally {
      raw.close();
    }
  });

  it('a cell already damaged before the upgrade stays CORRUPT (listed as damaged); the rest is upgraded and the vault opens', async () => {
    const raw: Database.Database = rawDb(t.home);
    try {
      const box = (raw.prepare('SELECT meta FROM credentials WHERE id = ?').get(ids.b) as { meta: Buffer }).meta;
      box[box.length - 1]! ^= 0x01;
      raw.prepare('UPDATE credentials SET meta = ? WHERE id = ?').run(box, ids.b);
    } finally {
      raw.close();
    }
    const v = t.reopen();
    await v.unlock();
    expect(v.listCredentials()).toContainEqual({ corrupt: true, table: 'credentials', id: ids.b });
    expect(vaultError(() => v.getCredential(ids.b)).code).toBe('CORRUPT');
    expect(v.revealCredential(ids.a).value).toBe(A_VALUE);
    // Its secret opened as v1 and was upgraded on its own.
    expect(v.revealCredential(ids.b).value).toBe(B_VALUE);
  });

  it('an older process still running writes the old way before the first unlock (migrated, format 1): allowed, and the upgrade re-seals what it wrote', async () => {
    const v = t.reopen(); // migrated to the current schema (write guards included), not unlocked: cell_format 1
    const old = rawDb(t.home);
    try {
      // The older process rotates a value and adds a workspace, as the code before migration 11 did.
      old.prepare('UPDATE credentials SET secret = ?, updated_at = updated_at + 1 WHERE id = ?').run(seal(oldProcessKey, Buffer.from(JSON.stringify({ value: `${A_VALUE}_rotated_by_old` })), { table: 'credentials', id: ids.a, column: 'secret' }), ids.a);
      old
        .prepare('INSERT INTO workspaces (id, name_mac, meta, created_at, updated_at) VALUES (?, ?, ?, 1, 1)')
        .run('ws_old_process', Buffer.alloc(32, 7), seal(oldProcessKey, Buffer.from(JSON.stringify({ name: 'Added by the old app', notes: '' })), { table: 'workspaces', id: 'ws_old_process', column: 'meta' }));
    } finally {
      old.close();
    }
    await v.unlock();
    expect(v.revealCredential(ids.a).value).toBe(`${A_VALUE}_rotated_by_old`);
    expect(v.getWorkspace('ws_old_process').name).toBe('Added by the old app');
    expect(v.listCredentials().filter((c) => 'corrupt' in c)).toEqual([]);
    // Upgraded: the same old-way writes are refused from now on.
    const after = rawDb(t.home);
    try {
      expect(() => after.prepare('UPDATE credentials SET secret = ? WHERE id = ?').run(seal(oldProcessKey, Buffer.from('{"value":"x"}'), { table: 'credentials', id: ids.a, column: 'secret' }), ids.a)).toThrow(/^stale write refused:/);
    } finally {
      after.close();
    }
    expect(v.revealCredential(ids.a).value).toBe(`${A_VALUE}_rotated_by_old`);
  });

  it('two processes unlocking the old vault at once: one upgrades, the other finds it done; both read every value', async () => {
    const v1 = t.reopen();
    const other = Vault.open({ home: t.home, keyStore: t.keyStore, kdfParams: FAST_KDF, lifecycle: 'cli' });
    try {
      await Promise.all([v1.unlock(), other.unlock()]);
      expectAllValuesBack();
      expect(other.revealCredential(ids.b).value).toBe(B_VALUE);
      expect(other.getEnvironment(ids.env).baseUrl).toBe('https://api.example.com');
      expect(v1.listAudit({ types: ['updated'] }).filter((e) => e.note?.startsWith(CELL_UPGRADE_NOTE))).toHaveLength(1);
      expect(v1.verifyAudit().ok).toBe(true);
    } finally {
      other.close();
    }
  });
});

/** The schema version before probe reports carried a generation: MIGRATIONS[13] (migration 14) adds probe_reports.data_gen. */
const SCHEMA_BEFORE_PROBE_GENERATIONS = MIGRATIONS.findIndex((sql) => sql.includes('ADD COLUMN data_gen'));
const CELLS_OF_FORMAT_2 = ['workspaces', 'environments', 'credentials', 'backup_schedule'] as const;
const PROBE_GUARDS = ['gen_guard_probe_reports_update', 'gen_guard_probe_reports_insert'];

/**
 * Turns the vault in `t` into one as the build of cell format 2 (schema 13)
 * wrote it: every cell but the probe reports keeps its generation; probe
 * reports sealed with the v1 additional data and no data_gen column, nor
 * migration 14's guards; cell_format 2.
 */
function toFormat2(): void {
  const enc = Buffer.from(t.vault.internals().keys.enc);
  const audit = Buffer.from(t.vault.internals().keys.audit);
  oldProcessKey = Buffer.from(enc);
  t.vault.close();
  const raw = rawDb(t.home);
  try {
    raw.transaction(() => {
      for (const name of PROBE_GUARDS) raw.exec(`DROP TRIGGER ${name}`);
      // Schema 13 had no records digest either (migration 15).
      dropCellDigest(raw, { columns: true });
      forgetDigestSeal(raw, { enc, audit });
      toV1Boxes(raw, enc, 'probe_reports', 'data', 'credential_id');
      raw.exec('ALTER TABLE probe_reports DROP COLUMN data_gen');
      raw.prepare('UPDATE vault_meta SET cell_format = 2').run();
      raw.pragma(`user_version = ${SCHEMA_BEFORE_PROBE_GENERATIONS}`);
    })();
  } finally {
    raw.close();
    enc.fill(0);
    audit.fill(0);
  }
}

/** Every row of the tables whose cells format 2 already bound: the step to format 3 must leave them as they are. */
const format2Cells = (raw: Database.Database) => CELLS_OF_FORMAT_2.map((table) => raw.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all());

describe('a vault at cell format 2 (before probe reports had a write generation)', () => {
  beforeEach(() => toFormat2());

  it('is migrated when opened and at its first unlock re-seals only its probe reports (format 3); everything reads back; one upgrade event', async () => {
    let raw = rawDb(t.home, { readonly: true });
    const before = format2Cells(raw);
    raw.close();
    const v = t.reopen();
    raw = rawDb(t.home, { readonly: true });
    expect(raw.prepare('SELECT cell_format FROM vault_meta').get()).toEqual({ cell_format: 2 });
    expect(raw.prepare('SELECT data_gen FROM probe_reports').all()).toEqual([{ data_gen: 0 }]);
    raw.close();
    await v.unlock();
    expectAllValuesBack();
    raw = rawDb(t.home, { readonly: true });
    try {
      expect(raw.prepare('SELECT cell_format FROM vault_meta').get()).toEqual({ cell_format: 3 });
      expect((raw.prepare('SELECT data_gen FROM probe_reports WHERE credential_id = ?').get(ids.a) as { data_gen: number }).data_gen).toBeGreaterThan(0);
      expect(format2Cells(raw)).toEqual(before);
    } finally {
      raw.close();
    }
    expect(v.verifyAudit().ok).toBe(true);
    const upgrades = v.listAudit({ types: ['updated'] }).filter((e) => e.note?.startsWith('vault storage upgraded'));
    expect(upgrades.map((e) => e.note)).toEqual([`${PROBE_UPGRADE_NOTE}; 1 record cell re-sealed`]);
    v.lock();
    await v.unlock();
    expect(v.listAudit({ types: ['updated'] }).filter((e) => e.note?.startsWith('vault storage upgraded'))).toHaveLength(1);
    // A re-probe after the upgrade writes through the guards and reads back.
    v.saveProbeReport(ids.a, { checks: [] });
    expect(v.probeReport(ids.a)).toEqual({ checks: [] });
  });

  it('the report in the old format written back after the upgrade (box and generation 0) fails as CORRUPT: no downgrade', async () => {
    let raw = rawDb(t.home);
    const old = raw.prepare('SELECT data FROM probe_reports WHERE credential_id = ?').get(ids.a) as { data: Buffer };
    raw.close();
    const v = t.reopen();
    await v.unlock();
    expect(v.probeReport(ids.a)).toEqual(PROBE);
    raw = rawDb(t.home);
    try {
      // The guards let a changed generation through (as migration 13's do): the cipher refuses the box.
      raw.prepare('UPDATE probe_reports SET data = ?, data_gen = 0 WHERE credential_id = ?').run(old.data, ids.a);
    } finally {
      raw.close();
    }
    const e = vaultError(() => v.probeReport(ids.a));
    expect(e.code).toBe('CORRUPT');
    expect(e.details).toEqual({ table: 'probe_reports', id: ids.a, column: 'data' });
    v.lock();
    await v.unlock();
    expect(vaultError(() => v.probeReport(ids.a)).code).toBe('CORRUPT');
    expect(v.revealCredential(ids.a).value).toBe(A_VALUE);
  });

  it.each([
    ['nothing else changed', false, false],
    ['its probe generations reset to 0', true, false],
    ['its probe generations reset to 0 and the upgrade event relabelled', true, true],
  ] as const)('the format mark put back from 3 to 2 after the upgrade (an old-format report written back), %s: refused at unlock, CORRUPT, nothing changed', async (_what, resetGens, relabel) => {
    let raw = rawDb(t.home);
    const old = raw.prepare('SELECT data FROM probe_reports WHERE credential_id = ?').get(ids.a) as { data: Buffer };
    raw.close();
    const v = t.reopen();
    await v.unlock();
    const upgrade = v.listAudit({ types: ['updated'] }).find((e) => e.note?.startsWith(PROBE_UPGRADE_NOTE));
    expect(upgrade).toBeDefined();
    v.saveProbeReport(ids.b, PROBE);
    v.lock();
    raw = rawDb(t.home);
    let before: unknown;
    try {
      raw.exec('DROP TRIGGER IF EXISTS audit_no_update;');
      dropWriteGuards(raw); // the rollback under test writes an old-format box back; the guards would refuse it
      if (relabel) raw.prepare("UPDATE audit SET type = 'used' WHERE seq = ?").run(upgrade!.seq);
      if (resetGens) raw.prepare('UPDATE probe_reports SET data_gen = 0').run();
      raw.prepare('UPDATE probe_reports SET data = ?, data_gen = 0 WHERE credential_id = ?').run(old.data, ids.a);
      raw.prepare('UPDATE vault_meta SET cell_format = 2').run();
      before = raw.prepare('SELECT * FROM probe_reports ORDER BY credential_id').all();
    } finally {
      raw.close();
    }
    const e = await vaultErrorAsync(() => v.unlock());
    expect(e.code).toBe('CORRUPT');
    expect(e.details).toEqual({ reason: 'cell_format_rolled_back' });
    expect(v.isUnlocked).toBe(false);
    raw = rawDb(t.home, { readonly: true });
    try {
      expect(raw.prepare('SELECT * FROM probe_reports ORDER BY credential_id').all()).toEqual(before);
      expect(raw.prepare('SELECT cell_format FROM vault_meta').get()).toEqual({ cell_format: 2 });
    } finally {
      raw.close();
    }
  });

  it('a format-2 process still running writes a report the old way before the first unlock: allowed, re-sealed by the upgrade; refused after it', async () => {
    const v = t.reopen(); // migrated to schema 14 (guards included), not unlocked: cell_format 2
    const report = { checks: [{ path: '/refunds', method: 'POST', documented: 'denied', observed: 'denied' }] };
    // The code of format 2: an upsert of a v1 box that leaves data_gen as it was (0), or inserts it as 0.
    const upsert = (db: Database.Database, credentialId: string, value: unknown) =>
      db
        .prepare('INSERT INTO probe_reports (credential_id, at, data) VALUES (?, 1, ?) ON CONFLICT(credential_id) DO UPDATE SET at = excluded.at, data = excluded.data')
        .run(credentialId, seal(oldProcessKey, Buffer.from(JSON.stringify(value)), { table: 'probe_reports', id: credentialId, column: 'data' }));
    const old = rawDb(t.home);
    try {
      upsert(old, ids.a, report);
      upsert(old, ids.b, report);
    } finally {
      old.close();
    }
    await v.unlock();
    expect(v.probeReport(ids.a)).toEqual(report);
    expect(v.probeReport(ids.b)).toEqual(report);
    expect(v.listAudit({ types: ['updated'] }).find((e) => e.note?.startsWith(PROBE_UPGRADE_NOTE))?.note).toContain('2 record cells re-sealed');
    const after = rawDb(t.home);
    try {
      expect(() => upsert(after, ids.a, { checks: [] })).toThrow(/^stale write refused:/);
      expect(() => upsert(after, ids.wiped, { checks: [] })).toThrow(/^stale write refused:/);
    } finally {
      after.close();
    }
    expect(v.probeReport(ids.a)).toEqual(report);
    expect(v.probeReport(ids.wiped)).toBeNull();
  });
});
