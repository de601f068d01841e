import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAll, type AllEmulators } from '../../e2e/emulators';
import type { Environment } from '../../src-shared/domain/types';
import { MemoryKeyStore } from '../vault/keychain';
import { tempHome } from '../vault/test-support';
import { createAppServices, type AppServices } from './app-services';
import { createHandlers } from '../ipc/handlers';
import { VaultError } from '../../src-shared/errors';

// Revoke, checklist, regenerate and sync end to end: vault → services →
// engine → the Strapi and Coolset emulators, on one injected clock.
const clock = Date.UTC(2026, 10, 23, 9, 0, 0);
const now = () => clock;
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
  s?.close();
  s = createAppServices({ home: tempHome(), keyStore: new MemoryKeyStore(), shell: 'browser', now });
  s.reminders.stop();
  await s.vault.init({ keySource: 'keychain' });
});

function environment(providerId: string, baseUrl: string, production = false): Environment {
  const { workspace: ws } = s.catalog.addWorkspace({ name: `${providerId} ${++n}`, providerId });
  for (const e of s.vault.listEnvironments(ws.id)) s.vault.removeEnvironment((e as Environment).id);
  return s.vault.addEnvironment({ workspaceId: ws.id, name: production ? 'production' : 'staging', baseUrl, production });
}

const signIn = (env: Environment) => s.requests.login({ environmentId: env.id, name: 'admin', email: 'admin@example.com', password: 'Admin123!' });

/** A Strapi token at the emulator and in the vault, linked by its remote id. */
function strapiToken(env: Environment, name = `ci ${++n}`) {
  const t = emu.strapi.state.addToken({ type: 'read-only', name });
  const c = s.catalog.addCredential({ environmentId: env.id, name, kind: 'bearer', tokenType: 'read-only', remoteId: String(t.id), secret: { value: t.accessKey } });
  return { t, c };
}

async function strapiStatus(key: string): Promise<number> {
  return (await fetch(`${emu.urls.strapi}/api/articles`, { headers: { authorization: `Bearer ${key}` } })).status;
}

const auditOf = (id: string) => s.vault.listAudit({ credentialId: id });

describe('revoke through the Strapi Admin API', () => {
  it('deletes the token, marks it revoked, wipes the value, and records the 401 that proves it', async () => {
    const env = environment('strapi', emu.urls.strapi);
    const { t, c } = strapiToken(env);
    expect(s.revocation.plan(c.id)).toMatchObject({ mode: 'api', needsManagementSession: true, hasManagementSession: false, confirmName: null, hasRemoteId: true, canRegenerate: true });
    await expect(s.revocation.revoke(c.id)).rejects.toMatchObject({ code: 'SIGN_IN_REQUIRED' });

    await signIn(env);
    expect(s.revocation.plan(c.id).hasManagementSession).toBe(true);
    const r = await s.revocation.revoke(c.id);
    expect(r).toMatchObject({ revoked: true, alreadyRevokedAtProvider: false, valueWiped: true, verification: { status: 401, outcome: 'unauthorized' } });
    expect(emu.strapi.state.tokens.has(t.id)).toBe(false);
    expect(await strapiStatus(t.accessKey)).toBe(401);

    s.vault.flush();
    expect(s.vault.getCredential(c.id)).toMatchObject({ status: 'revoked', hasValue: false, lastTestOutcome: 'unauthorized' });
    expect(() => s.vault.revealCredential(c.id)).toThrow(/wiped/);
    expect(s.vault.listTestHistory(c.id)[0]).toMatchObject({ status: 401, outcome: 'unauthorized', path: '/api/articles' });
    const revoked = auditOf(c.id).find((e) => e.type === 'revoked');
    expect(revoked?.note).toMatch(/revoked through the API.*value wiped/);
    expect(JSON.stringify(s.vault.listAudit({}))).not.toContain(t.accessKey);
    expect(JSON.stringify(r)).not.toContain(t.accessKey);
    // Final: a second revoke sends nothing.
    expect(await s.revocation.revoke(c.id)).toMatchObject({ revoked: true, alreadyRevoked: true });
    expect(() => s.vault.updateCredential(c.id, { status: 'active' })).toThrow(/reinstated/);
  });

  it('keeps the value for forensics when the setting says so', async () => {
    const env = environment('strapi', emu.urls.strapi);
    await signIn(env);
    const { t, c } = strapiToken(env);
    s.vault.updateSettings({ keepRevokedSecrets: true });
    const r = await s.revocation.revoke(c.id);
    expect(r).toMatchObject({ revoked: true, valueWiped: false });
    expect(s.vault.revealCredential(c.id).value).toBe(t.accessKey);
    s.vault.wipeSecret(c.id);
    expect(s.vault.getCredential(c.id).hasValue).toBe(false);
  });

  it('production: only with the token name typed, which arms that one request', async () => {
    const env = environment('strapi', emu.urls.strapi, true);
    await signIn(env);
    const { t, c } = strapiToken(env, 'deploy');
    expect(s.revocation.plan(c.id).confirmName).toBe('deploy');
    await expect(s.revocation.revoke(c.id)).rejects.toMatchObject({ code: 'PRODUCTION_LOCKED' });
    await expect(s.revocation.revoke(c.id, { confirmName: 'Deploy' })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(emu.strapi.state.tokens.has(t.id)).toBe(true);
    expect(s.vault.getCredential(c.id).status).toBe('active');
    expect((await s.revocation.revoke(c.id, { confirmName: 'deploy' })).revoked).toBe(true);
    expect(s.arming.isArmed(env.id)).toBe(false);
  });

  it('a token already deleted at Strapi is marked revoked, and the answer says so', async () => {
    const env = environment('strapi', emu.urls.strapi);
    await signIn(env);
    const { t, c } = strapiToken(env);
    emu.strapi.state.tokens.delete(t.id);
    const r = await s.revocation.revoke(c.id);
    expect(r).toMatchObject({ revoked: true, alreadyRevokedAtProvider: true, verification: { status: 401 } });
    expect(r.message).toMatch(/no longer knew/);
    expect(s.vault.getCredential(c.id).status).toBe('revoked');
  });

  it('a failing provider changes nothing', async () => {
    let deletes = 0;
    const server: Server = createServer((req, res) => {
      if (req.method === 'DELETE') deletes++;
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const env = environment('strapi', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      s.vault.addCredential({ environmentId: env.id, name: 'admin', kind: 'jwt_session', secret: { value: 'header.payload.sig' } });
      const c = s.catalog.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', remoteId: '7', secret: { value: 'strapi-key-0123456789' } });
      const e = await s.revocation.revoke(c.id).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'PROVIDER_ERROR' });
      expect((e as Error).message).toMatch(/500.*Nothing was changed/);
      expect(deletes).toBe(1);
      expect(s.vault.getCredential(c.id)).toMatchObject({ status: 'active', hasValue: true });
      expect(s.vault.revealCredential(c.id).value).toBe('strapi-key-0123456789');
      expect(auditOf(c.id).some((x) => x.type === 'revoked')).toBe(false);
    } finally {
      server.close();
    }
  });
});

describe('the checklist for providers without a revoke API (Coolset)', () => {
  it('marks revoked only once the verification call gets 401', async () => {
    const env = environment('coolset', emu.urls.coolset);
    const value = emu.coolset.state.addToken({ scope: 'Read' }).value;
    const c = s.catalog.addCredential({ environmentId: env.id, name: 'integration', kind: 'bearer', secret: { value } });
    const plan = s.revocation.plan(c.id);
    expect(plan).toMatchObject({ mode: 'portal', needsManagementSession: false, verifyWith: 'user-config', canRegenerate: false });
    expect(plan.steps).toContain('Click Revoke next to the token');
    await expect(s.revocation.revoke(c.id)).rejects.toMatchObject({ code: 'VALIDATION' });

    const early = await s.revocation.confirmManual(c.id);
    expect(early).toMatchObject({ revoked: false, stillAccepted: true, verification: { status: 200 } });
    expect(early.message).toMatch(/still accepts/);
    expect(s.vault.getCredential(c.id)).toMatchObject({ status: 'active', hasValue: true });

    emu.coolset.state.revoke(value);
    const done = await s.revocation.confirmManual(c.id);
    expect(done).toMatchObject({ revoked: true, overridden: false, valueWiped: true, verification: { status: 401 } });
    expect(s.vault.getCredential(c.id).status).toBe('revoked');
    expect(auditOf(c.id).find((e) => e.type === 'revoked')?.note).toMatch(/verified: GET → 401/);
  });

  it('an override marks it revoked although the call still gets through, and the audit says so', async () => {
    const env = environment('coolset', emu.urls.coolset);
    const value = emu.coolset.state.addToken({ scope: 'Read' }).value;
    const c = s.catalog.addCredential({ environmentId: env.id, name: 'integration', kind: 'bearer', secret: { value } });
    const r = await s.revocation.confirmManual(c.id, { override: true });
    // One state (issue 12): revoked on the user's word — not also "still accepted"; the 200 stays in the verification.
    expect(r).toMatchObject({ revoked: true, overridden: true, stillAccepted: false, valueWiped: true, verification: { status: 200, outcome: 'ok' } });
    expect(r.message).toMatch(/^Marked integration revoked on your word, although GET got 200/);
    expect(r.message).not.toMatch(/has not marked|not revoked/);
    expect(r.message.match(/wiped/g)).toHaveLength(1);
    expect(auditOf(c.id).find((e) => e.type === 'revoked')?.note).toMatch(/override.*GET got 200/);
  });

  it('after a revoke that wiped the value, reveal, copy and test give a typed error naming the token, never its id', async () => {
    const env = environment('coolset', emu.urls.coolset);
    const value = emu.coolset.state.addToken({ scope: 'Read' }).value;
    const c = s.catalog.addCredential({ environmentId: env.id, name: 'ESG reporting', kind: 'bearer', secret: { value } });
    await s.revocation.confirmManual(c.id, { override: true });
    const handlers = createHandlers(s);
    const sent = emu.coolset.state.requests.length;
    const attempts: (() => unknown)[] = [() => handlers['credentials:reveal']({ id: c.id }), () => handlers['credentials:copy']({ id: c.id }), () => s.requests.test(c.id)];
    for (const attempt of attempts) {
      const e = await Promise.resolve()
        .then(attempt)
        .then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(VaultError);
      expect(e).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'value_wiped' } });
      expect((e as VaultError).message).toContain('ESG reporting was revoked and its value wiped');
      expect((e as VaultError).message).not.toContain(c.id);
    }
    expect(emu.coolset.state.requests.length).toBe(sent);
  });
});

describe('regenerate (Strapi)', () => {
  it('puts the new value in the vault; the old one is dead, the new one works', async () => {
    const env = environment('strapi', emu.urls.strapi);
    await signIn(env);
    const { t, c } = strapiToken(env);
    const old = t.accessKey;
    const r = await s.revocation.regenerate(c.id);
    expect(r.verification).toMatchObject({ outcome: 'ok', status: 200 });
    expect(r.fingerprint).not.toBe(r.previousFingerprint);
    const fresh = emu.strapi.state.tokens.get(t.id)!.accessKey;
    expect(fresh).not.toBe(old);
    expect(s.vault.revealCredential(c.id).value).toBe(fresh);
    expect(await strapiStatus(old)).toBe(401);
    expect(await strapiStatus(fresh)).toBe(200);
    expect(auditOf(c.id).some((e) => e.type === 'rotated')).toBe(true);
    expect(JSON.stringify(r)).not.toContain(fresh);
  });
});

describe('sync with the Strapi token list', () => {
  it('follows expiry changes, flags tokens deleted at Strapi, lists the ones not in the vault, and applies on request', async () => {
    const env = environment('strapi', emu.urls.strapi);
    await signIn(env);
    for (const id of [...emu.strapi.state.tokens.keys()]) emu.strapi.state.tokens.delete(id);
    const kept = strapiToken(env, 'kept');
    const gone = strapiToken(env, 'gone');
    const stranger = emu.strapi.state.addToken({ type: 'full-access', name: 'made in the panel' });
    s.catalog.addCredential({ environmentId: env.id, name: 'made in the panel', kind: 'bearer', secret: { value: 'unlinked-value-123' } });
    const newExpiry = clock + 30 * 86_400_000;
    emu.strapi.state.tokens.get(kept.t.id)!.expiresAt = newExpiry;
    emu.strapi.state.tokens.get(kept.t.id)!.type = 'full-access';
    emu.strapi.state.tokens.get(kept.t.id)!.lastUsedAt = clock - 3_600_000;
    emu.strapi.state.tokens.delete(gone.t.id);

    const r = await s.tokenSync.sync({ workspaceId: env.workspaceId, environmentId: env.id });
    expect(r.matched).toEqual([
      expect.objectContaining({ credentialId: kept.c.id, remoteName: 'kept', changed: ['expiresAt', 'tokenType'], expiresAt: newExpiry, tokenType: 'full-access', problem: null }),
    ]);
    expect(s.vault.getCredential(kept.c.id)).toMatchObject({ expiresAt: newExpiry, tokenType: 'full-access', lastUsedAt: clock - 3_600_000 });
    expect(r.missingRemotely).toEqual([{ credentialId: gone.c.id, name: 'gone', remoteId: String(gone.t.id), markedRevoked: false }]);
    expect(s.vault.getCredential(gone.c.id).status).toBe('active');
    // One token, one state: the provider's token of the same name is reported with the vault token, not again as untracked.
    expect(r.untracked).toEqual([]);
    expect(r.unlinked).toEqual([expect.objectContaining({ name: 'made in the panel', sameNameRemoteId: String(stranger.id), sameNameRemoteIds: [String(stranger.id)] })]);
    expect(r.linked).toEqual([]);
    expect(JSON.stringify(r)).not.toContain(stranger.accessKey);

    const applied = await s.tokenSync.sync({ workspaceId: env.workspaceId, environmentId: env.id, apply: true });
    expect(applied.missingRemotely[0]).toMatchObject({ credentialId: gone.c.id, markedRevoked: true });
    expect(applied.matched[0]!.changed).toEqual([]);
    // --apply links the vault token to the only provider token of its name.
    const panel = s.vault.listCredentials({ environmentId: env.id }).find((c) => 'name' in c && c.name === 'made in the panel') as { id: string };
    expect(applied.linked).toEqual([{ credentialId: panel.id, name: 'made in the panel', remoteId: String(stranger.id) }]);
    expect(applied.unlinked).toEqual([]);
    expect(applied.untracked).toEqual([]);
    expect(s.vault.getCredential(panel.id).remoteId).toBe(String(stranger.id));
    expect(s.vault.getCredential(gone.c.id)).toMatchObject({ status: 'revoked', hasValue: false });
    expect(auditOf(gone.c.id).find((e) => e.type === 'revoked')?.note).toMatch(/sync/);
  });
});
