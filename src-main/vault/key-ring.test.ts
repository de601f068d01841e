import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyRing, unlockDelayMs } from './key-ring';
import { MemoryKeyStore } from './keychain';
import { openParts, type Parts } from './parts-support';
import { SessionStore } from './sessions';
import { FAST_KDF, vaultError, vaultErrorAsync } from './test-support';

/**
 * The key ring on its own: it holds the only key material, writes only
 * through the `write` it is given (the Vault's transaction boundary), and
 * wipes every key buffer on lock.
 */
let p: Parts;
let rings: KeyRing[] = [];
afterEach(() => {
  p?.cleanup();
  rings = [];
});

function ring(opts: { lifecycle?: 'app' | 'cli'; keyStore?: MemoryKeyStore } = {}) {
  const keyStore = opts.keyStore ?? new MemoryKeyStore();
  const slept: number[] = [];
  const r = new KeyRing({
    db: p.db,
    write: p.write,
    audit: p.audit,
    keyStore,
    sessions: new SessionStore(p.home, () => p.clock.t, randomBytes, p.db),
    now: () => p.clock.t,
    random: randomBytes,
    sleep: async (ms) => {
      slept.push(ms);
    },
    kdfParams: FAST_KDF,
    lifecycle: opts.lifecycle ?? 'app',
    processLabel: 'tokenvault test',
  });
  // Events are audited with the keys of a ring that holds them (the Vault wires its one ring the same way).
  rings.push(r);
  (p.audit as unknown as { keys: () => unknown }).keys = () => (rings.find((x) => x.isUnlocked) ?? r).require();
  return { r, keyStore, slept };
}

describe('KeyRing', () => {
  it('before creation: NOT_INITIALIZED; after a lock: LOCKED, with every key buffer zeroed', async () => {
    p = openParts({ withMeta: false });
    const { r } = ring();
    expect(vaultError(() => r.require()).code).toBe('NOT_INITIALIZED');
    expect(r.status().state).toBe('uninitialized');
    await r.create({ keySource: 'passphrase', passphrase: 'correct horse battery', file: 'x' }, () => p.audit.appendNow({ type: 'unlocked', note: 'vault created' }));
    expect(r.status().state).toBe('unlocked');
    const keys = r.require();
    const raw = r.rawVaultKey!;
    r.lock(true, () => false);
    for (const buf of [keys.enc, keys.index, keys.audit, keys.scan, keys.digest, raw]) expect(buf.every((b) => b === 0)).toBe(true);
    expect(vaultError(() => r.require()).code).toBe('LOCKED');
    expect(r.rawVaultKey).toBeNull();
    // 'updated': the creation seals the records digest (cell-digest.ts), recorded once.
    expect(p.auditTypes()).toEqual(['unlocked', 'updated', 'locked']);
  });

  it('a wrong passphrase is counted (one write), delays grow, and the next unlock audits the failures first', async () => {
    p = openParts({ withMeta: false });
    const { r, slept } = ring();
    await r.create({ keySource: 'passphrase', passphrase: 'correct horse battery', file: 'x' }, () => undefined);
    r.lock(true, () => false);
    const writes = p.writes();
    for (let i = 1; i <= 4; i++) {
      const e = await vaultErrorAsync(() => r.unlock({ passphrase: 'wrong wrong wrong' }));
      expect(e.code).toBe('WRONG_PASSPHRASE');
      expect(e.details).toEqual({ failures: i, retryAfterMs: unlockDelayMs(i) });
    }
    expect(p.writes() - writes).toBe(4);
    expect(slept.length).toBeGreaterThan(0);
    expect(await r.unlock({ passphrase: 'correct horse battery' })).toBe(true);
    expect(await r.unlock({ passphrase: 'correct horse battery' })).toBe(false);
    expect(p.auditTypes()).toEqual(['updated', 'locked', 'unlock_failed', 'unlock_failed', 'unlock_failed', 'unlock_failed', 'unlocked']);
    expect(p.db.prepare('SELECT unlock_failures FROM vault_meta').pluck().get()).toBe(0);
  });

  it('a CLI process unlocking with nothing to record writes nothing; its unlock rides along with its first event', async () => {
    p = openParts({ withMeta: false });
    const keyStore = new MemoryKeyStore();
    await ring({ keyStore }).r.create({ keySource: 'keychain', file: 'x' }, () => undefined);
    const { r } = ring({ keyStore, lifecycle: 'cli' });
    const writes = p.writes();
    expect(await r.unlock({})).toBe(true);
    expect(p.writes()).toBe(writes);
    // The creation's only event: the records digest sealed (cell-digest.ts).
    expect(p.auditTypes()).toEqual(['updated']);
    p.write(() => p.audit.appendNow({ type: 'revealed' }));
    expect(p.auditTypes()).toEqual(['updated', 'unlocked', 'revealed']);
  });

  it('a key that does not match the vault is refused and wiped (keychain: KEYCHAIN_UNAVAILABLE)', async () => {
    p = openParts({ withMeta: false });
    const keyStore = new MemoryKeyStore();
    const { r } = ring({ keyStore });
    await r.create({ keySource: 'keychain', file: 'x' }, () => undefined);
    const vaultId = r.status().vaultId!;
    r.lock(true, () => false);
    await keyStore.set(vaultId, randomBytes(32));
    expect((await vaultErrorAsync(() => r.unlock({}))).code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(r.isUnlocked).toBe(false);
  });

  it('a session opens the vault in another process without the passphrase; ending sessions while locked is recorded for later', async () => {
    p = openParts({ withMeta: false });
    const { r } = ring();
    await r.create({ keySource: 'passphrase', passphrase: 'correct horse battery', file: 'x' }, () => undefined);
    const created = r.createSession(15 * 60_000);
    const other = ring({ lifecycle: 'cli' }).r;
    const writes = p.writes();
    expect(other.unlockWithSession(created.token)).toBe(true);
    expect(p.writes()).toBe(writes);
    other.lock(false, () => false);
    r.lock(false, () => false);
    expect(r.endSessions()).toBe(1);
    expect(p.db.prepare('SELECT type FROM pending_audit').pluck().all()).toEqual(['locked']);
    expect(() => ring().r.unlockWithSession(created.token)).toThrow();
  });

  it('moves the key from a passphrase to the keychain and back, audited each time', async () => {
    p = openParts({ withMeta: false });
    const keyStore = new MemoryKeyStore();
    const { r } = ring({ keyStore });
    await r.create({ keySource: 'passphrase', passphrase: 'correct horse battery', file: 'x' }, () => undefined);
    await r.changeKeySource({ keySource: 'keychain', currentPassphrase: 'correct horse battery' });
    expect(r.status().keySource).toBe('keychain');
    r.lock(true, () => false);
    expect(await ring({ keyStore }).r.unlock({})).toBe(true);
    await r.unlock({});
    await r.changeKeySource({ keySource: 'passphrase', passphrase: 'another long passphrase' });
    expect(keyStore.entries.size).toBe(0);
    expect(p.auditTypes().filter((t) => t === 'key_source_changed')).toHaveLength(2);
  });
});
