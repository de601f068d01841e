/**
 * Test-only child process of key-rewrap.crash.test.ts: changes where the
 * vault key is kept, over and over, and prints `ACK <step>` after each change
 * returns, until the parent SIGKILLs it. Run with `node --import tsx`.
 *
 * Step k takes the vault from state k to k+1 (keyChangeState): a new
 * passphrase, the OS keychain (a file standing in for it, shared with the
 * parent), a new passphrase again, and so on.
 * Environment: KEYCHANGE_HOME (the vault's home), KEYCHANGE_KEYS (the keychain file),
 * KEYCHANGE_START (the state the vault is in now). Prints `READY` once unlocked.
 */
import { FileKeyStore, keyChangeState } from './key-change-protocol';
import { FAST_KDF } from './test-support';
import { Vault } from './vault';

async function main(): Promise<void> {
  const home = process.env.KEYCHANGE_HOME!;
  const vault = Vault.open({ home, keyStore: new FileKeyStore(process.env.KEYCHANGE_KEYS!), kdfParams: FAST_KDF });
  const start = Number(process.env.KEYCHANGE_START ?? '0');
  const first = keyChangeState(start);
  await vault.unlock(first.source === 'passphrase' ? { passphrase: first.passphrase } : {});
  process.stdout.write('READY\n');
  for (let k = start; ; k++) {
    const from = keyChangeState(k);
    const to = keyChangeState(k + 1);
    const current = from.source === 'passphrase' ? { currentPassphrase: from.passphrase } : {};
    await vault.changeKeySource(to.source === 'passphrase' ? { keySource: 'passphrase', passphrase: to.passphrase, ...current } : { keySource: 'keychain', ...current });
    process.stdout.write(`ACK ${k}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
