import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../vault/test-support';
import { runCli } from './test-cli';

// `tokenvault unlock` / `tokenvault lock` through the built CLI, on a passphrase vault.
const root = join(__dirname, '..', '..');
let home: string;
let data: string;
let passFile: string;

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
  home = tempHome();
  data = join(home, 'data');
  passFile = join(home, 'pass.txt');
  writeFileSync(passFile, 'correct horse battery staple\n', { mode: 0o600 });
  expect((await runCli(['init', '--passphrase'], { TOKENVAULT_HOME: data, TOKENVAULT_PASSPHRASE_FILE: passFile })).code).toBe(0);
}, 60_000);

afterAll(() => rmSync(home, { recursive: true, force: true }));

const withPass = () => ({ TOKENVAULT_HOME: data, TOKENVAULT_PASSPHRASE_FILE: passFile });
// No passphrase anywhere: only the session can open the vault.
const withSession = (session: string) => ({ TOKENVAULT_HOME: data, TOKENVAULT_PASSPHRASE_FILE: '', TOKENVAULT_SESSION: session });

describe('tokenvault unlock / lock', { timeout: 120_000 }, () => {
  it('prints an export line for eval, and commands then run without the passphrase', async () => {
    const r = await runCli(['unlock', '--for', '15m'], withPass());
    expect(r.code).toBe(0);
    const m = /^export TOKENVAULT_SESSION='(tvs1\.[0-9a-f]{32}\.[A-Za-z0-9_-]{43})'\n$/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(r.stderr).toMatch(/Unlocked until .*tokenvault lock/);
    const ws = await runCli(['workspace', 'add', 'Acme', '--json'], withSession(m![1]!));
    expect(ws.code).toBe(0);
    expect(ws.json()).toMatchObject({ name: 'Acme' });
  });

  it('--json gives the session, its expiry and the export line; --for is bounded to 12h', async () => {
    const before = Date.now();
    const r = await runCli(['unlock', '--for', '2h', '--json'], withPass());
    expect(r.code).toBe(0);
    const j = r.json() as { session: string; expiresAt: number; export: string };
    expect(j.export).toBe(`export TOKENVAULT_SESSION='${j.session}'`);
    expect(j.expiresAt).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
    expect(j.expiresAt).toBeLessThan(Date.now() + 2 * 3_600_000 + 1000);
    const tooLong = await runCli(['unlock', '--for', '13h', '--json'], withPass());
    expect(tooLong.code).toBe(2);
    expect(tooLong.json()).toMatchObject({ error: { code: 'VALIDATION' } });
  });

  it('without a session or passphrase a passphrase vault refuses; a malformed session is a usage error', async () => {
    const none = await runCli(['workspace', 'list', '--json'], { TOKENVAULT_HOME: data, TOKENVAULT_PASSPHRASE_FILE: '' });
    expect(none.code).toBe(2);
    expect(none.json()).toMatchObject({ error: { code: 'USAGE' } });
    const bad = await runCli(['workspace', 'list', '--json'], withSession('not-a-session'));
    expect(bad.json()).toMatchObject({ error: { code: 'USAGE' } });
  });

  it('tokenvault lock ends every session, and says so in the audit log', async () => {
    const a = (await runCli(['unlock', '--json'], withPass())).json().session as string;
    const b = (await runCli(['unlock', '--json'], withPass())).json().session as string;
    expect((await runCli(['workspace', 'list'], withSession(b))).code).toBe(0);
    const locked = await runCli(['lock', '--json'], withSession(a));
    expect(locked.code).toBe(0);
    expect(locked.json().endedSessions).toBeGreaterThanOrEqual(2);
    expect(readdirSync(join(data, 'sessions')).filter((f) => f.endsWith('.session'))).toEqual([]);
    for (const s of [a, b]) {
      const r = await runCli(['workspace', 'list', '--json'], withSession(s));
      expect(r.code).toBe(1);
      expect(r.json()).toMatchObject({ error: { code: 'LOCKED', message: expect.stringMatching(/session has ended/) } });
    }
    const audit = (await runCli(['audit', '--json', '--limit', '50'], withPass())).json() as { type: string; note: string | null }[];
    expect(audit.some((e) => e.type === 'locked' && /CLI sessions? ended/.test(e.note ?? ''))).toBe(true);
    expect(audit.filter((e) => e.type === 'unlocked' && /^CLI session /.test(e.note ?? '')).length).toBeGreaterThanOrEqual(2);
  });
});
