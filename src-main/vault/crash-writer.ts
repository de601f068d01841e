/**
 * Test-only child process of crash.test.ts: writes to a vault as fast as it can
 * and prints `ACK add|rot <name> <id>` after each write returns, until the
 * parent SIGKILLs it. Run with `node --import tsx`.
 *
 * Environment: CRASH_HOME (the vault's home), CRASH_KEY (`<vaultId>:<base64 key>`),
 * CRASH_ENV_ID (the environment to add to), CRASH_PREFIX (names are `<prefix>-<i>`).
 */
import type { KeyStore } from './keychain';
import { crashName, crashSecretFor, rotationAfterAdd } from './crash-protocol';
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

async function main(): Promise<void> {
  const [account, key] = env('CRASH_KEY').split(':') as [string, string];
  const environmentId = env('CRASH_ENV_ID');
  const prefix = env('CRASH_PREFIX');
  const vault = Vault.open({ home: env('CRASH_HOME'), keyStore: new EnvKeyStore(account, Buffer.from(key, 'base64')) });
  await vault.unlock();
  const ids: string[] = [];
  for (let i = 0; ; i++) {
    const name = crashName(prefix, i);
    const c = vault.addCredential({
      environmentId,
      name,
      kind: i % 3 === 0 ? 'bearer' : i % 3 === 1 ? 'api_key' : 'jwt_session',
      headerName: i % 3 === 1 ? 'X-API-Key' : undefined,
      description: `written by the crash test, #${i}`,
      secret: { value: crashSecretFor(name) },
    });
    ids.push(c.id);
    process.stdout.write(`ACK add ${name} ${c.id}\n`);

    const target = rotationAfterAdd(i);
    if (target !== null) {
      const targetName = crashName(prefix, target);
      vault.replaceSecret(ids[target]!, { value: crashSecretFor(targetName, 2) });
      process.stdout.write(`ACK rot ${targetName} ${ids[target]}\n`);
    }
    // Reads too: their audit events are queued and committed at the end of the tick.
    if (i % 2 === 0) vault.revealCredential(ids[Math.floor(i / 2)]!);
    await new Promise((r) => setImmediate(r));
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`crash writer failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
