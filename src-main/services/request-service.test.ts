import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedDemo, startAll, type AllEmulators, type DemoCredentials } from '../../e2e/emulators';
import { getBuiltinProvider } from '../../src-shared/providers';
import { openTempVault, type TempVault } from '../vault/test-support';
import { createAppServices, type AppServices } from './app-services';
import { MemoryKeyStore } from '../vault/keychain';
import type { Environment } from '../../src-shared/domain/types';
import { Vault } from '../vault/vault';

// The request path end to end: vault → request service → engine → emulators
// of the documented APIs, with one clock shared by the vault and the emulators.
let clock = Date.UTC(2026, 10, 23, 9, 0, 0);
const now = () => clock;
let emu: AllEmulators;
let demo: DemoCredentials;
let t: TempVault;
let s: AppServices;

beforeAll(async () => {
  emu = await startAll({ now });
  demo = seedDemo(emu, clock);
});
afterAll(async () => {
  await emu.close();
});

beforeEach(async () => {
  t?.cleanup();
  s?.close();
  t = openTempVault();
  t.vault.close();
  s = createAppServices({ home: t.home, keyStore: new MemoryKeyStore(), shell: 'browser', now });
  await s.vault.init({ keySource: 'keychain' });
  emu.coolset.state.clearRequests();
});

function workspace(name: string, providerId: string, envs: [string, string, boolean?][]): Environment[] {
  const { workspace: ws } = s.catalog.addWorkspace({ name, providerId });
  // Built-in environments point at the real hosts; tests use the emulators instead.
  for (const e of s.vault.listEnvironments(ws.id)) s.vault.removeEnvironment((e as Environment).id);
  return envs.map(([envName, baseUrl, production]) => s.vault.addEnvironment({ workspaceId: ws.id, name: envName, baseUrl, production: production ?? false }));
}

const bearer = (env: Environment, name: string, value: string, extra: Record<string, unknown> = {}) =>
  s.catalog.addCredential({ environmentId: env.id, name, kind: 'bearer', secret: { value }, ...extra });

describe('one-click tests against the emulators', () => {
  it('Coolset: ok with the safe preset, and the history keeps no value', async () => {
    const [env] = workspace('Northwind', 'coolset', [['sandbox', emu.urls.coolset]]);
    const c = bearer(env!, 'reader', demo.coolset.read, { scopes: ['read'] });
    const r = await s.requests.test(c.id);
    expect(r).toMatchObject({ status: 200, classification: 'ok', presetId: 'user-config', credentialSent: true });
    expect(r.preflight?.decision).toBe('allowed');
    s.vault.flush(); // test records are committed in batches
    expect(s.vault.getCredential(c.id)).toMatchObject({ lastTestOutcome: 'ok', lastTestedAt: clock, lastUsedAt: clock });
    const history = s.vault.listTestHistory(c.id);
    expect(history[0]).toMatchObject({ method: 'GET', path: '/api/accounts/user-config/', status: 200, outcome: 'ok' });
    expect(JSON.stringify(history)).not.toContain(demo.coolset.read);
    expect(JSON.stringify(r)).not.toContain(demo.coolset.read);
  });

  it("Coolset: a revoked token gets the documented 401 words, a Read token's POST the documented 403", async () => {
    const [env] = workspace('Northwind', 'coolset', [['sandbox', emu.urls.coolset]]);
    const revoked = bearer(env!, 'old', demo.coolset.revoked);
    const r401 = await s.requests.test(revoked.id);
    expect(r401.classification).toBe('unauthorized');
    expect(r401.explanation).toBe('401 from Coolset: the token is missing or invalid');
    expect(r401.diagnosis?.cause).toBe('invalid');
    const reader = bearer(env!, 'reader', demo.coolset.read, { scopes: ['Read'] });
    const r403 = await s.requests.test(reader.id, { method: 'POST', path: '/api/orders/', body: '{}' });
    expect(r403.classification).toBe('forbidden');
    expect(r403.explanation).toContain('403 from Coolset');
    expect(r403.preflight).toMatchObject({ decision: 'denied', allowedBy: ['Write', 'Admin'] });
    // Issue 12: the 403 says its reason once — the pre-flight's rule — not again as a warning.
    expect(r403.preflight?.rule).toBeTruthy();
    expect(r403.warnings.join(' ')).not.toContain('deny this call');
    s.vault.flush();
    const [h] = s.vault.listTestHistory(reader.id, 1);
    expect(h).toMatchObject({ method: 'POST', status: 403, detail: { url: expect.stringContaining('/api/orders/'), preflight: { decision: 'denied' } } });
    expect(JSON.stringify(h)).not.toContain(demo.coolset.read);
  });

  it('Regate: the role matrix decides, and the pre-flight agrees with the live API', async () => {
    const [env] = workspace('Lumière', 'regate', [['sandbox', emu.urls.regate]]);
    const treasurer = bearer(env!, 'treasury', demo.regate.treasurer, { role: 'treasurer' });
    expect(treasurer.role).toBe('Treasurer');
    expect((await s.requests.test(treasurer.id)).classification).toBe('ok');
    const post = await s.requests.test(treasurer.id, { method: 'POST', path: '/customers', body: '{}' });
    expect(post.classification).toBe('forbidden');
    expect(post.preflight?.decision).toBe('denied');
    expect(() => bearer(env!, 'x', demo.regate.cfo, { role: 'Superuser' })).toThrow(/Superuser|known/i);
  });

  it('Regen: a key without rg_ is diagnosed as the wrong format', async () => {
    const [env] = workspace('Clinics', 'regen-therapy', [['sandbox', emu.urls.regen]]);
    const c = s.catalog.addCredential({ environmentId: env!.id, name: 'pasted wrong', kind: 'api_key', headerName: 'X-API-Key', secret: { value: 'sk_live_not_a_regen_key_123456' } });
    const r = await s.requests.test(c.id);
    expect(r.classification).toBe('unauthorized');
    expect(r.diagnosis).toMatchObject({ cause: 'format' });
    expect(r.diagnosis!.message).toContain('rg_');
  });

  it('Regen: 429 with Retry-After holds the next call back until the window passes', async () => {
    emu.regen.state.resetRateLimits();
    const [env] = workspace('Clinics', 'regen-therapy', [['sandbox', emu.urls.regen]]);
    const key = emu.regen.state.addApiKey({ scopes: ['read:*'] }).value;
    const c = s.catalog.addCredential({ environmentId: env!.id, name: 'burst', kind: 'api_key', headerName: 'X-API-Key', scopes: ['read:*'], secret: { value: key } });
    const outcomes: string[] = [];
    for (let i = 0; i < 11; i++) outcomes.push((await s.requests.test(c.id)).classification);
    expect(outcomes.slice(0, 10).every((o) => o === 'ok')).toBe(true);
    expect(outcomes[10]).toBe('rate_limited');
    expect(s.requests.rateLimitState(c.id)).toMatchObject({ limit: 10, remaining: 0 });
    const before = emu.regen.state.requests.length;
    // The hold's facts travel as details, so the app can say them in its own words (provider, status, local time).
    await expect(s.requests.test(c.id)).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { status: 429, provider: 'Regen Therapy', retryAt: expect.any(Number) } });
    expect(emu.regen.state.requests.length).toBe(before);
    clock += 61_000;
    expect((await s.requests.test(c.id)).classification).toBe('ok');
  });

  it('Strapi: an expired token is diagnosed from our own dates', async () => {
    const [env] = workspace('CMS', 'strapi', [['production', emu.urls.strapi, true]]);
    const c = bearer(env!, 'preview', demo.strapi.expired, { tokenType: 'read-only', expiresAt: clock - 86_400_000 });
    const r = await s.requests.test(c.id);
    expect(r.classification).toBe('unauthorized');
    expect(r.diagnosis?.cause).toBe('expired');
  });

  it('Built: a production token filed under sandbox is found valid in production', async () => {
    const [sandbox] = workspace('Kente', 'built-accounting', [
      ['sandbox', emu.urls.built.sandbox],
      ['production', emu.urls.built.production, true],
    ]);
    const c = bearer(sandbox!, 'misfiled', demo.built.production);
    const r = await s.requests.test(c.id);
    expect(r.classification).toBe('unauthorized');
    expect(r.diagnosis).toEqual({
      cause: 'other_environment',
      message: 'valid in production, rejected by sandbox: this token belongs to production.',
      // Where it is valid, for the "Move to production" button.
      environment: { id: expect.stringMatching(/^env_/), name: 'production', production: true },
    });
  });

  it('redacts a token the API echoes back', async () => {
    const [env] = workspace('Northwind', 'coolset', [['sandbox', emu.urls.coolset]]);
    const c = bearer(env!, 'reader', demo.coolset.read);
    const r = await s.requests.test(c.id, { path: '/__echo' });
    expect(r.bodyPreview).toContain('[REDACTED]');
    expect(r.bodyPreview).not.toContain(demo.coolset.read);
  });

  it('follows a redirect to another origin without the token', async () => {
    const [env] = workspace('Northwind', 'coolset', [['sandbox', emu.urls.coolset]]);
    const c = bearer(env!, 'reader', demo.coolset.read);
    emu.regate.state.clearRequests();
    const r = await s.requests.test(c.id, { path: `/__redirect?to=${encodeURIComponent(`${emu.urls.regate}/__echo`)}` });
    expect(r.redirects).toHaveLength(1);
    expect(r.credentialSent).toBe(false);
    const landed = emu.regate.state.requests.at(-1)!;
    expect(landed.authorization).toBeNull();
    expect(JSON.stringify(landed.headers)).not.toContain(demo.coolset.read);
  });

  it('production is read-only until armed with the workspace name', async () => {
    const [prod] = workspace('Northwind', 'coolset', [['production', emu.urls.coolset, true]]);
    const c = bearer(prod!, 'writer', demo.coolset.write, { scopes: ['Write'] });
    await expect(s.requests.test(c.id, { method: 'POST', path: '/api/orders/', body: '{"reference":"A-1"}' })).rejects.toMatchObject({ code: 'PRODUCTION_LOCKED' });
    expect(() => s.arming.arm(prod!.id, 'Northwind', 'northwind ')).toThrow(/exactly/);
    s.arming.arm(prod!.id, 'Northwind', 'Northwind');
    const r = await s.requests.test(c.id, { method: 'POST', path: '/api/orders/', body: '{"reference":"A-1"}' });
    expect(r.status).toBeLessThan(300);
    clock += 6 * 60_000;
    await expect(s.requests.test(c.id, { method: 'POST', path: '/api/orders/', body: '{}' })).rejects.toMatchObject({ code: 'PRODUCTION_LOCKED' });
  });

  it('test all: every token, with progress events, and a summary', async () => {
    const [env] = workspace('Northwind', 'coolset', [['sandbox', emu.urls.coolset]]);
    bearer(env!, 'a', demo.coolset.read);
    bearer(env!, 'b', demo.coolset.write);
    bearer(env!, 'c', demo.coolset.revoked);
    const progress: string[] = [];
    s.events.subscribe((name, p) => {
      if (name === 'tests:progress') progress.push((p as { outcome: string }).outcome);
    });
    const ws = s.vault.getEnvironment(env!.id).workspaceId;
    const run = s.testRunner.start({ workspaceId: ws });
    expect(run.total).toBe(3);
    const results = await run.done;
    expect(results.map((r) => r.outcome).sort()).toEqual(['ok', 'ok', 'unauthorized']);
    expect(progress).toHaveLength(3);
  });
});

describe('JWT sessions', () => {
  it('logs in to Regen (password used once), records who it is, and the session expires with its refresh token', async () => {
    const [env] = workspace('Clinics', 'regen-therapy', [['sandbox', emu.urls.regen]]);
    const c = await s.requests.login({ environmentId: env!.id, name: 'me', email: demo.regen.user.email, password: demo.regen.user.password });
    expect(c).toMatchObject({ kind: 'jwt_session', hasRefreshToken: true, expiresAt: clock + 7 * 86_400_000, identity: { account: 'user@example.com' } });
    expect(JSON.stringify(s.vault.secretForRequest(c.id))).not.toContain(demo.regen.user.password);
    expect((await s.requests.test(c.id)).classification).toBe('ok');
    await expect(s.requests.login({ environmentId: env!.id, name: 'bad', email: demo.regen.user.email, password: 'wrong password' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('refreshes an expired access token (provider defined in a user file), once, and retries', async () => {
    const regen = structuredClone(getBuiltinProvider('regen-therapy')!) as unknown as Record<string, unknown> & { auth: Record<string, unknown>[] };
    regen.id = 'regen-with-refresh';
    regen.name = 'Regen (with refresh)';
    delete regen.roles;
    const jwt = regen.auth.find((a) => a.scheme === 'jwt_session')!;
    jwt.refresh = { method: 'POST', path: '/api/auth/refresh', bodyField: 'refreshToken' };
    s.providers.add(JSON.stringify(regen));
    expect(existsSync(join(t.home, 'providers', 'regen-with-refresh.json'))).toBe(true);
    const [env] = workspace('Clinics+', 'regen-with-refresh', [['sandbox', emu.urls.regen]]);
    const c = await s.requests.login({ environmentId: env!.id, name: 'me', email: demo.regen.user.email, password: demo.regen.user.password });
    const before = s.vault.secretForRequest(c.id);
    clock += 2 * 3_600_000; // the access token (1 h) has expired; the refresh token (7 days) has not
    const r = await s.requests.test(c.id);
    expect(r.classification).toBe('ok');
    const after = s.vault.secretForRequest(c.id);
    s.vault.flush();
    expect(after.value).not.toBe(before.value);
    expect(s.vault.listAudit({ credentialId: c.id }).some((e) => e.note === 'session tokens renewed')).toBe(true);
    clock += 8 * 86_400_000; // now the refresh token is past its 7 days too
    const late = await s.requests.test(c.id);
    expect(late.classification).toBe('unauthorized');
    expect(s.vault.getCredential(c.id).status).toBe('expired');
  });

  it('refuses a malformed provider definition with the path of each error', () => {
    try {
      s.providers.add(JSON.stringify({ schemaVersion: 1, id: 'Bad Id', name: '', auth: [{ scheme: 'api_key' }] }));
      expect.unreachable();
    } catch (e) {
      const issues = (e as { issues: { path: string }[] }).issues.map((i) => i.path);
      expect(issues).toEqual(expect.arrayContaining(['id', 'name', 'auth[0].headerName']));
    }
  });
});

describe('test records', () => {
  it('are committed in a batch, and a lock flushes what is pending', async () => {
    const [env] = workspace('Northwind', 'coolset', [['sandbox', emu.urls.coolset]]);
    const c = bearer(env!, 'reader', demo.coolset.read);
    await s.requests.test(c.id);
    await s.requests.test(c.id);
    s.vault.lock();
    await s.vault.unlock();
    expect(s.vault.listTestHistory(c.id)).toHaveLength(2);
    expect(s.vault.listAudit({ credentialId: c.id }).filter((e) => e.type === 'tested')).toHaveLength(2);
    expect(s.vault.verifyAudit().ok).toBe(true);
  });
});

describe('a one-click test reads the vault as it is now (issue 9: decrypted metadata is cached)', () => {
  it('after another connection moves the environment, the next test goes to the new base URL, and a deleted token is not tested', async () => {
    const seen: { server: string; auth: string | undefined }[] = [];
    const start = (name: string) =>
      new Promise<{ url: string; close: () => Promise<void> }>((resolve) => {
        const srv = createServer((req, res) => {
          seen.push({ server: name, auth: req.headers.authorization });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{}');
        });
        srv.listen(0, '127.0.0.1', () => {
          const { port } = srv.address() as { port: number };
          resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => { srv.closeAllConnections(); srv.close(() => r()); }) });
        });
      });
    const a = await start('a');
    const b = await start('b');
    const keyStore = new MemoryKeyStore();
    const home = openTempVault().home;
    const app = createAppServices({ home, keyStore, shell: 'browser', now });
    let other: Vault | null = null;
    try {
      await app.vault.init({ keySource: 'keychain' });
      const [env] = ((): Environment[] => {
        const { workspace: ws } = app.catalog.addWorkspace({ name: 'Moved', providerId: 'coolset' });
        for (const e of app.vault.listEnvironments(ws.id)) app.vault.removeEnvironment((e as Environment).id);
        return [app.vault.addEnvironment({ workspaceId: ws.id, name: 'sandbox', baseUrl: a.url })];
      })();
      const c = app.catalog.addCredential({ environmentId: env!.id, name: 'reader', kind: 'bearer', secret: { value: 'tok_moved_0123456789abcdef' } });
      await app.requests.test(c.id);
      expect(seen.map((x) => x.server)).toEqual(['a']);

      // The CLI (another connection) points the environment elsewhere: the app's next test must follow at once.
      other = Vault.open({ home, keyStore });
      await other.unlock();
      other.updateEnvironment(env!.id, { baseUrl: b.url });
      const r = await app.requests.test(c.id);
      expect(seen.map((x) => x.server)).toEqual(['a', 'b']);
      expect(r.url.startsWith(b.url)).toBe(true);
      expect(seen[1]!.auth).toBe('Bearer tok_moved_0123456789abcdef');

      // Deleted elsewhere: the test is refused, nothing is sent.
      other.removeCredential(c.id);
      await expect(app.requests.test(c.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(seen).toHaveLength(2);
    } finally {
      other?.close();
      app.close();
      await a.close();
      await b.close();
    }
  });
});
