import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAll, type AllEmulators } from '../../e2e/emulators';
import { STRAPI_ADMIN_JWT_TTL_S } from '../../e2e/emulators/strapi-admin';
import type { Environment } from '../../src-shared/domain/types';
import { testJwt } from '../../src-shared/expiry/test-jwt';
import { MemoryKeyStore } from '../vault/keychain';
import { tempHome } from '../vault/test-support';
import { createAppServices, type AppServices } from './app-services';
import { listDueItems } from './due-list';

// Issue 10 against the Strapi emulator, on one injected clock: every expiry
// source, sessions that lapse, linking by name, and last tested vs last used.
const start = Date.UTC(2026, 10, 23, 9, 0, 0);
let clock = start;
const now = () => clock;
const HOUR = 3_600_000;
const DAY = 86_400_000;
let emu: AllEmulators;
let s: AppServices;
let n = 0;

beforeAll(async () => {
  emu = await startAll({ now });
});
afterAll(async () => {
  s?.close();
  await emu.close();
});

beforeEach(async () => {
  clock = start;
  s?.close();
  s = createAppServices({ home: tempHome(), keyStore: new MemoryKeyStore(), shell: 'browser', now });
  s.reminders.stop();
  await s.vault.init({ keySource: 'keychain' });
});

function environment(providerId: string, baseUrl: string): Environment {
  const { workspace: ws } = s.catalog.addWorkspace({ name: `${providerId} ${++n}`, providerId });
  for (const e of s.vault.listEnvironments(ws.id)) s.vault.removeEnvironment((e as Environment).id);
  return s.vault.addEnvironment({ workspaceId: ws.id, name: 'staging', baseUrl, production: false });
}
const signIn = (env: Environment) => s.requests.login({ environmentId: env.id, name: 'admin', email: 'admin@example.com', password: 'Admin123!' });
const ctx = () => ({ now: clock, timeZone: 'UTC' });

describe('every source of an expiry date', () => {
  it("takes a bearer JWT's exp (integer or fractional seconds) when no date is given; due lists it; its 401 is diagnosed expired", async () => {
    const env = environment('strapi', emu.urls.strapi);
    const exp = (start + 3 * DAY) / 1000;
    const c = s.catalog.addCredential({ environmentId: env.id, name: 'jwt', kind: 'bearer', secret: { value: testJwt({ sub: 'x', exp }) } });
    expect(c).toMatchObject({ expiresAt: start + 3 * DAY, expirySource: 'jwt_exp' });
    const frac = s.catalog.addCredential({ environmentId: env.id, name: 'frac', kind: 'bearer', secret: { value: testJwt({ exp: exp + 0.25 }) } });
    expect(frac.expiresAt).toBe(start + 3 * DAY + 250);
    expect(listDueItems(s.vault, { withinDays: 30 }, ctx()).map((i) => [i.name, i.kind, i.status])).toEqual([
      ['jwt', 'expiry', 'due_soon'],
      ['frac', 'expiry', 'due_soon'],
    ]);
    clock = start + 4 * DAY;
    const r = await s.requests.test(c.id);
    expect(r.classification).toBe('unauthorized');
    expect(r.diagnosis).toMatchObject({ cause: 'expired' });
    expect(r.diagnosis?.message).toMatch(/JWT exp claim/);
  });

  it('the earliest source wins: a date entered later than the JWT exp does not hide it, an earlier one does', () => {
    const env = environment('strapi', emu.urls.strapi);
    const value = testJwt({ exp: (start + 10 * DAY) / 1000 });
    const later = s.catalog.addCredential({ environmentId: env.id, name: 'later', kind: 'bearer', expiresAt: start + 20 * DAY, secret: { value } });
    expect(later).toMatchObject({ expiresAt: start + 10 * DAY, expirySource: 'jwt_exp' });
    const earlier = s.catalog.updateCredential(later.id, { expiresOn: '2026-11-25' });
    expect(earlier).toMatchObject({ expirySource: 'explicit', expiresOn: '2026-11-25' });
    // Editing back to "never" leaves the token's own end.
    expect(s.catalog.updateCredential(later.id, { expiresAt: null })).toMatchObject({ expiresAt: start + 10 * DAY, expirySource: 'jwt_exp', expiresOn: null });
  });

  it("a lifetime chosen at creation counts calendar days; Strapi's expiresAt on sync joins the sources", async () => {
    const env = environment('strapi', emu.urls.strapi);
    await signIn(env);
    const t = emu.strapi.state.addToken({ type: 'read-only', name: 'ci', lifespan: 30 * DAY });
    const c = s.catalog.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', tokenType: 'read-only', remoteId: String(t.id), expiresAfter: '90d', secret: { value: t.accessKey } });
    expect(c).toMatchObject({ expirySource: 'duration' });
    const r = await s.tokenSync.sync({ workspaceId: env.workspaceId, environmentId: env.id });
    expect(r.matched[0]!.changed).toContain('expiresAt');
    expect(s.vault.getCredential(c.id)).toMatchObject({ expiresAt: t.expiresAt, expirySource: 'provider_record' });
  });
});

describe('sessions: a lapsed sign-in is not a due date', () => {
  it("Strapi's admin login ends with its access token; due leaves it out unless sessions are asked for", async () => {
    const env = environment('strapi', emu.urls.strapi);
    const admin = await signIn(env);
    expect(admin).toMatchObject({ kind: 'jwt_session', expirySource: 'jwt_exp' });
    // The emulator's admin JWT lives as long as its exp says (STRAPI_ADMIN_JWT_TTL_S); a 30-minute one behaves the same.
    expect(admin.expiresAt! - start).toBe(STRAPI_ADMIN_JWT_TTL_S * 1000);
    clock = admin.expiresAt! + HOUR;
    expect(listDueItems(s.vault, {}, ctx())).toEqual([]);
    expect(listDueItems(s.vault, { includeSessions: true }, ctx()).map((i) => [i.name, i.status])).toEqual([['admin', 'expired']]);
  });

  it('a session with a refresh token is listed when the refresh token is due', () => {
    const env = environment('strapi', emu.urls.strapi);
    const c = s.catalog.addCredential({
      environmentId: env.id,
      name: 'app session',
      kind: 'jwt_session',
      secret: { value: testJwt({ exp: (start + HOUR) / 1000 }), refreshToken: testJwt({ exp: (start + 5 * DAY) / 1000 }) },
    });
    expect(c).toMatchObject({ expiresAt: start + 5 * DAY, expirySource: 'refresh_token' });
    clock = start + 2 * HOUR;
    expect(listDueItems(s.vault, { withinDays: 30 }, ctx()).map((i) => [i.name, i.status])).toEqual([['app session', 'due_soon']]);
  });
});

describe('linking to the provider and last used', () => {
  it('sets and clears a remote id through the service layer', () => {
    const env = environment('strapi', emu.urls.strapi);
    const c = s.catalog.addCredential({ environmentId: env.id, name: 'x', kind: 'bearer', secret: { value: 'strapi-token-value-1' } });
    expect(s.catalog.updateCredential(c.id, { remoteId: '18' }).remoteId).toBe('18');
    expect(s.catalog.updateCredential(c.id, { remoteId: null }).remoteId).toBeNull();
  });

  it('links only when exactly one provider token has the name, and reports each token once', async () => {
    const env = environment('strapi', emu.urls.strapi);
    await signIn(env);
    for (const id of [...emu.strapi.state.tokens.keys()]) emu.strapi.state.tokens.delete(id);
    const one = emu.strapi.state.addToken({ type: 'read-only', name: 'deploy' });
    const twinA = emu.strapi.state.addToken({ type: 'read-only', name: 'twin' });
    const twinB = emu.strapi.state.addToken({ type: 'read-only', name: 'twin' });
    const deploy = s.catalog.addCredential({ environmentId: env.id, name: 'deploy', kind: 'bearer', secret: { value: one.accessKey } });
    const twin = s.catalog.addCredential({ environmentId: env.id, name: 'twin', kind: 'bearer', secret: { value: twinA.accessKey } });
    const r = await s.tokenSync.sync({ workspaceId: env.workspaceId, environmentId: env.id, apply: true });
    expect(r.linked).toEqual([{ credentialId: deploy.id, name: 'deploy', remoteId: String(one.id) }]);
    expect(r.matched.map((m) => m.credentialId)).toEqual([deploy.id]);
    expect(r.unlinked).toEqual([{ credentialId: twin.id, name: 'twin', sameNameRemoteId: null, sameNameRemoteIds: [String(twinA.id), String(twinB.id)] }]);
    expect(r.untracked).toEqual([]);
    expect(s.vault.getCredential(deploy.id).remoteId).toBe(String(one.id));
    // Linked, revoke now goes through the API.
    expect(s.revocation.plan(deploy.id)).toMatchObject({ mode: 'api', hasRemoteId: true });
  });

  it('an attempt the provider never received moves "last tested", not "last used"; sync takes the provider\'s lastUsedAt', async () => {
    const down = environment('strapi', 'http://127.0.0.1:9');
    const c = s.catalog.addCredential({ environmentId: down.id, name: 'offline', kind: 'bearer', secret: { value: 'strapi-token-value-2' } });
    const r = await s.requests.test(c.id);
    expect(r.classification).toBe('network');
    s.vault.flush();
    expect(s.vault.getCredential(c.id)).toMatchObject({ lastTestedAt: start, lastTestOutcome: 'network', lastUsedAt: null });

    const env = environment('strapi', emu.urls.strapi);
    await signIn(env);
    const t = emu.strapi.state.addToken({ type: 'read-only', name: 'used' });
    const used = s.catalog.addCredential({ environmentId: env.id, name: 'used', kind: 'bearer', remoteId: String(t.id), secret: { value: t.accessKey } });
    clock = start + HOUR;
    expect((await s.requests.test(used.id)).classification).toBe('ok');
    s.vault.flush();
    expect(s.vault.getCredential(used.id).lastUsedAt).toBe(start + HOUR);
    // The provider saw a later call (another machine): its record wins; an earlier one does not.
    emu.strapi.state.tokens.get(t.id)!.lastUsedAt = start + 2 * HOUR;
    await s.tokenSync.sync({ workspaceId: env.workspaceId, environmentId: env.id });
    expect(s.vault.getCredential(used.id).lastUsedAt).toBe(start + 2 * HOUR);
    emu.strapi.state.tokens.get(t.id)!.lastUsedAt = start;
    await s.tokenSync.sync({ workspaceId: env.workspaceId, environmentId: env.id });
    expect(s.vault.getCredential(used.id).lastUsedAt).toBe(start + 2 * HOUR);
  });
});
