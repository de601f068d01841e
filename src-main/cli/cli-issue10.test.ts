import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAll, type AllEmulators } from '../../e2e/emulators';
import { testJwt } from '../../src-shared/expiry/test-jwt';
import { tempHome } from '../vault/test-support';
import { runCli } from './test-cli';

// Issue 10 through the built CLI: dates under several TZ values, expiry from a
// JWT, duration units, a Windows-saved passphrase file, the provider's own
// words and network failures at login, revoke's manual path, sync linking.
const root = join(__dirname, '..', '..');
const PASS = 'correct horse battery staple';
let home: string;
let passFile: string;
let emu: AllEmulators;

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
  emu = await startAll();
  home = tempHome();
  passFile = join(home, 'pass.txt');
  writeFileSync(passFile, `${PASS}\n`);
  await tv(['init', '--passphrase']);
  await tv(['workspace', 'add', 'CMS', '--provider', 'strapi']);
  await tv(['env', 'add', 'CMS', 'live', '--base-url', emu.urls.strapi]);
  await tv(['env', 'add', 'CMS', 'down', '--base-url', 'http://127.0.0.1:9']);
  await tv(['workspace', 'add', 'Acme']);
  await tv(['env', 'add', 'Acme', 'prod', '--base-url', 'https://api.example.com']);
}, 180_000);

afterAll(async () => {
  await emu.close();
  rmSync(home, { recursive: true, force: true });
});

function tv(args: string[], input = '', env: Record<string, string> = {}) {
  return runCli(args, { TOKENVAULT_HOME: home, TOKENVAULT_PASSPHRASE_FILE: passFile, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', TZ: 'UTC', ...env }, input);
}

describe('dates under several TZ values', () => {
  it('a date-only --expires stays that date in every zone: due, --json and token show', async () => {
    const add = await tv(['token', 'add', 'Acme/prod/march', '--kind', 'bearer', '--expires', '2027-03-01', '--json'], 'tok_march_0123456789abcdef', { TZ: 'America/Los_Angeles' });
    expect(add.code, add.stderr).toBe(0);
    expect(add.json()).toMatchObject({ expiresAt: '2027-03-01T23:59:59.999-08:00', expiresOn: '2027-03-01', expirySource: 'explicit' });
    for (const TZ of ['Pacific/Honolulu', 'UTC', 'Pacific/Kiritimati', 'America/Los_Angeles', 'Europe/Amsterdam']) {
      const json = await tv(['due', '--within', '3650d', '--json'], '', { TZ });
      const row = (json.json() as { name: string; dueDate: string; dueAt: string }[]).find((r) => r.name === 'march');
      expect(row?.dueDate, TZ).toBe('2027-03-01');
      // The instant keeps its offset in the reader's zone.
      expect(row?.dueAt, TZ).toMatch(/[+-]\d{2}:\d{2}$/);
      const human = await tv(['due', '--within', '3650d'], '', { TZ });
      expect(human.stdout, TZ).toMatch(/Acme\/prod\/march\s+expires\s+Mar 1, 2027\s/);
      const show = await tv(['token', 'show', 'Acme/prod/march'], '', { TZ });
      expect(show.stdout, TZ).toMatch(/Expires\s+Mar 1, 2027 \(end of that day; from the date entered\)/);
    }
  });

  it('shows times in the local zone with the zone named', async () => {
    const show = await tv(['token', 'show', 'Acme/prod/march'], '', { TZ: 'Pacific/Kiritimati' });
    expect(show.stdout).toMatch(/Created\s+\w{3} \d{1,2}, \d{4}, \d{2}:\d{2} [AP]M GMT\+14/);
  });

  it('refuses --duration 6m, naming min and mo; takes 6mo', async () => {
    const bad = await tv(['token', 'add', 'Acme/prod/six', '--kind', 'bearer', '--duration', '6m'], 'tok_six_0123456789abcdef');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/6min.*6mo/);
    const help = await tv(['token', 'add', '--help']);
    expect(help.stdout + help.stderr).toContain('min (minutes), h (hours), d (days), w (weeks), mo (months), y (years)');
    const ok = await tv(['token', 'add', 'Acme/prod/six', '--kind', 'bearer', '--duration', '6mo', '--json'], 'tok_six_0123456789abcdef', { TZ: 'Pacific/Honolulu' });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json().expirySource).toBe('duration');
  });
});

describe('expiry from the token itself', () => {
  it('a JWT added without --expires is due by its exp, and says so', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3 * 86_400 + 0.5;
    const add = await tv(['token', 'add', 'Acme/prod/jwt', '--kind', 'bearer', '--json'], testJwt({ sub: 'ci', exp }));
    expect(add.code, add.stderr).toBe(0);
    expect(add.json()).toMatchObject({ expirySource: 'jwt_exp' });
    const due = await tv(['due', '--json']);
    expect((due.json() as { name: string; status: string }[]).find((r) => r.name === 'jwt')).toMatchObject({ status: 'due_soon' });
    expect((await tv(['token', 'show', 'Acme/prod/jwt'])).stdout).toContain("from the token's JWT exp claim");
  });
});

describe('files in', () => {
  it('a passphrase file saved by a Windows editor (BOM, CRLF) unlocks the same vault', async () => {
    const win = join(home, 'pass-windows.txt');
    writeFileSync(win, `\uFEFF${PASS}\r\n`);
    const r = await tv(['token', 'list', '--json'], '', { TOKENVAULT_PASSPHRASE_FILE: win });
    expect(r.code, r.stderr).toBe(0);
  });

  it('a token value piped with CRLF is stored without the line end', async () => {
    const r = await tv(['token', 'add', 'Acme/prod/crlf', '--kind', 'bearer', '--json'], '\uFEFFtok_crlf_0123456789abcdef\r\n');
    expect(r.code, r.stderr).toBe(0);
    expect((await tv(['token', 'reveal', 'Acme/prod/crlf'])).stdout.trim()).toBe('tok_crlf_0123456789abcdef');
  });
});

describe('errors a user can act on', () => {
  it("login: the provider's own words for a wrong password; a server that is down is a network failure, exit 1", async () => {
    const wrong = await tv(['login', 'CMS/live/admin', '--email', 'admin@example.com', '--json'], 'nope\n');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Strapi said: "Invalid credentials"');
    const down = await tv(['login', 'CMS/down/admin', '--email', 'admin@example.com', '--json'], 'Admin123!\n');
    expect(down.code).toBe(1);
    expect(down.json().error.code).toBe('NETWORK');
    expect(down.stderr).not.toMatch(/\.\./);
  });

  it('sync --apply links by name and says so; revoke --yes without a remote id says it takes the manual path', async () => {
    expect((await tv(['login', 'CMS/live/admin', '--email', 'admin@example.com'], 'Admin123!\n')).code).toBe(0);
    const t = emu.strapi.state.addToken({ type: 'read-only', name: 'panel' });
    expect((await tv(['token', 'add', 'CMS/live/panel', '--kind', 'bearer'], t.accessKey)).code).toBe(0);

    const revoke = await tv(['revoke', 'CMS/live/panel', '--yes', '--json']);
    expect(revoke.stderr).toContain('switching to the manual path');
    expect(revoke.json()).toMatchObject({ path: 'manual', switchedToManual: 'no_remote_id', revoked: false });
    // The token still works at Strapi: --yes alone did not make it revoked.
    expect(revoke.code).toBe(1);

    const look = await tv(['sync', 'CMS/live']);
    expect(look.stdout).toMatch(/NO REMOTE ID: panel — the provider has one token of that name \(id \d+\): run again with --apply to link them/);
    expect(look.stdout).not.toContain('NOT IN THE VAULT: panel');
    const apply = await tv(['sync', 'CMS/live', '--apply']);
    expect(apply.stdout).toContain(`LINKED: panel to the provider's token ${t.id}`);
    expect((await tv(['token', 'show', 'CMS/live/panel', '--json'])).json().remoteId).toBe(String(t.id));
  });
});
