import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropWriteGuards, openTempVault, rawDb, vaultError, type TempVault } from '../vault/test-support';
import { mergeBackupIntoVault, readBackup, restoreIntoNewVault, writeBackup } from './backup';

/**
 * Issue 15, secret rollback, and backups: the write generations of sealed
 * cells are the vault's own bookkeeping (like name_mac). A backup carries
 * values, never generations, so its format is the one it was before; a
 * restore or a merge seals again under fresh generations, and a box the row
 * held before, written back, does not open.
 */

const PASS = 'backup passphrase for generations';
const FAST = { scryptWorkFactor: 10 };
const VALUE = 'rg_backup_generation_0123456789';
const PROBE = { checks: [{ path: '/orders', method: 'GET', documented: 'allowed', observed: 'allowed' }] };

let src: TempVault;
let dst: TempVault;
let ids: { ws: string; env: string; cred: string };

beforeEach(async () => {
  src = openTempVault();
  await src.vault.init({ keySource: 'keychain' });
  const ws = src.vault.addWorkspace({ name: 'Acme', notes: 'n' });
  const env = src.vault.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
  const cred = src.vault.addCredential({ environmentId: env.id, name: 'deploy', kind: 'bearer', secret: { value: VALUE } });
  src.vault.saveProbeReport(cred.id, PROBE);
  ids = { ws: ws.id, env: env.id, cred: cred.id };
  dst = openTempVault();
});
afterEach(() => {
  src.cleanup();
  dst.cleanup();
});

const file = () => join(src.home, 'backup.age');

describe('backups and write generations', () => {
  it('a backup carries no generation (its format is unchanged, as backups made before them); it restores into a new vault with fresh ones', async () => {
    await writeBackup(src.vault, src.home, file(), PASS, FAST);
    const doc = await readBackup(file(), PASS);
    for (const table of ['workspaces', 'environments', 'credentials', 'probe_reports'] as const) {
      for (const row of doc.tables[table]) expect(Object.keys(row).filter((k) => k.endsWith('_gen')), table).toEqual([]);
    }
    await restoreIntoNewVault(dst.vault, dst.home, doc, { keySource: 'keychain' });
    expect(dst.vault.revealCredential(ids.cred).value).toBe(VALUE);
    expect(dst.vault.getEnvironment(ids.env).baseUrl).toBe('https://api.example.com');
    expect(dst.vault.probeReport(ids.cred)).toEqual(PROBE);
    const raw = rawDb(dst.home, { readonly: true });
    try {
      const row = raw.prepare('SELECT meta_gen, secret_gen FROM credentials WHERE id = ?').get(ids.cred) as { meta_gen: number; secret_gen: number };
      expect(row.meta_gen).toBeGreaterThan(0);
      expect(row.secret_gen).toBeGreaterThan(0);
      expect((raw.prepare('SELECT data_gen FROM probe_reports WHERE credential_id = ?').get(ids.cred) as { data_gen: number }).data_gen).toBeGreaterThan(0);
    } finally {
      raw.close();
    }
  });

  it('generation columns in a document (a hand-edited file) are ignored: the restore draws its own', async () => {
    await writeBackup(src.vault, src.home, file(), PASS, FAST);
    const doc = await readBackup(file(), PASS);
    doc.tables.credentials = doc.tables.credentials.map((r) => ({ ...r, meta_gen: 7, secret_gen: 7 }));
    doc.tables.environments = doc.tables.environments.map((r) => ({ ...r, meta_gen: 7 }));
    doc.tables.probe_reports = doc.tables.probe_reports.map((r) => ({ ...r, data_gen: 7 }));
    await restoreIntoNewVault(dst.vault, dst.home, doc, { keySource: 'keychain' });
    expect(dst.vault.revealCredential(ids.cred).value).toBe(VALUE);
    expect(dst.vault.probeReport(ids.cred)).toEqual(PROBE);
    const raw = rawDb(dst.home, { readonly: true });
    try {
      expect(raw.prepare('SELECT meta_gen, secret_gen FROM credentials WHERE id = ?').get(ids.cred)).not.toEqual({ meta_gen: 7, secret_gen: 7 });
      expect(raw.prepare('SELECT data_gen FROM probe_reports WHERE credential_id = ?').get(ids.cred)).not.toEqual({ data_gen: 7 });
    } finally {
      raw.close();
    }
  });

  it('a merge that takes "theirs" over a rotated token seals again under new generations: the box the row held before, written back, fails as CORRUPT', async () => {
    await writeBackup(src.vault, src.home, file(), PASS, FAST);
    const doc = await readBackup(file(), PASS);
    src.vault.replaceSecret(ids.cred, { value: `${VALUE}_rotated` });
    let raw = rawDb(src.home);
    const rotated = raw.prepare('SELECT secret FROM credentials WHERE id = ?').get(ids.cred) as { secret: Buffer };
    raw.close();
    mergeBackupIntoVault(src.vault, src.home, doc, { dryRun: false, choices: { all: 'theirs' } });
    expect(src.vault.revealCredential(ids.cred).value).toBe(VALUE);
    raw = rawDb(src.home);
    try {
      dropWriteGuards(raw); // the replay under test; the schema's guards would refuse the write first
      raw.prepare('UPDATE credentials SET secret = ? WHERE id = ?').run(rotated.secret, ids.cred);
    } finally {
      raw.close();
    }
    expect(vaultError(() => src.vault.revealCredential(ids.cred)).code).toBe('CORRUPT');
    expect(src.vault.verifyAudit().ok).toBe(true);
  });

  it('a merge brings a new token with its probe report, sealed under a fresh generation: it opens, and after a re-probe the merged report written back does not', async () => {
    await writeBackup(src.vault, src.home, file(), PASS, FAST);
    const doc = await readBackup(file(), PASS);
    await dst.vault.init({ keySource: 'keychain' });
    mergeBackupIntoVault(dst.vault, dst.home, doc, { dryRun: false, choices: {} });
    expect(dst.vault.probeReport(ids.cred)).toEqual(PROBE);
    let raw = rawDb(dst.home);
    const merged = raw.prepare('SELECT data, data_gen FROM probe_reports WHERE credential_id = ?').get(ids.cred) as { data: Buffer; data_gen: number };
    raw.close();
    expect(merged.data_gen).toBeGreaterThan(0);
    dst.vault.saveProbeReport(ids.cred, { checks: [] });
    expect(dst.vault.probeReport(ids.cred)).toEqual({ checks: [] });
    raw = rawDb(dst.home);
    try {
      dropWriteGuards(raw); // the replay under test; the schema's guards would refuse the write first
      raw.prepare('UPDATE probe_reports SET data = ? WHERE credential_id = ?').run(merged.data, ids.cred);
    } finally {
      raw.close();
    }
    expect(vaultError(() => dst.vault.probeReport(ids.cred)).code).toBe('CORRUPT');
    expect(dst.vault.verifyAudit().ok).toBe(true);
  });
});
