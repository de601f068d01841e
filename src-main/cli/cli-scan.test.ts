import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCliVault } from './exec/test-seed';
import { runCli } from './test-cli';

// `tokenvault scan` as a user and a git hook run it.
const root = join(__dirname, '..', '..');
const TOKEN = 'sk_live_ScanCli0123456789abcdefXYZ';
let home: string;
let env: Record<string, string>;
const git = (cwd: string, ...args: string[]) =>
  spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=T', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
  ({ home, env } = await seedCliVault({ workspaces: [{ name: 'Acme', environments: [{ name: 'live', baseUrl: 'https://api.example.com', production: true, tokens: [{ name: 'sales', value: TOKEN }] }] }] }));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('tokenvault scan (CLI)', () => {
  it('exit 1 with file, line, column, name and fingerprint — never the value; exit 0 when clean', async () => {
    const dir = join(home, 'tree');
    mkdirSync(dir);
    writeFileSync(join(dir, 'app.js'), `// config\nconst k = '${TOKEN}';\n`);
    const r = await runCli(['scan', dir], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${dir}/app.js:2:12  Acme/live/sales  sk_live_`);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    const j = await runCli(['scan', dir, '--json'], env);
    expect(j.json().findings[0]).toMatchObject({ path: `${dir}/app.js`, line: 2, column: 12, token: { name: 'sales', workspace: 'Acme', environment: 'live' } });
    expect(j.stdout).not.toContain(TOKEN);
    writeFileSync(join(dir, 'app.js'), 'clean\n');
    expect((await runCli(['scan', dir], env)).code).toBe(0);
  });

  it('--install-hook adds a pre-commit hook that refuses a commit carrying a stored token', async () => {
    const repo = join(home, 'repo');
    mkdirSync(repo);
    git(repo, 'init', '-q');
    const installed = await runCli(['scan', '--install-hook', repo], env);
    expect(installed.code, installed.stderr).toBe(0);
    const hook = join(repo, '.git', 'hooks', 'pre-commit');
    expect(statSync(hook).mode & 0o111).not.toBe(0);
    expect(readFileSync(hook, 'utf8')).toContain('scan --staged');
    writeFileSync(join(repo, 'ok.txt'), 'nothing\n');
    git(repo, 'add', 'ok.txt');
    expect(git(repo, 'commit', '-qm', 'clean').status).toBe(0);
    writeFileSync(join(repo, 'leak.txt'), `${TOKEN}\n`);
    git(repo, 'add', 'leak.txt');
    const refused = git(repo, 'commit', '-qm', 'leak');
    expect(refused.status).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('(staged) leak.txt:1:1');
    expect(refused.stdout + refused.stderr).not.toContain(TOKEN);
    // A hook that is not ours is left alone.
    writeFileSync(hook, '#!/bin/sh\nexit 0\n');
    expect((await runCli(['scan', '--install-hook', repo], env)).code).toBe(2);
  });
});
