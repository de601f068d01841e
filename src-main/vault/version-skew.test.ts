import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STALE_WRITE_PREFIX, toErrorPayload } from '../../src-shared/errors';
import { BackupScheduleStore } from './backup-schedule-store';
import { sealJson } from './cipher';
import { openDatabase } from './db';
import { SCHEMA_VERSION } from './migrations';
import { newGen } from './records';
import { SchemaWatch } from './schema-watch';
import { dumpTables, openTempVault, rawDb, tempHome, vaultError, type TempVault } from './test-support';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';

/*
 * Version skew (issue 15): a Tokenvault started before migration 11 and still
 * running writes sealed cells the old way (v1 additional data, generation
 * left at 0 or as it was), which would leave them CORRUPT for every newer
 * process. Migration 13's guards refuse those writes; a process whose own
 * write a guard refuses, or whose vault another process migrated past its
 * code, answers a typed error asking for a restart.
 *
 * "The older process" here is a second, raw connection running the SQL the
 * code before migration 11 ran, sealing with the key it held (v1 boxes).
 */

const A_VALUE = 'sk_live_skew_alpha_0123456789abcdef';
const TABLES = ['workspaces', 'environments', 'credentials', 'backup_schedule', 'probe_reports', 'audit', 'secret_index'] as const;
const PROBE = { checks: [{ path: '/orders', method: 'GET', documented: 'allowed', observed: 'allowed' }] };

let t: TempVault;
let old: Database.Database;
let enc: Buffer;
let ids: { ws: string; env: string; a: string };
const schedule = () => new BackupScheduleStore(() => t.vault.internals());

/** A box as the code before migration 11 sealed it: v1 additional data (table, id, column), no generation. */
const v1Box = (table: string, id: string | number, column: string, value: unknown) => sealJson(enc, value, { table, id: String(id), column });

/** Runs an older process's statement; returns the error SQLite raised (the test fails if it went through). */
function refused(run: () => unknown): Error & { code?: string } {
  try {
    run();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('the older process write went through');
}

beforeEach(async () => {
  t = openTempVault();
  const v = t.vault;
  await v.init({ keySource: 'keychain' });
  const ws = v.addWorkspace({ name: 'Acme' });
  const env = v.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
  const a = v.addCredential({ environmentId: env.id, name: 'alpha', kind: 'bearer', secret: { value: A_VALUE } });
  schedule().set({ folder: '/backups/acme', passphrase: 'schedule passphrase 1', everyMs: 86_400_000, keep: 7 });
  schedule().finish(Date.now(), { ok: true, file: '/backups/acme/b1.age' });
  v.saveProbeReport(a.id, PROBE);
  ids = { ws: ws.id, env: env.id, a: a.id };
  enc = Buffer.from(v.internals().keys.enc);
  old = rawDb(t.home);
});
afterEach(() => {
  old.close();
  enc.fill(0);
  t.cleanup();
});

function expectEverythingReads(): void {
  const v = t.vault;
  expect(v.getWorkspace(ids.ws).name).toBe('Acme');
  expect(v.getEnvironment(ids.env).baseUrl).toBe('https://api.example.com');
  expect(v.getCredential(ids.a).name).toBe('alpha');
  expect(v.revealCredential(ids.a)).toEqual({ value: A_VALUE });
  expect(v.listCredentials().filter((c) => 'corrupt' in c)).toEqual([]);
  expect(schedule().get()).toMatchObject({ folder: '/backups/acme', passphrase: 'schedule passphrase 1', lastFile: '/backups/acme/b1.age' });
  expect(v.probeReport(ids.a)).toEqual(PROBE);
}

describe('an older Tokenvault process still running after the vault was migrated', () => {
  it('its rotation (a new value and metadata, generations left as they were) is refused; the cell keeps its box; the new code reads everything', () => {
    const before = dumpTables(old, TABLES);
    const e = refused(() =>
      old
        .prepare('UPDATE credentials SET meta = ?, secret = ?, rotated_at = ?, updated_at = ? WHERE id = ?')
        .run(v1Box('credentials', ids.a, 'meta', { name: 'alpha', fingerprint: 'x' }), v1Box('credentials', ids.a, 'secret', { value: 'sk_live_rotated_by_old_app_000' }), 1, 1, ids.a),
    );
    expect(e.code).toBe('SQLITE_CONSTRAINT_TRIGGER');
    expect(e.message.startsWith(STALE_WRITE_PREFIX)).toBe(true);
    expect(e.message).toMatch(/restart/);
    expect(dumpTables(old, TABLES)).toBe(before);
    expectEverythingReads();
  });

  it.each([
    ['a workspace edit', 'workspaces', 'meta', (): string => ids.ws, { name: 'Acme renamed' }],
    ['an environment edit', 'environments', 'meta', (): string => ids.env, { name: 'prod', baseUrl: 'https://old-host.example.com' }],
    ['a token edit', 'credentials', 'meta', (): string => ids.a, { name: 'alpha renamed' }],
    ['a value replaced', 'credentials', 'secret', (): string => ids.a, { value: 'sk_live_other_value_0000000000' }],
    ['the scheduled backup moved to another folder', 'backup_schedule', 'config', (): number => 1, { folder: '/elsewhere', passphrase: 'p' }],
    ['the scheduled backup run reported', 'backup_schedule', 'last_report', (): number => 1, { file: '/backups/acme/b2.age', error: null }],
  ] as const)('%s (an UPDATE of %s.%s without a new generation) is refused and changes nothing', (_what, table, column, id, value) => {
    const before = dumpTables(old, TABLES);
    const e = refused(() => old.prepare(`UPDATE ${table} SET ${column} = ? WHERE id = ?`).run(v1Box(table, id(), column, value), id()));
    expect(e.message.startsWith(STALE_WRITE_PREFIX)).toBe(true);
    expect(dumpTables(old, TABLES)).toBe(before);
    expectEverythingReads();
  });

  it('its INSERTs (no generation columns: generation 0, v1 boxes) are refused: no workspace, environment, token or backup schedule appears', () => {
    const before = dumpTables(old, TABLES);
    const wsId = 'ws_from_old_app';
    const envId = 'env_from_old_app';
    const credId = 'cred_from_old_app';
    const attempts: [string, () => unknown][] = [
      ['workspace', () => old.prepare('INSERT INTO workspaces (id, name_mac, meta, created_at, updated_at) VALUES (?, ?, ?, 1, 1)').run(wsId, randomBytes(32), v1Box('workspaces', wsId, 'meta', { name: 'Old' }))],
      [
        'environment',
        () =>
          old
            .prepare('INSERT INTO environments (id, workspace_id, name_mac, production, meta, created_at, updated_at) VALUES (?, ?, ?, 0, ?, 1, 1)')
            .run(envId, ids.ws, randomBytes(32), v1Box('environments', envId, 'meta', { name: 'old', baseUrl: 'https://x.example.com' })),
      ],
      [
        'token',
        () =>
          old
            .prepare("INSERT INTO credentials (id, environment_id, workspace_id, name_mac, kind, status, meta, secret, created_at, updated_at, rotated_at) VALUES (?, ?, ?, ?, 'bearer', 'active', ?, ?, 1, 1, 1)")
            .run(credId, ids.env, ids.ws, randomBytes(32), v1Box('credentials', credId, 'meta', { name: 'old' }), v1Box('credentials', credId, 'secret', { value: 'sk_old_app_0000000000' })),
      ],
      [
        'backup schedule (upsert)',
        () =>
          old
            .prepare('INSERT INTO backup_schedule (id, every_ms, keep, config, updated_at) VALUES (1, 1000, 3, ?, 1) ON CONFLICT(id) DO UPDATE SET config = excluded.config')
            .run(v1Box('backup_schedule', 1, 'config', { folder: '/elsewhere', passphrase: 'p' })),
      ],
    ];
    for (const [what, run] of attempts) expect(refused(run).message.startsWith(STALE_WRITE_PREFIX), what).toBe(true);
    // With no schedule yet, the upsert is a plain INSERT: refused too.
    old.prepare('DELETE FROM backup_schedule').run();
    const noSchedule = dumpTables(old, TABLES);
    expect(refused(() => old.prepare('INSERT INTO backup_schedule (id, every_ms, keep, config, updated_at) VALUES (1, 1000, 3, ?, 1)').run(v1Box('backup_schedule', 1, 'config', { folder: '/x', passphrase: 'p' }))).message).toMatch(/^stale write refused:/);
    expect(dumpTables(old, TABLES)).toBe(noSchedule);
    expect(before).not.toBe(noSchedule);
  });

  it('its writes that leave sealed cells alone still work (status, dates, test history, settings), and so does a wipe that draws a new generation', () => {
    old.prepare("UPDATE credentials SET status = 'expired', last_used_at = 5, updated_at = updated_at + 1 WHERE id = ?").run(ids.a);
    old.prepare("INSERT INTO test_history (credential_id, at, outcome, data) VALUES (?, 1, 'ok', x'00')").run(ids.a);
    old.prepare("INSERT INTO settings (key, value) VALUES ('skewCheck', '1') ON CONFLICT(key) DO UPDATE SET value = excluded.value").run();
    expect(t.vault.getCredential(ids.a).status).toBe('expired');
    expect(t.vault.revealCredential(ids.a)).toEqual({ value: A_VALUE });
    old.prepare('UPDATE credentials SET secret = NULL, secret_gen = ? WHERE id = ?').run(newGen(randomBytes), ids.a);
    expect(t.vault.getCredential(ids.a).hasValue).toBe(false);
  });

  it('its probe report written the way the build of cell format 2 wrote it (an upsert of a v1 box without data_gen, migration 14) is refused, as an update and as an insert, and changes nothing', () => {
    const before = dumpTables(old, TABLES);
    const upsert = old.prepare('INSERT INTO probe_reports (credential_id, at, data) VALUES (?, 1, ?) ON CONFLICT(credential_id) DO UPDATE SET at = excluded.at, data = excluded.data');
    const replaced = refused(() => upsert.run(ids.a, v1Box('probe_reports', ids.a, 'data', { checks: [] })));
    expect(replaced.code).toBe('SQLITE_CONSTRAINT_TRIGGER');
    expect(replaced.message.startsWith(STALE_WRITE_PREFIX)).toBe(true);
    expect(toErrorPayload(replaced)).toMatchObject({ code: 'UNSUPPORTED_VERSION', details: { reason: 'stale_writer' } });
    expect(refused(() => old.prepare('UPDATE probe_reports SET data = ? WHERE credential_id = ?').run(v1Box('probe_reports', ids.a, 'data', { checks: [] }), ids.a)).message.startsWith(STALE_WRITE_PREFIX)).toBe(true);
    // A token with no report yet: the upsert is a plain INSERT (data_gen 0).
    const fresh = t.vault.addCredential({ environmentId: ids.env, name: 'bravo', kind: 'bearer', secret: { value: `${A_VALUE}_b` } });
    const noReport = dumpTables(old, TABLES);
    expect(refused(() => upsert.run(fresh.id, v1Box('probe_reports', fresh.id, 'data', { checks: [] }))).message.startsWith(STALE_WRITE_PREFIX)).toBe(true);
    expect(dumpTables(old, TABLES)).toBe(noReport);
    expect(t.vault.probeReport(fresh.id)).toBeNull();
    expect(noReport).not.toBe(before);
    expectEverythingReads();
  });

  it('the new code never trips the guards: edit, rotate, renew, revoke with wipe, schedule changes and re-probes all go through (restore and merge: src-main/services backup tests)', () => {
    const v = t.vault;
    v.updateWorkspace(ids.ws, { name: 'Acme 2' });
    v.updateEnvironment(ids.env, { baseUrl: 'https://api2.example.com' });
    v.updateCredential(ids.a, { notes: 'edited' });
    v.replaceSecret(ids.a, { value: `${A_VALUE}_2` });
    const s = v.addCredential({ environmentId: ids.env, name: 'session', kind: 'jwt_session', secret: { value: 'jwt_a.b.c_000000000000', refreshToken: 'refresh_00000000' } });
    v.updateSessionSecret(s.id, { value: 'jwt_d.e.f_000000000000', refreshToken: 'refresh_11111111' }, null);
    v.markRevoked(s.id, { wipeSecret: true, note: 'done' });
    schedule().set({ folder: '/backups/other', passphrase: 'schedule passphrase 2', everyMs: 3_600_000, keep: 3 });
    schedule().finish(Date.now(), { ok: false, error: 'disk full' });
    v.saveProbeReport(ids.a, { checks: [] });
    v.saveProbeReport(s.id, PROBE);
    expect(v.probeReport(ids.a)).toEqual({ checks: [] });
    expect(v.probeReport(s.id)).toEqual(PROBE);
    expect(v.revealCredential(ids.a)).toEqual({ value: `${A_VALUE}_2` });
    expect(v.getCredential(s.id).hasValue).toBe(false);
    expect(schedule().get()).toMatchObject({ folder: '/backups/other', lastError: 'disk full' });
  });
});

describe('a write the guards refuse in this process', () => {
  it('is a typed error asking for a restart (UNSUPPORTED_VERSION, reason stale_writer), never INTERNAL, and changes nothing', () => {
    // What a newer schema's guard does to this process's writes: a later migration's trigger with the same message start.
    old.exec(`CREATE TRIGGER gen_guard_future_test_history BEFORE INSERT ON test_history BEGIN SELECT RAISE(ABORT, '${STALE_WRITE_PREFIX} a newer guard'); END;`);
    const before = dumpTables(old, [...TABLES, 'test_history']);
    const e = vaultError(() => t.vault.recordTest(ids.a, 'ok', { method: 'GET', path: '/me', status: 200, explanation: 'ok', totalMs: 5, rateLimitRemaining: null }));
    expect(e.code).toBe('UNSUPPORTED_VERSION');
    expect(e.details).toEqual({ reason: 'stale_writer' });
    expect(e.message).toMatch(/older than the vault/);
    expect(e.message).toMatch(/start it again/);
    expect(dumpTables(old, [...TABLES, 'test_history'])).toBe(before);
  });

  it('crossing a boundary as a raw SQLite error, it still maps to UNSUPPORTED_VERSION; other trigger aborts stay INTERNAL', () => {
    const guard = refused(() => old.prepare('UPDATE workspaces SET meta = ? WHERE id = ?').run(v1Box('workspaces', ids.ws, 'meta', { name: 'x' }), ids.ws));
    expect(toErrorPayload(guard)).toMatchObject({ code: 'UNSUPPORTED_VERSION', details: { reason: 'stale_writer' } });
    const appendOnly = refused(() => old.prepare('DELETE FROM audit').run());
    expect(appendOnly.message).toBe('audit is append-only');
    expect(toErrorPayload(appendOnly).code).toBe('INTERNAL');
  });
});

describe('another process migrating the vault past this code while it runs', () => {
  /** The lock's audit event is a write this process may no longer make there; the keys go all the same. */
  const lockRefusingTheLockEvent = () => {
    expect(vaultError(() => t.vault.lock()).code).toBe('UNSUPPORTED_VERSION');
    expect(t.vault.isUnlocked).toBe(false);
  };
  const migrateAhead = () => {
    old.exec('CREATE TABLE from_the_future (x INTEGER)');
    old.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  };

  it('is noticed at the next read or write: UNSUPPORTED_VERSION asking for a restart, for good; nothing is written', () => {
    const v = t.vault;
    expect(v.getCredential(ids.a).name).toBe('alpha');
    migrateAhead();
    const e = vaultError(() => v.getCredential(ids.a));
    expect(e.code).toBe('UNSUPPORTED_VERSION');
    expect(e.details).toEqual({ reason: 'schema_changed_while_open', found: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION });
    expect(e.message).toMatch(/newer Tokenvault updated this vault/);
    const before = dumpTables(old, TABLES);
    expect(vaultError(() => v.addWorkspace({ name: 'Written by the old code' })).code).toBe('UNSUPPORTED_VERSION');
    expect(dumpTables(old, TABLES)).toBe(before);
    // Sticky: the vault does not go back.
    expect(vaultError(() => v.getWorkspace(ids.ws)).code).toBe('UNSUPPORTED_VERSION');
    lockRefusingTheLockEvent();
  });

  it('a list whose records the newer version sealed differently answers UNSUPPORTED_VERSION, not a list of damaged records', () => {
    migrateAhead();
    old.exec('DROP TRIGGER gen_guard_workspaces_update');
    old.prepare('UPDATE workspaces SET meta = ?, meta_gen = ? WHERE id = ?').run(sealJson(enc, { name: 'Acme' }, { table: 'workspaces', id: ids.ws, column: 'meta_v3' }), newGen(randomBytes), ids.ws);
    expect(vaultError(() => t.vault.listWorkspaces()).code).toBe('UNSUPPORTED_VERSION');
    lockRefusingTheLockEvent();
  });

  it('a value the newer version sealed differently reads as UNSUPPORTED_VERSION, not as a damaged record', () => {
    migrateAhead();
    // The newer version's box (here: a box under additional data this code does not use), with a new generation.
    old.exec('DROP TRIGGER gen_guard_credentials_update');
    old.prepare('UPDATE credentials SET secret = ?, secret_gen = ? WHERE id = ?').run(sealJson(enc, { value: 'x' }, { table: 'credentials', id: ids.a, column: 'secret_v3' }), newGen(randomBytes), ids.a);
    const e = vaultError(() => t.vault.revealCredential(ids.a));
    expect(e.code).toBe('UNSUPPORTED_VERSION');
    expect(e.message).not.toContain(A_VALUE);
    lockRefusingTheLockEvent();
  });
});

describe('SchemaWatch', () => {
  let home: string;
  let db: Database.Database;
  beforeEach(() => {
    home = tempHome();
    db = openDatabase(join(home, 'vault.db'));
  });
  afterEach(() => {
    db.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('reads the schema version only when another connection committed, and keeps answering once it is newer', () => {
    const watch = new SchemaWatch(db, SCHEMA_VERSION);
    const reads = vi.spyOn((watch as unknown as { userVersion: Database.Statement }).userVersion, 'get');
    const dataVersion = () => db.pragma('data_version', { simple: true }) as number;
    for (let i = 0; i < 5; i++) watch.observe(dataVersion());
    watch.check();
    expect(reads).toHaveBeenCalledTimes(1);
    // This connection's own commits do not move data_version.
    db.prepare("INSERT INTO settings (key, value) VALUES ('a', '1')").run();
    watch.check();
    expect(reads).toHaveBeenCalledTimes(1);
    const other = rawDb(home);
    try {
      other.prepare("INSERT INTO settings (key, value) VALUES ('b', '1')").run();
      watch.check();
      expect(reads).toHaveBeenCalledTimes(2);
      other.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    } finally {
      other.close();
    }
    expect(vaultError(() => watch.observe(dataVersion())).code).toBe('UNSUPPORTED_VERSION');
    expect(vaultError(() => watch.check()).code).toBe('UNSUPPORTED_VERSION');
    expect(reads).toHaveBeenCalledTimes(3);
  });
});
