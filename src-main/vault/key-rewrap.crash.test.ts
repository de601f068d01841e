import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FileKeyStore, keyChangeState } from './key-change-protocol';
import { FAST_KDF, rawDb, tempHome } from './test-support';
import { Vault } from './vault';

/**
 * "A crash mid-change leaves a vault that opens with the old or the new
 * secret": a child process changes the key's wrapping again and again (new
 * passphrase, to the keychain, back to a passphrase) and is SIGKILLed at a
 * random moment; the vault must then open with the last acknowledged secret
 * or the one being written, say in vault_meta which, still decrypt its token,
 * and verify its audit chain. The crash harness's idea (crash-harness.ts),
 * for key changes.
 */
const WRITER = fileURLToPath(new URL('./key-change-writer.ts', import.meta.url));
const TOKEN = 'rg_crash_rewrap_token_0123456789abcdef';

/** Kills the writer `killDelayMs` after its `afterAcks`-th acknowledged change (0: after it is ready): between changes or in the middle of one. */
function runWriter(home: string, keys: string, start: number, afterAcks: number, killDelayMs: number): Promise<{ acked: number[]; stderr: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER], {
      env: { ...process.env, KEYCHANGE_HOME: home, KEYCHANGE_KEYS: keys, KEYCHANGE_START: String(start) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    let armed = false;
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the writer did not get ready within 60 s; stderr:\n${stderr}`));
    }, 60_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!armed && out.includes('READY\n') && (out.match(/^ACK /gm)?.length ?? 0) >= afterAcks) {
        armed = true;
        clearTimeout(deadline);
        setTimeout(() => child.kill('SIGKILL'), killDelayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(deadline);
      const acked = out
        .split('\n')
        .slice(0, -1)
        .flatMap((l) => (/^ACK (\d+)$/.exec(l) ? [Number(/^ACK (\d+)$/.exec(l)![1])] : []));
      resolve({ acked, stderr, signal });
    });
  });
}

/** Opens the vault in state `k` (its passphrase, or the keychain); null when that secret does not open it. */
async function opensWith(home: string, keys: string, k: number): Promise<Vault | null> {
  const v = Vault.open({ home, keyStore: new FileKeyStore(keys), kdfParams: FAST_KDF });
  const s = keyChangeState(k);
  try {
    if (v.status().keySource !== s.source) throw new Error('another key source');
    await v.unlock(s.source === 'passphrase' ? { passphrase: s.passphrase } : {});
    return v;
  } catch {
    v.close();
    return null;
  }
}

describe('key changes survive a crash at any point', () => {
  it('after each of 8 SIGKILLs the vault opens with the last acknowledged secret or the next one, and its data and audit chain are whole', async () => {
    const home = tempHome();
    const keys = join(home, 'keychain.json');
    try {
      const v = Vault.open({ home, keyStore: new FileKeyStore(keys), kdfParams: FAST_KDF });
      const first = keyChangeState(0);
      await v.init({ keySource: 'passphrase', passphrase: first.source === 'passphrase' ? first.passphrase : '' });
      const ws = v.addWorkspace({ name: 'Crash' });
      const env = v.addEnvironment({ workspaceId: ws.id, name: 'test', baseUrl: 'https://crash.example.com' });
      const cred = v.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', secret: { value: TOKEN } });
      v.close();

      let state = 0;
      let changes = 0;
      for (let i = 0; i < 8; i++) {
        const afterAcks = i % 3;
        const killDelayMs = Math.floor(Math.random() * 600);
        const run = await runWriter(home, keys, state, afterAcks, killDelayMs);
        expect(run.signal, `iteration ${i}: the writer ended on its own; stderr:\n${run.stderr}`).toBe('SIGKILL');
        const acknowledged = run.acked.length > 0 ? run.acked.at(-1)! + 1 : state;
        changes += run.acked.length;
        let opened: Vault | null = null;
        let openedAt = -1;
        for (const k of [acknowledged, acknowledged + 1]) {
          opened = await opensWith(home, keys, k);
          if (opened) {
            openedAt = k;
            break;
          }
        }
        expect(opened, `iteration ${i} (killed ${killDelayMs} ms after ACK #${afterAcks}, ${run.acked.length} changes acknowledged): opens with neither state ${acknowledged} nor ${acknowledged + 1}`).not.toBeNull();
        expect(opened!.revealCredential(cred.id).value).toBe(TOKEN);
        expect(opened!.verifyAudit().ok).toBe(true);
        opened!.close();
        state = openedAt;
      }
      // The kills landed between and during changes, not only before the first.
      expect(changes).toBeGreaterThan(0);
      const db = rawDb(home, { readonly: true });
      const meta = db.prepare('SELECT key_source FROM vault_meta').get() as { key_source: string };
      db.close();
      expect(meta.key_source).toBe(keyChangeState(state).source);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 600_000);
});
