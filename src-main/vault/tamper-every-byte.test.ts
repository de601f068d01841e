import type Database from 'better-sqlite3';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultError } from '../../src-shared/errors';
import { readBackup, writeBackup } from '../services/backup';
import { BackupScheduleStore } from './backup-schedule-store';
import { MemoryKeyStore } from './keychain';
import { dropWriteGuards, FAST_KDF, openTempVault, rawDb, vaultError, type TempVault } from './test-support';
import { Vault } from './vault';

/**
 * Issue 15, "tampering is always detected", exhaustively where tamper.test.ts
 * samples: every single byte of the stored boxes (version, nonce, ciphertext,
 * tag) flipped in turn; every box moved into every other row and column; an
 * old audit row replayed; and the same for session files and backup files.
 * Each case must fail as CORRUPT (or an audit verification naming the first
 * bad event), and no case may return a value.
 */

const A_VALUE = 'rg_alpha_every_byte_0123456789abcdef';
const B_VALUE = 'rg_bravo_every_byte_fedcba9876543210';
const PASS = 'correct horse battery staple';

let t: TempVault;
let v: Vault;
let raw: Database.Database;
let ids: { ws: string; env: string; a: string; b: string };

beforeEach(async () => {
  t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  v = t.vault;
  const ws = v.addWorkspace({ name: 'Acme', notes: 'client notes' });
  const env = v.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
  const a = v.addCredential({ environmentId: env.id, name: 'alpha', kind: 'bearer', secret: { value: A_VALUE } });
  const b = v.addCredential({ environmentId: env.id, name: 'bravo', kind: 'jwt_session', secret: { value: B_VALUE, refreshToken: 'refresh_bravo_123456' } });
  ids = { ws: ws.id, env: env.id, a: a.id, b: b.id };
  raw = rawDb(t.home);
  // These tests prove the cipher refuses a moved, damaged or older box: the schema's guards would refuse the write first.
  dropWriteGuards(raw);
});
afterEach(() => {
  raw.close();
  t.cleanup();
});

type Slot = { table: 'workspaces' | 'environments' | 'credentials'; id: string; column: 'meta' | 'secret' };
const get = (s: Slot) => (raw.prepare(`SELECT ${s.column} AS b FROM ${s.table} WHERE id = ?`).get(s.id) as { b: Buffer }).b;
const put = (s: Slot, box: Buffer) => expect(raw.prepare(`UPDATE ${s.table} SET ${s.column} = ? WHERE id = ?`).run(box, s.id).changes).toBe(1);

/** Reads the slot the way the app does; returns what it read (a test failure) or the VaultError. */
function readSlot(s: Slot): VaultError {
  const read = (): unknown =>
    s.table === 'workspaces' ? v.getWorkspace(s.id) : s.table === 'environments' ? v.getEnvironment(s.id) : s.column === 'meta' ? v.getCredential(s.id) : v.revealCredential(s.id);
  return vaultError(read);
}

function expectCorruptAt(s: Slot, what: string) {
  const e = readSlot(s);
  expect(e.code, what).toBe('CORRUPT');
  expect(e.details, what).toEqual({ table: s.table, id: s.id, column: s.column });
  for (const secret of [A_VALUE, B_VALUE]) expect(e.message).not.toContain(secret);
}

describe('every byte of every stored box', () => {
  const slots = (): [string, Slot][] => [
    ['secret of a bearer token', { table: 'credentials', id: ids.a, column: 'secret' }],
    ['secret of a JWT session (value and refresh token)', { table: 'credentials', id: ids.b, column: 'secret' }],
    ['credential metadata', { table: 'credentials', id: ids.a, column: 'meta' }],
    ['workspace metadata', { table: 'workspaces', id: ids.ws, column: 'meta' }],
    ['environment metadata', { table: 'environments', id: ids.env, column: 'meta' }],
  ];

  it('flipped one at a time (version, each nonce byte, each ciphertext byte, each tag byte), each fails as CORRUPT naming the record', () => {
    let cases = 0;
    for (const [what, slot] of slots()) {
      const original = get(slot);
      for (let pos = 0; pos < original.length; pos++) {
        const flipped = Buffer.from(original);
        flipped[pos]! ^= 0x80;
        put(slot, flipped);
        const region = pos === 0 ? 'version' : pos <= 12 ? 'nonce' : pos >= original.length - 16 ? 'tag' : 'ciphertext';
        expectCorruptAt(slot, `${what}: ${region} byte ${pos} of ${original.length}`);
        cases++;
      }
      put(slot, original);
      expect(() => readSlot(slot)).toThrow(/expected a VaultError/);
    }
    expect(cases).toBeGreaterThan(500);
    expect(v.revealCredential(ids.a).value).toBe(A_VALUE);
  });

  it('moved into every other row and column, each fails as CORRUPT naming the slot it was moved into', () => {
    const all = slots().map(([, s]) => s).concat([{ table: 'credentials', id: ids.b, column: 'meta' }]);
    const originals = all.map(get);
    let cases = 0;
    all.forEach((from, i) => {
      all.forEach((into, j) => {
        if (i === j) return;
        put(into, originals[i]!);
        expectCorruptAt(into, `${from.table}.${from.column} of ${from.id} moved into ${into.table}.${into.column} of ${into.id}`);
        put(into, originals[j]!);
        cases++;
      });
    });
    expect(cases).toBe(30);
    expect(v.revealCredential(ids.b).value).toBe(B_VALUE);
  });
});

describe('replay of an older box of the same record', () => {
  // Issue 15: each sealed cell carries a fresh write generation in its additional
  // data (cipher.ts), so an older box of the same cell, written back, fails to open.
  const gens = (s: Slot) => raw.prepare(`SELECT ${s.column}_gen AS g FROM ${s.table} WHERE id = ?`).get(s.id) as { g: number };

  it('a secret from before a rotation written back into its row fails as CORRUPT', () => {
    const slot: Slot = { table: 'credentials', id: ids.a, column: 'secret' };
    const old = get(slot);
    v.replaceSecret(ids.a, { value: `${A_VALUE}_rotated` });
    put(slot, old);
    expectCorruptAt(slot, 'the pre-rotation secret replayed');
  });

  it('a JWT session from before its renewal, and a value written back after it was wiped, fail as CORRUPT', () => {
    const b: Slot = { table: 'credentials', id: ids.b, column: 'secret' };
    const a: Slot = { table: 'credentials', id: ids.a, column: 'secret' };
    const oldB = get(b);
    const oldA = get(a);
    v.updateSessionSecret(ids.b, { value: `${B_VALUE}_renewed`, refreshToken: 'refresh_bravo_renewed' }, null);
    put(b, oldB);
    expectCorruptAt(b, 'the session value from before the renewal replayed');
    v.markRevoked(ids.a, { wipeSecret: true, note: 'revoked at the provider' });
    expect(vaultError(() => v.revealCredential(ids.a)).code).toBe('NOT_FOUND');
    put(a, oldA);
    expectCorruptAt(a, 'a wiped value written back');
  });

  it("a credential's metadata from before an edit written back fails as CORRUPT", () => {
    const slot: Slot = { table: 'credentials', id: ids.a, column: 'meta' };
    const old = get(slot);
    v.updateCredential(ids.a, { notes: 'moved to the new account', tags: ['prod'] });
    put(slot, old);
    expectCorruptAt(slot, 'credential metadata replayed');
    expect(v.listCredentials({ environmentId: ids.env })).toContainEqual({ corrupt: true, table: 'credentials', id: ids.a });
  });

  it("an environment's base URL from before a change written back fails as CORRUPT: a token is never sent to the old host", () => {
    const slot: Slot = { table: 'environments', id: ids.env, column: 'meta' };
    const old = get(slot);
    v.updateEnvironment(ids.env, { baseUrl: 'https://api.new-host.example.com' });
    expect(v.getEnvironment(ids.env).baseUrl).toBe('https://api.new-host.example.com');
    put(slot, old);
    expectCorruptAt(slot, 'environment base URL replayed');
  });

  it("a workspace's metadata from before an edit written back fails as CORRUPT", () => {
    const slot: Slot = { table: 'workspaces', id: ids.ws, column: 'meta' };
    const old = get(slot);
    v.updateWorkspace(ids.ws, { notes: 'new notes' });
    put(slot, old);
    expectCorruptAt(slot, 'workspace metadata replayed');
  });

  it("the scheduled backup's folder and passphrase from before a change written back fail as CORRUPT: backups never go back to a retired passphrase", () => {
    const store = new BackupScheduleStore(() => v.internals());
    store.set({ folder: '/backups/old', passphrase: 'retired backup passphrase', everyMs: 86_400_000, keep: 7 });
    const old = (raw.prepare('SELECT config FROM backup_schedule').get() as { config: Buffer }).config;
    store.set({ folder: '/backups/new', passphrase: 'current backup passphrase', everyMs: 86_400_000, keep: 7 });
    raw.prepare('UPDATE backup_schedule SET config = ?').run(old);
    const e = vaultError(() => store.get());
    expect(e.code).toBe('CORRUPT');
    expect(e.message).not.toContain('retired');
  });

  it("a token's probe report from before a re-probe written back fails as CORRUPT: an outdated permission map is never shown", () => {
    v.saveProbeReport(ids.a, { checks: [{ path: '/refunds', method: 'POST', documented: 'denied', observed: 'allowed_before_fix' }] });
    const old = (raw.prepare('SELECT data FROM probe_reports WHERE credential_id = ?').get(ids.a) as { data: Buffer }).data;
    v.saveProbeReport(ids.a, { checks: [{ path: '/refunds', method: 'POST', documented: 'denied', observed: 'denied' }] });
    expect(raw.prepare('UPDATE probe_reports SET data = ? WHERE credential_id = ?').run(old, ids.a).changes).toBe(1);
    const e = vaultError(() => v.probeReport(ids.a));
    expect(e.code).toBe('CORRUPT');
    expect(e.details).toEqual({ table: 'probe_reports', id: ids.a, column: 'data' });
    expect(e.message).not.toContain('allowed_before_fix');
  });

  it('every write of a cell draws a new generation; a cell not written keeps its own', () => {
    const secret: Slot = { table: 'credentials', id: ids.a, column: 'secret' };
    const meta: Slot = { table: 'credentials', id: ids.a, column: 'meta' };
    const [s0, m0] = [gens(secret).g, gens(meta).g];
    v.updateCredential(ids.a, { notes: 'x' });
    expect(gens(secret).g).toBe(s0);
    expect(gens(meta).g).not.toBe(m0);
    v.replaceSecret(ids.a, { value: `${A_VALUE}_2` });
    expect(gens(secret).g).not.toBe(s0);
    expect(v.revealCredential(ids.a).value).toBe(`${A_VALUE}_2`);
  });

  it('a generation column set to any other value (another number, out of range, text) fails as CORRUPT, never a crash', () => {
    const slot: Slot = { table: 'credentials', id: ids.a, column: 'secret' };
    const g = gens(slot).g;
    for (const bad of [g + 1, 0, -1, 2 ** 48, 2 ** 62, 'text', 1.5]) {
      raw.prepare('UPDATE credentials SET secret_gen = ? WHERE id = ?').run(bad, ids.a);
      expectCorruptAt(slot, `secret_gen = ${bad}`);
    }
    raw.prepare('UPDATE credentials SET secret_gen = ? WHERE id = ?').run(g, ids.a);
    expect(v.revealCredential(ids.a).value).toBe(A_VALUE);
  });

  // NOT covered, and pinned so the limit stays visible (see cipher.ts): whoever
  // can write the file can put back a box together with its generation (a row
  // rolled back as a whole), which looks exactly like an older, honest vault.
  // Detecting that needs state outside the file.
  it('KNOWN LIMIT: a box written back together with its generation still opens', () => {
    const slot: Slot = { table: 'credentials', id: ids.a, column: 'secret' };
    const old = get(slot);
    const oldGen = gens(slot).g;
    v.replaceSecret(ids.a, { value: `${A_VALUE}_rotated` });
    put(slot, old);
    raw.prepare('UPDATE credentials SET secret_gen = ? WHERE id = ?').run(oldGen, ids.a);
    expect(v.revealCredential(ids.a).value).toBe(A_VALUE);
  });
});

describe('the audit log', () => {
  const rows = () => raw.prepare('SELECT * FROM audit ORDER BY seq').all() as { seq: number; at: number; type: string; credential_id: string | null; data: Buffer | null; mac: Buffer }[];

  beforeEach(() => {
    v.revealCredential(ids.a);
    v.revealCredential(ids.b, 'copied');
    v.replaceSecret(ids.a, { value: `${A_VALUE}_rotated` });
    v.flush();
    raw.exec('DROP TRIGGER audit_no_update');
    raw.exec('DROP TRIGGER audit_no_delete');
  });

  it('every byte of every event flipped in turn (time, data box, MAC): verification names that event', () => {
    const all = rows();
    for (const r of all) {
      const fields: ['data' | 'mac', Buffer][] = [['mac', r.mac]];
      if (r.data) fields.push(['data', r.data]);
      for (const [column, box] of fields) {
        for (let pos = 0; pos < box.length; pos++) {
          const flipped = Buffer.from(box);
          flipped[pos]! ^= 0x01;
          raw.prepare(`UPDATE audit SET ${column} = ? WHERE seq = ?`).run(flipped, r.seq);
          expect(v.verifyAudit(), `${column} byte ${pos} of event ${r.seq}`).toMatchObject({ ok: false, firstBrokenSeq: r.seq });
        }
        raw.prepare(`UPDATE audit SET ${column} = ? WHERE seq = ?`).run(box, r.seq);
      }
      raw.prepare('UPDATE audit SET at = ? WHERE seq = ?').run(r.at + 1, r.seq);
      expect(v.verifyAudit(), `time of event ${r.seq}`).toMatchObject({ ok: false, firstBrokenSeq: r.seq });
      raw.prepare('UPDATE audit SET at = ? WHERE seq = ?').run(r.at, r.seq);
    }
    expect(v.verifyAudit().ok).toBe(true);
  });

  it('an old event replayed over a later one is named', () => {
    const all = rows();
    const old = all[1]!;
    const later = all.at(-2)!;
    raw.prepare('UPDATE audit SET at = ?, type = ?, credential_id = ?, data = ?, mac = ? WHERE seq = ?').run(old.at, old.type, old.credential_id, old.data, old.mac, later.seq);
    expect(v.verifyAudit()).toMatchObject({ ok: false, firstBrokenSeq: later.seq });
  });

  it('an old event replayed at the end (head moved along with it) is named', () => {
    const all = rows();
    const old = all.find((r) => r.type === 'revealed')!;
    const seq = all.at(-1)!.seq + 1;
    raw.prepare('INSERT INTO audit (seq, at, type, credential_id, data, mac) VALUES (?, ?, ?, ?, ?, ?)').run(seq, old.at, old.type, old.credential_id, old.data, old.mac);
    raw.prepare('UPDATE vault_meta SET audit_head_seq = ?, audit_head_mac = ? WHERE id = 1').run(seq, old.mac);
    expect(v.verifyAudit()).toMatchObject({ ok: false, firstBrokenSeq: seq });
  });

  it('each cut-off tail, one to all events, is reported at the first missing event', () => {
    const all = rows();
    const saved = all.map((r) => ({ ...r }));
    for (let keep = all.length - 1; keep >= 0; keep--) {
      raw.prepare('DELETE FROM audit WHERE seq > ?').run(keep);
      expect(v.verifyAudit(), `cut after event ${keep}`).toMatchObject({ ok: false, firstBrokenSeq: keep + 1, checked: keep });
    }
    const ins = raw.prepare('INSERT INTO audit (seq, at, type, credential_id, data, mac) VALUES (?, ?, ?, ?, ?, ?)');
    for (const r of saved) ins.run(r.seq, r.at, r.type, r.credential_id, r.data, r.mac);
    expect(v.verifyAudit().ok).toBe(true);
  });
});

describe('session files', () => {
  function cli(): Vault {
    return Vault.open({ home: t.home, keyStore: new MemoryKeyStore(), kdfParams: FAST_KDF, lifecycle: 'cli' });
  }
  const files = () => readdirSync(join(t.home, 'sessions')).map((f) => join(t.home, 'sessions', f));

  it('every byte of the sealed key flipped, the expiry moved, the box of another session swapped in: CORRUPT, never unlocked', () => {
    const s1 = v.createSession(15 * 60_000);
    const [f1] = files();
    const text = readFileSync(f1!, 'utf8');
    const doc = JSON.parse(text) as { wrapped: string; expiresAt: number };
    const box = Buffer.from(doc.wrapped, 'base64');
    const other = cli();
    try {
      const tryWith = (changed: object, what: string) => {
        writeFileSync(f1!, JSON.stringify({ ...doc, ...changed }));
        const e = vaultError(() => other.unlockWithSession(s1.token));
        expect(e.code, what).toBe('CORRUPT');
        expect(other.isUnlocked, what).toBe(false);
      };
      for (let pos = 0; pos < box.length; pos++) {
        const flipped = Buffer.from(box);
        flipped[pos]! ^= 0x01;
        tryWith({ wrapped: flipped.toString('base64') }, `wrapped byte ${pos}`);
      }
      tryWith({ expiresAt: doc.expiresAt + 3_600_000 }, 'a later expiry');
      tryWith({ expiresAt: doc.expiresAt - 1 }, 'an earlier expiry');
      v.createSession(15 * 60_000);
      const second = files().find((f) => f !== f1)!;
      tryWith({ wrapped: (JSON.parse(readFileSync(second, 'utf8')) as { wrapped: string }).wrapped }, "another session's box");
      tryWith({ wrapped: box.subarray(0, box.length - 1).toString('base64') }, 'a truncated box');
      // Control: the original file opens.
      writeFileSync(f1!, text);
      other.unlockWithSession(s1.token);
      expect(other.isUnlocked).toBe(true);
    } finally {
      other.close();
    }
  });
});

describe('backup files', () => {
  it('a flipped byte anywhere (header, nonce, every payload chunk byte sampled, tag) is refused with a typed error, never restored', async () => {
    const file = join(t.home, 'backup.age');
    await writeBackup(v, t.home, file, PASS, { scryptWorkFactor: 10 });
    const good = readFileSync(file);
    const doc = await readBackup(file, PASS);
    expect(doc.tables.credentials).toHaveLength(2);
    const headerEnd = good.indexOf('\n---') + 1;
    const bodyStart = good.indexOf('\n', headerEnd) + 1;
    // Every 3rd header byte, every byte of the payload nonce and of the last 32 (ciphertext end
    // and tag); between them every 37th. (Each try runs scrypt: exhaustive would cost minutes.)
    const positions = new Set<number>();
    for (let p = 0; p < bodyStart; p += 3) positions.add(p);
    for (let p = bodyStart; p < bodyStart + 16; p++) positions.add(p);
    for (let p = bodyStart + 16; p < good.length - 32; p += 37) positions.add(p);
    for (let p = good.length - 32; p < good.length; p++) positions.add(p);
    const candidate = join(t.home, 'candidate.age');
    const codes = new Map<string, number>();
    for (const pos of positions) {
      const flipped = Buffer.from(good);
      flipped[pos]! ^= 0x01;
      writeFileSync(candidate, flipped);
      let e: unknown;
      try {
        const opened = await readBackup(candidate, PASS);
        e = new Error(`byte ${pos} flipped still restored ${opened.tables.credentials.length} tokens`);
      } catch (err) {
        e = err;
      }
      if (!(e instanceof VaultError)) throw e;
      // The body is authenticated: any change there is CORRUPT. In the header age cannot tell a
      // damaged stanza from a wrong passphrase, and a damaged magic line is "not a backup".
      if (pos >= bodyStart) expect(e.code, `body byte ${pos}`).toBe('CORRUPT');
      else expect(['CORRUPT', 'WRONG_PASSPHRASE', 'VALIDATION', 'UNSUPPORTED_VERSION'], `header byte ${pos}: ${e.code}`).toContain(e.code);
      codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
    }
    expect(positions.size).toBeGreaterThan(80);
    expect(codes.get('CORRUPT')).toBeGreaterThan(0);
  });
});
