import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialSummary, Environment, Workspace } from '../../src-shared/domain/types';
import { DATA_TABLES, dumpTables, openTempVault, rawDb, vaultError, type TempVault } from './test-support';
import type { Vault } from './vault';

/**
 * Every malformed input is refused with VALIDATION, names the field at fault,
 * and changes nothing: the tables are dumped before and after each attempt.
 */

let t: TempVault;
let v: Vault;
let ws: Workspace;
let env: Environment;
let bearer: CredentialSummary;
let apiKey: CredentialSummary;

beforeAll(async () => {
  t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  v = t.vault;
  ws = v.addWorkspace({ name: 'Acme' });
  env = v.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
  bearer = v.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', secret: { value: 'rg_validation_token_0123456789' } });
  apiKey = v.addCredential({ environmentId: env.id, name: 'key', kind: 'api_key', headerName: 'X-API-Key', secret: { value: 'key_validation_0123456789' } });
});
afterAll(() => t.cleanup());

function snapshot(): string {
  const raw = rawDb(t.home, { readonly: true });
  try {
    return dumpTables(raw, [...DATA_TABLES, 'vault_meta']);
  } finally {
    raw.close();
  }
}

function expectRefused(call: () => unknown, path: string) {
  const before = snapshot();
  const e = vaultError(call);
  expect(e.code).toBe('VALIDATION');
  expect(e.issues?.map((i) => i.path)).toContain(path);
  for (const i of e.issues ?? []) expect(i.message.length).toBeGreaterThan(0);
  expect(snapshot()).toBe(before);
  return e;
}

const okCred = () => ({ environmentId: env.id, name: 'new token', kind: 'bearer' as const, secret: { value: 'abcdefghijklmnop' } });
const okEnv = () => ({ workspaceId: ws.id, name: 'sandbox', baseUrl: 'https://sandbox.example.com' });

describe('names', () => {
  const bad: [string, unknown][] = [
    ['empty', ''],
    ['only spaces', '   '],
    ['a control character', 'ci\u0007bot'],
    ['a tab', 'ci\tbot'],
    ['a newline', 'ci\nbot'],
    ['a bidi override', 'ci\u202ebot'],
    ['a slash', 'ci/bot'],
    ['101 characters', 'x'.repeat(101)],
    ['not a string', 42],
  ];
  it.each(bad)('a name with %s is refused everywhere, and nothing changes', (_what, name) => {
    expectRefused(() => v.addWorkspace({ name }), 'name');
    expectRefused(() => v.updateWorkspace(ws.id, { name }), 'name');
    expectRefused(() => v.addEnvironment({ ...okEnv(), name }), 'name');
    expectRefused(() => v.updateEnvironment(env.id, { name }), 'name');
    expectRefused(() => v.addCredential({ ...okCred(), name }), 'name');
    expectRefused(() => v.updateCredential(bearer.id, { name }), 'name');
  });

  it('100 characters is fine, surrounding spaces are trimmed', () => {
    const w = v.addWorkspace({ name: ` ${'n'.repeat(100)} ` });
    expect(w.name).toBe('n'.repeat(100));
    v.removeWorkspace(w.id);
  });

  it('a missing name is refused', () => {
    expectRefused(() => v.addWorkspace({}), 'name');
    expectRefused(() => v.addCredential({ ...okCred(), name: undefined }), 'name');
  });
});

describe('base URLs', () => {
  it.each([
    ['ftp:', 'ftp://files.example.com'],
    ['plain http to a remote host', 'http://example.com'],
    ['a user and password', 'https://user:pass@example.com'],
    ['a user only', 'https://user@example.com'],
    ['a query', 'https://example.com/api?token=1'],
    ['a fragment', 'https://example.com/api#x'],
    ['no scheme', 'example.com'],
    ['javascript:', 'javascript:alert(1)'],
    ['over 2048 characters', `https://example.com/${'a'.repeat(2048)}`],
    ['empty', ''],
  ])('refuses %s', (_what, baseUrl) => {
    expectRefused(() => v.addEnvironment({ ...okEnv(), baseUrl }), 'baseUrl');
    expectRefused(() => v.updateEnvironment(env.id, { baseUrl }), 'baseUrl');
  });

  it.each([
    ['http://localhost:3000/api/', 'http://localhost:3000/api'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://[::1]:9000', 'http://[::1]:9000'],
    ['HTTPS://API.Example.COM/v1//', 'https://api.example.com/v1'],
  ])('accepts %s (as %s)', (baseUrl, stored) => {
    const e = v.addEnvironment({ ...okEnv(), name: 'tmp', baseUrl });
    expect(e.baseUrl).toBe(stored);
    v.removeEnvironment(e.id);
  });
});

describe('secrets', () => {
  it.each([
    ['empty', ''],
    ['only whitespace', '  \n'],
    ['a space inside', 'abc def'],
    ['a newline inside', 'abc\ndef'],
    ['a tab inside', 'abc\tdef'],
    ['a non-ASCII character', 'tökén-0123456789'],
    ['a NUL byte', 'abc\u0000def'],
    ['16385 characters', 'a'.repeat(16_385)],
  ])('a secret value with %s is refused on add and on replace', (_what, value) => {
    expectRefused(() => v.addCredential({ ...okCred(), secret: { value } }), 'secret.value');
    expectRefused(() => v.replaceSecret(bearer.id, { value }), 'secret.value');
  });

  it('16384 characters is fine; surrounding whitespace is a paste accident and trimmed', () => {
    const c = v.addCredential({ ...okCred(), name: 'long', secret: { value: `\n${'a'.repeat(16_384)}  ` } });
    expect(v.revealCredential(c.id).value).toBe('a'.repeat(16_384));
    v.removeCredential(c.id);
  });

  it('a refresh token is checked the same way, and only fits a JWT session', () => {
    expectRefused(() => v.addCredential({ ...okCred(), kind: 'jwt_session', secret: { value: 'abcdefghijkl', refreshToken: 'has space' } }), 'secret.refreshToken');
    expectRefused(() => v.addCredential({ ...okCred(), kind: 'bearer', secret: { value: 'abcdefghijkl', refreshToken: 'abcdefghijkl' } }), 'secret.refreshToken');
    expectRefused(() => v.replaceSecret(bearer.id, { value: 'abcdefghijkl', refreshToken: 'abcdefghijkl' }), 'secret.refreshToken');
  });

  it('a missing secret is refused', () => {
    expectRefused(() => v.addCredential({ ...okCred(), secret: undefined }), 'secret');
    expectRefused(() => v.addCredential({ ...okCred(), secret: {} }), 'secret.value');
  });
});

describe('other credential fields', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown kind', { kind: 'oauth2' }, 'kind'],
    ['an API key without a header name', { kind: 'api_key' }, 'headerName'],
    ['a header name on a bearer token', { kind: 'bearer', headerName: 'X-API-Key' }, 'headerName'],
    ['a header name that is not a token', { kind: 'api_key', headerName: 'X API Key' }, 'headerName'],
    ['a header name with a colon', { kind: 'api_key', headerName: 'X-Key:' }, 'headerName'],
    ['a negative expiry', { expiresAt: -1 }, 'expiresAt'],
    ['a fractional expiry', { expiresAt: 1.5 }, 'expiresAt'],
    ['an expiry given as text', { expiresAt: '2027-03-01' }, 'expiresAt'],
    ['an expiry beyond the Date range', { expiresAt: 8_640_000_000_000_001 }, 'expiresAt'],
    ['a rotation of 0 days', { rotationDays: 0 }, 'rotationDays'],
    ['a rotation beyond 10 years', { rotationDays: 3651 }, 'rotationDays'],
    ['a fractional rotation', { rotationDays: 1.5 }, 'rotationDays'],
    ['a rotation given as a duration', { rotationDays: '90d' }, 'rotationDays'],
    ['101 scopes', { scopes: Array.from({ length: 101 }, (_, i) => `s${i}`) }, 'scopes'],
    ['a scope with a control character', { scopes: ['read:*', 'write\u0000'] }, 'scopes.1'],
    ['an empty scope', { scopes: [''] }, 'scopes.0'],
    ['21 tags', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
    ['a description over 2000 characters', { description: 'd'.repeat(2001) }, 'description'],
    ['a description with a NUL', { description: 'a\u0000b' }, 'description'],
    ['a malformed environment id', { environmentId: 'env_nope' }, 'environmentId'],
    ['an unknown field', { owner: 'alice' }, 'owner'],
    ['an unknown field in the secret', { secret: { value: 'abcdefghijkl', note: 'x' } }, 'secret.note'],
  ])('a credential with %s is refused', (_what, change, path) => {
    expectRefused(() => v.addCredential({ ...okCred(), ...change }), path);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown status', { status: 'deleted' }, 'status'],
    ['a secret (not updatable this way)', { secret: { value: 'abcdefghijkl' } }, 'secret'],
    ['a kind (not updatable)', { kind: 'api_key' }, 'kind'],
    ['an expiry given as text', { expiresAt: 'tomorrow' }, 'expiresAt'],
    ['a rotation of 0 days', { rotationDays: 0 }, 'rotationDays'],
  ])('an update with %s is refused', (_what, patch, path) => {
    expectRefused(() => v.updateCredential(apiKey.id, patch), path);
  });

  it('a batch with one bad input adds nothing and names the item', () => {
    const e = expectRefused(() => v.addCredentials([okCred(), { ...okCred(), name: 'second', secret: { value: 'bad value' } }]), '[1].secret.value');
    expect(e.message).toContain('[1].secret.value');
  });

  it('reports every problem at once', () => {
    const e = expectRefused(() => v.addCredential({ ...okCred(), name: '', rotationDays: 0, secret: { value: 'a b' } }), 'name');
    expect(e.issues?.map((i) => i.path).sort()).toEqual(['name', 'rotationDays', 'secret.value']);
    expect(e.message).toMatch(/^3 problems: /);
  });
});

describe('workspaces, environments and settings', () => {
  it.each<[string, () => unknown, string]>([
    ['an unknown workspace field', () => v.addWorkspace({ name: 'ok', owner: 'x' }), 'owner'],
    ['an unknown workspace patch field', () => v.updateWorkspace(ws.id, { id: 'ws_00000000000000000000' }), 'id'],
    ['a colour that is not #rrggbb', () => v.addWorkspace({ name: 'ok', color: 'blue' }), 'color'],
    ['a provider id with spaces', () => v.addWorkspace({ name: 'ok', providerId: 'Regen Therapy' }), 'providerId'],
    ['notes over 10000 characters', () => v.addWorkspace({ name: 'ok', notes: 'n'.repeat(10_001) }), 'notes'],
    ['an unknown environment field', () => v.addEnvironment({ ...okEnv(), token: 'x' }), 'token'],
    ['an unknown environment patch field', () => v.updateEnvironment(env.id, { workspaceId: ws.id }), 'workspaceId'],
    ['a production flag that is not a boolean', () => v.addEnvironment({ ...okEnv(), production: 'yes' }), 'production'],
    ['a malformed workspace id', () => v.addEnvironment({ ...okEnv(), workspaceId: 'acme' }), 'workspaceId'],
    ['a negative auto-lock', () => v.updateSettings({ autoLockMinutes: -1 }), 'autoLockMinutes'],
    ['a reveal time below 3 s', () => v.updateSettings({ revealSeconds: 1 }), 'revealSeconds'],
    ['an unknown setting', () => v.updateSettings({ telemetry: true }), 'telemetry'],
  ])('%s is refused', (_what, call, path) => {
    expectRefused(call, path);
  });

  it('names each unknown field on its own', () => {
    const e = expectRefused(() => v.addWorkspace({ name: 'ok', alpha: 1, beta: 2 }), 'alpha');
    expect(e.issues).toEqual([
      { path: 'alpha', message: 'is not a known field' },
      { path: 'beta', message: 'is not a known field' },
    ]);
  });

  it('a non-object input is refused as a whole', () => {
    for (const input of [null, 'Acme', 42, ['Acme']]) expectRefused(() => v.addWorkspace(input), '(input)');
  });
});
