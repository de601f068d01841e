import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isCorrupt, type CredentialSummary } from '../../src-shared/domain/types';
import { crashName, crashSecretFor, rotationAfterAdd } from './crash-protocol';
import { MemoryKeyStore } from './keychain';
import { rawDb, tempHome } from './test-support';
import { Vault } from './vault';

/**
 * The crash test of "no acknowledged write is ever lost": a child process
 * (crash-writer.ts) writes to a vault and prints `ACK …` after each write
 * returns; the parent SIGKILLs it at a random moment, reopens the vault, and
 * checks that it opens, that every acknowledged write is there and decrypts,
 * and that the audit chain verifies.
 *
 * Shared by crash.test.ts (a few iterations in every run) and
 * crash.stress.test.ts (hundreds, with TOKENVAULT_STRESS set). It checks with
 * node:assert and throws a message saying which iteration and write failed.
 */

const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));

export interface IterationReport {
  iteration: number;
  killDelayMs: number;
  acked: number;
  rotationsAcked: number;
  credentialsInVault: number;
}

interface Batch {
  home: string;
  keyStore: MemoryKeyStore;
  vaultId: string;
  vaultKey: string;
  environmentId: string;
  /** name → id, for every acknowledged add in this vault so far. */
  added: Map<string, string>;
  /** names whose rotation was acknowledged. */
  rotated: Set<string>;
}

async function newBatch(): Promise<Batch> {
  const home = tempHome();
  const keyStore = new MemoryKeyStore();
  const vault = Vault.open({ home, keyStore });
  try {
    const { vaultId } = await vault.init({ keySource: 'keychain' });
    const ws = vault.addWorkspace({ name: 'Crash' });
    const env = vault.addEnvironment({ workspaceId: ws.id, name: 'test', baseUrl: 'https://crash.example.com' });
    return {
      home,
      keyStore,
      vaultId: vaultId!,
      vaultKey: keyStore.entries.get(vaultId!)!,
      environmentId: env.id,
      added: new Map(),
      rotated: new Set(),
    };
  } finally {
    vault.close();
  }
}

interface ChildResult {
  lines: string[];
  killDelayMs: number;
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/** Runs the writer until `killAfter` ms past its first ACK, then SIGKILLs it. */
function runWriter(batch: Batch, prefix: string, killDelayMs: number, cwd: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER], {
      cwd,
      env: {
        ...process.env,
        CRASH_HOME: batch.home,
        CRASH_KEY: `${batch.vaultId}:${batch.vaultKey}`,
        CRASH_ENV_ID: batch.environmentId,
        CRASH_PREFIX: prefix,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    let killTimer: NodeJS.Timeout | null = null;
    const noAckTimer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the writer acknowledged nothing within 20 s; stderr:\n${stderr}`));
    }, 20_000);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!killTimer && out.includes('ACK ')) {
        clearTimeout(noAckTimer);
        killTimer = setTimeout(() => child.kill('SIGKILL'), killDelayMs);
      }
    });
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(noAckTimer);
      if (killTimer) clearTimeout(killTimer);
      // Only complete lines: a line cut by the kill was not acknowledged.
      const lines = out.split('\n').slice(0, -1);
      resolve({ lines, killDelayMs, signal, code, stderr });
    });
  });
}

async function verify(batch: Batch, iteration: number, prefix: string, child: ChildResult): Promise<IterationReport> {
  const where = `iteration ${iteration} (killed ${child.killDelayMs} ms after the first ACK)`;
  assert.equal(child.signal, 'SIGKILL', `${where}: the writer ended on its own (code ${child.code}); stderr:\n${child.stderr}`);

  let lastAdd: number | null = null;
  let rotationsAcked = 0;
  let acked = 0;
  for (const line of child.lines) {
    const m = /^ACK (add|rot) (\S+) (\S+)$/.exec(line);
    if (!m) continue;
    const [, op, name, id] = m as unknown as [string, 'add' | 'rot', string, string];
    if (op === 'add') {
      batch.added.set(name, id);
      lastAdd = Number(name.slice(prefix.length + 1));
      acked++;
    } else {
      batch.rotated.add(name);
      rotationsAcked++;
    }
  }
  assert.ok(acked > 0, `${where}: no ACK line was read`);
  // The write in flight at the kill may or may not have committed: it was never acknowledged.
  const mayBeRotated = new Set<string>();
  const rotTarget = lastAdd === null ? null : rotationAfterAdd(lastAdd);
  if (rotTarget !== null) mayBeRotated.add(crashName(prefix, rotTarget));
  const mayExist = lastAdd === null ? null : crashName(prefix, lastAdd + 1);

  // The database must open as is: no repair step, no manual recovery.
  const raw = rawDb(batch.home);
  try {
    assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok', `${where}: integrity_check failed`);
  } finally {
    raw.close();
  }
  const vault = Vault.open({ home: batch.home, keyStore: batch.keyStore });
  try {
    await vault.unlock();
    const listed = vault.listCredentials({ environmentId: batch.environmentId });
    const corrupt = listed.filter(isCorrupt);
    assert.deepEqual(corrupt, [], `${where}: corrupt records after the crash`);
    const byId = new Map((listed as CredentialSummary[]).map((c) => [c.id, c]));
    for (const [name, id] of batch.added) {
      const c = byId.get(id);
      assert.ok(c, `${where}: acknowledged credential ${name} (${id}) is missing`);
      assert.equal(c.name, name, `${where}: ${id} has the wrong name`);
      const value = vault.secretForRequest(id).value;
      const v1 = crashSecretFor(name, 1);
      const v2 = crashSecretFor(name, 2);
      if (batch.rotated.has(name)) assert.equal(value, v2, `${where}: acknowledged rotation of ${name} is lost`);
      else if (mayBeRotated.has(name)) {
        assert.ok(value === v1 || value === v2, `${where}: ${name} holds neither its old nor its new value`);
        // The unacknowledged rotation committed: from now on it must stay.
        if (value === v2) batch.rotated.add(name);
      } else assert.equal(value, v1, `${where}: ${name} holds the wrong value`);
    }
    // Nothing else, except the one add that may have been in flight.
    const extra = [...byId.values()].filter((c) => !batch.added.has(c.name));
    assert.ok(extra.length <= 1, `${where}: ${extra.length} unacknowledged credentials appeared`);
    if (extra.length === 1) {
      const [c] = extra as [CredentialSummary];
      assert.equal(c.name, mayExist, `${where}: unexpected credential ${c.name}`);
      assert.equal(vault.secretForRequest(c.id).value, crashSecretFor(c.name, 1));
      // It committed: count it as known from now on.
      batch.added.set(c.name, c.id);
    }
    const audit = vault.verifyAudit();
    assert.ok(audit.ok, `${where}: audit chain broken: ${audit.reason}`);
    return { iteration, killDelayMs: child.killDelayMs, acked, rotationsAcked, credentialsInVault: byId.size };
  } finally {
    vault.close();
  }
}

export interface CrashRunOptions {
  iterations: number;
  /** A fresh vault every so many iterations, so verification cost stays flat in long runs. */
  iterationsPerVault?: number;
  /** Kill window after the first ACK, in ms. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Where `node --import tsx` resolves tsx from (the project root). */
  cwd?: string;
  onIteration?: (r: IterationReport) => void;
}

export async function runCrashIterations(opts: CrashRunOptions): Promise<IterationReport[]> {
  const per = opts.iterationsPerVault ?? 10;
  const min = opts.minDelayMs ?? 20;
  const max = opts.maxDelayMs ?? 300;
  const reports: IterationReport[] = [];
  let batch: Batch | null = null;
  try {
    for (let i = 0; i < opts.iterations; i++) {
      if (i % per === 0) {
        if (batch) rmSync(batch.home, { recursive: true, force: true });
        batch = await newBatch();
      }
      const prefix = `it${i}`;
      const delay = min + Math.floor(Math.random() * (max - min + 1));
      const child = await runWriter(batch!, prefix, delay, opts.cwd ?? process.cwd());
      const report = await verify(batch!, i, prefix, child);
      reports.push(report);
      opts.onIteration?.(report);
    }
  } finally {
    if (batch) rmSync(batch.home, { recursive: true, force: true });
  }
  return reports;
}
