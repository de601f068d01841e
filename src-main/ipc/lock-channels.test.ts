import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../src-shared/errors';
import { CHANNELS } from '../../src-shared/ipc/contract';
import { createAppServices, type AppServices } from '../services/app-services';
import { MemoryKeyStore } from '../vault/keychain';
import { FAST_KDF, tempHome, vaultError } from '../vault/test-support';
import { Vault } from '../vault/vault';
import { dispatch } from './dispatch';
import { createHandlers, type Handlers } from './handlers';

/**
 * Issue 15, "Lock": after the lock button and after auto-lock (the idle
 * timer firing, not a direct call), every channel that can return or use a
 * secret answers LOCKED; no channel's answer carries a value; every CLI
 * session ends (its file is gone and its token opens nothing); and every key
 * Buffer the vault held (the vault key and each subkey) is zeroed.
 */

const VALUE = 'rg_lock_channel_value_0123456789abcdef';
const REFRESH = 'refresh_lock_channel_value_987654321';

let home: string;
let s: AppServices;
let h: Handlers;
let ids: { ws: string; env: string; cred: string; jwt: string; folder: string };

beforeEach(async () => {
  home = tempHome();
  s = createAppServices({ home, keyStore: new MemoryKeyStore(), shell: 'browser', scanFolders: { kind: 'allowlist', roots: [home] } });
  h = createHandlers(s);
  await s.vault.init({ keySource: 'keychain' });
  const ws = s.vault.addWorkspace({ name: 'Acme' });
  const env = s.vault.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
  const cred = s.vault.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', secret: { value: VALUE } });
  const jwt = s.vault.addCredential({ environmentId: env.id, name: 'session', kind: 'jwt_session', secret: { value: `${VALUE}.jwt`, refreshToken: REFRESH } });
  // A folder granted while unlocked: after the lock, scanning it must answer LOCKED.
  const grant = await dispatch(h, 'scan:allow-folder', { path: home });
  if (!grant.ok) throw new Error(`scan:allow-folder: ${grant.error.message}`);
  ids = { ws: ws.id, env: env.id, cred: cred.id, jwt: jwt.id, folder: (grant.value as { folder: string }).folder };
});
afterEach(() => {
  vi.useRealTimers();
  s.close();
  rmSync(home, { recursive: true, force: true });
});

const call = (channel: string, input: unknown) => dispatch(h, channel, input) as Promise<Result<unknown>>;

/** The channels that return a value or send one, with inputs that succeed while unlocked. */
function secretChannels(): [string, unknown][] {
  return [
    ['credentials:reveal', { id: ids.cred }],
    ['credentials:copy', { id: ids.cred }],
    ['credentials:reveal', { id: ids.jwt }],
    ['credentials:test', { id: ids.cred }],
    ['credentials:test-all', { workspaceId: ids.ws }],
    ['credentials:login', { environmentId: ids.env, name: 'new session', email: 'a@example.com', password: 'pw' }],
    ['requests:send', { credentialId: ids.cred, method: 'GET', path: '/me' }],
    ['backup:create', { passphrase: 'backup passphrase 1234' }],
    ['export:workspace', { workspaceId: ids.ws }],
    ['credentials:list', { workspaceId: ids.ws, environmentId: ids.env }],
    ['credentials:get', { id: ids.cred }],
    ['credentials:value-warnings', { id: ids.cred }],
    ['rotation:start', { credentialId: ids.cred, mode: 'manual' }],
    ['revocation:revoke', { credentialId: ids.cred }],
    ['revocation:regenerate', { credentialId: ids.cred }],
    ['probes:start', { credentialId: ids.cred }],
    ['scan:start', { folder: ids.folder }],
    ['audit:list', {}],
    ['search:query', { query: 'ci' }],
  ];
}

/** Every Buffer of the key ring the vault holds now (vault key, enc, index, audit, scan). */
function keyBuffers(v: Vault): Buffer[] {
  const internals = v as unknown as { keys: Record<string, unknown> | null; vaultKey: Buffer | null };
  const bufs = Object.values(internals.keys ?? {}).filter((b): b is Buffer => Buffer.isBuffer(b));
  if (internals.vaultKey) bufs.push(internals.vaultKey);
  return bufs;
}

async function expectLockedEverywhere(held: Buffer[]) {
  expect(s.vault.isUnlocked).toBe(false);
  for (const buf of held) expect(buf.every((b) => b === 0), `a ${buf.length}-byte key buffer was not wiped`).toBe(true);
  for (const [channel, input] of secretChannels()) {
    const r = await call(channel, input);
    expect(r.ok, `${channel} answered while locked`).toBe(false);
    if (!r.ok) expect(r.error.code, channel).toBe('LOCKED');
  }
  // No channel, whatever it is, answers with a value while locked.
  for (const channel of CHANNELS) {
    const r = await call(channel, { id: ids.cred, credentialId: ids.cred, workspaceId: ids.ws, environmentId: ids.env });
    const text = JSON.stringify(r);
    expect(text.includes(VALUE) || text.includes(REFRESH), `${channel} returned a value while locked`).toBe(false);
  }
  // Every CLI session ended: no file left, and the token opens nothing.
  expect(readdirSync(join(home, 'sessions')).filter((f) => f.endsWith('.session'))).toEqual([]);
}

describe('lock, through the channels', () => {
  it('control: unlocked, the reveal channel answers the value', async () => {
    expect(await call('credentials:reveal', { id: ids.cred })).toMatchObject({ ok: true, value: { value: VALUE } });
  });

  it.each(['the lock button (vault:lock)', 'auto-lock (the idle timer fires)'])('after %s every secret channel answers LOCKED, CLI sessions end, key buffers are zeroed', async (how) => {
    const session = s.vault.createSession(60 * 60_000);
    expect(readdirSync(join(home, 'sessions'))).toHaveLength(1);
    const held = keyBuffers(s.vault);
    expect(held.length).toBeGreaterThanOrEqual(5);
    expect(held.every((b) => b.some((x) => x !== 0))).toBe(true);
    if (how.startsWith('auto')) {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      expect((await call('settings:update', { autoLockMinutes: 1 })).ok).toBe(true);
      // The page's activity ping restarts the countdown (now under the fake clock).
      expect(await call('vault:report-activity', {})).toEqual({ ok: true, value: { lockInMs: 60_000 } });
      expect(s.vault.isUnlocked).toBe(true);
      vi.advanceTimersByTime(60_000);
    } else {
      expect((await call('vault:lock', {})).ok).toBe(true);
    }
    await expectLockedEverywhere(held);
    const cli = Vault.open({ home, keyStore: new MemoryKeyStore(), kdfParams: FAST_KDF, lifecycle: 'cli' });
    try {
      expect(vaultError(() => cli.unlockWithSession(session.token)).code).toBe('LOCKED');
    } finally {
      cli.close();
    }
  });
});
