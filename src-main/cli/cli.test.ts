import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../vault/test-support';
import { CLI as cli, usePassphraseCli } from './test-cli';

// End to end through a child process: the built CLI, as a user's script runs it.
const fixture = usePassphraseCli();
const tv = (args: string[], input = '') => fixture.tv(args, input);

const SECRET = 'rg_live_4f9c2e7a1b3d5f7092ab4cd6ef8a9b0c';

describe('tokenvault CLI', () => {
  it('creates a passphrase vault', () => {
    const r = tv(['init', '--passphrase', '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ state: 'unlocked', keySource: 'passphrase' });
    expect(tv(['init', '--passphrase']).code).toBe(2);
  });

  it('adds workspaces and environments and lists them as JSON', () => {
    const added = tv(['workspace', 'add', 'Acme Holding', '--provider', 'regen-therapy', '--color', '#ff0000', '--json']);
    expect(added.code).toBe(0);
    // The provider's documented environment comes with the workspace.
    expect(added.json().environments).toMatchObject([{ name: 'Production', baseUrl: 'https://gateway.regentherapy.com', production: true }]);
    expect(tv(['env', 'add', 'acme holding', 'production', '--base-url', 'https://gateway.example.com', '--production']).code).toBe(2);
    expect(tv(['env', 'add', 'Acme Holding', 'sandbox', '--base-url', 'http://127.0.0.1:9/']).code).toBe(0);
    expect(tv(['workspace', 'add', 'Other', '--provider', 'no-such-provider']).code).toBe(2);
    const ws = tv(['workspace', 'list', '--json']).json();
    expect(ws).toHaveLength(1);
    expect(ws[0]).toMatchObject({ name: 'Acme Holding', providerId: 'regen-therapy', color: '#ff0000' });
    const envs = tv(['env', 'list', 'Acme Holding', '--json']).json();
    expect(envs.map((e: { name: string; production: boolean }) => [e.name, e.production])).toEqual([
      ['Production', true],
      ['sandbox', false],
    ]);
  });

  it('reads the secret from standard input, never from argv, and shows it masked', () => {
    const add = tv(
      ['token', 'add', 'Acme Holding/production/orders', '--kind', 'api_key', '--header', 'X-API-Key', '--scopes', 'read:orders,write:*', '--duration', '30d', '--rotate-every', '90d', '--json'],
      `${SECRET}\n`,
    );
    expect(add.code).toBe(0);
    const c = add.json();
    expect(c).toMatchObject({ name: 'orders', kind: 'api_key', headerName: 'X-API-Key', scopes: ['read:orders', 'write:*'], rotationDays: 90 });
    // --json dates are ISO 8601 with the user's offset.
    expect(c.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?[+-]\d{2}:\d{2}$/);
    expect(c).toMatchObject({ expirySource: 'duration' });
    expect(Date.parse(c.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(JSON.stringify(c)).not.toContain(SECRET);
    const show = tv(['token', 'show', 'acme holding/PRODUCTION/orders']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(c.fingerprint);
    expect(show.stdout).not.toContain(SECRET);
    const list = tv(['token', 'list', 'Acme Holding/production']);
    expect(list.stdout).toContain('orders');
    expect(list.stdout).not.toContain(SECRET);
  });

  it('reveals the value on request, and audits it', () => {
    const r = tv(['token', 'reveal', 'Acme Holding/production/orders']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(SECRET);
    const audit = tv(['audit', '--json']).json() as { type: string; fingerprint: string | null }[];
    expect(audit.some((e) => e.type === 'revealed')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(tv(['audit', '--verify']).code).toBe(0);
  });

  it('exits 2 with one clear line (and a JSON error) for bad input, changing nothing', () => {
    const before = tv(['token', 'list', '--json']).json().length;
    const cases: [string[], string, string][] = [
      [['token', 'add', 'Acme Holding/production/x', '--kind', 'nope'], 'VALIDATION', SECRET],
      [['token', 'add', 'Acme Holding/production/x', '--kind', 'bearer', '--expires', '2027-02-31'], 'VALIDATION', SECRET],
      [['token', 'add', 'Acme Holding/production/x', '--kind', 'bearer', '--duration', 'forever'], 'VALIDATION', SECRET],
      [['token', 'add', 'Acme Holding/production/x', '--kind', 'bearer', '--duration', '6m'], 'VALIDATION', SECRET],
      [['token', 'add', 'Acme Holding/production/x', '--kind', 'bearer'], 'VALIDATION', 'has spaces in it'],
      [['token', 'add', 'Acme Holding/production/orders', '--kind', 'bearer'], 'CONFLICT', SECRET],
      [['token', 'add', 'Nowhere/production/x', '--kind', 'bearer'], 'NOT_FOUND', SECRET],
      [['token', 'add', 'no-slashes', '--kind', 'bearer'], 'USAGE', SECRET],
      [['env', 'add', 'Acme Holding', 'qa', '--base-url', 'http://api.example.com'], 'VALIDATION', ''],
      [['token', 'frobnicate'], 'USAGE', ''],
      [['token', 'list', '--bogus'], 'USAGE', ''],
    ];
    for (const [args, code, input] of cases) {
      const r = tv([...args, '--json'], input);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.json().error.code, args.join(' ')).toBe(code);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain(SECRET);
    }
    expect(tv(['token', 'list', '--json']).json().length).toBe(before);
  });

  it('refuses a wrong passphrase with exit 1, and a missing one off-terminal with exit 2', () => {
    const wrong = join(fixture.home, 'wrong.txt');
    writeFileSync(wrong, 'not the passphrase at all');
    const r = tv(['token', 'list', '--json', '--passphrase-file', wrong]);
    expect(r.code).toBe(1);
    expect(r.json().error.code).toBe('WRONG_PASSPHRASE');
    const none = spawnSync(process.execPath, [cli, 'token', 'list', '--json'], { encoding: 'utf8', env: { ...process.env, TOKENVAULT_HOME: fixture.home, TOKENVAULT_PASSPHRASE_FILE: '' } });
    expect(none.status).toBe(2);
    expect(JSON.parse(none.stdout).error.message).toContain('--passphrase-file');
  });

  it('deletes a token by id', () => {
    const [c] = tv(['token', 'list', '--json']).json();
    // A production token: off a terminal it takes --yes (manage.test.ts covers the question).
    expect(tv(['token', 'rm', c.id, '--yes']).code).toBe(0);
    expect(tv(['token', 'show', c.id, '--json']).json().error.code).toBe('NOT_FOUND');
  });

  it('never writes the secret to the database files in clear', () => {
    const add = tv(['token', 'add', 'Acme Holding/sandbox/again', '--kind', 'bearer'], SECRET);
    expect(add.code).toBe(0);
    for (const f of ['vault.db', 'vault.db-wal']) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(fixture.home, f));
      } catch {
        continue;
      }
      expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    }
  });
});

// The default vault keeps its key in the OS keychain: exercised against the
// real Secret Service when the test session has one (npm test starts it).
const hasBus = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
const requireKeychain = process.env.TOKENVAULT_REQUIRE_KEYCHAIN === '1';

describe('tokenvault CLI with the OS keychain', () => {
  it('has a Secret Service when TOKENVAULT_REQUIRE_KEYCHAIN=1', () => {
    if (requireKeychain) expect(hasBus, 'TOKENVAULT_REQUIRE_KEYCHAIN=1 but there is no session bus').toBe(true);
  });

  it.skipIf(!hasBus && !requireKeychain)('creates a keychain vault and unlocks it by itself', () => {
    const kHome = tempHome();
    try {
      const run = (args: string[], input = '') =>
        spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', env: { ...process.env, TOKENVAULT_HOME: kHome, TOKENVAULT_PASSPHRASE_FILE: '' } });
      const init = run(['init', '--json']);
      expect(init.status, init.stderr).toBe(0);
      expect(JSON.parse(init.stdout)).toMatchObject({ keySource: 'keychain', state: 'unlocked' });
      expect(run(['workspace', 'add', 'K']).status).toBe(0);
      expect(run(['env', 'add', 'K', 'sandbox', '--base-url', 'https://k.example.com']).status).toBe(0);
      expect(run(['token', 'add', 'K/sandbox/t', '--kind', 'bearer'], SECRET).status).toBe(0);
      const reveal = run(['token', 'reveal', 'K/sandbox/t']);
      expect(reveal.status, reveal.stderr).toBe(0);
      expect(reveal.stdout.trim()).toBe(SECRET);
    } finally {
      rmSync(kHome, { recursive: true, force: true });
    }
  });
});
