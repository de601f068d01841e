import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './db';
import { MemoryKeyStore } from './keychain';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { SECRET_READ_SQL } from './secret-repo';
import { tempHome, vaultError } from './test-support';
import { Vault } from './vault';

let home: string;
let file: string;
const open: Db[] = [];

beforeEach(() => {
  home = tempHome();
  file = join(home, 'vault.db');
});
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  rmSync(home, { recursive: true, force: true });
});

function track(db: Db): Db {
  open.push(db);
  return db;
}
const sha256 = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const userVersion = (db: Database.Database) => db.pragma('user_version', { simple: true }) as number;
const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

/** A database at `version` as another (newer or older) Tokenvault would have left it. */
function craft(version: number, opts: { wal?: boolean; schema?: string } = {}): void {
  const db = new Database(file);
  if (opts.wal) db.pragma('journal_mode = WAL');
  if (opts.schema) db.exec(opts.schema);
  db.pragma(`user_version = ${version}`);
  db.close();
}

describe('openDatabase', () => {
  it('creates and migrates a new file from version 0 to the current schema', () => {
    const db = track(openDatabase(file));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    expect(tables(db)).toEqual(['audit', 'backup_schedule', 'credential_expiry', 'credentials', 'environments', 'pending_audit', 'probe_reports', 'rate_limit_holds', 'reminder_snoozes', 'reminders_sent', 'rotation_flows', 'secret_index', 'settings', 'test_history', 'vault_meta', 'workspace_policies', 'workspaces']);
    const triggers = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(triggers).toEqual([
      'audit_no_delete',
      'audit_no_update',
      'cell_digest_audit_head',
      'cell_digest_backup_schedule_delete',
      'cell_digest_backup_schedule_insert',
      'cell_digest_backup_schedule_update',
      'cell_digest_credentials_delete',
      'cell_digest_credentials_insert',
      'cell_digest_credentials_update',
      'cell_digest_environments_delete',
      'cell_digest_environments_insert',
      'cell_digest_environments_update',
      'cell_digest_probe_reports_delete',
      'cell_digest_probe_reports_insert',
      'cell_digest_probe_reports_update',
      'cell_digest_workspaces_delete',
      'cell_digest_workspaces_insert',
      'cell_digest_workspaces_update',
      'gen_guard_backup_schedule_insert',
      'gen_guard_backup_schedule_update',
      'gen_guard_credentials_insert',
      'gen_guard_credentials_update',
      'gen_guard_environments_insert',
      'gen_guard_environments_update',
      'gen_guard_probe_reports_insert',
      'gen_guard_probe_reports_update',
      'gen_guard_workspaces_insert',
      'gen_guard_workspaces_update',
      'secret_index_cleanup',
    ]);
    // Reveal reads the value from its covering index alone (migration 12), never the ~450-byte row.
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${SECRET_READ_SQL}`).all('x') as { detail: string }[];
    expect(plan.map((p) => p.detail)).toEqual(['SEARCH credentials USING COVERING INDEX credentials_secret_by_id (id=?)']);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    // Nothing to back up from version 0.
    expect(readdirSync(home).filter((f) => f.endsWith('.bak'))).toEqual([]);
  });

  it('treats an empty (0-byte) file as new', () => {
    writeFileSync(file, '');
    const db = track(openDatabase(file));
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
  });

  it('WAL mode is stored in the file, so every later connection uses it', () => {
    openDatabase(file).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('enforces the schema: foreign keys, the append-only audit table', () => {
    const db = track(openDatabase(file));
    expect(() =>
      db.prepare("INSERT INTO environments (id, workspace_id, name_mac, production, meta, created_at, updated_at) VALUES ('env_x', 'ws_missing', x'00', 0, x'00', 0, 0)").run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO audit (seq, at, type, mac) VALUES (1, 0, 'unlocked', x'00')").run();
    expect(() => db.prepare('UPDATE audit SET at = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
  });

  it('reopening at the current version neither migrates nor backs up', () => {
    const first = openDatabase(file);
    first.prepare("INSERT INTO settings VALUES ('k', '1')").run();
    first.close();
    const db = track(openDatabase(file, { now: () => 1 }));
    expect(db.prepare('SELECT value FROM settings').get()).toEqual({ value: '1' });
    expect(readdirSync(home).filter((f) => f.endsWith('.bak'))).toEqual([]);
  });

  /** What a one-shot CLI command leaves (Vault.close's processExits): a WAL database whose last connection ended with the process, unclosed. */
  function leaveUnclosed(sql: string): void {
    const script = `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new D(process.argv[1]); db.pragma('journal_mode = WAL'); db.exec(process.argv[2]); process.exit(0);`;
    const r = spawnSync(process.execPath, ['-e', script, file, sql], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
  }

  it('a newer version left with its WAL by a process that did not close it is refused through SQLite, and its files stay as they were', () => {
    leaveUnclosed(`CREATE TABLE future_things (x TEXT); INSERT INTO future_things VALUES ('from the future'); PRAGMA user_version = ${SCHEMA_VERSION + 7};`);
    const names = readdirSync(home).sort();
    // The database and its WAL; -shm is SQLite's shared index, which any reader rebuilds.
    const data = [file, `${file}-wal`];
    const bytes = data.map(sha256);
    const e = vaultError(() => openDatabase(file));
    expect(e.code).toBe('UNSUPPORTED_VERSION');
    expect(e.details).toEqual({ found: SCHEMA_VERSION + 7, supported: SCHEMA_VERSION });
    expect(readdirSync(home).sort()).toEqual(names);
    expect(data.map(sha256)).toEqual(bytes);
  });

  it('the current version left with its WAL opens with every committed write, and a second connection opens beside it', () => {
    track(openDatabase(file)).close();
    leaveUnclosed("INSERT INTO settings VALUES ('left', 'in the WAL')");
    const db = track(openDatabase(file));
    expect(db.prepare("SELECT value FROM settings WHERE key = 'left'").get()).toEqual({ value: 'in the WAL' });
    const second = track(openDatabase(file));
    expect(second.prepare("SELECT value FROM settings WHERE key = 'left'").get()).toEqual({ value: 'in the WAL' });
    expect(second.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it.each([
    ['a rollback-journal file', { wal: false }],
    ['a WAL file', { wal: true }],
  ])('refuses a database from a newer version (%s) with UNSUPPORTED_VERSION, leaving its bytes unchanged', (_what, opts) => {
    craft(SCHEMA_VERSION + 7, { ...opts, schema: 'CREATE TABLE future_things (x TEXT); INSERT INTO future_things VALUES (\'from the future\');' });
    const before = sha256(file);
    const filesBefore = readdirSync(home).sort();
    const e = vaultError(() => openDatabase(file));
    expect(e.code).toBe('UNSUPPORTED_VERSION');
    expect(e.details).toEqual({ found: SCHEMA_VERSION + 7, supported: SCHEMA_VERSION });
    expect(e.message).toMatch(/not changed/);
    expect(sha256(file)).toBe(before);
    // The version is read from the file header: no -wal or -shm appears beside it.
    expect(readdirSync(home).sort()).toEqual(filesBefore);
    // Vault.open refuses it the same way.
    expect(vaultError(() => Vault.open({ home, keyStore: new MemoryKeyStore() })).code).toBe('UNSUPPORTED_VERSION');
    expect(sha256(file)).toBe(before);
  });

  it('refuses a file that is not a database with CORRUPT, leaving its bytes unchanged', () => {
    writeFileSync(file, randomBytes(4096));
    const before = sha256(file);
    expect(vaultError(() => openDatabase(file)).code).toBe('CORRUPT');
    expect(sha256(file)).toBe(before);
  });

  it('copies an older database aside before migrating it, and the copy is the old version', () => {
    const v1 = openDatabase(file);
    v1.prepare("INSERT INTO settings VALUES ('autoLockMinutes', '7')").run();
    v1.close();
    const next = [...MIGRATIONS, "CREATE TABLE extra (x INTEGER); UPDATE settings SET value = '8' WHERE key = 'autoLockMinutes';"];
    const db = track(openDatabase(file, { migrations: next, now: () => 1234 }));
    expect(userVersion(db)).toBe(SCHEMA_VERSION + 1);
    expect(tables(db)).toContain('extra');
    expect(db.prepare('SELECT value FROM settings').get()).toEqual({ value: '8' });

    const backupName = `vault.db.v${SCHEMA_VERSION}-1234.bak`;
    expect(readdirSync(home)).toContain(backupName);
    const backup = new Database(join(home, backupName), { readonly: true });
    expect(userVersion(backup)).toBe(SCHEMA_VERSION);
    expect(tables(backup)).not.toContain('extra');
    expect(backup.prepare('SELECT value FROM settings').get()).toEqual({ value: '7' });
    backup.close();
  });

  it('a failing migration rolls back completely: the old version and data stay, and the backup exists', () => {
    const v1 = openDatabase(file);
    v1.prepare("INSERT INTO settings VALUES ('k', 'v')").run();
    v1.close();
    const broken = [...MIGRATIONS, 'CREATE TABLE half_done (x INTEGER); THIS IS NOT SQL;'];
    expect(() => openDatabase(file, { migrations: broken, now: () => 99 })).toThrow();
    expect(readdirSync(home)).toContain(`vault.db.v${SCHEMA_VERSION}-99.bak`);
    const db = track(openDatabase(file));
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    expect(tables(db)).not.toContain('half_done');
    expect(db.prepare('SELECT value FROM settings').get()).toEqual({ value: 'v' });
  });

  it('the seam itself: with a longer list, a database at the real version is older, not newer', () => {
    craft(SCHEMA_VERSION + 1);
    expect(vaultError(() => openDatabase(file)).code).toBe('UNSUPPORTED_VERSION');
    expect(() => track(openDatabase(file, { migrations: [...MIGRATIONS, 'SELECT 1'] }))).not.toThrow();
  });
});

describe('statement cache (issue 9: one compile per SQL text)', () => {
  it('hands out one compiled statement per SQL text, and it still sees later writes', () => {
    const db = track(openDatabase(file));
    db.exec('CREATE TABLE t (x INTEGER)');
    const read = 'SELECT COUNT(*) AS n FROM t';
    const first = db.prepare(read);
    expect(db.prepare(read)).toBe(first);
    db.prepare('INSERT INTO t (x) VALUES (?)').run(1);
    expect(db.prepare(read).get()).toEqual({ n: 1 });
  });

  it('never gives a statement busy in an iteration to a nested use', () => {
    const db = track(openDatabase(file));
    db.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2)');
    const sql = 'SELECT x FROM t ORDER BY x';
    const seen: unknown[] = [];
    for (const row of db.prepare(sql).iterate() as IterableIterator<{ x: number }>) {
      // Without the busy check this would throw "This statement is busy executing a query".
      seen.push(row.x, db.prepare(sql).all());
    }
    expect(seen).toEqual([1, [{ x: 1 }, { x: 2 }], 2, [{ x: 1 }, { x: 2 }]]);
  });

  it('a statement switched to pluck/raw/expand leaves the cache: no other caller gets rows in that shape', () => {
    const db = track(openDatabase(file));
    db.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7)');
    const sql = 'SELECT x FROM t';
    const plucked = db.prepare(sql).pluck();
    expect(plucked.get()).toBe(7);
    expect(db.prepare(sql)).not.toBe(plucked);
    expect(db.prepare(sql).get()).toEqual({ x: 7 });
    const raw = db.prepare(sql).raw();
    expect(raw.get()).toEqual([7]);
    expect(db.prepare(sql).get()).toEqual({ x: 7 });
    expect(plucked.get()).toBe(7);
  });
});
describe('file modes (every file naming a workspace or token is owner-only)', () => {
  const mode = (f: string) => statSync(f).mode & 0o777;
  let umask: number;
  // The usual desktop umask, which leaves new files readable by everyone (0644) unless the code says otherwise.
  beforeEach(() => {
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
  });

  it('a new vault: vault.db, -wal and -shm are 0600 and the data folder 0700', async () => {
    const dir = join(home, 'fresh');
    const v = Vault.open({ home: dir, keyStore: new MemoryKeyStore() });
    await v.init({ keySource: 'keychain' });
    v.addWorkspace({ name: 'Acme' });
    for (const f of ['vault.db', 'vault.db-wal', 'vault.db-shm']) expect([f, mode(join(dir, f))]).toEqual([f, 0o600]);
    expect(mode(dir)).toBe(0o700);
    // Nothing else in the folder is readable by others either.
    for (const f of readdirSync(dir)) expect([f, mode(join(dir, f)) & 0o077]).toEqual([f, 0]);
    v.close();
  });

  it('tightens a vault left with wider modes by an older version, and its folder', () => {
    const dir = join(home, 'old');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    file = join(dir, 'vault.db');
    craft(SCHEMA_VERSION, { wal: true });
    chmodSync(file, 0o644);
    track(openDatabase(file)).close();
    expect(mode(file)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
  });

  it('the copy kept before a migration is 0600', () => {
    openDatabase(file).close();
    track(openDatabase(file, { migrations: [...MIGRATIONS, 'CREATE TABLE extra (x INTEGER);'], now: () => 99 }));
    expect(mode(join(home, `vault.db.v${SCHEMA_VERSION}-99.bak`))).toBe(0o600);
  });
});

