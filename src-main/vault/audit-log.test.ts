import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialSummary } from '../../src-shared/domain/types';
import { openTempVault, rawDb, testClock, type TempVault } from './test-support';
import type { Vault } from './vault';

const SECRET = 'rg_audit_secret_value_Zx9Qw8Ep7Rt6Yu5Io4';
const REFRESH = 'refresh_audit_secret_Mn3Bv2Cx1Lk0Jh9Gf8';
const ROTATED = 'rg_audit_rotated_value_Aa1Bb2Cc3Dd4Ee5Ff6';

let t: TempVault;
let v: Vault;
let raw: Database.Database;
let cred: CredentialSummary;
let jwt: CredentialSummary;
const clock = testClock();

beforeEach(async () => {
  clock.set(Date.UTC(2026, 5, 1));
  t = openTempVault({ now: clock.now });
  await t.vault.init({ keySource: 'keychain' });
  v = t.vault;
  const ws = v.addWorkspace({ name: 'Acme' });
  const env = v.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
  cred = v.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', secret: { value: SECRET } });
  jwt = v.addCredential({ environmentId: env.id, name: 'session', kind: 'jwt_session', secret: { value: 'eyJhbGciOiJub25lIn0.e30.c2ln', refreshToken: REFRESH } });
  for (let i = 0; i < 3; i++) {
    clock.advance(1000);
    v.revealCredential(cred.id);
    v.revealCredential(jwt.id, 'copied');
    v.flush();
  }
  v.recordTest(cred.id, 'ok', { method: 'GET', path: '/users', status: 200, explanation: '200 from Test', totalMs: 1, rateLimitRemaining: null });
  v.replaceSecret(cred.id, { value: ROTATED });
  v.updateCredential(cred.id, { description: 'rotated' });
  raw = rawDb(t.home);
});
afterEach(() => {
  raw.close();
  t.cleanup();
});

const auditRows = () => raw.prepare('SELECT * FROM audit ORDER BY seq').all() as { seq: number; at: number; type: string; credential_id: string | null; data: Buffer | null; mac: Buffer }[];
const lastSeq = () => (raw.prepare('SELECT max(seq) AS s FROM audit').get() as { s: number }).s;

describe('audit chain', () => {
  it('verifies a fresh vault with events, and after a reopen', async () => {
    const n = auditRows().length;
    expect(n).toBeGreaterThan(10);
    expect(v.verifyAudit()).toEqual({ ok: true, checked: n, firstBrokenSeq: null, reason: null, recordsIntact: true });
    const v2 = t.reopen({ now: clock.now });
    await v2.unlock();
    // locked (by close) + unlocked were appended.
    expect(v2.verifyAudit()).toEqual({ ok: true, checked: n + 2, firstBrokenSeq: null, reason: null, recordsIntact: true });
  });

  it('lists events newest first, by credential, with limits and paging; each event names a type and a time', () => {
    const all = v.listAudit();
    expect(all.map((e) => e.seq)).toEqual(auditRows().map((r) => r.seq).reverse());
    expect(all.at(-1)).toMatchObject({ seq: 1, type: 'unlocked', note: 'vault created' });
    const forCred = v.listAudit({ credentialId: cred.id });
    expect(forCred.map((e) => e.type)).toEqual(['updated', 'rotated', 'tested', 'revealed', 'revealed', 'revealed', 'created']);
    expect(forCred.every((e) => e.credentialId === cred.id)).toBe(true);
    const page1 = v.listAudit({ limit: 3 });
    const page2 = v.listAudit({ limit: 3, beforeSeq: page1.at(-1)!.seq });
    expect([...page1, ...page2].map((e) => e.seq)).toEqual(all.slice(0, 6).map((e) => e.seq));
  });

  it.each([
    ['at', 'UPDATE audit SET at = at + 1 WHERE seq = ?'],
    ['type', "UPDATE audit SET type = 'tested' WHERE seq = ?"],
    ['credential_id', 'UPDATE audit SET credential_id = NULL WHERE seq = ?'],
    ['data', 'UPDATE audit SET data = (SELECT data FROM audit WHERE seq = 2) WHERE seq = ?'],
    ['data (cleared)', 'UPDATE audit SET data = NULL WHERE seq = ?'],
    ['mac', 'UPDATE audit SET mac = randomblob(32) WHERE seq = ?'],
  ])('an edited event (%s) breaks the chain at that event', (_col, sql) => {
    const target = auditRows().find((r) => r.type === 'revealed' && r.data !== null)!;
    expect(target.seq).toBeGreaterThan(3);
    raw.exec('DROP TRIGGER audit_no_update');
    expect(raw.prepare(sql).run(target.seq).changes).toBe(1);
    const result = v.verifyAudit();
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: target.seq, checked: target.seq - 1 });
    expect(result.reason).toMatch(new RegExp(`event ${target.seq}`));
  });

  it('two swapped events break the chain at the first of them', () => {
    const rows = auditRows();
    const [x, y] = [rows[4]!, rows[5]!];
    expect(x.type === y.type && x.at === y.at && x.credential_id === y.credential_id).toBe(false);
    raw.exec('DROP TRIGGER audit_no_update');
    const put = raw.prepare('UPDATE audit SET at = ?, type = ?, credential_id = ?, data = ?, mac = ? WHERE seq = ?');
    put.run(y.at, y.type, y.credential_id, y.data, y.mac, x.seq);
    put.run(x.at, x.type, x.credential_id, x.data, x.mac, y.seq);
    expect(v.verifyAudit()).toMatchObject({ ok: false, firstBrokenSeq: x.seq });
  });

  it('a deleted event in the middle is reported', () => {
    const middle = Math.floor(lastSeq() / 2);
    raw.exec('DROP TRIGGER audit_no_delete');
    raw.prepare('DELETE FROM audit WHERE seq = ?').run(middle);
    const result = v.verifyAudit();
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: middle, checked: middle - 1 });
    expect(result.reason).toMatch(/missing/);
  });

  it('a deleted first event is reported', () => {
    raw.exec('DROP TRIGGER audit_no_delete');
    raw.prepare('DELETE FROM audit WHERE seq = 1').run();
    expect(v.verifyAudit()).toMatchObject({ ok: false, firstBrokenSeq: 1 });
  });

  it('a cut-off tail is reported, through the head kept in vault_meta', () => {
    const last = lastSeq();
    raw.exec('DROP TRIGGER audit_no_delete');
    raw.prepare('DELETE FROM audit WHERE seq >= ?').run(last - 1);
    const result = v.verifyAudit();
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: last - 1, checked: last - 2 });
    expect(result.reason).toMatch(new RegExp(`recorded ${last} events`));
  });

  it('a cut-off tail with a forged head count is reported', () => {
    const last = lastSeq();
    raw.exec('DROP TRIGGER audit_no_delete');
    raw.prepare('DELETE FROM audit WHERE seq = ?').run(last);
    // The count is moved back to match, with a made-up head MAC. (Copying the new last row's
    // MAC into the head would pass: a head kept in the same file cannot catch that.)
    raw.prepare('UPDATE vault_meta SET audit_head_seq = ?, audit_head_mac = randomblob(32)').run(last - 1);
    expect(v.verifyAudit()).toMatchObject({ ok: false, firstBrokenSeq: last });
  });

  it('tampering stays reported after more events, a reopen and an unlock', async () => {
    raw.exec('DROP TRIGGER audit_no_update');
    raw.prepare('UPDATE audit SET at = 0 WHERE seq = 3').run();
    v.revealCredential(cred.id);
    v.lock();
    await v.unlock();
    const v2 = t.reopen({ now: clock.now });
    await v2.unlock();
    expect(v2.verifyAudit()).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('events never contain a secret: not in listAudit output, not in the raw audit rows', () => {
    const events = v.listAudit({ limit: 1000 });
    const json = JSON.stringify(events);
    const rawBytes = Buffer.concat(
      auditRows().flatMap((r) => [Buffer.from(`${r.seq}${r.at}${r.type}${r.credential_id ?? ''}`), r.data ?? Buffer.alloc(0), r.mac]),
    );
    for (const s of [SECRET, REFRESH, ROTATED, 'eyJhbGciOiJub25lIn0.e30.c2ln']) {
      expect(json).not.toContain(s);
      expect(rawBytes.includes(Buffer.from(s))).toBe(false);
      expect(rawBytes.includes(Buffer.from(Buffer.from(s).toString('base64')))).toBe(false);
    }
    // What they do carry: fingerprints.
    const rotated = events.find((e) => e.type === 'rotated')!;
    expect(rotated.fingerprint).toBe(v.getCredential(cred.id).fingerprint);
    expect(rotated.note).toBe(`replaces ${cred.fingerprint}`);
    expect(events.filter((e) => e.type === 'revealed').every((e) => e.fingerprint === cred.fingerprint)).toBe(true);
  });
});

describe('queued read events', () => {
  const revealedRows = () => (raw.prepare("SELECT count(*) AS n FROM audit WHERE type IN ('revealed', 'copied')").get() as { n: number }).n;

  it('are queued by a reveal and on disk after flush()', () => {
    const before = revealedRows();
    v.revealCredential(cred.id);
    v.revealCredential(cred.id, 'copied');
    expect(revealedRows()).toBe(before); // still queued: a reveal costs a read, not a write
    v.flush();
    expect(revealedRows()).toBe(before + 2);
    expect(v.verifyAudit().ok).toBe(true);
  });

  it('are on disk at the end of the tick without a flush', async () => {
    const before = revealedRows();
    v.revealCredential(cred.id);
    await new Promise((r) => setImmediate(r));
    expect(revealedRows()).toBe(before + 1);
  });

  it('are on disk after close()', async () => {
    const before = revealedRows();
    v.revealCredential(jwt.id);
    v.revealCredential(jwt.id, 'copied');
    v.close();
    expect(revealedRows()).toBe(before + 2);
    const types = (raw.prepare('SELECT type FROM audit ORDER BY seq DESC LIMIT 3').all() as { type: string }[]).map((r) => r.type);
    expect(types).toEqual(['locked', 'copied', 'revealed']);
    const v2 = t.reopen({ now: clock.now });
    await v2.unlock();
    expect(v2.verifyAudit().ok).toBe(true);
  });

  it('a write in the same tick commits the queued reads first, in order', () => {
    v.revealCredential(cred.id);
    v.recordTest(cred.id, 'ok', { method: 'GET', path: '/users', status: 200, explanation: '200 from Test', totalMs: 1, rateLimitRemaining: null });
    const types = (raw.prepare('SELECT type FROM audit ORDER BY seq DESC LIMIT 2').all() as { type: string }[]).map((r) => r.type);
    expect(types).toEqual(['tested', 'revealed']);
  });
});
