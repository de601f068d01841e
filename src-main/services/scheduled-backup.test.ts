import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempVault, testClock, vaultError, vaultErrorAsync, type TempVault } from '../vault/test-support';
import { contentTables } from '../vault/backup-tables';
import { BACKUP_TABLES } from '../vault/backup-format';
import { readBackup } from './backup';
import { BackupScheduler, listScheduledBackups, scheduledBackupName, ScheduledBackups } from './scheduled-backup';

const PASS = 'scheduled passphrase 4321';
const DAY = 86_400_000;

let t: TempVault;
let folder: string;
let clock: ReturnType<typeof testClock>;
let backups: ScheduledBackups;

beforeEach(async () => {
  clock = testClock();
  t = openTempVault({ now: clock.now });
  await t.vault.init({ keySource: 'keychain' });
  const ws = t.vault.addWorkspace({ name: 'Acme' });
  const env = t.vault.addEnvironment({ workspaceId: ws.id, name: 'sandbox', baseUrl: 'https://sandbox.example.com' });
  t.vault.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', secret: { value: 'scheduled-secret-0123456789' } });
  folder = mkdtempSync(join(tmpdir(), 'tokenvault-backups-'));
  backups = new ScheduledBackups(t.vault, t.home, { scryptWorkFactor: 10, now: clock.now });
});

afterEach(() => {
  t.cleanup();
  rmSync(folder, { recursive: true, force: true });
});

const vaultId = () => t.vault.status().vaultId!;

describe('scheduled backups', () => {
  it('writes owner-only files under its own name pattern and keeps only the last N, never a foreign file', async () => {
    // Foreign files: the user's own, a manual backup, another vault's scheduled backup, a look-alike folder.
    const foreign = ['notes.txt', 'tokenvault-2026-01-01.age', scheduledBackupName('vault_ffffffff00000000000000000000000', 1), 'tokenvault-auto-x.age'];
    for (const f of foreign) writeFileSync(join(folder, f), 'not ours');
    mkdirSync(join(folder, scheduledBackupName(vaultId(), 0)));
    backups.set({ folder, every: '1d', keep: 3, passphrase: PASS });

    const written: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await backups.run();
      expect(r.ran).toBe(true);
      written.push(r.file!);
      const st = statSync(join(folder, r.file!));
      expect(st.mode & 0o777).toBe(0o600);
      // Not due again until a day has passed.
      expect((await backups.run()).ran).toBe(false);
      clock.advance(DAY);
    }
    expect(listScheduledBackups(folder, vaultId())).toEqual(written.slice(2).reverse());
    for (const f of foreign) expect(readFileSync(join(folder, f), 'utf8')).toBe('not ours');
    // A folder with our name pattern is not a backup file: left alone.
    expect(statSync(join(folder, scheduledBackupName(vaultId(), 0))).isDirectory()).toBe(true);
    // No temporary file is left behind.
    expect(readdirSync(folder).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // The newest file is a real backup under the schedule's passphrase.
    const doc = await readBackup(join(folder, written[4]!), PASS);
    expect(doc.tables.credentials).toHaveLength(1);

    const view = backups.view()!;
    expect(view).toMatchObject({ folder, every: '1d', keep: 3, lastOutcome: 'ok', lastFile: written[4], lastError: null });
    expect(JSON.stringify(view)).not.toContain(PASS);
    const notes = t.vault.listAudit({ limit: 50 }).map((e) => `${e.type}: ${e.note ?? ''}`);
    expect(notes.filter((n) => n.startsWith('exported: scheduled backup to'))).toHaveLength(5);
    expect(notes.some((n) => n.startsWith('updated: scheduled backup set: every 1d'))).toBe(true);
  });

  it('a failed write leaves every earlier backup, records the failure visibly and audits it', async () => {
    backups.set({ folder, every: '1d', keep: 2, passphrase: PASS });
    const first = (await backups.run()).file!;
    clock.advance(DAY);
    const second = (await backups.run()).file!;
    const before = new Map(readdirSync(folder).map((f) => [f, readFileSync(join(folder, f))]));
    clock.advance(DAY);
    // The disk fills up halfway through the new file: the writer has written part of its temporary file, removes it and throws.
    const failing = new ScheduledBackups(t.vault, t.home, {
      scryptWorkFactor: 10,
      now: clock.now,
      writeFile: (path, data) => {
        const tmp = `${path}.partial.tmp`;
        writeFileSync(tmp, data.subarray(0, data.length >> 1));
        rmSync(tmp);
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
    });
    const e = await vaultErrorAsync(() => failing.run());
    expect(e.message).toMatch(/^Could not write the backup tokenvault-auto-.*\(ENOSPC\); earlier backups were left as they were\.$/);
    expect(readdirSync(folder).sort()).toEqual([...before.keys()].sort());
    for (const [f, bytes] of before) expect(readFileSync(join(folder, f)).equals(bytes)).toBe(true);
    expect(listScheduledBackups(folder, vaultId())).toEqual([second, first]);
    const view = backups.view()!;
    expect(view.lastOutcome).toBe('failed');
    expect(view.lastError).toBe(e.message);
    expect(view.lastSuccessAt).toBe(clock.now() - DAY);
    // Retried after at most 15 minutes, not a whole interval.
    expect(view.nextDueAt).toBe(clock.now() + 15 * 60_000);
    expect(t.vault.listAudit({ limit: 5 }).some((ev) => ev.type === 'exported' && /FAILED/.test(ev.note ?? ''))).toBe(true);
  });

  it('a wrong folder is a clear error when set, and when it disappears later', async () => {
    const missing = join(folder, 'nope');
    expect(vaultError(() => backups.set({ folder: missing, every: '1d', keep: 7, passphrase: PASS })).message).toBe(
      `The backup folder ${missing} does not exist. Create it first, or choose another.`,
    );
    const file = join(folder, 'a-file');
    writeFileSync(file, '');
    expect(vaultError(() => backups.set({ folder: file, every: '1d', keep: 7, passphrase: PASS })).message).toMatch(/is a file, not a folder/);
    expect(vaultError(() => backups.set({ folder: 'relative/dir', every: '1d', keep: 7, passphrase: PASS })).message).toMatch(/absolute path/);
    expect(vaultError(() => backups.set({ folder, every: '10min', keep: 7, passphrase: PASS })).code).toBe('VALIDATION');
    expect(vaultError(() => backups.set({ folder, every: '1d', keep: 0, passphrase: PASS })).code).toBe('VALIDATION');
    expect(vaultError(() => backups.set({ folder, every: '1d', keep: 7 })).message).toMatch(/needs a backup passphrase/);
    expect(vaultError(() => backups.set({ folder, every: '1d', keep: 7, passphrase: 'short' })).code).toBe('VALIDATION');
    expect(backups.view()).toBeNull();

    const sub = join(folder, 'sub');
    mkdirSync(sub);
    backups.set({ folder: sub, every: '1d', keep: 7, passphrase: PASS });
    rmSync(sub, { recursive: true });
    const e = await vaultErrorAsync(() => backups.run());
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toBe(`The backup folder ${sub} does not exist. Create it first, or choose another.`);
    expect(backups.view()).toMatchObject({ lastOutcome: 'failed', lastError: e.message });
  });

  it('never stores the backup passphrase (or the folder) in clear in the database files', async () => {
    const secretFolder = join(folder, 'folder-name-that-is-private');
    mkdirSync(secretFolder);
    backups.set({ folder: secretFolder, every: '12h', keep: 2, passphrase: PASS });
    await backups.run();
    // Changing the other settings keeps the stored passphrase.
    backups.set({ folder: secretFolder, every: '1d', keep: 3 });
    clock.advance(DAY);
    const r = await backups.run();
    expect(await readBackup(join(secretFolder, r.file!), PASS)).toBeTruthy();
    t.vault.flush();
    const files = readdirSync(t.home).filter((f) => f.startsWith('vault.db'));
    expect(files).toContain('vault.db');
    for (const f of files) {
      const bytes = readFileSync(join(t.home, f));
      for (const needle of [PASS, 'folder-name-that-is-private']) {
        expect(bytes.includes(Buffer.from(needle, 'utf8')), `${needle} in ${f}`).toBe(false);
        expect(bytes.includes(Buffer.from(needle, 'utf16le')), `${needle} (UTF-16) in ${f}`).toBe(false);
      }
    }
  });

  it('is known to the backup (as machinery, not content) and turning it off keeps the files', async () => {
    expect(contentTables(t.vault.internals().db).filter((n) => !(BACKUP_TABLES as readonly string[]).includes(n))).toEqual([]);
    backups.set({ folder, every: '1d', keep: 7, passphrase: PASS });
    const r = await backups.run();
    expect(backups.clear()).toBe(true);
    expect(backups.view()).toBeNull();
    expect(existsSync(join(folder, r.file!))).toBe(true);
    expect((await vaultErrorAsync(() => backups.run())).code).toBe('NOT_FOUND');
  });

  it('the app scheduler runs it only while unlocked, and a failed run is shown as a notification', async () => {
    backups.set({ folder, every: '1d', keep: 7, passphrase: PASS });
    const notices: { title: string; body: string }[] = [];
    const scheduler = new BackupScheduler(t.vault, backups, (n) => notices.push(n));
    try {
      t.vault.lock();
      await scheduler.tick();
      expect(listScheduledBackups(folder, vaultId())).toEqual([]);
      await t.vault.unlock();
      await scheduler.tick();
      expect(listScheduledBackups(folder, vaultId())).toHaveLength(1);
      // Not due again the same day.
      await scheduler.tick();
      expect(listScheduledBackups(folder, vaultId())).toHaveLength(1);
      expect(notices).toEqual([]);
      // The next day the folder is gone: the failure reaches the user.
      clock.advance(DAY);
      rmSync(folder, { recursive: true });
      await scheduler.tick();
      expect(notices).toEqual([{ title: 'Scheduled backup failed', body: `The backup folder ${folder} does not exist. Create it first, or choose another.` }]);
    } finally {
      scheduler.stop();
    }
  });
});
