import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryKeyStore } from './keychain';
import { MAX_SESSION_MS } from './sessions';
import { FAST_KDF, openTempVault, rawDb, testClock, vaultError, type TempVault } from './test-support';
import { Vault } from './vault';

const PASS = 'correct horse battery staple';
let t: TempVault;
const others: Vault[] = [];

afterEach(() => {
  for (const v of others.splice(0)) v.close();
  t?.cleanup();
});

async function passphraseVault(clock = testClock()) {
  t = openTempVault({ now: clock.now });
  await t.vault.init({ keySource: 'passphrase', passphrase: PASS });
  const ws = t.vault.addWorkspace({ name: 'Acme' });
  const env = t.vault.addEnvironment({ workspaceId: ws.id, name: 'sandbox', baseUrl: 'https://api.example.com' });
  const c = t.vault.addCredential({ environmentId: env.id, name: 'reader', kind: 'bearer', secret: { value: 'tok_reader_0123456789' } });
  return { clock, credentialId: c.id };
}

/** Another process: the CLI, with the same clock. */
function cli(clock: { now: () => number }): Vault {
  const v = Vault.open({ home: t.home, keyStore: new MemoryKeyStore(), kdfParams: FAST_KDF, now: clock.now, lifecycle: 'cli', processLabel: 'tokenvault token reveal' });
  others.push(v);
  return v;
}

const sessionFiles = () => {
  try {
    return readdirSync(join(t.home, 'sessions'));
  } catch {
    return [];
  }
};

describe('CLI unlock sessions', () => {
  it('a session token unlocks a passphrase vault in another process without the passphrase, writing nothing', async () => {
    const { clock, credentialId } = await passphraseVault();
    const s = t.vault.createSession(15 * 60_000);
    expect(s.token).toMatch(/^tvs1\.[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
    expect(s.expiresAt).toBe(clock.now() + 15 * 60_000);
    const raw = rawDb(t.home, { readonly: true });
    const version = () => raw.pragma('data_version', { simple: true }) as number;
    const before = version();
    const v = cli(clock);
    v.unlockWithSession(s.token);
    expect(v.isUnlocked).toBe(true);
    expect(v.getCredential(credentialId).name).toBe('reader');
    v.close();
    expect(version()).toBe(before);
    raw.close();
    // One event for the whole session.
    const [event] = t.vault.listAudit({ limit: 1 });
    expect(event).toMatchObject({ type: 'unlocked', note: expect.stringMatching(/^CLI session [0-9a-f]{8} until 2026-01-15T12:15:00.000Z$/) });
  });

  it('the session file is owner-only, in an owner-only folder, and holds neither the vault key nor the session key', async () => {
    const { clock } = await passphraseVault();
    const s = t.vault.createSession(60 * 60_000);
    const [name] = sessionFiles();
    const file = join(t.home, 'sessions', name!);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(statSync(join(t.home, 'sessions')).mode & 0o077).toBe(0);
    const text = readFileSync(file, 'utf8');
    const sessionKey = s.token.split('.')[2]!;
    expect(text).not.toContain(sessionKey);
    expect(text).not.toContain(Buffer.from(sessionKey, 'base64url').toString('base64'));
    // Stolen alone, the file opens nothing: the same session id with any other key fails.
    const forged = `tvs1.${s.token.split('.')[1]}.${Buffer.alloc(32, 7).toString('base64url')}`;
    const v = cli(clock);
    expect(vaultError(() => v.unlockWithSession(forged)).code).toBe('CORRUPT');
    expect(v.isUnlocked).toBe(false);
  });

  it('expires at the time given (injected clock): the session ends and its file is removed', async () => {
    const { clock } = await passphraseVault();
    const s = t.vault.createSession(15 * 60_000);
    clock.advance(15 * 60_000 - 1);
    const early = cli(clock);
    early.unlockWithSession(s.token);
    expect(early.isUnlocked).toBe(true);
    clock.advance(1);
    const late = cli(clock);
    const e = vaultError(() => late.unlockWithSession(s.token));
    expect(e.code).toBe('LOCKED');
    expect(e.message).toMatch(/expired/);
    expect(sessionFiles()).toEqual([]);
  });

  it('refuses lengths outside 1 minute to 12 hours', async () => {
    await passphraseVault();
    expect(vaultError(() => t.vault.createSession(MAX_SESSION_MS + 60_000)).code).toBe('VALIDATION');
    expect(vaultError(() => t.vault.createSession(30_000)).code).toBe('VALIDATION');
    expect(t.vault.createSession(MAX_SESSION_MS).expiresAt).toBeGreaterThan(0);
  });

  it.each([
    ['a later expiry written into the file', (f: Record<string, unknown>) => ({ ...f, expiresAt: (f.expiresAt as number) + 3_600_000 })],
    ['a flipped byte of the sealed key', (f: Record<string, unknown>) => {
      const b = Buffer.from(f.wrapped as string, 'base64');
      b[20]! ^= 1;
      return { ...f, wrapped: b.toString('base64') };
    }],
    ['not JSON', () => 'garbage{'],
  ])('a tampered session file (%s) fails as CORRUPT and unlocks nothing', async (_what, tamper) => {
    const { clock } = await passphraseVault();
    const s = t.vault.createSession(15 * 60_000);
    const file = join(t.home, 'sessions', sessionFiles()[0]!);
    const changed = tamper(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
    writeFileSync(file, typeof changed === 'string' ? changed : JSON.stringify(changed));
    const v = cli(clock);
    expect(vaultError(() => v.unlockWithSession(s.token)).code).toBe('CORRUPT');
    expect(v.isUnlocked).toBe(false);
  });

  it('a malformed variable is a usage error; a session of another vault does not open this one', async () => {
    const { clock } = await passphraseVault();
    const v = cli(clock);
    expect(vaultError(() => v.unlockWithSession('not-a-session')).code).toBe('USAGE');
    const s = t.vault.createSession(15 * 60_000);
    const file = join(t.home, 'sessions', sessionFiles()[0]!);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), vaultId: 'vault_other' }));
    expect(vaultError(() => v.unlockWithSession(s.token)).code).toBe('LOCKED');
  });

  it('tokenvault lock ends every session, audited', async () => {
    const { clock } = await passphraseVault();
    const a = t.vault.createSession(15 * 60_000);
    t.vault.createSession(15 * 60_000);
    const v = cli(clock);
    v.unlockWithSession(a.token);
    expect(v.endSessions()).toBe(2);
    expect(sessionFiles()).toEqual([]);
    const [event] = t.vault.listAudit({ limit: 1 });
    expect(event).toMatchObject({ type: 'locked', note: 'tokenvault lock: 2 CLI sessions ended' });
    expect(vaultError(() => cli(clock).unlockWithSession(a.token)).code).toBe('LOCKED');
    expect(t.vault.verifyAudit().ok).toBe(true);
  });

  it('a session file copied aside before tokenvault lock and put back opens nothing (the end is recorded in the vault)', async () => {
    const { clock } = await passphraseVault();
    const s = t.vault.createSession(60 * 60_000);
    const saved = new Map(sessionFiles().map((f) => [f, readFileSync(join(t.home, 'sessions', f))]));
    cli(clock).endSessions();
    expect(sessionFiles()).toEqual([]);
    for (const [f, bytes] of saved) writeFileSync(join(t.home, 'sessions', f), bytes, { mode: 0o600 });
    const v = cli(clock);
    const e = vaultError(() => v.unlockWithSession(s.token));
    expect(e.code).toBe('LOCKED');
    expect(e.details).toMatchObject({ session: 'revoked' });
    expect(e.message).toMatch(/ended by a lock/);
    expect(v.isUnlocked).toBe(false);
    // Sessions begun after the lock work.
    await t.vault.unlock({ passphrase: PASS });
    const fresh = t.vault.createSession(15 * 60_000);
    cli(clock).unlockWithSession(fresh.token);
  });

  it("the same after the app's lock; and editing the generation in the file makes it CORRUPT, not current", async () => {
    const { clock } = await passphraseVault();
    const s = t.vault.createSession(60 * 60_000);
    const [name] = sessionFiles();
    const file = join(t.home, 'sessions', name!);
    const copy = readFileSync(file, 'utf8');
    t.vault.lock();
    writeFileSync(file, copy, { mode: 0o600 });
    expect(vaultError(() => cli(clock).unlockWithSession(s.token)).details).toMatchObject({ session: 'revoked' });
    // Put back with its generation raised to the current one: the sealed box names the old one.
    const edited = JSON.parse(copy) as { generation: number };
    edited.generation += 1;
    writeFileSync(file, JSON.stringify(edited), { mode: 0o600 });
    expect(vaultError(() => cli(clock).unlockWithSession(s.token)).code).toBe('CORRUPT');
  });

  it("the app's lock ends CLI sessions, unless the setting keeps them; quitting the app does not", async () => {
    const { clock } = await passphraseVault();
    const first = t.vault.createSession(15 * 60_000);
    t.vault.lock();
    expect(vaultError(() => cli(clock).unlockWithSession(first.token)).code).toBe('LOCKED');
    expect(t.vault.isUnlocked).toBe(false);

    await t.vault.unlock({ passphrase: PASS });
    t.vault.updateSettings({ keepCliSessionsOnLock: true });
    const kept = t.vault.createSession(15 * 60_000);
    t.vault.lock();
    const v = cli(clock);
    v.unlockWithSession(kept.token);
    expect(v.isUnlocked).toBe(true);

    await t.vault.unlock({ passphrase: PASS });
    t.vault.updateSettings({ keepCliSessionsOnLock: false });
    const survivor = t.vault.createSession(15 * 60_000);
    t.reopen({ now: clock.now });
    const w = cli(clock);
    w.unlockWithSession(survivor.token);
    expect(w.isUnlocked).toBe(true);
  });

  it('a keychain vault needs no session, and a session works for it too', async () => {
    t = openTempVault();
    await t.vault.init({ keySource: 'keychain' });
    const s = t.vault.createSession(15 * 60_000);
    const v = Vault.open({ home: t.home, keyStore: t.keyStore, lifecycle: 'cli' });
    others.push(v);
    await v.unlock();
    expect(v.isUnlocked).toBe(true);
    const w = Vault.open({ home: t.home, keyStore: new MemoryKeyStore(), lifecycle: 'cli' });
    others.push(w);
    w.unlockWithSession(s.token);
    expect(w.isUnlocked).toBe(true);
  });
});
