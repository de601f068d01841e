import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempVault, rawDb, dumpTables, vaultError, type TempVault } from '../../vault/test-support';
import { ProviderRegistry } from '../provider-registry';
import { applyImport, planImport, readImportFolder, readImportSource } from './index';
import { isCorrupt } from '../../../src-shared/domain/types';

const F = join(__dirname, 'fixtures');
const TABLES = ['workspaces', 'environments', 'credentials', 'audit', 'settings'];
let t: TempVault;
let registry: ProviderRegistry;

beforeEach(async () => {
  t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  registry = new ProviderRegistry(t.home);
});
afterEach(() => t.cleanup());

async function plan(file: string, opts: { workspace?: string; env?: string; format?: Parameters<typeof readImportSource>[1] } = {}) {
  const source = await readImportSource(join(F, file), opts.format ?? 'auto');
  return planImport(t.vault, source, { workspace: opts.workspace ?? 'Acme', ...(opts.env ? { env: opts.env } : {}) }, registry);
}

/** name → value of every token in a workspace/env, decrypted. */
function tokens(ws: string, env: string): Record<string, { kind: string; headerName: string | null; value: string }> {
  const w = t.vault.findWorkspace(ws);
  const e = t.vault.findEnvironment(w.id, env);
  const out: Record<string, { kind: string; headerName: string | null; value: string }> = {};
  for (const c of t.vault.listCredentials({ environmentId: e.id })) {
    if (isCorrupt(c)) continue;
    out[c.name] = { kind: c.kind, headerName: c.headerName, value: t.vault.secretForRequest(c.id).value };
  }
  return out;
}

function snapshot(): string {
  t.vault.flush();
  const db = rawDb(t.home, { readonly: true });
  try {
    return dumpTables(db, TABLES);
  } finally {
    db.close();
  }
}

describe('.env (dotenv)', () => {
  it('previews tokens with kinds guessed from names, a base URL, and what is skipped and why; imports in one go', async () => {
    const p = await plan('acme.env', { env: 'local' });
    expect(p.preview.problems).toEqual([]);
    expect(p.preview.workspace).toEqual({ name: 'Acme', exists: false });
    expect(p.preview.environments).toEqual([{ name: 'local', baseUrl: 'https://api.acme.example.com', production: false, exists: false, location: 'acme.env' }]);
    expect(p.preview.create.map((c) => [c.name, c.kind, c.headerName, c.location])).toEqual([
      ['STRIPE_API_KEY', 'api_key', 'X-API-Key', 'line 7, column 1'],
      ['GITHUB_TOKEN', 'bearer', null, 'line 8, column 1'],
      ['WEBHOOK_SECRET', 'bearer', null, 'line 9, column 1'],
    ]);
    const skipped = Object.fromEntries(p.preview.skipped.map((s) => [s.name, s.reason]));
    expect(skipped).toMatchObject({
      PORT: 'a setting, not a secret',
      DB_PASSWORD: 'a password is not an API token',
      LEGACY_TOKEN: 'empty value',
      FEATURE_NEW_CHECKOUT: 'a setting, not a secret',
      DOCS_URL: expect.stringMatching(/API_BASE_URL is the base URL/),
    });
    // The preview carries fingerprints, never a value.
    expect(JSON.stringify(p.preview)).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');

    const r = applyImport(t.vault, p, registry);
    expect(r.created).toEqual({ environments: 1, credentials: 3, provider: false });
    expect(tokens('Acme', 'local')).toEqual({
      STRIPE_API_KEY: { kind: 'api_key', headerName: 'X-API-Key', value: 'sk_test_51HxYzAbCdEf0123456789' },
      GITHUB_TOKEN: { kind: 'bearer', headerName: null, value: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
      WEBHOOK_SECRET: { kind: 'bearer', headerName: null, value: 'whsec_0123456789abcdef' },
    });
    const events = t.vault.listAudit({ limit: 4 });
    expect(events[0]).toMatchObject({ type: 'imported', note: 'dotenv import of acme.env into Acme: 1 environments, 3 tokens' });
    expect(events.filter((e) => e.type === 'imported' && e.credentialId)).toHaveLength(3);

    // Again: the names exist now, and are listed as such, never overwritten.
    const again = await plan('acme.env', { env: 'local' });
    expect(again.preview.create).toEqual([]);
    expect(again.preview.existing.map((e) => e.name)).toEqual(['STRIPE_API_KEY', 'GITHUB_TOKEN', 'WEBHOOK_SECRET']);
    expect(again.preview.environments[0]).toMatchObject({ exists: true });
  });

  it('a name set on several lines: the last value is imported, as dotenv reads it, and a warning names every line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tv-dotenv-'));
    try {
      const file = join(dir, 'dup.env');
      writeFileSync(file, 'API_BASE_URL=https://api.acme.example.com\nGITHUB_TOKEN=ghp_first000000000000000000000000\nPORT=3000\n\nGITHUB_TOKEN=ghp_second00000000000000000000000\nSTRIPE_API_KEY=sk_one_0123456789\nSTRIPE_API_KEY=sk_two_0123456789\nSTRIPE_API_KEY=sk_three_0123456789\n');
      const source = await readImportSource(file, 'auto');
      const p = planImport(t.vault, source, { workspace: 'Acme', env: 'local' }, registry);
      expect(p.preview.problems).toEqual([]);
      expect(p.preview.warnings).toEqual([
        { location: 'lines 2 and 5', message: 'GITHUB_TOKEN is set twice: the value on line 5 is imported (the last one, as dotenv reads a file); line 2 is ignored' },
        { location: 'lines 6, 7 and 8', message: 'STRIPE_API_KEY is set 3 times: the value on line 8 is imported (the last one, as dotenv reads a file); lines 6 and 7 are ignored' },
      ]);
      expect(p.preview.create.map((c) => [c.name, c.location])).toEqual([
        ['GITHUB_TOKEN', 'line 5, column 1'],
        ['STRIPE_API_KEY', 'line 8, column 1'],
      ]);
      applyImport(t.vault, p, registry);
      expect(tokens('Acme', 'local').GITHUB_TOKEN!.value).toBe('ghp_second00000000000000000000000');
      expect(tokens('Acme', 'local').STRIPE_API_KEY!.value).toBe('sk_three_0123456789');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an environment the source gives no base URL for: the problem says how to add it in the app as well as on the command line (the app showed only a CLI line)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tv-import-'));
    try {
      const file = join(dir, 'no-url.env');
      writeFileSync(file, 'GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n');
      const before = snapshot();
      const p = planImport(t.vault, await readImportSource(file, 'auto'), { workspace: 'Acme' }, registry);
      expect(p.preview.problems).toEqual([
        {
          location: 'no-url.env',
          message:
            'environment "default" needs a base URL and the source gives none: add it to Acme with its base URL first (in the app: Add environment; on the command line: tokenvault env add "Acme" "default" --base-url URL), or import into an environment that exists, then import again',
        },
      ]);
      expect(vaultError(() => applyImport(t.vault, p, registry)).code).toBe('VALIDATION');
      expect(snapshot()).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a malformed line is reported at its line and column, and nothing is saved', async () => {
    const before = snapshot();
    const p = await plan('broken.env');
    expect(p.preview.problems).toEqual([{ location: 'line 3, column 1', message: 'is not a NAME=value line' }]);
    const e = vaultError(() => applyImport(t.vault, p, registry));
    expect(e.code).toBe('VALIDATION');
    expect(e.issues).toEqual([{ path: 'line 3, column 1', message: 'is not a NAME=value line' }]);
    expect(snapshot()).toBe(before);
  });
});

describe('Postman', () => {
  it('an environment: secret variables become tokens, the URL the base URL, a disabled one is left out', async () => {
    const p = await plan('acme.postman_environment.json');
    expect(p.preview.environments).toMatchObject([{ name: 'Acme Production', baseUrl: 'https://api.acme.example.com', production: true }]);
    expect(p.preview.create.map((c) => [c.name, c.kind, c.location, c.why])).toEqual([
      ['apiToken', 'bearer', '$.values[1] (line 6, column 5)', 'its name says token or secret'],
      ['clientSecretValue', 'bearer', '$.values[2] (line 7, column 5)', 'its name says token or secret'],
    ]);
    expect(p.preview.skipped.map((s) => s.name)).toEqual(['tenant']);
    applyImport(t.vault, p, registry);
    expect(tokens('Acme', 'Acme Production').apiToken!.value).toBe('acme_live_9f8e7d6c5b4a39281706');
  });

  it('a collection v2.1: collection auth (bearer) and folder auth (API key header) name their variables; other auth is listed unsupported', async () => {
    const p = await plan('acme.postman_collection.json', { env: 'sandbox' });
    expect(p.preview.create.map((c) => [c.name, c.kind, c.headerName, c.why])).toEqual([
      ['accessToken', 'bearer', null, 'used as a bearer token by the source’s auth settings'],
      ['adminKey', 'api_key', 'X-Admin-Key', 'used as an API key by the source’s auth settings'],
    ]);
    expect(p.preview.environments[0]).toMatchObject({ name: 'sandbox', baseUrl: 'https://sandbox.acme.example.com' });
    expect(p.preview.unsupported).toEqual([{ location: '$.item[2].auth (line 34, column 15)', message: '"basic" auth is not supported yet (bearer and API key in a header are)' }]);
    applyImport(t.vault, p, registry);
    expect(tokens('Acme', 'sandbox').adminKey).toEqual({ kind: 'api_key', headerName: 'X-Admin-Key', value: 'adm_0f1e2d3c4b5a69788796' });
  });

  it('values written into the collection’s and folders’ auth blocks: one token each, named after the collection and the folder (a second folder was skipped as a repeated name)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tv-import-'));
    try {
      const bearer = (token: string) => ({ type: 'bearer', bearer: [{ key: 'token', value: token, type: 'string' }] });
      const file = join(dir, 'two-auth.postman_collection.json');
      writeFileSync(
        file,
        JSON.stringify({
          info: { name: 'Acme API', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
          auth: bearer('tok_collection_level_abcdefgh'),
          item: [
            { name: 'Admin', auth: bearer('tok_admin_folder_abcdefghij'), item: [{ name: 'Users', request: { method: 'GET', url: 'https://api.acme.example.com/users' } }] },
            {
              name: 'Billing',
              auth: { type: 'apikey', apikey: [{ key: 'key', value: 'X-Billing-Key' }, { key: 'value', value: 'bill_key_abcdefghijklmnop' }, { key: 'in', value: 'header' }] },
              item: [],
            },
          ],
        }),
      );
      const p = planImport(t.vault, await readImportSource(file, 'auto'), { workspace: 'Acme', env: 'sandbox' }, registry);
      expect(p.preview.create.map((c) => [c.name, c.kind, c.headerName])).toEqual([
        ['Acme API token', 'bearer', null],
        ['Acme API Admin token', 'bearer', null],
        ['Acme API Billing API key', 'api_key', 'X-Billing-Key'],
      ]);
      expect(p.preview.skipped).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('broken JSON is reported at its line and column; a variable without a name at its JSON path; nothing saved', async () => {
    const before = snapshot();
    const broken = await plan('postman-broken.json');
    expect(broken.preview.problems).toEqual([{ location: 'line 6, column 5', message: expect.stringMatching(/^is not valid JSON/) }]);
    expect(() => applyImport(t.vault, broken, registry)).toThrow(/nothing was saved/);
    const bad = await plan('postman-bad-values.json');
    expect(bad.preview.problems).toEqual([{ location: '$.values[1].key (line 5, column 5)', message: 'must be a variable name' }]);
    expect(() => applyImport(t.vault, bad, registry)).toThrow(/nothing was saved/);
    expect(snapshot()).toBe(before);
  });

  it('a parse error never quotes the file: an unquoted token value stays out of the message', async () => {
    // JSON.parse's own message quotes the input around the error ("… \"{\"k\": sk_live_…\" is not valid JSON").
    const dir = mkdtempSync(join(tmpdir(), 'tv-import-'));
    const file = join(dir, 'env.postman_environment.json');
    const secret = 'sk_live_9f8e7d6c5b4a39281706';
    writeFileSync(file, `{"name": "Acme", "values": [{"key": "token", "value": ${secret}}]}`);
    try {
      const p = await planImport(t.vault, await readImportSource(file, 'postman'), { workspace: 'Acme' }, registry);
      expect(p.preview.problems).toHaveLength(1);
      expect(p.preview.problems[0]!.message).toBe('is not valid JSON');
      expect(JSON.stringify(p.preview)).not.toContain(secret.slice(0, 10));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Insomnia', () => {
  it('a v4 export: sub-environments inherit the base, bearer authentication names the token', async () => {
    const p = await plan('insomnia-v4.json', { workspace: 'Coolset' });
    expect(p.preview.title).toBe('Coolset');
    expect(p.preview.environments.map((e) => [e.name, e.baseUrl, e.production])).toEqual([
      ['Sandbox', 'https://sandbox.coolset.example.com', false],
      ['Production', 'https://api.coolset.example.com', true],
    ]);
    expect(p.preview.create.map((c) => [c.environment, c.name, c.kind])).toEqual([
      ['Sandbox', 'token', 'bearer'],
      ['Production', 'token', 'bearer'],
      ['Production', 'nested.apiKey', 'api_key'],
    ]);
    expect(p.preview.unsupported[0]!.message).toMatch(/"oauth2" authentication is not supported yet/);
    applyImport(t.vault, p, registry);
    expect(tokens('Coolset', 'Production').token!.value).toBe('cs_live_99aa88bb77cc66dd55ee');
    expect(t.vault.findEnvironment(t.vault.findWorkspace('Coolset').id, 'Production').production).toBe(true);
  });

  it('a v5 YAML export', async () => {
    const p = await plan('insomnia-v5.yaml', { workspace: 'Built' });
    expect(p.preview.create.map((c) => [c.environment, c.name, c.location])).toEqual([
      ['Sandbox', 'businessToken', '$.environments.subEnvironments[0].data.businessToken (line 32, column 24)'],
      ['Production', 'businessToken', '$.environments.subEnvironments[1].data.businessToken (line 38, column 24)'],
    ]);
    applyImport(t.vault, p, registry);
    expect(tokens('Built', 'Sandbox').businessToken!.value).toBe('bt_sbx_5a6b7c8d9e0f1a2b3c4d');
  });

  it('malformed YAML is reported at its line and column; nothing saved', async () => {
    const before = snapshot();
    const p = await plan('insomnia-v5-broken.yaml');
    expect(p.preview.problems).toEqual([{ location: 'line 6, column 14', message: expect.stringMatching(/^is not valid YAML/) }]);
    expect(() => applyImport(t.vault, p, registry)).toThrow(/nothing was saved/);
    expect(snapshot()).toBe(before);
  });
});

describe('Bruno', () => {
  it('a collection with two environments; collection.bru auth names the API key and its header; empty secrets are skipped', async () => {
    const p = await plan('bruno-acme', { workspace: 'Regen' });
    expect(p.preview.title).toBe('Regen Therapy');
    expect(p.preview.environments.map((e) => [e.name, e.baseUrl, e.production])).toEqual([
      ['Production', 'https://gateway.regentherapy.example.com', true],
      ['Sandbox', 'https://sandbox.regentherapy.example.com', false],
    ]);
    expect(p.preview.create.map((c) => [c.environment, c.name, c.kind, c.headerName, c.location])).toEqual([
      ['Production', 'apiKey', 'api_key', 'X-API-Key', 'environments/Production.bru: line 3'],
      ['Sandbox', 'apiKey', 'api_key', 'X-API-Key', 'environments/Sandbox.bru: line 3'],
    ]);
    expect(p.preview.skipped).toContainEqual({ name: 'sessionToken', location: 'environments/Production.bru: line 7', reason: 'empty value' });
    applyImport(t.vault, p, registry);
    expect(tokens('Regen', 'Sandbox').apiKey!.value).toBe('rg_test_4f9c2e7a1b3d5f7092ab');

    // --env picks one environment of several.
    const one = await plan('bruno-acme', { workspace: 'Other', env: 'sandbox' });
    expect(one.preview.environments.map((e) => e.name)).toEqual(['Sandbox']);
  });

  it('a collection folder picked in the UI (its files as texts, under the folder name, among request files) reads as the CLI reads the folder', async () => {
    const fromDisk = await readImportSource(join(F, 'bruno-acme'));
    const read = (rel: string) => readFileSync(join(F, 'bruno-acme', rel), 'utf8');
    const picked = [
      { path: 'bruno-acme/bruno.json', text: read('bruno.json') },
      { path: 'bruno-acme/collection.bru', text: read('collection.bru') },
      { path: 'bruno-acme/environments/Sandbox.bru', text: read('environments/Sandbox.bru') },
      { path: 'bruno-acme/environments/Production.bru', text: read('environments/Production.bru') },
      // A request file and a nested collection's environment: not part of this collection's import.
      { path: 'bruno-acme/orders/List orders.bru', text: 'meta {\n  name: List orders\n}\n' },
      { path: 'bruno-acme/nested/bruno.json', text: '{"type":"collection","name":"Nested"}' },
      { path: 'bruno-acme/nested/environments/Other.bru', text: 'vars {\n  other: 1\n}\n' },
    ];
    const fromUi = await readImportFolder('bruno-acme', picked);
    expect(fromUi).toEqual(fromDisk);
    const p = planImport(t.vault, fromUi, { workspace: 'Regen' }, registry);
    expect(p.preview.create.map((c) => [c.environment, c.name, c.kind, c.headerName])).toEqual([
      ['Production', 'apiKey', 'api_key', 'X-API-Key'],
      ['Sandbox', 'apiKey', 'api_key', 'X-API-Key'],
    ]);
    // A folder that is not a collection, and a folder read as another format, are refused.
    expect((await readImportFolder('notes', [{ path: 'notes/a.txt', text: 'x' }])).problems).toEqual([{ location: 'bruno.json', message: 'is missing: this folder is not a Bruno collection' }]);
    await expect(readImportFolder('bruno-acme', picked, 'postman')).rejects.toThrow(/read as a Bruno collection, not postman/);
  });

  it('a malformed .bru file is reported with its file, line and column; nothing saved', async () => {
    const before = snapshot();
    const p = await plan('bruno-broken');
    expect(p.preview.problems).toEqual([{ location: 'environments/Production.bru: line 3, column 10', message: 'is not valid Bru (Expected ":")' }]);
    expect(() => applyImport(t.vault, p, registry)).toThrow(/nothing was saved/);
    expect(snapshot()).toBe(before);
  });
});

describe('OpenAPI and Swagger', () => {
  it('OpenAPI 3 with several servers, security schemes and $refs becomes a provider definition, saved with its workspace', async () => {
    const p = await plan('acme-openapi.yaml', { workspace: 'Acme Orders' });
    const def = p.preview.provider!.definition;
    expect(def).toMatchObject({ id: 'acme-orders-api', name: 'Acme Orders API', description: 'Orders and customers of Acme Holding.' });
    expect(def.auth.map((a) => [a.scheme, 'headerName' in a ? a.headerName : null])).toEqual([
      ['bearer', null],
      ['api_key', 'X-API-Key'],
    ]);
    expect(def.environments).toEqual([
      { name: 'Production', defaultBaseUrl: 'https://api.acme.example.com/v2', production: true },
      { name: 'Sandbox', defaultBaseUrl: 'https://eu.sandbox.acme.example.com/v2', production: false },
      { name: 'Same origin', defaultBaseUrl: null, production: false },
    ]);
    // GET without required parameters first.
    expect(def.testPresets.map((x) => [x.path, x.pathEditable])).toEqual([
      ['/me', false],
      ['/orders', false],
      ['/search', false],
      ['/orders/{id}', true],
    ]);
    expect(def.roles).toMatchObject({ kind: 'role_matrix', roles: ['Any valid token'] });
    expect(def.roles && 'endpoints' in def.roles ? def.roles.endpoints.map((e) => [e.path, e.allow['Any valid token']]) : null).toEqual([
      ['/orders/{id}', ['GET', 'DELETE']],
      ['/orders', ['GET', 'POST']],
      ['/search', ['GET']],
      ['/me', ['GET']],
    ]);
    expect(def.revocation).toMatchObject({ mode: 'portal', verifyWith: 'whoami' });
    expect(p.preview.unsupported.map((u) => u.message)).toEqual([
      'OAuth flows are not supported yet: store the access token as a bearer token',
      '/v2 is relative: the environment gets no base URL',
    ]);
    expect(p.preview.skipped.map((s) => s.name)).toEqual(['Same origin']);

    const r = applyImport(t.vault, p, registry);
    expect(r.created).toEqual({ environments: 2, credentials: 0, provider: true });
    expect(new ProviderRegistry(t.home).get('acme-orders-api')?.name).toBe('Acme Orders API');
    expect(t.vault.findWorkspace('Acme Orders').providerId).toBe('acme-orders-api');
  });

  it('Swagger 2.0: host and basePath, an API key header, OAuth listed as unsupported', async () => {
    const p = await plan('petstore-swagger2.json', { workspace: 'Pets' });
    expect(p.preview.problems).toEqual([]);
    expect(p.preview.provider!.definition).toMatchObject({
      auth: [{ scheme: 'api_key', headerName: 'X-Pet-Key' }],
      environments: [{ name: 'Production', defaultBaseUrl: 'https://petstore.example.com/api', production: true }],
    });
    expect(p.preview.unsupported).toEqual([{ location: '$.securityDefinitions.petstore_auth (line 9, column 22)', message: expect.stringMatching(/OAuth/) }]);
  });

  it('invalid documents: schema errors at their JSON path and line, a missing $ref, only OAuth; nothing saved', async () => {
    const before = snapshot();
    const broken = await plan('openapi-broken.yaml');
    expect(broken.preview.problems).toEqual([
      { location: '$.info (line 3, column 3)', message: "must have required property 'version'" },
      { location: '$.paths["/things"].get.responses (line 9, column 18)', message: 'must NOT have fewer than 1 properties' },
    ]);
    const badRef = await plan('openapi-bad-ref.json');
    expect(badRef.preview.problems[0]).toMatchObject({ location: '$ref #/components/responses/Missing', message: expect.stringMatching(/Missing \$ref pointer/) });
    const oauth = await plan('openapi-oauth-only.yaml');
    expect(oauth.preview.problems).toEqual([{ location: '$.components.securitySchemes (line 9, column 5)', message: expect.stringMatching(/names no scheme Tokenvault supports/) }]);
    for (const p of [broken, badRef, oauth]) expect(() => applyImport(t.vault, p, registry)).toThrow(/nothing was saved/);
    expect(snapshot()).toBe(before);
    expect(new ProviderRegistry(t.home).list().filter((e) => e.source === 'user')).toEqual([]);
  });
});

describe('one transaction', () => {
  it('a failure half-way (a name the vault refuses) rolls back the workspace, environments, tokens and provider', async () => {
    const before = snapshot();
    const p = await plan('acme-openapi.yaml', { workspace: 'Acme Orders' });
    // Sabotage the plan after preview: an environment the vault refuses (http to a remote host).
    p.preview.environments[1]!.baseUrl = 'http://remote.example.com';
    expect(() => applyImport(t.vault, p, registry)).toThrow();
    expect(snapshot()).toBe(before);
    expect(new ProviderRegistry(t.home).get('acme-orders-api')).toBeNull();
  });

  it('cannot tell the format of a file that is none of them', async () => {
    const e = await readImportSource(join(F, 'notes.txt')).catch((x) => x);
    expect(e.code).toBe('VALIDATION');
  });
});
