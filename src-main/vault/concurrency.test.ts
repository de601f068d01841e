import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db';
import { dropWriteGuards, openTempVault, rawDb, vaultError, type TempVault } from './test-support';
import { Vault } from './vault';
import { writerInfoFile } from './write-lock';

// Many processes, one vault: the transaction discipline, BUSY, quiet CLI
// reads, change notices and stale edits, shown with two connections in one
// process (the 16-process run is in src-main/cli/cli-concurrency.test.ts).

let t: TempVault;
const others: Vault[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const v of others.splice(0)) v.close();
  t?.cleanup();
});

function second(opts: Partial<Parameters<typeof Vault.open>[0]> = {}): Vault {
  const v = Vault.open({ home: t.home, keyStore: t.keyStore, ...opts });
  others.push(v);
  return v;
}

async function seeded(): Promise<{ envId: string }> {
  t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  const ws = t.vault.addWorkspace({ name: 'Acme' });
  const env = t.vault.addEnvironment({ workspaceId: ws.id, name: 'sandbox', baseUrl: 'https://api.example.com' });
  t.vault.addCredential({ environmentId: env.id, name: 'reader', kind: 'bearer', secret: { value: 'tok_reader_0123456789' } });
  return { envId: env.id };
}

const auditCount = (home: string) => {
  const raw = rawDb(home, { readonly: true });
  try {
    return (raw.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
  } finally {
    raw.close();
  }
};

describe('write transactions', () => {
  it('every transaction takes the write lock at BEGIN (IMMEDIATE), even one that has only read so far', async () => {
    await seeded();
    const db = openDatabase(join(t.home, 'vault.db'));
    const other = rawDb(t.home);
    other.pragma('busy_timeout = 0');
    try {
      let otherCouldWrite: boolean | null = null;
      db.transaction(() => {
        db.prepare('SELECT count(*) FROM credentials').get();
        try {
          other.exec('BEGIN IMMEDIATE');
          other.exec('ROLLBACK');
          otherCouldWrite = true;
        } catch (e) {
          expect((e as { code?: string }).code).toBe('SQLITE_BUSY');
          otherCouldWrite = false;
        }
      })();
      expect(otherCouldWrite).toBe(false);
    } finally {
      other.close();
      db.close();
    }
  });

  it('a write that cannot get the lock within the bounded wait fails with BUSY, not INTERNAL, and changes nothing', async () => {
    await seeded();
    const blocked = second({ busyTimeoutMs: 50 });
    await blocked.unlock();
    const holder = rawDb(t.home);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const e = vaultError(() => blocked.addWorkspace({ name: 'Never' }));
      expect(e.code).toBe('BUSY');
      expect(e.message).toMatch(/busy/i);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(t.vault.listWorkspaces().map((w) => ('name' in w ? w.name : w.id))).toEqual(['Acme']);
    // The lock released, the same call goes through.
    expect(blocked.addWorkspace({ name: 'Later' }).name).toBe('Later');
  });

  it('each writer names itself in an owner-only file, and BUSY names a live holder by pid and command', async () => {
    await seeded();
    const v = second({ processLabel: 'tokenvault workspace add' });
    await v.unlock();
    v.addWorkspace({ name: 'Named' });
    const file = writerInfoFile(join(t.home, 'vault.db'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, label: 'tokenvault workspace add' });
    expect(statSync(file).mode & 0o077).toBe(0);

    // Another process takes the lock the same way (BEGIN IMMEDIATE, then its name) and keeps it.
    const script = `
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const db = new Database(${JSON.stringify(join(t.home, 'vault.db'))});
      db.exec('BEGIN IMMEDIATE');
      require('fs').writeFileSync(${JSON.stringify(file)}, JSON.stringify({ pid: process.pid, label: 'tokenvault token add', at: Date.now() }));
      process.stdout.write('held\\n');
      setInterval(() => {}, 1000);`;
    const blocked = second({ busyTimeoutMs: 50 });
    await blocked.unlock();
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    const e = vaultError(() => blocked.updateSettings({ autoLockMinutes: 3 }));
    expect(e.code).toBe('BUSY');
    expect(e.details).toMatchObject({ holderPid: child.pid, holder: 'tokenvault token add' });
    expect(e.message).toContain(`process ${child.pid} (tokenvault token add)`);
  });

  it('says honestly when the holder cannot be told (no live writer on record)', async () => {
    await seeded();
    const blocked = second({ busyTimeoutMs: 50 });
    await blocked.unlock();
    const holder = rawDb(t.home);
    holder.exec('BEGIN IMMEDIATE');
    try {
      // The last writer on record is this very process, which does not hold the lock.
      const e = vaultError(() => blocked.addWorkspace({ name: 'Never' }));
      expect(e.code).toBe('BUSY');
      expect(e.details).toMatchObject({ holderPid: null });
      expect(e.message).toMatch(/could not be determined/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});

describe('a CLI process', () => {
  it('that only reads writes nothing: no unlocked or locked event, no commit at all', async () => {
    await seeded();
    const before = auditCount(t.home);
    const watcher = rawDb(t.home, { readonly: true });
    const version = () => watcher.pragma('data_version', { simple: true }) as number;
    const v0 = version();
    const cli = second({ lifecycle: 'cli', processLabel: 'tokenvault token list' });
    await cli.unlock();
    expect(cli.listCredentials()).toHaveLength(1);
    cli.close();
    expect(version()).toBe(v0);
    watcher.close();
    expect(auditCount(t.home)).toBe(before);
  });

  it('records its unlock with its first audited event, in the same transaction', async () => {
    await seeded();
    const cli = second({ lifecycle: 'cli', processLabel: 'tokenvault token reveal' });
    await cli.unlock();
    const [c] = cli.listCredentials();
    cli.revealCredential((c as { id: string }).id);
    cli.close();
    const events = t.vault.listAudit({ limit: 3 });
    expect(events.slice(0, 2).map((e) => [e.type, e.note])).toEqual([
      ['revealed', null],
      ['unlocked', 'tokenvault token reveal'],
    ]);
    expect(t.vault.verifyAudit().ok).toBe(true);
  });

  it('the app still records unlock and lock as they happen', async () => {
    await seeded();
    const before = auditCount(t.home);
    const app = second();
    await app.unlock();
    app.lock();
    expect(auditCount(t.home)).toBe(before + 2);
  });
});

describe('changes made by another process', () => {
  it('reach an open vault as change events (data_version polling)', async () => {
    const { envId } = await seeded();
    const cli = second({ lifecycle: 'cli' });
    await cli.unlock();
    const seen: string[] = [];
    const noticed = new Promise<void>((resolve) =>
      t.vault.on('changed', (c) => {
        seen.push(c.entity);
        if (c.entity === 'credential') resolve();
      }),
    );
    const stop = t.vault.watchOtherProcesses(10);
    cli.addCredential({ environmentId: envId, name: 'from the CLI', kind: 'bearer', secret: { value: 'tok_cli_0123456789' } });
    await noticed;
    stop();
    expect(seen).toEqual(expect.arrayContaining(['workspace', 'credential', 'settings']));
    // The search index was rebuilt from the new state.
    expect(t.vault.search('from the').map((e) => e.name)).toEqual(['from the CLI']);
  });

  it('the vault does not announce its own commits as foreign ones', async () => {
    await seeded();
    const events: unknown[] = [];
    const stop = t.vault.watchOtherProcesses(5);
    t.vault.on('changed', (c) => events.push(c));
    t.vault.addWorkspace({ name: 'Mine' });
    expect(events).toHaveLength(1); // the vault's own event, with its id
    // A change by another connection arrives; nothing else did in between.
    const other = second();
    await other.unlock();
    const foreign = new Promise<void>((resolve) => t.vault.once('changed', () => resolve()));
    other.updateSettings({ autoLockMinutes: 4 });
    await foreign;
    stop();
    expect(events.length).toBeGreaterThan(1);
    expect(events[0]).toMatchObject({ entity: 'workspace', id: expect.stringMatching(/^ws_/) });
  });
});

describe('an edit made on a stale copy', () => {
  it('is refused with CONFLICT when another process saved since, and nothing is overwritten', async () => {
    await seeded();
    const [shown] = t.vault.listCredentials() as { id: string; updatedAt: number; name: string }[];
    const cli = second({ lifecycle: 'cli' });
    await cli.unlock();
    cli.updateCredential(shown!.id, { description: 'edited in the terminal' });
    const e = vaultError(() => t.vault.updateCredential(shown!.id, { description: 'edited in the UI', expectedUpdatedAt: shown!.updatedAt }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(/changed elsewhere/);
    expect(t.vault.getCredential(shown!.id).description).toBe('edited in the terminal');
    // With the fresh copy the edit goes through, and updatedAt moves on even within one millisecond.
    const fresh = t.vault.getCredential(shown!.id);
    const saved = t.vault.updateCredential(shown!.id, { description: 'edited in the UI', expectedUpdatedAt: fresh.updatedAt });
    expect(saved.description).toBe('edited in the UI');
    expect(saved.updatedAt).toBeGreaterThan(fresh.updatedAt);
  });

  it('workspaces and environments are guarded the same way', async () => {
    const { envId } = await seeded();
    const ws = t.vault.findWorkspace('Acme');
    const env = t.vault.getEnvironment(envId);
    t.vault.updateWorkspace(ws.id, { notes: 'first' });
    t.vault.updateEnvironment(envId, { baseUrl: 'https://api2.example.com' });
    expect(vaultError(() => t.vault.updateWorkspace(ws.id, { notes: 'second', expectedUpdatedAt: ws.updatedAt })).code).toBe('CONFLICT');
    expect(vaultError(() => t.vault.updateEnvironment(envId, { name: 'x', expectedUpdatedAt: env.updatedAt })).code).toBe('CONFLICT');
    expect(t.vault.getWorkspace(ws.id).notes).toBe('first');
    expect(t.vault.getEnvironment(envId).name).toBe('sandbox');
  });
});

describe('a record that fails to authenticate (CORRUPT)', () => {
  it('can be deleted, and the deletion is audited', async () => {
    await seeded();
    const [c] = t.vault.listCredentials() as { id: string }[];
    const raw = rawDb(t.home);
    dropWriteGuards(raw); // a damaged box, as a disk or an attacker leaves it (the guards refuse the write)
    const { meta } = raw.prepare('SELECT meta FROM credentials WHERE id = ?').get(c!.id) as { meta: Buffer };
    meta[meta.length - 1]! ^= 0x01;
    raw.prepare('UPDATE credentials SET meta = ? WHERE id = ?').run(meta, c!.id);
    raw.close();
    expect(vaultError(() => t.vault.getCredential(c!.id)).code).toBe('CORRUPT');
    t.vault.removeCredential(c!.id);
    expect(t.vault.listCredentials()).toEqual([]);
    const [event] = t.vault.listAudit({ limit: 1 });
    expect(event).toMatchObject({ type: 'deleted', credentialId: c!.id, fingerprint: null, note: expect.stringMatching(/damaged/) });
    expect(t.vault.verifyAudit().ok).toBe(true);
  });
});

describe('verification while another process writes', () => {
  it('audit verification reads the log, its head and the records from one snapshot: a commit in between is not a broken chain', async () => {
    await seeded();
    const writer = second();
    await writer.unlock();
    const audit = (t.vault as unknown as { audit: { verify: (onEvent?: (seq: number) => void) => unknown } }).audit;
    const walk = audit.verify.bind(audit);
    let wrote = false;
    // Another process commits events while this one is in the middle of walking the chain.
    audit.verify = () =>
      walk(() => {
        if (wrote) return;
        wrote = true;
        writer.recordEvent({ type: 'exported', credentialId: null, fingerprint: null, note: 'a concurrent write' });
        writer.flush();
      });
    const v = t.vault.verifyAudit();
    expect(wrote).toBe(true);
    expect(v).toMatchObject({ ok: true, recordsIntact: true });
    // The next verification sees the new event, and it verifies too.
    audit.verify = walk;
    const after = t.vault.verifyAudit();
    expect(after.ok).toBe(true);
    expect(after.checked).toBe((v as { checked: number }).checked + 1);
  });
});
