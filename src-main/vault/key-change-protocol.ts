import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { KeyStore } from './keychain';

/**
 * What key-rewrap.crash.test.ts and its writer agree on: the sequence of key
 * states (state 0 is the passphrase the vault was created with; each step
 * moves to the next), and a keychain kept in a file so that both processes
 * see one keychain. Test-only.
 */
export type KeyState = { source: 'passphrase'; passphrase: string } | { source: 'keychain' };

/** 0: passphrase #0; then, repeating: a new passphrase, the keychain, a new passphrase… */
export function keyChangeState(k: number): KeyState {
  return k % 3 === 2 ? { source: 'keychain' } : { source: 'passphrase', passphrase: `crash passphrase number ${k}` };
}

/** A keychain in a JSON file, replaced atomically (write + rename) on every change, like the OS keeps its own. */
export class FileKeyStore implements KeyStore {
  constructor(private readonly file: string) {}

  private read(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private write(entries: Record<string, string>): void {
    writeFileSync(`${this.file}.tmp`, JSON.stringify(entries));
    renameSync(`${this.file}.tmp`, this.file);
  }

  async get(account: string): Promise<Buffer | null> {
    const v = this.read()[account];
    return v === undefined ? null : Buffer.from(v, 'base64');
  }

  async set(account: string, key: Buffer): Promise<void> {
    this.write({ ...this.read(), [account]: key.toString('base64') });
  }

  async delete(account: string): Promise<void> {
    const entries = this.read();
    delete entries[account];
    this.write(entries);
  }
}
