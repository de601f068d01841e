import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeFileSync, constants } from 'node:fs';
import { join } from 'node:path';
import { KEYCHAIN_SERVICE, type KeychainPrefetch } from '../vault/keychain';

/**
 * Issue 11 (a CLI that starts fast): the OS keychain read of a keychain
 * vault, started by the launcher before it loads the command's bundle, so the
 * Secret Service round trip (a D-Bus connection, an encrypted session, a
 * search) runs on the keychain library's own threads while this thread loads
 * the command and opens SQLite. `@napi-rs/keyring`'s AsyncEntry connects
 * synchronously in its constructor; `findCredentialsAsync` does all of its
 * work off this thread, and it is the call `OsKeyStore` already makes to tell
 * "no entry" from "no keychain".
 *
 * Whether to start it comes from a hint file in the data directory
 * (`KEY_HINT_FILE`): the id of the vault there and the fact that its key is
 * in the keychain. It holds nothing secret (the vault id is in the database
 * header too), is written owner-only by the CLI after a keychain unlock, and
 * is read only when it is a small regular file of this user's, not readable
 * by others, with exactly the expected shape. Anything else (missing,
 * corrupt, someone else's, a passphrase vault) means no prefetch: the slow
 * path, which is the same code as before. A stale hint costs one keychain read
 * that `OsKeyStore` then ignores (it answers only for the account asked for).
 */
export const KEY_HINT_FILE = 'cli-keychain-hint.json';

const VAULT_ID_RE = /^vault_[0-9a-f]{32}$/;
const MAX_HINT_BYTES = 256;

export interface KeyHint {
  vaultId: string;
}

/** The hint in `home`, or null when there is none or it is not one to trust (see above). Never throws. */
export function readKeyHint(home: string): KeyHint | null {
  let fd: number;
  try {
    // O_NOFOLLOW: a symlink planted in the data directory is not followed.
    fd = openSync(join(home, KEY_HINT_FILE), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return null;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_HINT_BYTES) return null;
    if (process.platform !== 'win32' && ((st.mode & 0o077) !== 0 || (typeof process.getuid === 'function' && st.uid !== process.getuid()))) return null;
    const buf = Buffer.alloc(MAX_HINT_BYTES + 1);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const parsed: unknown = JSON.parse(buf.subarray(0, n).toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    const { v, vaultId, keySource, ...rest } = parsed as Record<string, unknown>;
    if (v !== 1 || keySource !== 'keychain' || typeof vaultId !== 'string' || !VAULT_ID_RE.test(vaultId) || Object.keys(rest).length > 0) return null;
    return { vaultId };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * Records (vaultId) or removes (null: the vault is not a keychain vault) the
 * hint, written whole and renamed into place, owner-only. A failure (a
 * read-only data directory) is ignored: the hint only saves time.
 */
export function writeKeyHint(home: string, vaultId: string | null): void {
  const file = join(home, KEY_HINT_FILE);
  try {
    if (vaultId === null) {
      rmSync(file, { force: true });
      return;
    }
    if (!VAULT_ID_RE.test(vaultId)) return;
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ v: 1, vaultId, keySource: 'keychain' }), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } catch {
    // The hint is an optimisation; the slow path works without it.
  }
}

/**
 * Starts the keychain read for `home` when its hint says it is a keychain
 * vault (`load` gives the keychain library; tests pass their own); null otherwise. The result never rejects (a failure is kept and
 * `OsKeyStore` then takes the slow path, which reports it typed).
 */
export function startKeyPrefetch(
  home: string,
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded here, before the command's bundle, on purpose
  load: () => Pick<typeof import('@napi-rs/keyring/keytar'), 'findCredentials'> = () => require('@napi-rs/keyring/keytar') as typeof import('@napi-rs/keyring/keytar'),
): KeychainPrefetch | null {
  const hint = readKeyHint(home);
  if (!hint) return null;
  let entries: KeychainPrefetch['entries'];
  try {
    const lib = load();
    entries = lib.findCredentials(KEYCHAIN_SERVICE).then(
      // The answer holds every Tokenvault vault's key in this keychain: only this vault's is kept (review).
      (list) => ({ ok: true as const, list: list.filter((c) => c.account === hint.vaultId) }),
      () => ({ ok: false as const }),
    );
  } catch {
    return null;
  }
  return { hint, entries };
}
