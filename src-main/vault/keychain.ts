import { VaultError } from '../../src-shared/errors';

/**
 * Where the vault key lives when the user chose the OS keychain. An interface,
 * so unit tests use the in-memory store and integration tests the real Secret
 * Service; nothing else in the vault knows which one it has.
 */
export interface KeyStore {
  get(account: string): Promise<Buffer | null>;
  set(account: string, key: Buffer): Promise<void>;
  delete(account: string): Promise<void>;
}

export const KEYCHAIN_SERVICE = 'Tokenvault';

/**
 * KEYCHAIN_UNAVAILABLE with the library's words in parentheses. It names no
 * command: only the shell knows which one would use a passphrase instead (the
 * CLI adds `tokenvault restore … --passphrase` to a restore, `init --passphrase`
 * to an init; the app offers the passphrase on its own screen).
 */
export function keychainUnavailable(cause: unknown): VaultError {
  const why = cause instanceof Error ? cause.message.split('\n')[0]!.slice(0, 200) : 'unknown error';
  return new VaultError(
    'KEYCHAIN_UNAVAILABLE',
    `The OS keychain is not available (${why}). Unlock the keychain and try again, or use a master passphrase instead.`,
  );
}

/** The part of @napi-rs/keyring's keytar-style API this module uses. */
export type KeytarApi = Pick<typeof import('@napi-rs/keyring/keytar'), 'getPassword' | 'setPassword' | 'deletePassword' | 'findCredentials'>;

/**
 * A keychain read started early (the CLI's launcher, src-main/cli/key-prefetch.ts):
 * every entry of this service, or a failure, never a rejection.
 */
export interface KeychainPrefetch {
  hint: { vaultId: string };
  entries: Promise<{ ok: true; list: { account: string; password: string }[] } | { ok: false }>;
}

/** How many times a listing of this service's entries is tried before its failure counts. */
const LIST_TRIES = 3;

/**
 * `findCredentials(KEYCHAIN_SERVICE)`, tried up to LIST_TRIES times: the
 * listing reads every entry it found one by one, and on the Secret Service an
 * entry another process deletes in between (another vault's key, removed)
 * fails the whole listing ("Object does not exist at path …/login/28", seen
 * when parallel processes add and remove vaults). Any other failure is
 * thrown at once. Returns the entries; throws the last failure.
 */
export async function listEntries(k: Pick<KeytarApi, 'findCredentials'>): Promise<{ account: string; password: string }[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await k.findCredentials(KEYCHAIN_SERVICE);
    } catch (e) {
      // Only a vanished entry is tried again: a prompt the user dismissed, or a
      // Secret Service that does not answer, must not be asked three times.
      if (attempt >= LIST_TRIES || !VANISHED_ENTRY.test(e instanceof Error ? e.message : String(e))) throw e;
    }
  }
}

/** The Secret Service's answer for an item path that no longer exists (zbus / D-Bus error names and text). */
const VANISHED_ENTRY = /does not exist|NoSuchObject|UnknownObject/i;

/** The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service) through @napi-rs/keyring. */
export class OsKeyStore implements KeyStore {
  // Loaded on first use: the native addon costs start-up time the CLI does not
  // need for commands that never touch the key.
  private lib: KeytarApi | null = null;

  /**
   * @param prefetch a read of this service's entries started earlier (issue 11):
   * the first `get` answers from it when it holds the account asked for; when it
   * failed or lacks the account, `get` asks the keychain itself, as without it.
   * @param load loads the keychain library (a test seam; the default is @napi-rs/keyring).
   */
  constructor(
    private prefetch: KeychainPrefetch | null = null,
    private readonly load: () => Promise<KeytarApi> = () => import('@napi-rs/keyring/keytar'),
  ) {}

  private async keytar() {
    if (!this.lib) {
      try {
        this.lib = await this.load();
      } catch (e) {
        throw keychainUnavailable(e);
      }
    }
    return this.lib;
  }

  /** Asks the keychain for this service's entries and drops the answer: throws KEYCHAIN_UNAVAILABLE when no keychain answers (issue 12's probe). */
  async reachable(): Promise<void> {
    const k = await this.keytar();
    try {
      await listEntries(k);
    } catch (e) {
      throw keychainUnavailable(e);
    }
  }

  async get(account: string): Promise<Buffer | null> {
    const early = this.prefetch;
    this.prefetch = null;
    if (early) {
      const r = await early.entries;
      const found = r.ok ? r.list.find((c) => c.account === account) : undefined;
      if (found) return Buffer.from(found.password, 'base64');
    }
    const k = await this.keytar();
    let value: string | null;
    try {
      value = await k.getPassword(KEYCHAIN_SERVICE, account);
      // getPassword answers null both for "no such entry" and for "no keychain
      // at all"; findCredentials throws in the second case, which tells them apart.
      if (value === null || value === undefined) await listEntries(k);
    } catch (e) {
      throw keychainUnavailable(e);
    }
    return value === null || value === undefined ? null : Buffer.from(value, 'base64');
  }

  async set(account: string, key: Buffer): Promise<void> {
    const k = await this.keytar();
    try {
      await k.setPassword(KEYCHAIN_SERVICE, account, key.toString('base64'));
    } catch (e) {
      throw keychainUnavailable(e);
    }
  }

  async delete(account: string): Promise<void> {
    const k = await this.keytar();
    try {
      await k.deletePassword(KEYCHAIN_SERVICE, account);
    } catch (e) {
      throw keychainUnavailable(e);
    }
  }
}

/** For unit tests and for simulating a keychain that is down. */
export class MemoryKeyStore implements KeyStore {
  readonly entries = new Map<string, string>();
  available = true;

  private check() {
    if (!this.available) throw keychainUnavailable(new Error('no Secret Service on the session bus'));
  }

  async get(account: string) {
    this.check();
    const v = this.entries.get(account);
    return v === undefined ? null : Buffer.from(v, 'base64');
  }

  async set(account: string, key: Buffer) {
    this.check();
    this.entries.set(account, key.toString('base64'));
  }

  async delete(account: string) {
    this.check();
    this.entries.delete(account);
  }
}
