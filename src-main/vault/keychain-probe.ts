import { KEYCHAIN_SERVICE, type KeyStore } from './keychain';

/** Whether the OS keychain answers, and in one short phrase why not. */
export interface KeychainReachability {
  available: boolean;
  /** Why not, in the keychain library's own first line (no secret in it); null when available. */
  reason: string | null;
}

/** A keychain that can say whether it answers without reading or writing any entry. */
export interface ProbeableKeyStore extends KeyStore {
  reachable?(): Promise<void>;
}

/** How long the first-run screen waits for the keychain before offering the passphrase instead. */
export const KEYCHAIN_PROBE_TIMEOUT_MS = 2_000;

/**
 * Asks the keychain whether it answers (issue 12: first run on Linux without
 * a Secret Service). Bounded by `timeoutMs`: a keychain that neither answers
 * nor fails in time counts as unreachable (the native call is left to finish
 * on its own thread; nothing waits for it). Never throws. A store without
 * `reachable` (the in-memory one) is asked for an entry that does not exist.
 */
export async function probeKeychain(store: ProbeableKeyStore, timeoutMs = KEYCHAIN_PROBE_TIMEOUT_MS): Promise<KeychainReachability> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const ask = store.reachable ? store.reachable() : store.get(`${KEYCHAIN_SERVICE}-probe`).then(() => undefined);
    const outcome = await Promise.race([ask.then(() => 'ok' as const), timeout]);
    if (outcome === 'timeout') return { available: false, reason: `no answer within ${Math.round(timeoutMs / 100) / 10} s` };
    return { available: true, reason: null };
  } catch (e) {
    const message = e instanceof Error ? e.message : 'unknown error';
    // keychainUnavailable() wraps the library's words in parentheses: keep only those.
    const inner = /\(([^()]*(?:\([^()]*\)[^()]*)*)\)/.exec(message)?.[1] ?? message;
    return { available: false, reason: inner.split('\n')[0]!.slice(0, 200) };
  } finally {
    clearTimeout(timer);
  }
}
