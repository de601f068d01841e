import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../vault/test-support';
import { CLI } from './test-cli';

// issue 12: `workspace add --provider P --no-environments` skips the provider's preset environments.
const root = join(__dirname, '..', '..');
let home: string;
let passFile: string;

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
  home = tempHome();
  passFile = join(home, 'pass.txt');
  writeFileSync(passFile, 'correct horse battery staple\n', { mode: 0o600 });
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

function tv(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TOKENVAULT_HOME: join(home, 'vault'), TOKENVAULT_PASSPHRASE_FILE: passFile },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

describe('workspace add --no-environments', { timeout: 120_000 }, () => {
  it('adds the provider preset environments by default, and none with --no-environments', () => {
    expect(tv(['init', '--passphrase']).code).toBe(0);

    const withPresets = tv(['workspace', 'add', 'Built default', '--provider', 'built-accounting', '--json']);
    expect(withPresets.code).toBe(0);
    expect((withPresets.json().environments as { name: string }[]).map((e) => e.name).sort()).toEqual(['Production', 'Sandbox']);

    const bare = tv(['workspace', 'add', 'Built bare', '--provider', 'built-accounting', '--no-environments', '--json']);
    expect(bare.code).toBe(0);
    expect(bare.json()).toMatchObject({ name: 'Built bare', providerId: 'built-accounting', environments: [] });
    expect(tv(['env', 'list', 'Built bare', '--json']).json()).toEqual([]);

    // The hint is a command that runs when pasted: the name is shell-quoted (it has a space).
    const hint = tv(['env', 'list', 'Built bare']).stdout;
    expect(hint).toContain("Add one with: tokenvault env add 'Built bare' sandbox --base-url URL");

    // The README's flow then runs as written: the user's own production, no "already exists".
    const own = tv(['env', 'add', 'Built bare', 'production', '--base-url', 'https://web.example.com', '--production']);
    expect(own.code).toBe(0);
    expect(tv(['env', 'list', 'Built bare', '--json']).json()).toMatchObject([{ name: 'production', baseUrl: 'https://web.example.com', production: true }]);
  });

  it('is listed in the usage of workspace add', () => {
    const help = tv(['workspace', 'add', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--no-environments');
  });
});
