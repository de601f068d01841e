import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../vault/test-support';
import { runCli } from './test-cli';

// `tokenvault import` through the built CLI: the parsers are loaded from node_modules at run time.
const root = join(__dirname, '..', '..');
const F = join(root, 'src-main', 'services', 'import', 'fixtures');
let home: string;
let env: Record<string, string>;

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
  home = tempHome();
  writeFileSync(join(home, 'pass.txt'), 'correct horse battery staple\n', { mode: 0o600 });
  env = { TOKENVAULT_PASSPHRASE_FILE: join(home, 'pass.txt'), TOKENVAULT_HOME: home };
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('tokenvault import', () => {
  it('previews, refuses to guess consent off a terminal, imports with --yes, and rejects a broken file with its locations', async () => {
    expect((await runCli(['init', '--passphrase'], env)).code).toBe(0);
    const preview = await runCli(['import', join(F, 'acme.env'), '--workspace', 'Acme', '--env', 'local', '--dry-run', '--json'], env);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.json()).toMatchObject({ dryRun: true, workspace: { name: 'Acme', exists: false }, create: [{ name: 'STRIPE_API_KEY' }, { name: 'GITHUB_TOKEN' }, { name: 'WEBHOOK_SECRET' }] });
    expect(preview.stdout).not.toContain('sk_test_51HxYzAbCdEf0123456789');

    const noConsent = await runCli(['import', join(F, 'acme.env'), '--workspace', 'Acme'], env);
    expect(noConsent.code).toBe(2);
    expect(noConsent.stderr).toMatch(/--yes/);
    expect((await runCli(['import', join(F, 'acme.env')], env)).code).toBe(2); // --workspace is required

    const done = await runCli(['import', join(F, 'bruno-acme'), '--workspace', 'Regen', '--yes', '--json'], env);
    expect(done.code, done.stderr).toBe(0);
    expect(done.json().result.created).toEqual({ environments: 2, credentials: 2, provider: false });
    const list = await runCli(['token', 'list', 'Regen/Production', '--json'], env);
    expect(list.json()).toMatchObject([{ name: 'apiKey', kind: 'api_key', headerName: 'X-API-Key' }]);

    const broken = await runCli(['import', join(F, 'postman-broken.json'), '--workspace', 'Acme', '--yes', '--json'], env);
    expect(broken.code).toBe(2);
    expect(broken.json().error).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'line 6, column 5', message: expect.stringMatching(/^is not valid JSON/) }] });
    expect(broken.stderr).toMatch(/nothing was saved/);
    expect((await runCli(['workspace', 'list', '--json'], env)).json().map((w: { name: string }) => w.name)).toEqual(['Regen']);
  }, 180_000);

  it('shows what an OpenAPI document makes of a provider before it is saved: authentication, test requests, every endpoint', async () => {
    const preview = await runCli(['import', join(F, 'acme-openapi.yaml'), '--workspace', 'Acme API', '--dry-run'], env);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/Provider \S+ \(Acme[^)]*\): new, saved with the import/);
    expect(preview.stdout).toMatch(/^ {2}Authentication: .*bearer/m);
    expect(preview.stdout).toMatch(/^ {2}Test requests: GET \/me/m);
    expect(preview.stdout).toMatch(/^ {2}Endpoints \(4\):/m);
    for (const [methods, path] of [['GET DELETE', '/orders/{id}'], ['GET POST', '/orders'], ['GET', '/search'], ['GET', '/me']] as const) {
      expect(preview.stdout).toMatch(new RegExp(`^${methods}\\s+${path.replace(/[{}]/g, '\\$&')}$`, 'm'));
    }
    // A dry run saves nothing: the provider is not there afterwards.
    expect((await runCli(['provider', 'list', '--json'], env)).stdout).not.toMatch(/Acme/);
  }, 180_000);

  it('exports without secrets to stdout; a plaintext export needs a file and --yes off a terminal, and re-imports', async () => {
    const plain = await runCli(['export', 'Regen'], env);
    expect(plain.code, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ format: 'tokenvault-export', withSecrets: false });
    expect(plain.stdout).not.toContain('rg_live_8e7d6c5b4a3f2e1d0c9b');
    const file = join(home, 'regen.json');
    expect((await runCli(['export', 'Regen', '--with-secrets'], env)).code).toBe(2);
    const unconfirmed = await runCli(['export', 'Regen', file, '--with-secrets'], env);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/PLAINTEXT/);
    const done = await runCli(['export', 'Regen', file, '--with-secrets', '--yes', '--json'], env);
    expect(done.code, done.stderr).toBe(0);
    expect(done.json()).toMatchObject({ values: 2, withSecrets: true });
    const back = await runCli(['import', file, '--workspace', 'Regen copy', '--yes', '--json'], env);
    expect(back.code, back.stderr).toBe(0);
    expect(back.json().result.created).toMatchObject({ environments: 2, credentials: 2 });
    expect((await runCli(['token', 'reveal', 'Regen copy/Production/apiKey'], env)).stdout.trim()).toBe('rg_live_8e7d6c5b4a3f2e1d0c9b');
  }, 180_000);
});
