import { execFileSync } from 'node:child_process';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../vault/test-support';
import { runCli } from './test-cli';

// `tokenvault backup` / `restore` through the built CLI, as a user on a new machine runs them.
const root = join(__dirname, '..', '..');
let home: string;
let home2: string;
let env: Record<string, string>;

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
  home = tempHome();
  home2 = tempHome();
  writeFileSync(join(home, 'pass.txt'), 'correct horse battery staple\n', { mode: 0o600 });
  writeFileSync(join(home, 'backup-pass.txt'), 'another long backup passphrase\n', { mode: 0o600 });
  env = { TOKENVAULT_PASSPHRASE_FILE: join(home, 'pass.txt'), TOKENVAULT_BACKUP_PASSPHRASE_FILE: join(home, 'backup-pass.txt') };
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(home2, { recursive: true, force: true });
});

describe('tokenvault backup / restore', () => {
  it('backs up, restores on a "new machine", lists conflicts and refuses to merge without a choice', async () => {
    const tv = (args: string[], h = home, input = '') => runCli([...args, '--home', h], env, input);
    expect((await tv(['init', '--passphrase'])).code).toBe(0);
    expect((await tv(['workspace', 'add', 'Acme'])).code).toBe(0);
    expect((await tv(['env', 'add', 'Acme', 'prod', '--base-url', 'https://api.example.com'])).code).toBe(0);
    expect((await tv(['token', 'add', 'Acme/prod/ci', '--kind', 'bearer'], home, 'secret-value-0123456789\n')).code).toBe(0);

    const file = join(home, 'vault.age');
    const b = await tv(['backup', file, '--json']);
    expect(b.code, b.stderr).toBe(0);
    expect(b.json()).toMatchObject({ workspaces: 1, environments: 1, credentials: 1 });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const r = await tv(['restore', file, '--passphrase', '--json'], home2);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ mode: 'new', credentials: 1 });
    expect((await tv(['token', 'reveal', 'Acme/prod/ci'], home2)).stdout.trim()).toBe('secret-value-0123456789');
    const verify = await tv(['audit', '--verify', '--json'], home2);
    expect(verify.json()).toMatchObject({ ok: true });

    // Replace the token in the original (same name, another id), then merge the older backup back into it.
    expect((await tv(['token', 'rm', 'Acme/prod/ci'])).code).toBe(0);
    expect((await tv(['token', 'add', 'Acme/prod/ci', '--kind', 'bearer'], home, 'replacement-0123456789\n')).code).toBe(0);
    const plan = await tv(['restore', file, '--dry-run', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.json().conflicts).toMatchObject([{ entity: 'credential', reason: 'same-name', path: 'Acme/prod/ci' }]);
    // One of each, in words: no "1 conflicts", "1 workspaces".
    const planText = (await tv(['restore', file, '--dry-run'])).stdout;
    expect(planText).toContain('1 conflict (resolve with --on-conflict)');
    // Why, in the app's words ("changed on one side" was said also when both sides had changed).
    expect(planText).toMatch(/Acme\/prod\/ci\s+the name is taken here\s+mine\|theirs\|both/);
    expect(planText).not.toMatch(/\b1 (conflicts|workspaces|environments|tokens)\b/);
    const refused = await tv(['restore', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/conflicts with this vault/);
    const merged = await tv(['restore', file, '--on-conflict', 'both', '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.json().resolved).toEqual([{ key: plan.json().conflicts[0].key, choice: 'both' }]);
    expect((await tv(['token', 'reveal', 'Acme/prod/ci (restored)'])).stdout.trim()).toBe('secret-value-0123456789');
    expect((await tv(['restore', file, '--on-conflict', 'maybe'])).code).toBe(2);
    writeFileSync(join(home, 'not-a-backup.env'), 'PORT=3000\n');
    const notBackup = await tv(['restore', join(home, 'not-a-backup.env'), '--json']);
    expect(notBackup.code).toBe(2);
    expect(notBackup.json().error.code).toBe('VALIDATION');
  }, 180_000);
});
