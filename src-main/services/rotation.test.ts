import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAll, type AllEmulators } from '../../e2e/emulators';
import type { Environment } from '../../src-shared/domain/types';
import { MemoryKeyStore } from '../vault/keychain';
import { tempHome } from '../vault/test-support';
import { createAppServices, type AppServices } from './app-services';

// Rotation with no downtime, step by step, against the emulators; the flow
// survives reopening the vault, and abandoning at any step keeps the old token.
let clock = Date.UTC(2026, 10, 23, 9, 0, 0);
const now = () => clock;
const DAY = 86_400_000;
let emu: AllEmulators;
let s: AppServices;
let home: string;
let keyStore: MemoryKeyStore;
let n = 0;

beforeAll(async () => {
  emu = await startAll({ now });
});
afterAll(async () => {
  s?.close();
  await emu.close();
});

function open(): AppServices {
  const services = createAppServices({ home, keyStore, shell: 'browser', now });
  services.reminders.stop();
  return services;
}

beforeEach(async () => {
  s?.close();
  home = tempHome();
  keyStore = new MemoryKeyStore();
  s = open();
  await s.vault.init({ keySource: 'keychain' });
});

function environment(providerId: string, baseUrl: string, production = false): Environment {
  const { workspace: ws } = s.catalog.addWorkspace({ name: `${providerId} ${++n}`, providerId });
  for (const e of s.vault.listEnvironments(ws.id)) s.vault.removeEnvironment((e as Environment).id);
  return s.vault.addEnvironment({ workspaceId: ws.id, name: production ? 'production' : 'staging', baseUrl, production });
}

async function strapiSetup() {
  const env = environment('strapi', emu.urls.strapi);
  await s.requests.login({ environmentId: env.id, name: 'admin', email: 'admin@example.com', password: 'Admin123!' });
  const name = `deploy ${++n}`;
  const t = emu.strapi.state.addToken({ type: 'read-only', name, lifespan: 30 * DAY, createdAt: clock });
  const c = s.catalog.addCredential({ environmentId: env.id, name: 'deploy', kind: 'bearer', tokenType: 'read-only', remoteId: String(t.id), expiresAt: t.expiresAt, secret: { value: t.accessKey } });
  return { env, t, c };
}

async function strapiStatus(key: string): Promise<number> {
  return (await fetch(`${emu.urls.strapi}/api/articles`, { headers: { authorization: `Bearer ${key}` } })).status;
}

/** The old token exactly as before: same name, value, status, current. */
function expectUntouched(id: string, name: string, value: string) {
  expect(s.vault.getCredential(id)).toMatchObject({ name, status: 'active', supersededBy: null, hasValue: true });
  expect(s.vault.revealCredential(id).value).toBe(value);
}

describe('rotation through the Strapi Admin API', () => {
  it('create → test → switch with an overlap → finish revokes the old one', async () => {
    const { t, c } = await strapiSetup();
    const started = await s.rotation.start(c.id, 'create');
    expect(started.flow).toMatchObject({ mode: 'create', step: 'value_provided', next: 'test', createdRemotely: true, oldName: 'deploy' });
    const newId = started.flow.newCredentialId!;
    const fresh = s.vault.getCredential(newId);
    expect(fresh).toMatchObject({ supersedes: c.id, supersededBy: null, tokenType: 'read-only', expiresAt: clock + 30 * DAY, environmentId: c.environmentId });
    expect(fresh.name).toBe('deploy (rotation 2026-11-23 09:00 UTC)');
    const remote = emu.strapi.state.tokens.get(Number(fresh.remoteId))!;
    expect(remote).toMatchObject({ name: `${t.name} (rotation 2026-11-23 09:00 UTC)`, type: 'read-only', lifespan: 30 * DAY });
    expect(s.vault.revealCredential(newId).value).toBe(remote.accessKey);
    expect(() => s.rotation.switch(started.flow.flowId, 7)).toThrow(/test/);

    const tested = await s.rotation.test(started.flow.flowId);
    expect(tested).toMatchObject({ passed: true, flow: { step: 'tested', next: 'switch' }, verification: { status: 200 } });

    const switched = s.rotation.switch(started.flow.flowId, 7);
    expect(switched).toMatchObject({ step: 'switched', next: 'finish', overlapDays: 7, revokePlannedAt: clock + 7 * DAY });
    // The current token keeps the familiar name, so WORKSPACE/ENV/deploy now means the new one.
    expect(s.vault.getCredential(newId).name).toBe('deploy');
    expect(s.vault.getCredential(c.id)).toMatchObject({ name: 'deploy (rotation 2026-11-23 09:00 UTC)', supersededBy: newId, status: 'active' });
    expect(await strapiStatus(t.accessKey)).toBe(200);
    expect(await strapiStatus(remote.accessKey)).toBe(200);

    clock += 7 * DAY;
    const finished = await s.rotation.finish(started.flow.flowId);
    expect(finished.revocation).toMatchObject({ revoked: true, verification: { status: 401 } });
    expect(finished.flow).toMatchObject({ step: 'finished', next: null });
    expect(await strapiStatus(t.accessKey)).toBe(401);
    expect(await strapiStatus(remote.accessKey)).toBe(200);
    expect(s.vault.getCredential(c.id)).toMatchObject({ status: 'revoked', hasValue: false });
    expect(s.rotation.list()).toEqual([]);
    // The new token is current and can rotate in turn.
    expect(s.vault.getCredential(newId)).toMatchObject({ status: 'active', supersededBy: null });
  });

  it.each(['started', 'tested', 'switched'] as const)('abandoned after %s: the old token stays intact and current; the new one is deleted at Strapi', async (at) => {
    const { t, c } = await strapiSetup();
    const { flow } = await s.rotation.start(c.id, 'create');
    if (at !== 'started') await s.rotation.test(flow.flowId);
    if (at === 'switched') s.rotation.switch(flow.flowId, 3);
    const newId = flow.newCredentialId!;
    const remoteId = Number(s.vault.getCredential(newId).remoteId);
    const r = await s.rotation.abandon(flow.flowId);
    expect(r.flow).toMatchObject({ step: 'abandoned', next: null });
    expect(r.message).toMatch(/deleted at Strapi/);
    expectUntouched(c.id, 'deploy', t.accessKey);
    expect(emu.strapi.state.tokens.has(t.id)).toBe(true);
    expect(emu.strapi.state.tokens.has(remoteId)).toBe(false);
    expect(s.vault.getCredential(newId)).toMatchObject({ status: 'revoked', supersedes: null });
    expect(s.rotation.list()).toEqual([]);
    await expect(s.rotation.test(flow.flowId)).rejects.toThrow(/over/);
    // A new rotation may start again.
    expect((await s.rotation.start(c.id, 'manual')).flow.step).toBe('started');
  });

  it('refuses a custom token (its permissions cannot be read back) and a second rotation of one token', async () => {
    const { env, c } = await strapiSetup();
    const custom = emu.strapi.state.addToken({ type: 'custom', name: `custom ${++n}`, permissions: ['api::article.article.find'] });
    const cc = s.catalog.addCredential({ environmentId: env.id, name: 'custom', kind: 'bearer', remoteId: String(custom.id), secret: { value: custom.accessKey } });
    await expect(s.rotation.start(cc.id, 'create')).rejects.toThrow(/manual mode/);
    await s.rotation.start(c.id, 'manual');
    await expect(s.rotation.start(c.id, 'create')).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('manual rotation (Coolset)', () => {
  async function coolsetSetup() {
    const env = environment('coolset', emu.urls.coolset);
    const old = emu.coolset.state.addToken({ scope: 'Read' }).value;
    const c = s.catalog.addCredential({ environmentId: env.id, name: 'integration', kind: 'bearer', scopes: ['Read'], secret: { value: old } });
    return { env, old, c };
  }

  it('paste → test → switch → finish once the old one is revoked in the portal', async () => {
    const { old, c } = await coolsetSetup();
    const started = await s.rotation.start(c.id, 'manual');
    expect(started.flow).toMatchObject({ step: 'started', next: 'provide-value', createdRemotely: false });
    expect(started.instructions?.steps).toContain('Click Generate New Token');
    const flowId = started.flow.flowId;
    expect(() => s.rotation.provideValue(flowId, old)).toThrow(/value of integration itself/);

    const bad = s.rotation.provideValue(flowId, 'not-a-real-coolset-token');
    expect(bad).toMatchObject({ step: 'value_provided', next: 'test' });
    const failed = await s.rotation.test(flowId);
    expect(failed).toMatchObject({ passed: false, flow: { step: 'value_provided' } });
    expect(() => s.rotation.switch(flowId, 1)).toThrow(/test/);

    const fresh = emu.coolset.state.addToken({ scope: 'Read' }).value;
    const pasted = s.rotation.provideValue(flowId, fresh);
    expect(pasted.newCredentialId).toBe(bad.newCredentialId);
    expect((await s.rotation.test(flowId)).passed).toBe(true);
    s.rotation.switch(flowId, 0);

    const early = await s.rotation.finish(flowId);
    expect(early.revocation).toMatchObject({ revoked: false, stillAccepted: true });
    expect(early.flow.step).toBe('switched');
    emu.coolset.state.revoke(old);
    const done = await s.rotation.finish(flowId);
    expect(done).toMatchObject({ flow: { step: 'finished' }, revocation: { revoked: true, verification: { status: 401 } } });
    expect(s.vault.getCredential(pasted.newCredentialId!)).toMatchObject({ name: 'integration', status: 'active', supersedes: c.id });
  });

  it('abandoned at each step keeps the old token; the pasted one stays, unlinked', async () => {
    for (const at of ['started', 'value_provided', 'tested', 'switched'] as const) {
      const { old, c } = await coolsetSetup();
      const { flow } = await s.rotation.start(c.id, 'manual');
      let newId: string | null = null;
      if (at !== 'started') newId = s.rotation.provideValue(flow.flowId, emu.coolset.state.addToken({ scope: 'Read' }).value).newCredentialId;
      if (at === 'tested' || at === 'switched') await s.rotation.test(flow.flowId);
      if (at === 'switched') s.rotation.switch(flow.flowId, 2);
      const r = await s.rotation.abandon(flow.flowId);
      expect(r.flow.step).toBe('abandoned');
      expectUntouched(c.id, 'integration', old);
      if (newId) expect(s.vault.getCredential(newId)).toMatchObject({ supersedes: null, status: 'active' });
      // Each round uses its own workspace: clean up this one's tokens' names.
      s.vault.removeWorkspace(c.workspaceId);
    }
  });

  it('survives closing and reopening the vault', async () => {
    const { c } = await coolsetSetup();
    const { flow } = await s.rotation.start(c.id, 'manual');
    s.rotation.provideValue(flow.flowId, emu.coolset.state.addToken({ scope: 'Read' }).value);
    s.close();
    s = open();
    await s.vault.unlock();
    expect(s.rotation.list()).toEqual([expect.objectContaining({ flowId: flow.flowId, step: 'value_provided', oldName: 'integration' })]);
    expect((await s.rotation.test(flow.flowId)).passed).toBe(true);
    expect(s.rotation.switch(flow.flowId, 1).step).toBe('switched');
  });
});
