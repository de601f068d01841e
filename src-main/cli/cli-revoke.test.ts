import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAll, type AllEmulators } from '../../e2e/emulators';
import { tempHome } from '../vault/test-support';
import { runCli } from './test-cli';

// `tokenvault login / sync / regenerate / revoke` as a script runs them,
// against the emulators in this process (so the child runs asynchronously).
const root = join(__dirname, '..', '..');
let home: string;
let passFile: string;
let emu: AllEmulators;

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
  emu = await startAll();
  home = tempHome();
  passFile = join(home, 'pass.txt');
  writeFileSync(passFile, 'correct horse battery staple\n');
  await tv(['init', '--passphrase']);
  await tv(['workspace', 'add', 'CMS', '--provider', 'strapi']);
  await tv(['env', 'add', 'CMS', 'live', '--base-url', emu.urls.strapi]);
  await tv(['workspace', 'add', 'Northwind', '--provider', 'coolset']);
  await tv(['env', 'add', 'Northwind', 'sandbox', '--base-url', emu.urls.coolset]);
});

afterAll(async () => {
  await emu.close();
  rmSync(home, { recursive: true, force: true });
});

function tv(args: string[], input = '') {
  return runCli(args, { TOKENVAULT_HOME: home, TOKENVAULT_PASSPHRASE_FILE: passFile }, input);
}

describe('tokenvault login / sync / regenerate / revoke', () => {
  it('Strapi: sign in, sync, regenerate without printing the value, revoke', async () => {
    const t = emu.strapi.state.addToken({ type: 'read-only', name: 'site' });
    const original = t.accessKey;
    emu.strapi.state.addToken({ type: 'full-access', name: 'made in the panel' });
    expect((await tv(['token', 'add', 'CMS/live/site', '--kind', 'bearer', '--remote-id', String(t.id)], t.accessKey)).code).toBe(0);

    const noSession = await tv(['sync', 'CMS/live', '--json']);
    expect(noSession.code).toBe(1);
    expect(noSession.json().error.code).toBe('SIGN_IN_REQUIRED');
    expect(noSession.stderr).toContain('tokenvault login');
    const wrong = await tv(['login', 'CMS/live/admin', '--email', 'admin@example.com'], 'nope\n');
    expect(wrong.code).not.toBe(0);
    const login = await tv(['login', 'CMS/live/admin', '--email', 'admin@example.com'], 'Admin123!\n');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain('Signed in');

    const sync = await tv(['sync', 'CMS/live', '--json']);
    expect(sync.code).toBe(0);
    expect(sync.json().matched).toEqual([expect.objectContaining({ remoteId: String(t.id), tokenType: 'read-only', changed: ['tokenType'] })]);
    expect((await tv(['sync', 'CMS/live'])).stdout).toContain('NOT IN THE VAULT: made in the panel');

    const asked = await tv(['regenerate', 'CMS/live/site']);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toContain('Regenerate site? Its current value stops working at once. Not on a terminal, so there is no one to ask: pass --yes to go ahead.');
    expect(asked.stderr).not.toContain('..');
    const regen = await tv(['regenerate', 'CMS/live/site', '--yes']);
    expect(regen.code).toBe(0);
    const fresh = emu.strapi.state.tokens.get(t.id)!.accessKey;
    expect(fresh).not.toBe(original);
    expect(regen.stdout + regen.stderr).not.toContain(fresh);
    expect((await tv(['token', 'reveal', 'CMS/live/site'])).stdout.trim()).toBe(fresh);

    expect((await tv(['revoke', 'CMS/live/site'])).code).toBe(2);
    expect(emu.strapi.state.tokens.has(t.id)).toBe(true);
    const revoked = await tv(['revoke', 'CMS/live/site', '--yes', '--json']);
    expect(revoked.code).toBe(0);
    expect(revoked.json()).toMatchObject({ revoked: true, valueWiped: true, verification: { status: 401 } });
    expect(emu.strapi.state.tokens.has(t.id)).toBe(false);
    expect((await tv(['token', 'show', 'CMS/live/site', '--json'])).json()).toMatchObject({ status: 'revoked', hasValue: false });
  });

  it('regenerate where the provider has no regenerate API says so first, without asking for --yes', async () => {
    expect((await tv(['token', 'add', 'Northwind/sandbox/Reporting (read all)', '--kind', 'bearer'], 'tok_reporting_abcdefghijklmnop')).code).toBe(0);
    const r = await tv(['regenerate', 'Northwind/sandbox/Reporting (read all)']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Coolset has no API to regenerate tokens');
    expect(r.stderr).not.toContain('--yes');
  });

  it('Coolset: the checklist, then --yes runs the verification; exit 1 while the token still works', async () => {
    const value = emu.coolset.state.addToken({ scope: 'Read' }).value;
    await tv(['token', 'add', 'Northwind/sandbox/integration', '--kind', 'bearer'], value);
    const noTty = await tv(['revoke', 'Northwind/sandbox/integration']);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('Click Revoke next to the token');
    const early = await tv(['revoke', 'Northwind/sandbox/integration', '--yes']);
    expect(early.code).toBe(1);
    expect(early.stdout).toContain('still accepts');
    emu.coolset.state.revoke(value);
    const done = await tv(['revoke', 'Northwind/sandbox/integration', '--yes']);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('Verified');
  });
});
