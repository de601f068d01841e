import type Database from 'better-sqlite3';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergeBackupIntoVault, readBackup, restoreIntoNewVault, writeBackup } from '../services/backup';
import { BackupScheduleStore } from './backup-schedule-store';
import { computeCellDigest, DIGEST_SEALED_NOTE } from './cell-digest';
import { MIGRATIONS } from './migrations';
import { dropCellDigest, dropWriteGuards, forgetDigestSeal, openTempVault, rawDb, vaultError, type TempVault } from './test-support';
import { useImmediateTransactions } from './write-lock';

/**
 * Issue 15, tampering, "replay an old row": a whole row put back (each cell's
 * old box together with its old generation) still opens cell by cell; the
 * sealed digest of every live cell's generation (cell-digest.ts, migration
 * 15) makes audit verification report it, and a row removed or copied in
 * from another copy of the vault. Every honest write keeps it right,
 * foreign-key cascades, restore, merge and key changes included.
 */

const VALUE = 'rg_digest_alpha_0123456789abcdef';
const PASS = 'backup passphrase for the digest';
const FAST = { scryptWorkFactor: 10 };
const PROBE = { checks: [{ path: '/orders', method: 'GET', documented: 'allowed', observed: 'allowed' }] };
const PUT_BACK = /a record was put back or removed outside Tokenvault/;

let t: TempVault;
let ids: { ws: string; env: string; a: string; b: string };
let raws: Database.Database[] = [];

function raw(opts: { bare?: boolean } = {}): Database.Database {
  const db = rawDb(t.home, opts);
  raws.push(db);
  return db;
}

beforeEach(async () => {
  t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  const v = t.vault;
  const ws = v.addWorkspace({ name: 'Acme', notes: 'client notes' });
  const env = v.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
  const a = v.addCredential({ environmentId: env.id, name: 'alpha', kind: 'bearer', secret: { value: VALUE } });
  const b = v.addCredential({ environmentId: env.id, name: 'bravo', kind: 'bearer', secret: { value: `${VALUE}_b` } });
  ids = { ws: ws.id, env: env.id, a: a.id, b: b.id };
});
afterEach(() => {
  for (const db of raws) db.close();
  raws = [];
  t.cleanup();
});

function expectIntact(what: string): void {
  expect(t.vault.verifyAudit(), what).toMatchObject({ ok: true, recordsIntact: true });
}

function expectRecordsBroken(reason: RegExp = PUT_BACK): void {
  const r = t.vault.verifyAudit();
  expect(r).toMatchObject({ ok: false, firstBrokenSeq: null, recordsIntact: false });
  expect(r.reason).toMatch(reason);
}

type CredRow = { id: string; meta: Buffer; meta_gen: number; secret: Buffer; secret_gen: number };
const credRow = (db: Database.Database, id: string) => db.prepare('SELECT id, meta, meta_gen, secret, secret_gen FROM credentials WHERE id = ?').get(id) as CredRow;

describe('the records digest', () => {
  it('a whole credential row put back (secret, secret_gen, meta, meta_gen) still opens, and audit verification reports it', async () => {
    const db = raw();
    dropWriteGuards(db);
    const old = credRow(db, ids.a);
    t.vault.replaceSecret(ids.a, { value: `${VALUE}_rotated` });
    t.vault.updateCredential(ids.a, { notes: 'edited after the copy' });
    expectIntact('before');
    db.prepare('UPDATE credentials SET meta = ?, meta_gen = ?, secret = ?, secret_gen = ? WHERE id = ?').run(old.meta, old.meta_gen, old.secret, old.secret_gen, ids.a);
    // Cell by cell it is an older, honest row (cipher.ts cannot tell)…
    expect(t.vault.revealCredential(ids.a).value).toBe(VALUE);
    // …but verification reports it: this connection kept the digest in step with the rows (its terms need no key), so the seal no longer matches.
    expectRecordsBroken(/seal over the vault records does not match/);
    // An honest write after it does not seal it over.
    t.vault.updateCredential(ids.b, { notes: 'later, honest' });
    expectRecordsBroken(/seal over the vault records does not match/);
    t.reopen();
    await t.vault.unlock();
    expectRecordsBroken(/seal over the vault records does not match/);
  });

  it('the row put back through a connection without the digest function (triggers dropped) is reported the same', async () => {
    const db = raw({ bare: true });
    const old = credRow(db, ids.a);
    t.vault.replaceSecret(ids.a, { value: `${VALUE}_rotated` });
    dropWriteGuards(db);
    expect(dropCellDigest(db).length).toBe(15);
    db.prepare('UPDATE credentials SET secret = ?, secret_gen = ? WHERE id = ?').run(old.secret, old.secret_gen, ids.a);
    expectRecordsBroken();
    t.reopen();
    await t.vault.unlock();
    expectRecordsBroken();
  });

  it('the row put back with the digest and seal copied at the same time is reported: the seal binds the audit head', () => {
    const db = raw();
    dropWriteGuards(db);
    const old = credRow(db, ids.a);
    const meta = db.prepare('SELECT cell_digest AS d, cell_digest_mac AS mac FROM vault_meta').get() as { d: Buffer; mac: Buffer };
    t.vault.replaceSecret(ids.a, { value: `${VALUE}_rotated` });
    db.prepare('UPDATE credentials SET secret = ?, secret_gen = ? WHERE id = ?').run(old.secret, old.secret_gen, ids.a);
    db.prepare('UPDATE vault_meta SET cell_digest = ?, cell_digest_mac = ?').run(meta.d, meta.mac);
    expectRecordsBroken(/seal over the vault records does not match/);
  });

  it('a row deleted outside Tokenvault is reported', () => {
    raw().prepare('DELETE FROM credentials WHERE id = ?').run(ids.b);
    expectRecordsBroken(/seal over the vault records does not match/);
  });

  it('a row deleted while the digest is left as it was (its triggers dropped) is reported as put back or removed', () => {
    const db = raw({ bare: true });
    dropCellDigest(db);
    db.prepare('DELETE FROM credentials WHERE id = ?').run(ids.b);
    expectRecordsBroken();
  });

  it('a row copied in from another copy of the vault (same key) is reported', async () => {
    // A copy of the file, taken now, gets a token of its own; its row is then put into this vault.
    t.vault.close();
    const copyHome = join(t.home, 'copy');
    mkdirSync(copyHome, { mode: 0o700 });
    copyFileSync(join(t.home, 'vault.db'), join(copyHome, 'vault.db'));
    const other = openTempVault({ home: copyHome, keyStore: t.keyStore });
    try {
      await other.vault.unlock();
      const c = other.vault.addCredential({ environmentId: ids.env, name: 'charlie', kind: 'bearer', secret: { value: `${VALUE}_c` } });
      other.vault.close();
      t.reopen();
      await t.vault.unlock();
      expectIntact('before the copy');
      const db = raw({ bare: true });
      dropWriteGuards(db);
      expect(dropCellDigest(db).length).toBe(15);
      db.prepare('ATTACH DATABASE ? AS other').run(join(copyHome, 'vault.db'));
      db.prepare('INSERT INTO credentials SELECT * FROM other.credentials WHERE id = ?').run(c.id);
      db.exec('DETACH DATABASE other');
      // It opens (same vault id, same key)…
      expect(t.vault.revealCredential(c.id).value).toBe(`${VALUE}_c`);
      // …and verification reports it.
      expectRecordsBroken();
    } finally {
      other.cleanup();
    }
  });

  it('a digest or a seal changed outside Tokenvault is reported', () => {
    const db = raw();
    const meta = db.prepare('SELECT cell_digest AS d, cell_digest_mac AS mac FROM vault_meta').get() as { d: Buffer; mac: Buffer };
    const flip = (b: Buffer, i: number) => {
      const c = Buffer.from(b);
      c[i]! ^= 1;
      return c;
    };
    for (const i of [0, 17, 31]) {
      db.prepare('UPDATE vault_meta SET cell_digest = ?').run(flip(meta.d, i));
      expectRecordsBroken(/seal over the vault records does not match/);
      db.prepare('UPDATE vault_meta SET cell_digest = ?, cell_digest_mac = ?').run(meta.d, flip(meta.mac, i));
      expectRecordsBroken(/seal over the vault records does not match/);
      db.prepare('UPDATE vault_meta SET cell_digest_mac = ?').run(meta.mac);
      expectIntact(`restored after byte ${i}`);
    }
  });

  it('a seal removed outside Tokenvault is reported, and the next unlock does not seal it again', async () => {
    const db = raw();
    dropWriteGuards(db);
    const old = credRow(db, ids.a);
    t.vault.replaceSecret(ids.a, { value: `${VALUE}_rotated` });
    db.prepare('UPDATE credentials SET secret = ?, secret_gen = ? WHERE id = ?').run(old.secret, old.secret_gen, ids.a);
    db.prepare('UPDATE vault_meta SET cell_digest_mac = NULL').run();
    expectRecordsBroken(/seal over the vault records is missing/);
    t.reopen();
    await t.vault.unlock();
    expectRecordsBroken(/seal over the vault records is missing/);
    expect(t.vault.listAudit({ limit: 1000 }).filter((e) => e.note === DIGEST_SEALED_NOTE)).toHaveLength(1);
  });

  it('stays right through add, edit, rotate, revoke, remove, probe reports, the backup schedule and a workspace deleted with its cascade', async () => {
    const v = t.vault;
    expectIntact('created');
    const c = v.addCredential({ environmentId: ids.env, name: 'charlie', kind: 'bearer', secret: { value: `${VALUE}_c` } });
    expectIntact('added');
    v.updateCredential(c.id, { notes: 'edited' });
    expectIntact('edited');
    v.replaceSecret(c.id, { value: `${VALUE}_c2` });
    expectIntact('rotated');
    v.saveProbeReport(c.id, PROBE);
    v.saveProbeReport(c.id, PROBE);
    expectIntact('probe report written and replaced');
    v.markRevoked(c.id, { wipeSecret: true, note: 'leaked' });
    expectIntact('revoked (value wiped)');
    v.removeCredential(c.id);
    expectIntact('removed (with its probe report)');
    v.updateWorkspace(ids.ws, { notes: 'edited workspace' });
    v.updateEnvironment(ids.env, { baseUrl: 'https://api2.example.com' });
    expectIntact('workspace and environment edited');
    const schedule = new BackupScheduleStore(() => v.internals());
    schedule.set({ folder: '/backups/acme', passphrase: 'schedule passphrase 1', everyMs: 86_400_000, keep: 7 });
    expect(schedule.claim(Date.now(), true)).toBe(true);
    schedule.finish(Date.now(), { ok: true, file: '/backups/acme/b1.age' });
    expectIntact('backup schedule set and run');
    v.saveProbeReport(ids.a, PROBE);
    v.removeWorkspace(ids.ws);
    const db = raw();
    expect(db.prepare('SELECT COUNT(*) AS n FROM credentials').get()).toEqual({ n: 0 });
    expect(computeCellDigest(db).equals((db.prepare('SELECT cell_digest AS d FROM vault_meta').get() as { d: Buffer }).d)).toBe(true);
    expectIntact('workspace removed (environments, credentials, probe reports by cascade)');
    schedule.clear();
    expectIntact('schedule cleared');
    t.reopen();
    await t.vault.unlock();
    expectIntact('reopened');
  });

  it('stays right through a key-source change, a restore into a new vault and a merge', async () => {
    await t.vault.changeKeySource({ keySource: 'passphrase', passphrase: 'a new master passphrase 1' });
    expectIntact('key source changed');
    t.vault.saveProbeReport(ids.a, PROBE);
    const file = join(t.home, 'b.age');
    await writeBackup(t.vault, t.home, file, PASS, FAST);
    const doc = await readBackup(file, PASS);
    const dst = openTempVault();
    try {
      await restoreIntoNewVault(dst.vault, dst.home, doc, { keySource: 'keychain' });
      expect(dst.vault.verifyAudit()).toMatchObject({ ok: true, recordsIntact: true });
      dst.reopen();
      await dst.vault.unlock();
      expect(dst.vault.verifyAudit()).toMatchObject({ ok: true, recordsIntact: true });
    } finally {
      dst.cleanup();
    }
    // Merge the backup back after changes: the removed token comes back, with fresh generations.
    t.vault.removeCredential(ids.b);
    t.vault.addCredential({ environmentId: ids.env, name: 'after the backup', kind: 'bearer', secret: { value: `${VALUE}_new` } });
    mergeBackupIntoVault(t.vault, t.home, doc, { dryRun: false });
    expect(t.vault.revealCredential(ids.b).value).toBe(`${VALUE}_b`);
    expectIntact('merged');
  });

  it('a sealed cell written outside a write transaction is refused (its digest could not be sealed), and a savepoint rolled back inside one leaves it right', () => {
    const { db } = t.vault.internals();
    expect(() => db.prepare('DELETE FROM credentials WHERE id = ?').run(ids.b)).toThrow(/outside a write transaction/);
    expect(t.vault.getCredential(ids.b).name).toBe('bravo');
    db.transaction(() => {
      expect(() =>
        db.transaction(() => {
          db.prepare('DELETE FROM credentials WHERE id = ?').run(ids.b);
          throw new Error('rolled back to the savepoint');
        })(),
      ).toThrow(/savepoint/);
      db.prepare('DELETE FROM credentials WHERE id = ?').run(ids.a);
    })();
    expect(t.vault.getCredential(ids.b).name).toBe('bravo');
    expectIntact('after the savepoint and the delete');
  });

  it('a connection without the digest function (a build from before migration 15) cannot write a sealed cell: UNSUPPORTED_VERSION stale_writer, nothing changed', () => {
    const db = raw({ bare: true });
    useImmediateTransactions(db, join(t.home, 'vault.db'), 'an older Tokenvault');
    const before = credRow(db, ids.a);
    for (const write of [
      () => db.prepare('UPDATE credentials SET meta = meta, meta_gen = meta_gen + 1 WHERE id = ?').run(ids.a),
      () => db.prepare('DELETE FROM credentials WHERE id = ?').run(ids.a),
      () => db.prepare('DELETE FROM workspaces WHERE id = ?').run(ids.ws),
    ]) {
      const e = vaultError(() => db.transaction(write)());
      expect(e.code).toBe('UNSUPPORTED_VERSION');
      expect(e.details).toMatchObject({ reason: 'stale_writer' });
    }
    expect(credRow(db, ids.a)).toEqual(before);
    expectIntact('after the refused writes');
  });
});

describe('a vault from before the records digest (schema 14)', () => {
  it('is sealed at its first unlock, once, with an audit event; from then on a row put back is reported', async () => {
    const keys = t.vault.internals().keys;
    const enc = Buffer.from(keys.enc);
    const audit = Buffer.from(keys.audit);
    t.vault.close();
    const db = rawDb(t.home);
    try {
      db.transaction(() => {
        dropCellDigest(db, { columns: true });
        forgetDigestSeal(db, { enc, audit });
        db.pragma(`user_version = ${MIGRATIONS.length - 1}`);
      })();
    } finally {
      db.close();
      enc.fill(0);
      audit.fill(0);
    }
    t.reopen();
    const before = rawDb(t.home, { readonly: true });
    raws.push(before);
    expect(before.prepare('SELECT cell_digest_mac AS mac FROM vault_meta').get()).toEqual({ mac: null });
    await t.vault.unlock();
    expectIntact('after the first unlock');
    expect(t.vault.listAudit({ limit: 1000 }).filter((e) => e.note === DIGEST_SEALED_NOTE)).toHaveLength(1);
    t.vault.lock();
    await t.vault.unlock();
    expect(t.vault.listAudit({ limit: 1000 }).filter((e) => e.note === DIGEST_SEALED_NOTE)).toHaveLength(1);
    const w = raw();
    dropWriteGuards(w);
    const old = credRow(w, ids.a);
    t.vault.replaceSecret(ids.a, { value: `${VALUE}_rotated` });
    w.prepare('UPDATE credentials SET secret = ?, secret_gen = ? WHERE id = ?').run(old.secret, old.secret_gen, ids.a);
    expectRecordsBroken(/seal over the vault records does not match/);
  });
});
