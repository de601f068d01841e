import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { isCorrupt, type CredentialSummary } from '../../src-shared/domain/types';
import { parseCrashLines, type CrashLine, type CrashState } from './crash-protocol';
import { MemoryKeyStore } from './keychain';
import { rawDb, tempHome } from './test-support';
import { Vault } from './vault';

/**
 * The crash test of "no acknowledged write is ever lost", with several
 * writers: each round starts two to four child processes (crash-writer.ts)
 * on one vault; they add, import, edit, rotate and revoke, and report every
 * write on their stdout pipe (`TRY` before, `ACK` after it returned). The
 * parent SIGKILLs each at its own random moment, then checks that the
 * database passes `PRAGMA integrity_check`, that the vault opens as is, that
 * every acknowledged state is there (the one write each writer had in flight
 * may or may not have committed, all or nothing), that nothing else appeared,
 * and that the audit chain verifies.
 *
 * Shared by crash.test.ts (20 rounds in every run) and crash.stress.test.ts
 * (200, with TOKENVAULT_STRESS set). Checks with node:assert and throws a
 * message naming the round, the writer and the credential.
 */

const WRITER_SOURCE = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let bundled: { file: string; dir: string } | null = null;
/**
 * The writer bundled once into one CommonJS file: a child then starts in a
 * fraction of the time `node --import tsx` needs to compile the module graph.
 */
function writerBundle(): string {
  if (bundled) return bundled.file;
  const dir = mkdtempSync(join(tmpdir(), 'tokenvault-crash-writer-'));
  const file = join(dir, 'crash-writer.cjs');
  buildSync({
    entryPoints: [WRITER_SOURCE],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['better-sqlite3', '@napi-rs/keyring', 'electron'],
    logLevel: 'warning',
  });
  bundled = { file, dir };
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return file;
}

export interface RoundReport {
  round: number;
  writers: number;
  killDelaysMs: number[];
  /** Acknowledged writes per operation, summed over the round's writers. */
  acked: Record<CrashLine['op'], number>;
  /** Writes in flight at the kill that turned out to have committed. */
  inFlightCommitted: number;
  credentialsInVault: number;
}

interface Batch {
  home: string;
  keyStore: MemoryKeyStore;
  vaultId: string;
  vaultKey: string;
  environmentId: string;
  /** name → the state every later round must find, from acknowledgements (and in-flight writes seen committed). */
  known: Map<string, CrashState & { id: string }>;
}

async function newBatch(): Promise<Batch> {
  const home = tempHome();
  const keyStore = new MemoryKeyStore();
  const vault = Vault.open({ home, keyStore });
  try {
    const { vaultId } = await vault.init({ keySource: 'keychain' });
    const ws = vault.addWorkspace({ name: 'Crash' });
    const env = vault.addEnvironment({ workspaceId: ws.id, name: 'test', baseUrl: 'https://crash.example.com' });
    return { home, keyStore, vaultId: vaultId!, vaultKey: keyStore.entries.get(vaultId!)!, environmentId: env.id, known: new Map() };
  } finally {
    vault.close();
  }
}

interface ChildResult {
  prefix: string;
  lines: string[];
  killDelayMs: number;
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/**
 * Runs one writer until `killDelayMs` past its `armAfter`-th ACK, then
 * SIGKILLs it. Counting from an ACK, not from the spawn, keeps the kill among
 * the writes however slowly a loaded machine starts a process.
 */
function runWriter(batch: Batch, prefix: string, killDelayMs: number, armAfter: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerBundle()], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_PATH: join(ROOT, 'node_modules'),
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
      reject(new Error(`writer ${prefix} acknowledged fewer than ${armAfter} writes within 60 s; stderr:\n${stderr}`));
    }, 60_000);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!killTimer && (out.match(/^ACK /gm)?.length ?? 0) >= armAfter) {
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
      resolve({ prefix, lines: out.split('\n').slice(0, -1), killDelayMs, signal, code, stderr });
    });
  });
}

const same = (c: CredentialSummary, value: string | undefined, s: CrashState) => c.description === s.description && c.status === s.status && value === s.value;

async function verify(batch: Batch, round: number, children: ChildResult[]): Promise<RoundReport> {
  const where = `round ${round} (${children.length} writers, killed ${children.map((c) => c.killDelayMs).join('/')} ms after their first ACK)`;
  const acked: RoundReport['acked'] = { add: 0, import: 0, edit: 0, rotate: 0, revoke: 0 };
  /** Each writer's write in flight at the kill: TRY seen, ACK not. */
  const inFlight: CrashLine[] = [];
  for (const child of children) {
    assert.equal(child.signal, 'SIGKILL', `${where}: writer ${child.prefix} ended on its own (code ${child.code}); stderr:\n${child.stderr}`);
    let pending = null as CrashLine | null;
    for (const { kind, line } of parseCrashLines(child.lines)) {
      if (kind === 'TRY') pending = line;
      else {
        assert.equal(pending?.seq, line.seq, `${where}: writer ${child.prefix} acknowledged #${line.seq} without trying it`);
        pending = null;
        acked[line.op]++;
        for (const s of line.creds) batch.known.set(s.name, { ...s, id: s.id! });
      }
    }
    assert.ok(Object.values(acked).some((n) => n > 0), `${where}: no ACK line was read from ${child.prefix}`);
    if (pending) inFlight.push(pending);
  }

  // The database must pass SQLite's own check and open as is: no repair step.
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
    assert.deepEqual(listed.filter(isCorrupt), [], `${where}: corrupt records after the crash`);
    const byName = new Map((listed as CredentialSummary[]).map((c) => [c.name, c]));
    const valueOf = (c: CredentialSummary) => vault.secretForRequest(c.id).value;

    // The in-flight writes first: each is all there or not at all, and if there, it stays.
    let inFlightCommitted = 0;
    for (const line of inFlight) {
      const found = line.creds.map((s) => byName.get(s.name));
      if (line.op === 'add' || line.op === 'import') {
        const fresh = line.creds.filter((s) => !batch.known.has(s.name));
        const present = found.filter(Boolean).length;
        assert.ok(present === 0 || present === line.creds.length, `${where}: ${line.op} of ${line.creds.map((s) => s.name).join(', ')} committed in part (${present}/${line.creds.length})`);
        assert.equal(fresh.length, line.creds.length, `${where}: in-flight ${line.op} names an existing credential`);
        if (present === 0) continue;
        found.forEach((c, i) => {
          const s = line.creds[i]!;
          assert.ok(same(c!, valueOf(c!), s), `${where}: in-flight ${line.op} of ${s.name} committed with other content`);
          batch.known.set(s.name, { ...s, id: c!.id });
        });
        inFlightCommitted++;
      } else {
        const s = line.creds[0]!;
        const c = found[0];
        assert.ok(c, `${where}: ${s.name}, target of an in-flight ${line.op}, is missing`);
        if (same(c, valueOf(c), s)) {
          batch.known.set(s.name, { ...s, id: c.id });
          inFlightCommitted++;
        }
      }
    }

    for (const [name, s] of batch.known) {
      const c = byName.get(name);
      assert.ok(c, `${where}: acknowledged credential ${name} (${s.id}) is missing`);
      assert.equal(c.id, s.id, `${where}: ${name} has another id`);
      assert.equal(c.status, s.status, `${where}: ${name}: acknowledged status ${s.status} is lost`);
      assert.equal(c.description, s.description, `${where}: ${name}: acknowledged edit "${s.description}" is lost`);
      assert.equal(valueOf(c), s.value, `${where}: ${name}: acknowledged value (rotation) is lost`);
    }
    const extra = [...byName.keys()].filter((n) => !batch.known.has(n));
    assert.deepEqual(extra, [], `${where}: credentials nobody acknowledged or had in flight`);

    const audit = vault.verifyAudit();
    assert.ok(audit.ok, `${where}: audit chain broken: ${audit.reason}`);
    return {
      round,
      writers: children.length,
      killDelaysMs: children.map((c) => c.killDelayMs),
      acked,
      inFlightCommitted,
      credentialsInVault: byName.size,
    };
  } finally {
    vault.close();
  }
}

export interface CrashRunOptions {
  rounds: number;
  /** A fresh vault every so many rounds, so verification cost stays flat in long runs. */
  roundsPerVault?: number;
  /** Writers per round: a random count in [minWriters, maxWriters]. */
  minWriters?: number;
  maxWriters?: number;
  /** Kill window after each writer's first ACK, in ms. */
  minDelayMs?: number;
  maxDelayMs?: number;
  onRound?: (r: RoundReport) => void;
}

/** Runs `rounds` rounds of concurrent writers killed at random; throws at the first broken promise. */
export async function runCrashRounds(opts: CrashRunOptions): Promise<RoundReport[]> {
  const per = opts.roundsPerVault ?? 10;
  const minW = opts.minWriters ?? 2;
  const maxW = opts.maxWriters ?? 4;
  const min = opts.minDelayMs ?? 10;
  const max = opts.maxDelayMs ?? 150;
  const rand = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));
  const reports: RoundReport[] = [];
  let batch: Batch | null = null;
  try {
    for (let i = 0; i < opts.rounds; i++) {
      if (i % per === 0) {
        if (batch) rmSync(batch.home, { recursive: true, force: true });
        batch = await newBatch();
      }
      const writers = rand(minW, maxW);
      // The first writer of each round is killed only after its opening (one write of
      // each kind, see crash-writer.ts) was acknowledged; the others after 1 to 6 ACKs.
      const children = await Promise.all(Array.from({ length: writers }, (_, w) => runWriter(batch!, `r${i}w${w}`, rand(min, max), w === 0 ? 6 : rand(1, 6))));
      const report = await verify(batch!, i, children);
      reports.push(report);
      opts.onRound?.(report);
    }
  } finally {
    if (batch) rmSync(batch.home, { recursive: true, force: true });
  }
  return reports;
}
