import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, usePassphraseCli } from './test-cli';

// The built CLI as a user's shell runs it (synchronous: no emulator here to answer).
const root = join(__dirname, '..', '..');
const fixture = usePassphraseCli({ vaultDir: 'vault' });
const tv = (args: string[], input = '', home?: string) => fixture.tv(args, input, home === undefined ? {} : { home });

const auditNotes = () => (tv(['audit', '--json', '--limit', '200']).json() as { type: string; note?: string }[]).map((e) => `${e.type}: ${e.note ?? ''}`);

describe('managing what you created, from the CLI', { timeout: 120_000 }, () => {
  it('sets up a vault with two workspaces', () => {
    expect(tv(['init', '--passphrase']).code).toBe(0);
    expect(tv(['workspace', 'add', 'Client A']).code).toBe(0);
    expect(tv(['env', 'add', 'Client A', 'sandbox', '--base-url', 'https://sandbox.example.com']).code).toBe(0);
    expect(tv(['env', 'add', 'Client A', 'production', '--base-url', 'https://api.example.com', '--production']).code).toBe(0);
    expect(tv(['workspace', 'add', 'Client B']).code).toBe(0);
    expect(tv(['env', 'add', 'Client B', 'production', '--base-url', 'https://api.example.com', '--production']).code).toBe(0);
    expect(tv(['token', 'add', 'Client A/production/deploy', '--kind', 'bearer', '--notes', 'first'], 'tok_abcdefghijklmnopqrstuv\n').code).toBe(0);
  });

  it('workspace rename and edit change the name, colour and notes, audited', () => {
    expect(tv(['workspace', 'rename', 'Client A', 'Client Alpha']).stdout).toContain('Updated workspace Client Alpha (was Client A).');
    const edited = tv(['workspace', 'edit', 'client alpha', '--color', '#00AA00', '--notes', 'moved to EU', '--provider', 'coolset', '--json']);
    expect(edited.code).toBe(0);
    expect(edited.json()).toMatchObject({ name: 'Client Alpha', color: '#00aa00', notes: 'moved to EU', providerId: 'coolset' });
    expect(tv(['workspace', 'edit', 'Client Alpha', '--provider', 'no-such']).code).toBe(2);
    expect(tv(['workspace', 'edit', 'Client Alpha']).stderr).toContain('Nothing to change');
    expect(auditNotes()).toContain('updated: workspace Client Alpha');
  });

  it('env edit changes the base URL and name; unmarking production needs the name or --yes', () => {
    const r = tv(['env', 'edit', 'Client Alpha/sandbox', '--base-url', 'https://sandbox2.example.com', '--name', 'staging', '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ name: 'staging', baseUrl: 'https://sandbox2.example.com', production: false });
    const refused = tv(['env', 'edit', 'Client Alpha/production', '--no-production']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect(tv(['env', 'list', 'Client Alpha', '--json']).json().find((e: { name: string }) => e.name === 'production').production).toBe(true);
    expect(tv(['env', 'edit', 'Client Alpha/production', '--no-production', '--yes']).code).toBe(0);
    expect(tv(['env', 'edit', 'Client Alpha/production', '--production', '--json']).json().production).toBe(true);
    expect(tv(['env', 'edit', 'Client Alpha/production', '--base-url', 'ftp://x']).code).toBe(2);
  });

  it('token edit changes every field, sets and clears the remote id', () => {
    const r = tv([
      'token', 'edit', 'Client Alpha/production/deploy',
      '--name', 'deploy-key', '--description', 'CI deploys', '--notes', 'ask Ana\nin ops', '--tag', 'ci', '--tag', 'eu',
      '--scopes', 'Write', '--expires', '2031-01-01', '--rotate-every', '90d', '--remote-id', '42', '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({
      name: 'deploy-key', description: 'CI deploys', notes: 'ask Ana\nin ops', tags: ['ci', 'eu'], scopes: ['Write'],
      rotationDays: 90, remoteId: '42',
    });
    // A date means that calendar day (its end, since issue 10), whatever the zone.
    expect(r.json().expiresAt).toBeGreaterThan(Date.UTC(2030, 11, 31));
    expect(r.json().expiresAt).toBeLessThan(Date.UTC(2031, 0, 2, 12));
    const cleared = tv(['token', 'edit', 'Client Alpha/production/deploy-key', '--no-remote-id', '--no-tags', '--never-expires', '--no-rotation', '--json']).json();
    expect(cleared).toMatchObject({ remoteId: null, tags: [], expiresAt: null, rotationDays: null });
    // Coolset decides by scope: a role is refused, naming what to use instead.
    const role = tv(['token', 'edit', 'Client Alpha/production/deploy-key', '--role', 'Admin']);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('--scopes Admin');
    expect(tv(['token', 'edit', 'Client Alpha/production/deploy-key', '--remote-id', '1', '--no-remote-id']).code).toBe(2);
  });

  it('token mv moves out of production freely and into production only with the workspace name (--yes off a terminal)', () => {
    const out = tv(['token', 'mv', 'Client Alpha/production/deploy-key', 'Client Alpha/staging', '--json']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.json()).toMatchObject({ name: 'deploy-key', notes: 'ask Ana\nin ops' });
    const refused = tv(['token', 'mv', 'Client Alpha/staging/deploy-key', 'Client B/production/deploy']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('PRODUCTION');
    expect(tv(['token', 'show', 'Client Alpha/staging/deploy-key']).code).toBe(0);
    const moved = tv(['token', 'mv', 'Client Alpha/staging/deploy-key', 'Client B/production/deploy', '--yes']);
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain('to Client B/production/deploy (PRODUCTION)');
    expect(tv(['token', 'reveal', 'Client B/production/deploy']).stdout.trim()).toBe('tok_abcdefghijklmnopqrstuv');
    expect(auditNotes()).toContain('moved: from Client Alpha/staging/deploy-key to Client B/production/deploy');
  });

  it('token rm asks before deleting a production token (--yes for scripts), like the other rm commands', () => {
    const added = tv(['token', 'add', 'Client B/production/throwaway', '--kind', 'bearer'], 'tok_throwaway_abcdefghijklmnop\n');
    expect(added.code).toBe(0);
    const refused = tv(['token', 'rm', 'Client B/production/throwaway']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('PRODUCTION');
    expect(refused.stderr).toContain('pass --yes');
    expect(tv(['token', 'show', 'Client B/production/throwaway']).code).toBe(0);
    expect(tv(['token', 'rm', 'Client B/production/throwaway', '--yes']).code).toBe(0);
    expect(tv(['token', 'show', 'Client B/production/throwaway']).code).not.toBe(0);
  });

  it('env rm and workspace rm ask first and say what goes with them', () => {
    expect(tv(['env', 'rm', 'Client Alpha/staging']).code).toBe(2);
    expect(tv(['env', 'rm', 'Client Alpha/staging', '--yes']).stdout).toContain('with 0 tokens.');
    const refused = tv(['workspace', 'rm', 'Client B']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('with its 1 environment and 1 token?');
    expect(tv(['workspace', 'list', '--json']).json()).toHaveLength(2);
    expect(tv(['workspace', 'rm', 'Client B', '--yes', '--json']).json()).toMatchObject({ environments: 1, credentials: 1 });
    expect(tv(['workspace', 'list', '--json']).json()).toHaveLength(1);
  });
});

describe("the README's CLI examples", { timeout: 120_000 }, () => {
  it('run as written through the built CLI', { timeout: 300_000 }, () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = readme.slice(readme.indexOf('```sh\ntokenvault init'));
    const lines = block.slice(6, block.indexOf('```', 6)).split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(15);
    // A shell like the reader's: `tokenvault` is the built CLI, `pbpaste` holds a token.
    const bin = join(fixture.root, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'tokenvault'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    writeFileSync(join(bin, 'pbpaste'), '#!/bin/sh\necho tok_readme_abcdefghijklmnop\n');
    chmodSync(join(bin, 'tokenvault'), 0o755);
    chmodSync(join(bin, 'pbpaste'), 0o755);
    const cwd = join(fixture.root, 'readme');
    mkdirSync(cwd, { recursive: true });
    const ran: string[] = [];
    for (const line of lines) {
      // Left out: the keychain init (its alternative, --passphrase, runs),
      // the lines that need the network or a file of the reader's own, and the
      // key changes, which ask on a terminal (cli-keys.test.ts runs them).
      if (
        /^tokenvault init\s+#/.test(line) ||
        /^tokenvault test /.test(line) ||
        /provider add my-api\.json/.test(line) ||
        /^tokenvault (passphrase change|key-source) /.test(line)
      )
        continue;
      const cmd = line.replaceAll(' REF ', ' "Acme Holding/production/ci" ');
      const r = spawnSync('sh', ['-c', cmd], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TOKENVAULT_HOME: join(fixture.root, 'readme-vault'), TOKENVAULT_PASSPHRASE_FILE: fixture.passFile },
      });
      expect({ line, code: r.status, stderr: r.stderr }).toEqual({ line, code: 0, stderr: expect.any(String) });
      ran.push(line);
    }
    expect(ran.length).toBeGreaterThan(14);
  });

  it('name what to use instead when a preset environment exists or a role does not apply', () => {
    const h = join(fixture.root, 'errors-vault');
    expect(tv(['init', '--passphrase'], '', h).code).toBe(0);
    expect(tv(['workspace', 'add', 'Acme', '--provider', 'coolset'], '', h).code).toBe(0);
    const env = tv(['env', 'add', 'Acme', 'production', '--base-url', 'https://api.example.com', '--production'], '', h);
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('tokenvault env edit "Acme/Production" --base-url');
    const role = tv(['token', 'add', 'Acme/production/ci', '--kind', 'bearer', '--role', 'Admin'], 'tok_abcdefghijklmnop\n', h);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('--scopes Admin');
    // The same value in sandbox and production: said at the moment it is stored.
    expect(tv(['env', 'add', 'Acme', 'sandbox', '--base-url', 'https://sandbox.example.com'], '', h).code).toBe(0);
    expect(tv(['token', 'add', 'Acme/sandbox/ci', '--kind', 'bearer'], 'tok_same_abcdefghijklmnop\n', h).stderr).not.toContain('WARNING');
    const twin = tv(['token', 'add', 'Acme/production/ci', '--kind', 'bearer'], 'tok_same_abcdefghijklmnop\n', h);
    expect(twin.code).toBe(0);
    expect(twin.stderr).toContain('WARNING: The same value is stored as Acme/sandbox/ci');
  });
});
