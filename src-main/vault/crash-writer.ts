/**
 * Test-only child process of the crash test (crash-harness.ts): one of two to
 * four writers on the same vault. It adds, imports (a batch of three in one
 * transaction), edits, rotates and revokes its own credentials in a random
 * order, as fast as it can, with reads in between, printing `TRY` before and
 * `ACK` after each write (crash-protocol.ts) until the parent SIGKILLs it.
 *
 * Environment: CRASH_HOME (the vault's home), CRASH_KEY (`<vaultId>:<base64 key>`),
 * CRASH_ENV_ID (the environment to add to), CRASH_PREFIX (names are `<prefix>-<i>`).
 */
import { VaultError } from '../../src-shared/errors';
import type { KeyStore } from './keychain';
import { crashName, crashSecretFor, type CrashLine, type CrashOp, type CrashState } from './crash-protocol';
import { Vault } from './vault';

/** Hands out the one key it was given; the OS keychain is not what this test is about. */
class EnvKeyStore implements KeyStore {
  constructor(
    private readonly account: string,
    private readonly key: Buffer,
  ) {}
  async get(account: string): Promise<Buffer | null> {
    return account === this.account ? Buffer.from(this.key) : null;
  }
  async set(): Promise<void> {
    throw new Error('the crash writer never stores a key');
  }
  async delete(): Promise<void> {
    throw new Error('the crash writer never deletes a key');
  }
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

/** Runs `run` again while it fails with BUSY (nothing was committed). */
async function retryBusy<T>(run: () => T | Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await run();
    } catch (e) {
      if (!(e instanceof VaultError) || e.code !== 'BUSY') throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 5));
    }
  }
}

/** Rolls that choose add, add, import, edit, rotate, revoke: see the thresholds in main(). */
const OPENING = [0, 0, 0.3, 0.5, 0.7, 0.85];

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

async function main(): Promise<void> {
  const [account, key] = env('CRASH_KEY').split(':') as [string, string];
  const environmentId = env('CRASH_ENV_ID');
  const prefix = env('CRASH_PREFIX');
  // Short busy waits, retried here: contention between the writers is part of the test.
  const vault = Vault.open({ home: env('CRASH_HOME'), keyStore: new EnvKeyStore(account, Buffer.from(key, 'base64')), busyTimeoutMs: 200 });
  // The unlock writes its audit event: BUSY there is retried like any write.
  await retryBusy(() => vault.unlock());
  const mine: (CrashState & { id: string; version: number })[] = [];
  let next = 0;
  let seq = 0;

  const say = (kind: 'TRY' | 'ACK', line: CrashLine) => process.stdout.write(`${kind} ${JSON.stringify(line)}\n`);
  /** Runs one write, retrying on BUSY (nothing committed), and reports it before and after. */
  const write = async <T>(op: CrashOp, creds: CrashState[], run: () => T): Promise<T> => {
    const line = { seq: ++seq, op, creds };
    say('TRY', line);
    return retryBusy(run);
  };
  const ack = (op: CrashOp, creds: CrashState[]) => say('ACK', { seq, op, creds });

  for (;;) {
    const live = mine.filter((c) => c.status === 'active');
    // An opening of one write of each kind (add, add, import, edit, rotate, revoke), then a random mix.
    const roll = seq < OPENING.length ? OPENING[seq]! : Math.random();
    if (live.length < 2 || roll < 0.25) {
      const name = crashName(prefix, next++);
      const state: CrashState = { name, id: null, description: 'new', value: crashSecretFor(name, 1), status: 'active' };
      const c = await write('add', [state], () =>
        vault.addCredential({ environmentId, name, kind: next % 2 ? 'bearer' : 'api_key', headerName: next % 2 ? undefined : 'X-API-Key', description: state.description, secret: { value: state.value } }),
      );
      const done = { ...state, id: c.id, version: 1 };
      mine.push(done);
      ack('add', [done]);
    } else if (roll < 0.4) {
      const states: CrashState[] = [0, 1, 2].map(() => {
        const name = crashName(prefix, next++);
        return { name, id: null, description: 'imported', value: crashSecretFor(name, 1), status: 'active' };
      });
      const added = await write('import', states, () =>
        vault.addCredentials(
          states.map((s) => ({ environmentId, name: s.name, kind: 'bearer', description: s.description, secret: { value: s.value } })),
          { auditType: 'imported' },
        ),
      );
      const done = states.map((s, i) => ({ ...s, id: added[i]!.id, version: 1 }));
      mine.push(...done);
      ack('import', done);
    } else if (roll < 0.6) {
      const c = pick(live);
      const description = `edited ${seq + 1}`;
      await write('edit', [{ ...c, description }], () => vault.updateCredential(c.id, { description }));
      c.description = description;
      ack('edit', [c]);
    } else if (roll < 0.8) {
      const c = pick(live);
      const value = crashSecretFor(c.name, c.version + 1);
      await write('rotate', [{ ...c, value }], () => vault.replaceSecret(c.id, { value }));
      c.value = value;
      c.version++;
      ack('rotate', [c]);
    } else if (roll < 0.9) {
      const c = pick(live);
      await write('revoke', [{ ...c, status: 'revoked' }], () => vault.markRevoked(c.id, { wipeSecret: false, note: 'crash test' }));
      c.status = 'revoked';
      ack('revoke', [c]);
    } else {
      // Reads: their audit events are queued and committed at the end of the tick.
      vault.revealCredential(pick(mine).id);
      vault.listCredentials({ environmentId });
    }
    await new Promise((r) => setImmediate(r));
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`crash writer failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
