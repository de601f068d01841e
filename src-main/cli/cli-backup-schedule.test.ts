import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../vault/test-support';
import { runCli } from './test-cli';

// `tokenvault backup schedule` / `backup run-scheduled` through the built CLI, as a cron user runs them.
const root = join(__dirname, '..', '..');
let home: string;
let env: Record<string, string>;

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
  home = tempHome();
  writeFileSync(join(home, 'pass.txt'), 'correct horse battery staple\n', { mode: 0o600 });
  writeFileSync(join(home, 'backup-pass.txt'), 'scheduled backup passphrase\n', { mode: 0o600 });
  env = { TOKENVAULT_PASSPHRASE_FILE: join(home, 'pass.txt'), TOKENVAULT_BACKUP_PASSPHRASE_FILE: join(home, 'backup-pass.txt') };
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('tokenvault backup schedule', () => {
  it('sets a schedule, runs it when due (once), shows the outcome, refuses a wrong folder, and turns off', async () => {
    const tv = (args: string[]) => runCli([...args, '--home', home], env);
    expect((await tv(['init', '--passphrase'])).code).toBe(0);
    expect((await tv(['workspace', 'add', 'Acme'])).code).toBe(0);

    const none = await tv(['backup', 'schedule', '--json']);
    expect(none.code, none.stderr).toBe(0);
    expect(none.json()).toEqual({ schedule: null });

    const missing = await tv(['backup', 'schedule', '--folder', join(home, 'nope'), '--every', '1d', '--keep', '7']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`The backup folder ${join(home, 'nope')} does not exist.`);
    const badEvery = await tv(['backup', 'schedule', '--folder', home, '--every', '1mo', '--keep', '7']);
    expect(badEvery.code).toBe(2);
    expect(badEvery.stderr).toMatch(/hours, days or weeks/);

    const folder = join(home, 'backups');
    mkdirSync(folder);
    writeFileSync(join(folder, 'keep-me.txt'), 'mine');
    const set = await tv(['backup', 'schedule', '--folder', folder, '--every', '1d', '--keep', '2', '--json']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.json().schedule).toMatchObject({ folder, every: '1d', keep: 2, lastOutcome: null });
    expect(set.stdout).not.toContain('scheduled backup passphrase');

    const run = await tv(['backup', 'run-scheduled', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const file = run.json().file as string;
    expect(file).toMatch(/^tokenvault-auto-[0-9a-f]{8}-\d{8}T\d{6}\.\d{3}Z\.age$/);
    expect(statSync(join(folder, file)).mode & 0o777).toBe(0o600);
    // Due once a day: a second cron run right after does nothing.
    const again = await tv(['backup', 'run-scheduled']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Not due yet/);
    expect(readdirSync(folder).sort()).toEqual([file, 'keep-me.txt'].sort());

    const show = await tv(['backup', 'schedule']);
    expect(show.stdout).toContain(`Scheduled backup: every 1d to ${folder}, keeping the last 2.`);
    expect(show.stdout).toContain(file);

    // The folder goes away: the run fails with the reason, and the failure is shown next time.
    rmSync(folder, { recursive: true });
    const failed = await tv(['backup', 'run-scheduled', '--force']);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(`The backup folder ${folder} does not exist.`);
    expect((await tv(['backup', 'schedule'])).stdout).toContain('Last run FAILED');

    const off = await tv(['backup', 'schedule', '--off', '--json']);
    expect(off.json()).toEqual({ cleared: true });
    const audit = await tv(['audit', '--json']);
    const notes = (audit.json() as { note: string | null }[]).map((e) => e.note ?? '');
    expect(notes.some((n) => n.startsWith('scheduled backup set: every 1d'))).toBe(true);
    expect(notes.some((n) => /^scheduled backup to .* FAILED/.test(n))).toBe(true);
    expect(notes).toContain('scheduled backup turned off');
  });
});
