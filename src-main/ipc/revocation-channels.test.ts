import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAll, type AllEmulators } from '../../e2e/emulators';
import type { Environment } from '../../src-shared/domain/types';
import { createAppServices, type AppServices } from '../services/app-services';
import { MemoryKeyStore } from '../vault/keychain';
import { tempHome } from '../vault/test-support';
import { dispatch } from './dispatch';
import { createHandlers, type Handlers } from './handlers';

// The channels the revocation and rotation screens call, through the same
// dispatch every shell uses: inputs checked, errors typed, no value answered.
let emu: AllEmulators;
let s: AppServices;
let handlers: Handlers;
let env: Environment;

beforeAll(async () => {
  emu = await startAll();
  s = createAppServices({ home: tempHome(), keyStore: new MemoryKeyStore(), shell: 'browser' });
  s.reminders.stop();
  handlers = createHandlers(s);
  await s.vault.init({ keySource: 'keychain' });
  const { workspace } = s.catalog.addWorkspace({ name: 'CMS', providerId: 'strapi' });
  env = s.vault.addEnvironment({ workspaceId: workspace.id, name: 'live', baseUrl: emu.urls.strapi, production: true });
});
afterAll(async () => {
  s.close();
  await emu.close();
});

const call = (channel: string, input: unknown) => dispatch(handlers, channel, input);

describe('revocation and rotation channels', () => {
  it('plan, sign-in required, then revoke with the typed name', async () => {
    const t = emu.strapi.state.addToken({ type: 'read-only', name: 'site' });
    const c = s.catalog.addCredential({ environmentId: env.id, name: 'site', kind: 'bearer', remoteId: String(t.id), secret: { value: t.accessKey } });
    expect(await call('revocation:plan', { credentialId: c.id })).toEqual({
      ok: true,
      value: {
        credentialId: c.id,
        mode: 'api',
        steps: ['Open Settings > Global settings > API Tokens', 'Click the delete button of the token'],
        url: null,
        portalPage: 'Settings > Global settings > API Tokens (in your Strapi admin panel)',
        irreversible: false,
        needsManagementSession: true,
        hasManagementSession: false,
        confirmName: 'site',
        hasRemoteId: true,
        canRegenerate: true,
        verifyWith: 'list-entries',
        revoked: false,
      },
    });
    const noSession = await call('revocation:revoke', { credentialId: c.id, confirmName: 'site' });
    expect(noSession).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });
    expect(await call('credentials:login', { environmentId: env.id, name: 'admin', email: 'admin@example.com', password: 'Admin123!' })).toMatchObject({ ok: true });
    expect(await call('revocation:revoke', { credentialId: c.id })).toMatchObject({ ok: false, error: { code: 'PRODUCTION_LOCKED' } });
    const done = await call('revocation:revoke', { credentialId: c.id, confirmName: 'site' });
    expect(done).toMatchObject({ ok: true, value: { revoked: true, verification: { status: 401 } } });
  });

  it('checks inputs at the boundary', async () => {
    expect(await call('rotation:list', {})).toEqual({ ok: true, value: [] });
    expect(await call('rotation:test', { flowId: 'nope' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call('rotation:switch', { flowId: 'rot_0123456789abcdefghij', overlapDays: -1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call('rotation:abandon', { flowId: 'rot_0123456789abcdefghij' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('rotation:start', { credentialId: 'cred_0123456789abcdefghij', mode: 'later' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call('revocation:sync', { workspaceId: env.workspaceId, environmentId: env.id, apply: 'yes' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('sync and a rotation started over the channels never answer a value', async () => {
    const t = emu.strapi.state.addToken({ type: 'read-only', name: 'feed' });
    const c = s.catalog.addCredential({ environmentId: env.id, name: 'feed', kind: 'bearer', remoteId: String(t.id), secret: { value: t.accessKey } });
    const sync = await call('revocation:sync', { workspaceId: env.workspaceId, environmentId: env.id });
    expect(sync).toMatchObject({ ok: true, value: { matched: expect.arrayContaining([expect.objectContaining({ credentialId: c.id, tokenType: 'read-only' })]) } });
    // Creating a token in production is a write: the environment must be armed, as for any write.
    expect(await call('rotation:start', { credentialId: c.id, mode: 'create' })).toMatchObject({ ok: false, error: { code: 'PRODUCTION_LOCKED' } });
    await call('environments:arm', { environmentId: env.id, confirmName: 'CMS' });
    const started = await call('rotation:start', { credentialId: c.id, mode: 'create' });
    expect(started).toMatchObject({ ok: true, value: { flow: { step: 'value_provided', confirmName: 'feed' } } });
    const text = JSON.stringify([sync, started]);
    for (const tok of emu.strapi.state.tokens.values()) expect(text).not.toContain(tok.accessKey);
    const flowId = (started as { value: { flow: { flowId: string } } }).value.flow.flowId;
    expect(await call('rotation:list', {})).toMatchObject({ ok: true, value: [expect.objectContaining({ flowId })] });
    expect(await call('rotation:abandon', { flowId })).toMatchObject({ ok: true, value: { flow: { step: 'abandoned' } } });
  });
});
