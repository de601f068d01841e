import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dropWriteGuards, openTempVault, rawDb, vaultError, type TempVault } from './test-support';
import { Vault } from './vault';

// Issue 9: decrypted metadata is kept while unlocked (meta-cache.ts). These
// show that a cached record never outlives a change — made through the vault,
// made behind its back on the same connection, rolled back, made by another
// connection — nor the lock.

let t: TempVault;
const others: Vault[] = [];

afterEach(() => {
  for (const v of others.splice(0)) v.close();
  t?.cleanup();
});

async function seeded() {
  t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  const v = t.vault;
  const ws = v.addWorkspace({ name: 'Acme' });
  const env = v.addEnvironment({ workspaceId: ws.id, name: 'sandbox', baseUrl: 'https://api.example.com' });
  const cred = v.addCredential({ environmentId: env.id, name: 'reader', kind: 'bearer', scopes: ['read'], secret: { value: 'tok_cache_test_0123456789' } });
  return { v, ws, env, cred };
}

/** The number of records the vault's metadata cache holds (a protected getter, read the way lock.test.ts reads the keys). */
const cached = (v: Vault) => (v as unknown as { cachedRecords: number }).cachedRecords;

/** A second connection to the same file, unlocked through the same keychain: what the CLI or another window is. */
async function secondVault(): Promise<Vault> {
  const other = Vault.open({ home: t.home, keyStore: t.keyStore });
  others.push(other);
  await other.unlock();
  return other;
}

/** Reads all three records, so each is in the cache. */
function readAll(v: Vault, ids: { ws: string; env: string; cred: string }) {
  return { ws: v.getWorkspace(ids.ws), env: v.getEnvironment(ids.env), cred: v.getCredential(ids.cred) };
}

describe('the decrypted metadata cache', () => {
  it('keeps the records it read, and hands out copies that cannot change it', async () => {
    const { v, ws, env, cred } = await seeded();
    const first = readAll(v, { ws: ws.id, env: env.id, cred: cred.id });
    expect(cached(v)).toBe(3);
    first.cred.scopes.push('admin');
    first.cred.tags.push('changed');
    first.env.baseUrl = 'https://evil.example';
    first.ws.name = 'Changed';
    const again = readAll(v, { ws: ws.id, env: env.id, cred: cred.id });
    expect(again.cred.scopes).toEqual(['read']);
    expect(again.cred.tags).toEqual([]);
    expect(again.env.baseUrl).toBe('https://api.example.com');
    expect(again.ws.name).toBe('Acme');
  });

  it('a write through the vault is seen by the next read', async () => {
    const { v, ws, env, cred } = await seeded();
    readAll(v, { ws: ws.id, env: env.id, cred: cred.id });
    v.updateCredential(cred.id, { name: 'writer', scopes: ['write'] });
    v.updateEnvironment(env.id, { baseUrl: 'https://api2.example.com' });
    v.updateWorkspace(ws.id, { name: 'Acme Two' });
    const after = readAll(v, { ws: ws.id, env: env.id, cred: cred.id });
    expect(after.cred.name).toBe('writer');
    expect(after.cred.scopes).toEqual(['write']);
    expect(after.env.baseUrl).toBe('https://api2.example.com');
    expect(after.ws.name).toBe('Acme Two');
  });

  it('a write on the same connection that bypasses the vault (no change event) is seen too', async () => {
    const { v, cred } = await seeded();
    expect(v.getCredential(cred.id).lastTestOutcome).toBeNull();
    v.internals().db.prepare("UPDATE credentials SET last_tested_at = 5, last_test_outcome = 'unauthorized' WHERE id = ?").run(cred.id);
    const after = v.getCredential(cred.id);
    expect(after.lastTestOutcome).toBe('unauthorized');
    expect(after.lastTestedAt).toBe(5);
  });

  it('a change rolled back is never served: what a write transaction read after changing a row is not kept', async () => {
    const { v, cred } = await seeded();
    v.getCredential(cred.id);
    const db = v.internals().db;
    expect(() =>
      db.transaction(() => {
        db.prepare("UPDATE credentials SET status = 'invalid' WHERE id = ?").run(cred.id);
        expect(v.getCredential(cred.id).status).toBe('invalid');
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    expect(v.getCredential(cred.id).status).toBe('active');
  });

  it('a write by another connection (the CLI, another window) is seen at the next read, without waiting for the change watcher', async () => {
    const { v, ws, env, cred } = await seeded();
    readAll(v, { ws: ws.id, env: env.id, cred: cred.id });
    const other = await secondVault();
    other.updateCredential(cred.id, { name: 'renamed-elsewhere', role: 'admin' });
    other.updateEnvironment(env.id, { baseUrl: 'https://moved.example.com' });
    other.updateWorkspace(ws.id, { name: 'Renamed elsewhere' });
    const after = readAll(v, { ws: ws.id, env: env.id, cred: cred.id });
    expect(after.cred.name).toBe('renamed-elsewhere');
    expect(after.cred.role).toBe('admin');
    expect(after.env.baseUrl).toBe('https://moved.example.com');
    expect(after.ws.name).toBe('Renamed elsewhere');
  });

  it('a write by another process is seen at the next read', async () => {
    const { v, cred } = await seeded();
    expect(v.getCredential(cred.id).status).toBe('active');
    // Another OS process commits to the same file (plaintext columns: it holds no key).
    const script = `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new D(process.argv[1]); db.pragma('busy_timeout = 5000'); db.prepare("UPDATE credentials SET status = 'invalid', last_test_outcome = 'unauthorized' WHERE id = ?").run(process.argv[2]); db.close();`;
    const child = spawnSync(process.execPath, ['-e', script, join(t.home, 'vault.db'), cred.id], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    const after = v.getCredential(cred.id);
    expect(after.status).toBe('invalid');
    expect(after.lastTestOutcome).toBe('unauthorized');
  });

  it('a record deleted by another connection is NOT_FOUND at the next read, not served from the cache', async () => {
    const { v, cred } = await seeded();
    v.getCredential(cred.id);
    const other = await secondVault();
    other.removeCredential(cred.id);
    expect(vaultError(() => v.getCredential(cred.id)).code).toBe('NOT_FOUND');
  });

  it('a record damaged on disk after it was read fails as CORRUPT at the next read: the cache hides no tampering', async () => {
    const { v, env, cred } = await seeded();
    const second = v.addCredential({ environmentId: env.id, name: 'other', kind: 'bearer', secret: { value: 'tok_cache_other_0123456789' } });
    v.getCredential(cred.id);
    const raw = rawDb(t.home);
    try {
      dropWriteGuards(raw); // the tampering under test; the schema's guards would refuse it
      // Another row's sealed metadata moved into this row: it fails to authenticate under this row's identity.
      const foreign = (raw.prepare('SELECT meta FROM credentials WHERE id = ?').get(second.id) as { meta: Buffer }).meta;
      raw.prepare('UPDATE credentials SET meta = ? WHERE id = ?').run(foreign, cred.id);
    } finally {
      raw.close();
    }
    expect(vaultError(() => v.getCredential(cred.id)).code).toBe('CORRUPT');
  });

  it('lock empties it; after unlocking, records are read afresh', async () => {
    const { v, ws, env, cred } = await seeded();
    readAll(v, { ws: ws.id, env: env.id, cred: cred.id });
    expect(cached(v)).toBe(3);
    v.lock();
    expect(cached(v)).toBe(0);
    expect(vaultError(() => v.getCredential(cred.id)).code).toBe('LOCKED');
    // Changed while this process was locked (by another process holding a session).
    const other = await secondVault();
    other.updateCredential(cred.id, { name: 'while-locked' });
    other.close();
    await v.unlock();
    expect(v.getCredential(cred.id).name).toBe('while-locked');
  });

  it('close empties it', async () => {
    const { v, cred } = await seeded();
    v.getCredential(cred.id);
    expect(cached(v)).toBe(1);
    v.close();
    expect(cached(v)).toBe(0);
  });

  it('readTogether gives one view of the database, sees its own earlier writes, and leaves no transaction open', async () => {
    const { v, cred } = await seeded();
    v.updateCredential(cred.id, { name: 'before' });
    const other = await secondVault();
    const names = v.readTogether(() => {
      const first = v.getCredential(cred.id).name;
      // Committed by another connection while this read transaction is open: not part of its view.
      other.updateCredential(cred.id, { name: 'during' });
      return [first, v.getCredential(cred.id).name, v.secretForRequest(cred.id).value];
    });
    expect(names).toEqual(['before', 'before', 'tok_cache_test_0123456789']);
    expect(v.internals().db.inTransaction).toBe(false);
    // Once it ended, the other connection's commit is seen.
    expect(v.getCredential(cred.id).name).toBe('during');
    // An error inside ends the transaction as well, and passes through.
    expect(vaultError(() => v.readTogether(() => v.getCredential('cred_missing'))).code).toBe('NOT_FOUND');
    expect(v.internals().db.inTransaction).toBe(false);
  });
});
