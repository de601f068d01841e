import Database from 'better-sqlite3';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryKeyStore, OsKeyStore, type KeyStore } from '../src-main/vault/keychain';
import { Vault } from '../src-main/vault/vault';
import { summarize, tick, timeAsync, timeSync } from './stats';

/**
 * The vault figures of DESIGN.md's quality bars, for one size: unlock on the
 * keychain path, list one workspace, reveal one token, insert one token, and
 * in the same run a raw baseline (one better-sqlite3 point read + one AES-GCM
 * decryption, no vault code) that reveal is compared with.
 */
export async function benchVault(credentials: number, workspaces: number, keychain: 'os' | 'memory') {
  const home = mkdtempSync(join(tmpdir(), 'tokenvault-bench-'));
  const keyStore: KeyStore = keychain === 'os' ? new OsKeyStore() : new MemoryKeyStore();
  let vault = Vault.open({ home, keyStore });
  try {
    await vault.init({ keySource: 'keychain' });
    const perWorkspace = Math.floor(credentials / workspaces);
    const wsIds: string[] = [];
    const credIds: string[] = [];
    const seedStart = process.hrtime.bigint();
    for (let w = 0; w < workspaces; w++) {
      const ws = vault.addWorkspace({ name: `Tenant ${w}` });
      wsIds.push(ws.id);
      const env = vault.addEnvironment({ workspaceId: ws.id, name: 'production', baseUrl: 'https://api.example.com', production: true });
      const batch = Array.from({ length: perWorkspace }, (_, i) => ({
        environmentId: env.id,
        name: `token ${i}`,
        kind: 'bearer' as const,
        role: 'CFO',
        secret: { value: `tok_${randomBytes(24).toString('hex')}` },
      }));
      for (const c of vault.addCredentials(batch, { auditType: 'imported' })) credIds.push(c.id);
    }
    const seedMs = Number(process.hrtime.bigint() - seedStart) / 1e6;
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;

    // Unlock as the app does after a restart: a fresh process opens the file and asks the keychain.
    vault.close();
    const unlock: number[] = [];
    for (let i = 0; i < 15; i++) {
      vault = Vault.open({ home, keyStore });
      unlock.push(await timeAsync(() => vault.unlock()));
      if (i < 14) vault.close();
    }

    const list: number[] = [];
    for (let i = 0; i < 300; i++) list.push(timeSync(() => vault.listCredentials({ workspaceId: pick(wsIds) })));

    const reveal: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const id = pick(credIds);
      reveal.push(timeSync(() => vault.revealCredential(id)));
      // Let the queued audit events commit outside the timed calls, as they do in the app.
      if (i % 50 === 49) await tick();
    }
    await tick();

    const envId = vault.listEnvironments(wsIds[0]!)[0]! as { id: string };
    const insert: number[] = [];
    for (let i = 0; i < 200; i++) {
      insert.push(timeSync(() => vault.addCredential({ environmentId: envId.id, name: `bench insert ${i}`, kind: 'bearer', secret: { value: `tok_${randomBytes(24).toString('hex')}` } })));
    }

    // Raw baseline: a table of the same size holding same-sized boxes, read by
    // a bare statement and decrypted by a bare decipher — no vault code.
    const baselineRows = credIds.length;
    const raw = new Database(join(home, 'baseline.db'));
    raw.pragma('journal_mode = WAL');
    raw.exec('CREATE TABLE boxes (id TEXT PRIMARY KEY, box BLOB NOT NULL)');
    const key = randomBytes(32);
    const sample = vault.secretForRequest(credIds[0]!).value;
    const put = raw.prepare('INSERT INTO boxes (id, box) VALUES (?, ?)');
    raw.transaction(() => {
      for (const id of credIds.slice(0, baselineRows)) {
        const nonce = randomBytes(12);
        const c = createCipheriv('aes-256-gcm', key, nonce);
        c.setAAD(Buffer.from(id));
        const body = Buffer.concat([c.update(JSON.stringify({ value: sample }), 'utf8'), c.final()]);
        put.run(id, Buffer.concat([nonce, body, c.getAuthTag()]));
      }
    })();
    const stmt = raw.prepare('SELECT box FROM boxes WHERE id = ?');
    const baseline: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const id = pick(credIds);
      baseline.push(
        timeSync(() => {
          const { box } = stmt.get(id) as { box: Buffer };
          const d = createDecipheriv('aes-256-gcm', key, box.subarray(0, 12));
          d.setAAD(Buffer.from(id));
          d.setAuthTag(box.subarray(box.length - 16));
          Buffer.concat([d.update(box.subarray(12, box.length - 16)), d.final()]);
        }),
      );
    }
    raw.close();

    const r = {
      credentials,
      workspaces,
      keychain: keychain === 'os' ? 'OS keychain (Secret Service)' : 'in-memory (no Secret Service here)',
      seedSeconds: Math.round(seedMs) / 1000,
      unlockMs: summarize(unlock),
      listWorkspaceMs: summarize(list),
      revealMs: summarize(reveal),
      insertMs: summarize(insert),
      rawBaselineMs: summarize(baseline),
    };
    return r;
  } finally {
    vault.close();
    rmSync(home, { recursive: true, force: true });
  }
}
