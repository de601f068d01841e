import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Environment } from '../../src-shared/domain/types';
import { MemoryKeyStore } from '../vault/keychain';
import { openTempVault, vaultErrorAsync, type TempVault } from '../vault/test-support';
import { createAppServices, type AppServices } from './app-services';

/**
 * Rate-limit holds live in the vault: a second process (here a second set of
 * services over the same vault file) holds back too, for 429 and 503, with
 * Retry-After in seconds or as an HTTP date; `force` overrides and is audited.
 */
let clock = Date.UTC(2026, 10, 23, 9, 0, 0);
const now = () => clock;
let server: Server;
let baseUrl: string;
let answer: { status: number; headers: Record<string, string> } = { status: 200, headers: {} };
let hits = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

let t: TempVault;
let keys: MemoryKeyStore;
let first: AppServices;
let env: Environment;
let credentialId: string;

beforeEach(async () => {
  t = openTempVault();
  t.vault.close();
  keys = new MemoryKeyStore();
  first = createAppServices({ home: t.home, keyStore: keys, shell: 'browser', now });
  await first.vault.init({ keySource: 'keychain' });
  const { workspace } = first.catalog.addWorkspace({ name: 'Acme', providerId: 'bearer' });
  env = first.vault.addEnvironment({ workspaceId: workspace.id, name: 'sandbox', baseUrl });
  credentialId = first.catalog.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', secret: { value: 'tok_0123456789abcdef0123' } }).id;
  answer = { status: 200, headers: {} };
});
afterEach(() => {
  first.close();
  t.cleanup();
});

/** Another process: its own services and vault handle over the same file. */
async function secondProcess(): Promise<AppServices> {
  const s = createAppServices({ home: t.home, keyStore: keys, shell: 'browser', now });
  await s.vault.unlock({});
  return s;
}

const call = (s: AppServices, force = false) => s.requests.test(credentialId, { method: 'GET', path: '/me', ...(force ? { force: true } : {}) });

describe('rate-limit holds', () => {
  it.each([
    [429, 'Retry-After in seconds', () => ({ 'retry-after': '120' }), 120_000],
    [503, 'Retry-After in seconds', () => ({ 'retry-after': '120' }), 120_000],
    [503, 'Retry-After as an HTTP date', () => ({ 'retry-after': new Date(clock + 300_000).toUTCString() }), 300_000],
    [429, 'no Retry-After, nothing left until the reset (epoch ms)', () => ({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(clock + 60_000) }), 60_000],
  ] as const)('a %i with %s holds every process back until then', async (status, _what, headersNow, waitMs) => {
    const headers: Record<string, string> = headersNow();
    answer = { status, headers };
    const r = await call(first);
    expect(r.status).toBe(status);
    answer = { status: 200, headers: {} };
    const before = hits;
    const other = await secondProcess();
    try {
      const e = await vaultErrorAsync(() => call(other));
      expect(e.code).toBe('RATE_LIMITED');
      expect(e.details).toMatchObject({ retryAfterMs: waitMs, retryAt: clock + waitMs, status });
      expect(e.message).toContain(`${waitMs / 1000} s left`);
      expect(hits).toBe(before);
      // When the time has come, the call goes.
      clock += waitMs;
      expect((await call(other)).classification).toBe('ok');
      expect(hits).toBe(before + 1);
    } finally {
      other.close();
    }
  });

  it('says until when in the zone chosen in Settings, named, as every other date (not an ISO instant in UTC)', async () => {
    first.vault.updateSettings({ timeZone: 'Asia/Kolkata' });
    clock = Date.UTC(2027, 0, 10, 9, 0, 0);
    answer = { status: 429, headers: { 'retry-after': '120' } };
    await call(first);
    const e = await vaultErrorAsync(() => call(first));
    expect(e.code).toBe('RATE_LIMITED');
    // 09:02 UTC on 10 Jan 2027 is 14:32 in India (UTC+5:30); the zone is named, whatever the locale calls it.
    expect(e.message).toMatch(/until [^—]*\b(0?2:32|14:32)\b[^—]*(GMT\+5:30|IST)/);
    expect(e.message).not.toContain(new Date(clock + 120_000).toISOString());
  });

  it('force sends despite the hold, is audited, and an answer other than 429/503 ends the hold', async () => {
    answer = { status: 429, headers: { 'retry-after': '600' } };
    await call(first);
    answer = { status: 200, headers: {} };
    await expect(call(first)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    const forced = await call(first, true);
    expect(forced.classification).toBe('ok');
    const audit = first.vault.listAudit({ credentialId });
    expect(audit.some((a) => a.type === 'tested' && /rate-limit hold overridden by the user/.test(a.note ?? ''))).toBe(true);
    // The hold is over for everyone.
    const other = await secondProcess();
    try {
      expect((await call(other)).classification).toBe('ok');
    } finally {
      other.close();
    }
  });

  it('holds per environment and credential: another token in the same environment still goes', async () => {
    const otherToken = first.catalog.addCredential({ environmentId: env.id, name: 'other', kind: 'bearer', secret: { value: 'tok_fedcba9876543210fedc' } }).id;
    answer = { status: 429, headers: { 'retry-after': '60' } };
    await call(first);
    answer = { status: 200, headers: {} };
    expect((await first.requests.test(otherToken, { method: 'GET', path: '/me' })).classification).toBe('ok');
  });

  it('a Retry-After far in the future holds for a day at most, and a 429 without a time holds nothing', async () => {
    answer = { status: 429, headers: { 'retry-after': String(365 * 86_400) } };
    await call(first);
    const e = await vaultErrorAsync(() => call(first));
    expect(e.details?.retryAfterMs).toBe(86_400_000);
    clock += 86_400_000;
    answer = { status: 429, headers: {} };
    await call(first);
    answer = { status: 200, headers: {} };
    expect((await call(first)).classification).toBe('ok');
  });
});
