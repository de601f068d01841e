import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Decrypter, Encrypter } from 'age-encryption';
import { openTempVault, rawDb, dumpTables as rawDump, vaultErrorAsync, vaultError, type TempVault } from '../vault/test-support';
import { dumpTables } from '../vault/backup-tables';
import { BACKUP_TABLES } from '../vault/backup-format';
import { contentTables } from '../vault/backup-tables';
import { isCorrupt, type Listed } from '../../src-shared/domain/types';
import { ageDecrypt, ageEncrypt, buildBackupDocument, mergeBackupIntoVault, readBackup, restoreIntoNewVault, writeBackup } from './backup';

const PASS = 'backup passphrase 1234';
const FAST = { scryptWorkFactor: 10 };
// reminders_sent has no rowid to order a raw dump by; the rest is every table.
const ALL_TABLES = [...BACKUP_TABLES.filter((t) => t !== 'reminders_sent'), 'audit', 'vault_meta'];

let src: TempVault;
let dst: TempVault;
const cleanups: (() => void)[] = [];

/** A vault with something in every table: lineage, revoked and JWT tokens, history, probes, reminders, a rotation flow, settings, a user provider. */
async function populated(): Promise<TempVault> {
  const t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  const v = t.vault;
  const ws = v.addWorkspace({ name: 'Acme Holding', color: '#0ea5e9', notes: 'main client' });
  const prod = v.addEnvironment({ workspaceId: ws.id, name: 'production', baseUrl: 'https://api.example.com', production: true });
  const sand = v.addEnvironment({ workspaceId: ws.id, name: 'sandbox', baseUrl: 'https://sandbox.example.com' });
  const old = v.addCredential({ environmentId: prod.id, name: 'deploy', kind: 'bearer', secret: { value: 'old-secret-0123456789' }, rotationDays: 90, tags: ['ci'] });
  const nw = v.addCredential({ environmentId: prod.id, name: 'deploy (rotation)', kind: 'bearer', secret: { value: 'new-secret-0123456789' } });
  v.setSupersedes(nw.id, old.id);
  v.switchCurrent(old.id, nw.id);
  v.addCredential({ environmentId: sand.id, name: 'key', kind: 'api_key', headerName: 'X-API-Key', secret: { value: 'rg_sandbox_0123456789' }, scopes: ['read:*'] });
  const jwt = v.addCredential({ environmentId: sand.id, name: 'session', kind: 'jwt_session', secret: { value: 'eyJhbGciOiJIUzI1NiJ9.e30.sig', refreshToken: 'refresh-0123456789' } });
  const gone = v.addCredential({ environmentId: sand.id, name: 'old contractor', kind: 'bearer', secret: { value: 'contractor-0123456789' } });
  v.markRevoked(gone.id, { wipeSecret: true, note: 'contractor left' });
  v.recordTest(nw.id, 'ok', { method: 'GET', path: '/me', status: 200, explanation: 'valid', totalMs: 12, rateLimitRemaining: 99 });
  v.recordTest(jwt.id, 'unauthorized', { method: 'GET', path: '/me', status: 401, explanation: 'expired', totalMs: 8, rateLimitRemaining: null });
  v.saveProbeReport(nw.id, { checks: [{ path: '/orders', method: 'GET', documented: 'allowed', observed: 'allowed' }] });
  v.setWorkspaceRotationDays(ws.id, 60);
  v.due.setSnooze(old.id, Date.UTC(2030, 0, 1));
  v.due.markSent([{ credentialId: old.id, kind: 'rotation', threshold: 7, dueAt: Date.UTC(2030, 0, 1) }], Date.UTC(2029, 11, 25));
  v.rotations.create({ id: 'rot_aaaaaaaaaaaaaaaaaaaa', oldCredentialId: jwt.id, mode: 'manual' });
  v.updateSettings({ autoLockMinutes: 5, keepRevokedSecrets: true });
  v.revealCredential(nw.id);
  v.flush();
  mkdirSync(join(t.home, 'providers'));
  writeFileSync(join(t.home, 'providers', 'my-api.json'), JSON.stringify({ id: 'my-api', name: 'My API' }));
  cleanups.push(() => t.cleanup());
  return t;
}

beforeEach(async () => {
  src = await populated();
  dst = openTempVault();
  cleanups.push(() => dst.cleanup());
});
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const file = () => join(src.home, 'backup.age');
const names = (items: Listed<{ name: string }>[]) => items.map((i) => (isCorrupt(i) ? `corrupt:${i.id}` : i.name));

describe('backup and restore into a new vault', () => {
  it('covers every content table of the schema', () => {
    expect(contentTables(rawDb(src.home, { readonly: true })).sort()).toEqual([...BACKUP_TABLES].sort());
  });

  it('round-trips: every table decrypts to the same content, the audit log verifies and the restore is audited', async () => {
    const summary = await writeBackup(src.vault, src.home, file(), PASS, FAST);
    expect(summary).toMatchObject({ workspaces: 1, environments: 2, credentials: 5, providers: 1 });
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    const doc = await readBackup(file(), PASS);

    await restoreIntoNewVault(dst.vault, dst.home, doc, { keySource: 'passphrase', passphrase: 'new vault passphrase' });
    const before = dumpTables(src.vault.internals());
    const after = dumpTables(dst.vault.internals());
    for (const t of BACKUP_TABLES) expect(after[t], t).toEqual(before[t]);
    expect(before.credentials.length).toBe(5);
    expect(after.test_history.length).toBe(2);
    // The blind index of values (issue 12) is rebuilt under the new vault's key.
    expect(dst.vault.secretIndex.missing()).toEqual([]);

    // The restored tokens open under the new vault's own key.
    const deploy = dst.vault.resolveCredential({ workspace: 'acme holding', environment: 'production', name: 'deploy' });
    expect(dst.vault.revealCredential(deploy.id).value).toBe('new-secret-0123456789');
    expect(deploy.supersedes).not.toBeNull();
    expect(dst.vault.status()).toMatchObject({ keySource: 'passphrase' });

    // The audit log: the backup's events with their sequence numbers, re-chained, then the restore.
    const verification = dst.vault.verifyAudit();
    expect(verification.ok).toBe(true);
    const events = dst.vault.listAudit({ limit: 1000 }).reverse();
    expect(events.slice(0, doc.audit.length)).toEqual(doc.audit);
    expect(events[doc.audit.length]).toMatchObject({ type: 'imported', note: expect.stringMatching(/^restored from the backup/) });
    expect(JSON.parse(readFileSync(join(dst.home, 'providers', 'my-api.json'), 'utf8'))).toEqual({ id: 'my-api', name: 'My API' });
    // The backup itself is audited in the source vault.
    expect(src.vault.listAudit({ limit: 1 })[0]).toMatchObject({ type: 'exported', note: expect.stringMatching(/encrypted backup/) });

    // The restored vault reopens and unlocks with its passphrase.
    const reopened = dst.reopen();
    await reopened.unlock({ passphrase: 'new vault passphrase' });
    expect(reopened.verifyAudit().ok).toBe(true);
  });

  it('is a standard age file: the age library’s own Decrypter opens it to the documented JSON', async () => {
    await writeBackup(src.vault, src.home, file(), PASS, FAST);
    const bytes = readFileSync(file());
    expect(bytes.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');
    const d = new Decrypter();
    d.addPassphrase(PASS);
    const doc = JSON.parse(await d.decrypt(bytes, 'text'));
    expect(doc).toMatchObject({ format: 'tokenvault-backup', version: 1, source: { keySource: 'keychain' }, auditVerified: { ok: true } });
    expect(doc.tables.credentials.map((c: { secret: { value: string } | null }) => c.secret?.value ?? null)).toContain('rg_sandbox_0123456789');
    // No plaintext value in the file itself.
    expect(bytes.includes(Buffer.from('rg_sandbox_0123456789'))).toBe(false);
  });

  it('the scrypt stanza (native scrypt) is age’s own: at the default cost 2^18 and with a non-ASCII passphrase the library opens it, and ours opens the library’s', async () => {
    const pass = 'pässphrase – ünïcode 🔑';
    const bytes = await ageEncrypt('{"hello":"age"}', pass);
    const header = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
    expect(header).toMatch(/^age-encryption\.org\/v1\n-> scrypt [A-Za-z0-9+/]{22} 18\n/);
    const d = new Decrypter();
    d.addPassphrase(pass);
    expect(await d.decrypt(bytes, 'text')).toBe('{"hello":"age"}');
    // And the other way: the library's pure-JS scrypt recipient, read by ours.
    const e = new Encrypter();
    e.setPassphrase(pass);
    e.setScryptWorkFactor(10);
    expect(await ageDecrypt(await e.encrypt('{"from":"library"}'), pass)).toBe('{"from":"library"}');
    // A work factor above age's ceiling (2^20) is refused before any derivation.
    const cheap = Buffer.from(await ageEncrypt('{}', pass, 10));
    const steep = Buffer.from(cheap.toString('latin1').replace(/^(age-encryption\.org\/v1\n-> scrypt \S+) 10\n/, '$1 21\n'), 'latin1');
    expect(steep.equals(cheap)).toBe(false);
    await expect(ageDecrypt(steep, pass)).rejects.toMatchObject({ code: 'UNSUPPORTED_VERSION' });
  });

  it('refuses a short backup passphrase and writes nothing', async () => {
    const e = await vaultErrorAsync(() => writeBackup(src.vault, src.home, file(), 'short', FAST));
    expect(e.code).toBe('VALIDATION');
    expect(() => statSync(file())).toThrow();
  });
});

describe('damaged or foreign files: a typed error, and the vault untouched', () => {
  let good: Buffer;
  beforeEach(async () => {
    await writeBackup(src.vault, src.home, file(), PASS, FAST);
    good = readFileSync(file());
  });

  async function expectRefused(bytes: Uint8Array, code: string, reason: string | null, pass = PASS) {
    const f = join(dst.home, 'candidate');
    writeFileSync(f, bytes);
    const e = await vaultErrorAsync(() => readBackup(f, pass));
    expect(e.code).toBe(code);
    if (reason) expect(e.details?.reason).toBe(reason);
    expect(dst.vault.status().state).toBe('uninitialized');
    return e;
  }

  it('wrong passphrase', async () => {
    const e = await expectRefused(good, 'WRONG_PASSPHRASE', 'wrong_passphrase', 'not the passphrase at all');
    expect(e.message).toMatch(/passphrase does not open this backup/);
  });
  it('truncated file', async () => {
    await expectRefused(good.subarray(0, good.length - 40), 'CORRUPT', 'damaged');
    await expectRefused(good.subarray(0, 60), 'CORRUPT', 'damaged');
  });
  it('a flipped byte in the body', async () => {
    const flipped = Buffer.from(good);
    flipped[flipped.length - 100]! ^= 0x01;
    await expectRefused(flipped, 'CORRUPT', 'damaged');
  });
  it('a newer format version', async () => {
    const doc = buildBackupDocument(src.vault, src.home);
    await expectRefused(await ageEncrypt(JSON.stringify({ ...doc, version: 2 }), PASS, 10), 'UNSUPPORTED_VERSION', null);
    await expectRefused(await ageEncrypt(JSON.stringify({ ...doc, source: { ...doc.source, schemaVersion: 999 } }), PASS, 10), 'UNSUPPORTED_VERSION', null);
  });
  it('not a backup: a plain file, or an age file of something else', async () => {
    await expectRefused(Buffer.from('{"format":"tokenvault-backup"}'), 'VALIDATION', 'not_a_backup');
    await expectRefused(await ageEncrypt('{"hello":"world"}', PASS, 10), 'VALIDATION', 'not_a_backup');
    await expectRefused(await ageEncrypt('PORT=3000', PASS, 10), 'VALIDATION', 'not_a_backup');
  });
  it('a malformed backup names the JSON path', async () => {
    const doc = buildBackupDocument(src.vault, src.home);
    const bad = { ...doc, tables: { ...doc.tables, credentials: [{ ...doc.tables.credentials[0], meta: { nope: 1 } }] } };
    const e = await expectRefused(await ageEncrypt(JSON.stringify(bad), PASS, 10), 'CORRUPT', 'malformed');
    expect(e.issues?.[0]?.path).toBe('$.tables.credentials[0].meta.name');
  });
  it('a merge that fails leaves the current vault byte for byte as it was', async () => {
    const doc = await readBackup(file(), PASS);
    src.vault.updateWorkspace(src.vault.findWorkspace('Acme Holding').id, { notes: 'changed since' });
    src.vault.flush();
    const db = rawDb(src.home, { readonly: true });
    const before = rawDump(db, ALL_TABLES);
    const e = vaultError(() => mergeBackupIntoVault(src.vault, src.home, doc, { dryRun: false }));
    expect(e.code).toBe('CONFLICT');
    expect(rawDump(db, ALL_TABLES)).toBe(before);
    db.close();
  });
});

describe('merge into the current vault', () => {
  let doc: Awaited<ReturnType<typeof readBackup>>;
  let wsId: string;
  beforeEach(async () => {
    await writeBackup(src.vault, src.home, file(), PASS, FAST);
    doc = await readBackup(file(), PASS);
    wsId = src.vault.findWorkspace('Acme Holding').id;
  });

  it('an identical vault: nothing to create, no conflicts', () => {
    const r = mergeBackupIntoVault(src.vault, src.home, doc, { dryRun: true });
    expect(r.merge!.conflicts).toEqual([]);
    expect(r.merge!.create).toEqual({ workspaces: 0, environments: 0, credentials: 0, settings: 0, providers: 0 });
  });

  it('lists conflicts on a dry run (same id with other content; same name with another id) and writes nothing', () => {
    src.vault.updateWorkspace(wsId, { notes: 'edited after the backup' });
    const env = src.vault.findEnvironment(wsId, 'sandbox');
    const key = src.vault.resolveCredential({ workspace: 'Acme Holding', environment: 'sandbox', name: 'key' });
    src.vault.removeCredential(key.id);
    const impostor = src.vault.addCredential({ environmentId: env.id, name: 'KEY', kind: 'bearer', secret: { value: 'another-value-0123456789' } });
    src.vault.updateSettings({ autoLockMinutes: 15 });
    const countBefore = src.vault.listCredentials().length;
    const r = mergeBackupIntoVault(src.vault, src.home, doc, { dryRun: true });
    expect(r.merge!.conflicts.map((c) => [c.entity, c.reason, c.path]).sort()).toEqual(
      [
        ['credential', 'same-name', 'Acme Holding/sandbox/key'],
        ['setting', 'same-id', 'autoLockMinutes'],
        ['workspace', 'same-id', 'Acme Holding'],
      ].sort(),
    );
    expect(src.vault.listCredentials().length).toBe(countBefore);
    expect(src.vault.getCredential(impostor.id).name).toBe('KEY');
  });

  it('keep mine / take theirs / keep both, per conflict; audited; the log still verifies', () => {
    src.vault.updateWorkspace(wsId, { notes: 'edited after the backup' });
    const deploy = src.vault.resolveCredential({ workspace: 'Acme Holding', environment: 'production', name: 'deploy' });
    src.vault.updateCredential(deploy.id, { description: 'mine' });
    const key = src.vault.resolveCredential({ workspace: 'Acme Holding', environment: 'sandbox', name: 'key' });
    src.vault.updateCredential(key.id, { description: 'mine too' });
    src.vault.updateSettings({ autoLockMinutes: 15 });

    // Unresolved: refused.
    expect(vaultError(() => mergeBackupIntoVault(src.vault, src.home, doc, { dryRun: false })).code).toBe('CONFLICT');

    const r = mergeBackupIntoVault(src.vault, src.home, doc, {
      dryRun: false,
      choices: { all: 'mine', byKey: { [`credential:${deploy.id}`]: 'theirs', [`credential:${key.id}`]: 'both', 'setting:autoLockMinutes': 'theirs' } },
    });
    expect(r.merge!.resolved).toHaveLength(4);
    expect(src.vault.getWorkspace(wsId).notes).toBe('edited after the backup'); // mine
    expect(src.vault.getCredential(deploy.id).description).toBe(''); // theirs
    expect(src.vault.getCredential(key.id).description).toBe('mine too'); // both: mine stays…
    const copy = src.vault.resolveCredential({ workspace: 'Acme Holding', environment: 'sandbox', name: 'key (restored)' }); // …and theirs joins
    expect(src.vault.revealCredential(copy.id).value).toBe('rg_sandbox_0123456789');
    expect(src.vault.getSettings().autoLockMinutes).toBe(5);
    expect(src.vault.verifyAudit().ok).toBe(true);
    const events = src.vault.listAudit({ limit: 5 });
    expect(events.find((e) => e.note?.startsWith('merged the backup'))).toMatchObject({ type: 'imported', note: expect.stringMatching(/4 conflicts resolved/) });
    expect(events.some((e) => e.credentialId === copy.id && e.type === 'imported')).toBe(true);
  });

  it('keep both twice with the same backup adds the copy once (the second run finds it unchanged)', () => {
    src.vault.updateWorkspace(wsId, { notes: 'edited after the backup' });
    const key = src.vault.resolveCredential({ workspace: 'Acme Holding', environment: 'sandbox', name: 'key' });
    src.vault.updateCredential(key.id, { description: 'mine' });
    writeFileSync(join(src.home, 'providers', 'my-api.json'), JSON.stringify({ id: 'my-api', name: 'My API, edited' }));
    mergeBackupIntoVault(src.vault, src.home, doc, { dryRun: false, choices: { all: 'both' } });
    const workspaces = names(src.vault.listWorkspaces()).sort();
    const tokens = src.vault.listCredentials().length;
    const providers = readdirSync(join(src.home, 'providers')).sort();
    expect(workspaces).toEqual(['Acme Holding', 'Acme Holding (restored)']);
    expect(providers).toEqual(['my-api-restored.json', 'my-api.json']);
    // A renamed copy with lineage keeps its new name (the lineage remap wrote the backup's name back over it).
    expect(names(src.vault.listCredentials()).filter((n) => n === 'deploy')).toHaveLength(1);
    expect(names(src.vault.listCredentials()).filter((n) => n === 'deploy (restored)')).toHaveLength(1);

    const again = mergeBackupIntoVault(src.vault, src.home, doc, { dryRun: false, choices: { all: 'both' } });
    expect(names(src.vault.listWorkspaces()).sort()).toEqual(workspaces);
    expect(src.vault.listCredentials().length).toBe(tokens);
    expect(readdirSync(join(src.home, 'providers')).sort()).toEqual(providers);
    expect(again.merge!.unchanged).toBeGreaterThan(0);
    expect(src.vault.verifyAudit().ok).toBe(true);
  });

  it('adds what the vault lacks, with history, into a vault that never had it', async () => {
    const other = openTempVault();
    cleanups.push(() => other.cleanup());
    await other.vault.init({ keySource: 'keychain' });
    other.vault.addWorkspace({ name: 'Mine only' });
    const r = mergeBackupIntoVault(other.vault, other.home, doc, { dryRun: false });
    expect(r.merge!.conflicts).toEqual([]);
    expect(r.merge!.create).toMatchObject({ workspaces: 1, environments: 2, credentials: 5, providers: 1 });
    expect(other.vault.listWorkspaces()).toHaveLength(2);
    const deploy = other.vault.resolveCredential({ workspace: 'Acme Holding', environment: 'production', name: 'deploy' });
    expect(other.vault.listTestHistory(deploy.id)).toHaveLength(1);
    expect(other.vault.verifyAudit().ok).toBe(true);
  });
});
