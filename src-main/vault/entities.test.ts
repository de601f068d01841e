import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCorrupt, type CredentialSummary, type Environment, type Listed, type Workspace } from '../../src-shared/domain/types';
import { openTempVault, rawDb, testClock, vaultError, type TempVault } from './test-support';
import type { Vault } from './vault';

/** Records of a list, failing if any came back corrupt (none should here). */
function ok<T>(items: Listed<T>[]): T[] {
  for (const i of items) expect(isCorrupt(i)).toBe(false);
  return items as T[];
}

function count(t: TempVault, table: string): number {
  const db = rawDb(t.home, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

let t: TempVault;
let v: Vault;
const clock = testClock();

beforeEach(async () => {
  clock.set(Date.UTC(2026, 0, 15, 12));
  t = openTempVault({ now: clock.now });
  await t.vault.init({ keySource: 'keychain' });
  v = t.vault;
});
afterEach(() => t.cleanup());

describe('workspaces', () => {
  it('add, get, list, update and remove round-trip every field', async () => {
    const w = v.addWorkspace({ name: '  Acme Holding  ', providerId: 'regate', color: '#3B82F6', notes: 'line 1\nline 2' });
    expect(w).toEqual({
      id: expect.stringMatching(/^ws_[0-9a-v]{20}$/),
      name: 'Acme Holding',
      providerId: 'regate',
      color: '#3b82f6',
      notes: 'line 1\nline 2',
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    expect(v.getWorkspace(w.id)).toEqual(w);
    const other = v.addWorkspace({ name: 'beta' });
    expect(other).toMatchObject({ providerId: null, color: null, notes: '' });
    expect(ok(v.listWorkspaces()).map((x) => x.name)).toEqual(['Acme Holding', 'beta']);

    clock.advance(1000);
    const u = v.updateWorkspace(w.id, { name: 'Acme Group', notes: 'moved' });
    expect(u).toEqual({ ...w, name: 'Acme Group', notes: 'moved', updatedAt: w.createdAt + 1000 });
    expect(v.getWorkspace(w.id)).toEqual(u);

    // After a reopen, the same data comes back.
    const v2 = t.reopen();
    await v2.unlock();
    expect(v2.getWorkspace(w.id)).toEqual(u);
    v2.removeWorkspace(w.id);
    expect(vaultError(() => v2.getWorkspace(w.id)).code).toBe('NOT_FOUND');
    expect(ok(v2.listWorkspaces()).map((x) => x.id)).toEqual([other.id]);
  });

  it('finds by name case-insensitively (and by id)', () => {
    const w = v.addWorkspace({ name: 'Coolset Prod' });
    expect(v.findWorkspace('coolset prod').id).toBe(w.id);
    expect(v.findWorkspace('COOLSET PROD ').id).toBe(w.id);
    expect(v.findWorkspace(w.id).id).toBe(w.id);
    expect(vaultError(() => v.findWorkspace('coolset')).code).toBe('NOT_FOUND');
  });

  it('refuses a duplicate name, whatever its case, on add and on rename (CONFLICT)', () => {
    const a = v.addWorkspace({ name: 'Acme' });
    const e = vaultError(() => v.addWorkspace({ name: 'ACME' }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('ACME');
    const b = v.addWorkspace({ name: 'Beta' });
    expect(vaultError(() => v.updateWorkspace(b.id, { name: 'acme' })).code).toBe('CONFLICT');
    expect(v.getWorkspace(b.id).name).toBe('Beta');
    // Renaming to itself with another case is not a conflict.
    expect(v.updateWorkspace(a.id, { name: 'ACME' }).name).toBe('ACME');
    expect(count(t, 'workspaces')).toBe(2);
  });

  it('answers NOT_FOUND for unknown ids', () => {
    const missing = 'ws_00000000000000000000';
    expect(vaultError(() => v.getWorkspace(missing)).code).toBe('NOT_FOUND');
    expect(vaultError(() => v.updateWorkspace(missing, { name: 'x' })).code).toBe('NOT_FOUND');
    expect(vaultError(() => v.removeWorkspace(missing)).code).toBe('NOT_FOUND');
    expect(vaultError(() => v.listEnvironments(missing)).code).toBe('NOT_FOUND');
  });
});

describe('environments', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = v.addWorkspace({ name: 'Acme' });
  });

  it('add, get, list, update and remove round-trip every field', () => {
    const e = v.addEnvironment({ workspaceId: ws.id, name: 'Sandbox', baseUrl: 'https://fxweb.builtaccounting.com/api/' });
    expect(e).toEqual({
      id: expect.stringMatching(/^env_[0-9a-v]{20}$/),
      workspaceId: ws.id,
      name: 'Sandbox',
      baseUrl: 'https://fxweb.builtaccounting.com/api',
      production: false,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    expect(v.getEnvironment(e.id)).toEqual(e);
    const prod = v.addEnvironment({ workspaceId: ws.id, name: 'production', baseUrl: 'https://web.builtaccounting.com', production: true });
    expect(prod.production).toBe(true);
    expect(ok(v.listEnvironments(ws.id)).map((x) => x.name)).toEqual(['production', 'Sandbox']);

    clock.advance(5);
    const u = v.updateEnvironment(e.id, { name: 'staging', baseUrl: 'http://127.0.0.1:8080/', production: true });
    expect(u).toEqual({ ...e, name: 'staging', baseUrl: 'http://127.0.0.1:8080', production: true, updatedAt: e.createdAt + 5 });
    expect(v.getEnvironment(e.id)).toEqual(u);

    v.removeEnvironment(e.id);
    expect(vaultError(() => v.getEnvironment(e.id)).code).toBe('NOT_FOUND');
    expect(ok(v.listEnvironments(ws.id)).map((x) => x.id)).toEqual([prod.id]);
  });

  it('finds by name case-insensitively within its workspace only (and by id)', () => {
    const e = v.addEnvironment({ workspaceId: ws.id, name: 'Production', baseUrl: 'https://api.example.com' });
    const other = v.addWorkspace({ name: 'Other' });
    expect(v.findEnvironment(ws.id, 'PRODUCTION').id).toBe(e.id);
    expect(v.findEnvironment(ws.id, e.id).id).toBe(e.id);
    expect(vaultError(() => v.findEnvironment(other.id, 'production')).code).toBe('NOT_FOUND');
    // An id from another workspace is not found through this one.
    expect(vaultError(() => v.findEnvironment(other.id, e.id)).code).toBe('NOT_FOUND');
  });

  it('CONFLICT on a duplicate name in the same workspace; the same name in another workspace is fine', () => {
    v.addEnvironment({ workspaceId: ws.id, name: 'sandbox', baseUrl: 'https://api.example.com' });
    expect(vaultError(() => v.addEnvironment({ workspaceId: ws.id, name: 'SandBox', baseUrl: 'https://api.example.com' })).code).toBe(
      'CONFLICT',
    );
    const prod = v.addEnvironment({ workspaceId: ws.id, name: 'production', baseUrl: 'https://api.example.com' });
    expect(vaultError(() => v.updateEnvironment(prod.id, { name: 'SANDBOX' })).code).toBe('CONFLICT');
    const other = v.addWorkspace({ name: 'Other' });
    expect(v.addEnvironment({ workspaceId: other.id, name: 'Sandbox', baseUrl: 'https://api.example.com' }).name).toBe('Sandbox');
    expect(count(t, 'environments')).toBe(3);
  });

  it('answers NOT_FOUND for an unknown workspace or environment', () => {
    expect(vaultError(() => v.addEnvironment({ workspaceId: 'ws_00000000000000000000', name: 'x', baseUrl: 'https://a.example' })).code).toBe(
      'NOT_FOUND',
    );
    const missing = 'env_00000000000000000000';
    expect(vaultError(() => v.getEnvironment(missing)).code).toBe('NOT_FOUND');
    expect(vaultError(() => v.updateEnvironment(missing, { name: 'x' })).code).toBe('NOT_FOUND');
    expect(vaultError(() => v.removeEnvironment(missing)).code).toBe('NOT_FOUND');
    expect(count(t, 'environments')).toBe(0);
  });
});

describe('credentials', () => {
  let ws: Workspace;
  let sandbox: Environment;
  let prod: Environment;
  beforeEach(() => {
    ws = v.addWorkspace({ name: 'Regen Therapy' });
    sandbox = v.addEnvironment({ workspaceId: ws.id, name: 'sandbox', baseUrl: 'https://sandbox.regen.example' });
    prod = v.addEnvironment({ workspaceId: ws.id, name: 'production', baseUrl: 'https://api.regen.example', production: true });
  });

  const BEARER = 'cf_bearer_0123456789abcdefABCDEF';
  const API_KEY = 'rg_live0123456789abcdefghijklmnop';
  const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfYWJjMTIzIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
  const REFRESH = 'refresh_0123456789abcdefghijklmnopqrstuv';

  function addAllKinds(envId = sandbox.id): { bearer: CredentialSummary; apiKey: CredentialSummary; jwt: CredentialSummary } {
    const bearer = v.addCredential({
      environmentId: envId,
      name: 'CI deploy',
      kind: 'bearer',
      description: 'used by the deploy job',
      role: 'Admin',
      tags: ['ci'],
      secret: { value: BEARER },
    });
    const apiKey = v.addCredential({
      environmentId: envId,
      name: 'Server key',
      kind: 'api_key',
      headerName: 'X-API-Key',
      scopes: ['read:*', 'write:orders'],
      rotationDays: 90,
      remoteId: 'key_42',
      secret: { value: API_KEY },
    });
    const jwt = v.addCredential({
      environmentId: envId,
      name: 'Alice session',
      kind: 'jwt_session',
      tokenType: 'access',
      expiresAt: clock.now() + 3_600_000,
      secret: { value: JWT, refreshToken: REFRESH },
    });
    return { bearer, apiKey, jwt };
  }

  it('round-trips all three kinds: metadata, fingerprints and secrets', () => {
    const { bearer, apiKey, jwt } = addAllKinds();
    const now = clock.now();
    expect(bearer).toEqual({
      id: expect.stringMatching(/^cred_[0-9a-v]{20}$/),
      workspaceId: ws.id,
      environmentId: sandbox.id,
      name: 'CI deploy',
      description: 'used by the deploy job',
      notes: '',
      kind: 'bearer',
      headerName: null,
      role: 'Admin',
      scopes: [],
      tokenType: null,
      fingerprint: expect.any(String),
      hasRefreshToken: false,
      status: 'active',
      createdAt: now,
      updatedAt: now,
      expiresAt: null,
      expirySource: null,
      expiresOn: null,
      rotationDays: null,
      rotatedAt: now,
      lastUsedAt: null,
      lastTestedAt: null,
      lastTestOutcome: null,
      remoteId: null,
      tags: ['ci'],
      identity: null,
      supersedes: null,
      supersededBy: null,
      hasValue: true,
    });
    expect(apiKey).toMatchObject({ kind: 'api_key', headerName: 'X-API-Key', scopes: ['read:*', 'write:orders'], rotationDays: 90, remoteId: 'key_42' });
    expect(jwt).toMatchObject({ kind: 'jwt_session', hasRefreshToken: true, tokenType: 'access', expiresAt: now + 3_600_000, headerName: null });
    // Fingerprints are masked, never the value.
    for (const [c, value] of [[bearer, BEARER], [apiKey, API_KEY], [jwt, JWT]] as const) {
      expect(c.fingerprint).toContain('…');
      expect(c.fingerprint).not.toContain(value);
      expect(v.getCredential(c.id)).toEqual(c);
    }
    expect(v.revealCredential(bearer.id)).toEqual({ value: BEARER });
    expect(v.revealCredential(apiKey.id)).toEqual({ value: API_KEY });
    expect(v.revealCredential(jwt.id)).toEqual({ value: JWT, refreshToken: REFRESH });
    expect(v.secretForRequest(jwt.id)).toEqual({ value: JWT, refreshToken: REFRESH });

    const listed = ok(v.listCredentials({ environmentId: sandbox.id }));
    expect(listed.map((c) => c.name)).toEqual(['Alice session', 'CI deploy', 'Server key']);
    expect(listed.find((c) => c.id === apiKey.id)).toEqual(apiKey);
    expect(ok(v.listCredentials({ workspaceId: ws.id }))).toHaveLength(3);
    expect(ok(v.listCredentials())).toHaveLength(3);
    expect(ok(v.listCredentials({ environmentId: prod.id }))).toHaveLength(0);
  });

  it('survives a reopen: same summaries, same secrets', async () => {
    const { bearer, apiKey, jwt } = addAllKinds();
    const v2 = t.reopen({ now: clock.now });
    await v2.unlock();
    for (const c of [bearer, apiKey, jwt]) expect(v2.getCredential(c.id)).toEqual(c);
    expect(v2.revealCredential(jwt.id)).toEqual({ value: JWT, refreshToken: REFRESH });
    expect(v2.revealCredential(apiKey.id)).toEqual({ value: API_KEY });
  });

  it('updates metadata without touching the secret', () => {
    const { apiKey, bearer } = addAllKinds();
    clock.advance(60_000);
    const u = v.updateCredential(apiKey.id, {
      name: 'Server key (old)',
      description: 'rotate me',
      headerName: 'X-Regen-Key',
      scopes: ['read:orders'],
      role: null,
      rotationDays: null,
      expiresAt: clock.now() + 1000,
      tags: ['legacy'],
    });
    expect(u).toEqual({
      ...apiKey,
      name: 'Server key (old)',
      description: 'rotate me',
      headerName: 'X-Regen-Key',
      scopes: ['read:orders'],
      rotationDays: null,
      expiresAt: clock.now() + 1000,
      // Set on the vault directly (not through the expiry sources): read as a date entered by hand.
      expirySource: 'explicit',
      tags: ['legacy'],
      updatedAt: clock.now(),
    });
    expect(v.getCredential(apiKey.id)).toEqual(u);
    expect(v.revealCredential(apiKey.id)).toEqual({ value: API_KEY });
    // headerName is for API keys only.
    const e = vaultError(() => v.updateCredential(bearer.id, { headerName: 'X-Nope' }));
    expect(e.code).toBe('VALIDATION');
    expect(e.issues?.[0]?.path).toBe('headerName');
  });

  it('reads an active token past its expiry as expired; a revoked token cannot be reinstated', () => {
    const { jwt, bearer } = addAllKinds();
    expect(v.getCredential(jwt.id).status).toBe('active');
    clock.advance(3_600_000);
    expect(v.getCredential(jwt.id).status).toBe('expired');
    expect(v.updateCredential(bearer.id, { status: 'revoked' }).status).toBe('revoked');
    const e = vaultError(() => v.updateCredential(bearer.id, { status: 'active' }));
    expect(e.code).toBe('VALIDATION');
    expect(v.getCredential(bearer.id).status).toBe('revoked');
    expect(v.listAudit({ credentialId: bearer.id }).map((a) => a.type)).toEqual(['revoked', 'created']);
  });

  it('replaces a secret: new value and fingerprint, rotation restarts, old value gone', () => {
    const { apiKey, bearer } = addAllKinds();
    clock.advance(86_400_000);
    const NEW = 'rg_live_rotated_ZYXWVUTSRQPONMLKJIHGF';
    const r = v.replaceSecret(apiKey.id, { value: `  ${NEW}\n` });
    expect(r.rotatedAt).toBe(clock.now());
    expect(r.fingerprint).not.toBe(apiKey.fingerprint);
    expect(v.revealCredential(apiKey.id)).toEqual({ value: NEW });
    const audit = v.listAudit({ credentialId: apiKey.id });
    expect(audit[0]).toMatchObject({ type: 'revealed' });
    expect(audit[1]).toMatchObject({ type: 'rotated', fingerprint: r.fingerprint, note: `replaces ${apiKey.fingerprint}` });
    // A refresh token only fits a JWT session.
    const e = vaultError(() => v.replaceSecret(bearer.id, { value: 'abcdefghijklmnop', refreshToken: 'qrstuvwxyz0123' }));
    expect(e.code).toBe('VALIDATION');
    expect(v.revealCredential(bearer.id)).toEqual({ value: BEARER });
  });

  it('removes one credential, leaving its siblings', () => {
    const { bearer, apiKey, jwt } = addAllKinds();
    v.removeCredential(apiKey.id);
    expect(vaultError(() => v.getCredential(apiKey.id)).code).toBe('NOT_FOUND');
    expect(vaultError(() => v.revealCredential(apiKey.id)).code).toBe('NOT_FOUND');
    expect(ok(v.listCredentials()).map((c) => c.id).sort()).toEqual([bearer.id, jwt.id].sort());
    expect(count(t, 'credentials')).toBe(2);
  });

  it('resolves workspace/env/name case-insensitively, and by id', () => {
    const { apiKey, bearer } = addAllKinds();
    const prodKey = v.addCredential({ environmentId: prod.id, name: 'Server key', kind: 'api_key', headerName: 'X-API-Key', secret: { value: 'rg_prod_0123456789abcdef' } });
    expect(v.resolveCredential({ workspace: 'regen therapy', environment: 'SANDBOX', name: 'server KEY' }).id).toBe(apiKey.id);
    expect(v.resolveCredential({ workspace: 'REGEN THERAPY', environment: 'Production', name: 'Server Key' }).id).toBe(prodKey.id);
    expect(v.resolveCredential({ workspace: ws.id, environment: sandbox.id, name: 'ci deploy' }).id).toBe(bearer.id);
    expect(v.resolveCredential({ id: apiKey.id })).toEqual(apiKey);
    for (const ref of [
      { workspace: 'nope', environment: 'sandbox', name: 'Server key' },
      { workspace: 'Regen Therapy', environment: 'nope', name: 'Server key' },
      { workspace: 'Regen Therapy', environment: 'sandbox', name: 'nope' },
      { id: 'cred_00000000000000000000' },
    ]) {
      expect(vaultError(() => v.resolveCredential(ref)).code).toBe('NOT_FOUND');
    }
  });

  it('CONFLICT on a duplicate name in the same environment; fine in another environment', () => {
    const { bearer } = addAllKinds();
    const e = vaultError(() => v.addCredential({ environmentId: sandbox.id, name: 'ci DEPLOY', kind: 'bearer', secret: { value: 'another-value-123456' } }));
    expect(e.code).toBe('CONFLICT');
    expect(vaultError(() => v.updateCredential(bearer.id, { name: 'SERVER KEY' })).code).toBe('CONFLICT');
    expect(v.getCredential(bearer.id).name).toBe('CI deploy');
    const inProd = v.addCredential({ environmentId: prod.id, name: 'ci deploy', kind: 'bearer', secret: { value: 'another-value-123456' } });
    expect(inProd.environmentId).toBe(prod.id);
    // A batch with a conflict adds nothing at all.
    const before = count(t, 'credentials');
    const batch = vaultError(() =>
      v.addCredentials([
        { environmentId: prod.id, name: 'fresh one', kind: 'bearer', secret: { value: 'fresh-value-1234567' } },
        { environmentId: prod.id, name: 'CI Deploy', kind: 'bearer', secret: { value: 'fresh-value-7654321' } },
      ]),
    );
    expect(batch.code).toBe('CONFLICT');
    expect(count(t, 'credentials')).toBe(before);
  });

  it('answers NOT_FOUND for an unknown environment or credential', () => {
    expect(
      vaultError(() => v.addCredential({ environmentId: 'env_00000000000000000000', name: 'x', kind: 'bearer', secret: { value: 'abcdefghijkl' } })).code,
    ).toBe('NOT_FOUND');
    const missing = 'cred_00000000000000000000';
    expect(vaultError(() => v.getCredential(missing)).code).toBe('NOT_FOUND');
    expect(vaultError(() => v.updateCredential(missing, { name: 'x' })).code).toBe('NOT_FOUND');
    expect(vaultError(() => v.replaceSecret(missing, { value: 'abcdefghijkl' })).code).toBe('NOT_FOUND');
    expect(vaultError(() => v.removeCredential(missing)).code).toBe('NOT_FOUND');
    expect(vaultError(() => v.revealCredential(missing)).code).toBe('NOT_FOUND');
    expect(vaultError(() => v.recordTest(missing, 'ok', { method: 'GET', path: '/users', status: 200, explanation: '200 from Test', totalMs: 1, rateLimitRemaining: null })).code).toBe('NOT_FOUND');
    expect(count(t, 'credentials')).toBe(0);
  });

  it('records a test outcome with its audit event', () => {
    const { bearer } = addAllKinds();
    clock.advance(10);
    v.recordTest(bearer.id, 'forbidden', { method: 'POST', path: '/sales_invoices', status: 403, explanation: '403 from Regate: forbidden', totalMs: 12.5, rateLimitRemaining: 7 });
    expect(v.getCredential(bearer.id)).toMatchObject({ lastTestedAt: clock.now(), lastUsedAt: clock.now(), lastTestOutcome: 'forbidden' });
    expect(v.listAudit({ credentialId: bearer.id })[0]).toMatchObject({ type: 'tested', note: 'POST /sales_invoices → 403', fingerprint: bearer.fingerprint });
    expect(v.listTestHistory(bearer.id)).toEqual([
      { method: 'POST', path: '/sales_invoices', status: 403, explanation: '403 from Regate: forbidden', totalMs: 12.5, rateLimitRemaining: 7, at: clock.now(), outcome: 'forbidden' },
    ]);
  });

  it('search finds every entity by part of its name, case-insensitively, with its path', () => {
    const { apiKey } = addAllKinds();
    const hits = v.search('SERVER');
    expect(hits.map((h) => [h.type, h.id, h.path])).toEqual([['credential', apiKey.id, 'Regen Therapy/sandbox/Server key']]);
    expect(v.search('regen').map((h) => h.type)).toEqual(['workspace']);
    // The index follows changes.
    v.updateCredential(apiKey.id, { name: 'Backend key' });
    expect(v.search('server')).toEqual([]);
    expect(v.search('backend').map((h) => h.id)).toEqual([apiKey.id]);
    // Several words match across the path: each somewhere, one in the name itself.
    expect(v.search('regen sand').map((h) => [h.type, h.path])).toEqual([['environment', 'Regen Therapy/sandbox']]);
    expect(v.search('therapy  SANDBOX backend').map((h) => h.id)).toEqual([apiKey.id]);
    expect(v.search('regen/sandbox/backend').map((h) => h.id)).toEqual([apiKey.id]);
    expect(v.search('production backend')).toEqual([]);
  });

  it('cascades: removing an environment removes its credentials; removing a workspace removes everything under it', () => {
    const inSandbox = addAllKinds(sandbox.id);
    const inProd = addAllKinds(prod.id);
    const otherWs = v.addWorkspace({ name: 'Other' });
    const otherEnv = v.addEnvironment({ workspaceId: otherWs.id, name: 'sandbox', baseUrl: 'https://x.example' });
    const survivor = v.addCredential({ environmentId: otherEnv.id, name: 'CI deploy', kind: 'bearer', secret: { value: 'survivor-0123456789' } });
    expect(count(t, 'credentials')).toBe(7);

    v.removeEnvironment(sandbox.id);
    for (const c of Object.values(inSandbox)) expect(vaultError(() => v.getCredential(c.id)).code).toBe('NOT_FOUND');
    expect(ok(v.listCredentials({ workspaceId: ws.id }))).toHaveLength(3);
    expect(count(t, 'credentials')).toBe(4);

    v.removeWorkspace(ws.id);
    for (const c of Object.values(inProd)) expect(vaultError(() => v.revealCredential(c.id)).code).toBe('NOT_FOUND');
    expect(vaultError(() => v.getEnvironment(prod.id)).code).toBe('NOT_FOUND');
    expect(count(t, 'environments')).toBe(1);
    expect(count(t, 'credentials')).toBe(1);
    expect(v.revealCredential(survivor.id)).toEqual({ value: 'survivor-0123456789' });
    expect(v.verifyAudit().ok).toBe(true);
  });
});
