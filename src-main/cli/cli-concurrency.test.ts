import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_HEADER } from '../browser-mode/guard';
import { startBrowserMode, type BrowserModeServer } from '../browser-mode/server';
import { createAppServices, type AppServices } from '../services/app-services';
import { MemoryKeyStore } from '../vault/keychain';
import { tempHome } from '../vault/test-support';
import { CLI, runCli, type CliRun } from './test-cli';

// One vault, many processes, as a build script and an open app use it: 16
// built-CLI processes at once (writes, reads, audited reveals), repeated,
// while the browser-mode server has the same vault open and writes too.
// `npm run test:stress` adds the variant that SIGKILLs processes at random.

const root = join(__dirname, '..', '..');
const PASS = 'correct horse battery staple';
const STRESS = process.env.TOKENVAULT_STRESS === '1';

let home: string;
let env: Record<string, string>;
let services: AppServices;
let server: BrowserModeServer;

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
  home = tempHome();
  const data = join(home, 'data');
  const passFile = join(home, 'pass.txt');
  writeFileSync(passFile, `${PASS}\n`, { mode: 0o600 });
  const init = await runCli(['init', '--passphrase', '--json'], { TOKENVAULT_HOME: data, TOKENVAULT_PASSPHRASE_FILE: passFile });
  expect(init.code).toBe(0);
  // One scrypt for the whole run: every later command uses the session, and no passphrase file.
  const unlocked = await runCli(['unlock', '--for', '30m', '--json'], { TOKENVAULT_HOME: data, TOKENVAULT_PASSPHRASE_FILE: passFile });
  expect(unlocked.code).toBe(0);
  env = { TOKENVAULT_HOME: data, TOKENVAULT_SESSION: unlocked.json().session, TOKENVAULT_PASSPHRASE_FILE: '' };
  expect((await runCli(['workspace', 'add', 'Acme'], env)).code).toBe(0);
  expect((await runCli(['env', 'add', 'Acme', 'sandbox', '--base-url', 'https://api.example.com'], env)).code).toBe(0);
  expect((await runCli(['token', 'add', 'Acme/sandbox/reader', '--kind', 'bearer'], env, 'tok_reader_0123456789')).code).toBe(0);

  // The open app: the browser-mode server on the same vault, unlocked with the passphrase.
  const staticDir = join(home, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tokenvault</title>');
  services = createAppServices({ home: data, keyStore: new MemoryKeyStore(), shell: 'browser' });
  await services.vault.unlock({ passphrase: PASS });
  server = await startBrowserMode({ services, staticDir });
}, 120_000);

afterAll(async () => {
  await server?.close();
  services?.close();
  rmSync(home, { recursive: true, force: true });
});

/** Calls the browser-mode API as the page does (a fresh connection each time: no keep-alive race with the server's idle timeout). */
function api(channel: string, input: unknown): Promise<{ ok: boolean; body: unknown }> {
  const { host, port } = new URL(server.origin);
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: Number(port),
        method: 'POST',
        path: `/api/invoke/${channel}`,
        agent: false,
        headers: { host, 'content-type': 'application/json', [SESSION_HEADER]: server.secret, origin: server.origin },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          const body = JSON.parse(text) as { ok?: boolean };
          resolve({ ok: res.statusCode === 200 && body.ok === true, body });
        });
      },
    );
    req.on('error', (e) => resolve({ ok: false, body: String(e) }));
    req.end(JSON.stringify(input));
  });
}

/** The 16 commands of one round: 8 writers, 4 plain reads, 4 audited reveals. */
function round(r: number): { args: string[]; input?: string; writes?: string }[] {
  const jobs: { args: string[]; input?: string; writes?: string }[] = [];
  for (let i = 0; i < 8; i++) {
    const name = `r${r}-w${i}`;
    jobs.push({ args: ['token', 'add', `Acme/sandbox/${name}`, '--kind', 'bearer', '--json'], input: `tok_${name}_0123456789`, writes: name });
  }
  for (let i = 0; i < 4; i++) jobs.push({ args: ['token', 'list', 'Acme/sandbox', '--json'] });
  for (let i = 0; i < 4; i++) jobs.push({ args: ['token', 'reveal', 'Acme/sandbox/reader'] });
  return jobs;
}

function describeFailure(job: { args: string[] }, r: CliRun): string {
  return `${job.args.slice(0, 2).join(' ')} exited ${r.code}: ${r.stderr.trim()}`;
}

describe('16 CLI processes at once on one vault, with the app open', () => {
  it('never fail, lose no write, keep the audit chain intact, and the app hears of their changes', async () => {
    const heard: string[] = [];
    const off = services.events.subscribe((event, payload) => {
      if (event === 'vault:changed') heard.push((payload as { entity: string }).entity);
    });
    const expected: string[] = [];
    const failures: string[] = [];
    for (let r = 0; r < 3; r++) {
      const jobs = round(r);
      // The app writes too, through its own API, while the round runs.
      const appWrite = api('workspaces:add', { name: `App ${r}` });
      const results = await Promise.all(jobs.map((j) => runCli(j.args, env, j.input ?? '')));
      const app = await appWrite;
      if (!app.ok) failures.push(`app write: ${JSON.stringify(app.body)}`);
      results.forEach((res, i) => {
        if (res.code !== 0) failures.push(describeFailure(jobs[i]!, res));
        if (jobs[i]!.args[1] === 'reveal' && res.code === 0) expect(res.stdout.trim()).toBe('tok_reader_0123456789');
      });
      for (const j of jobs) if (j.writes) expected.push(j.writes);
    }
    expect(failures).toEqual([]);

    const listed = await runCli(['token', 'list', 'Acme/sandbox', '--json'], env);
    expect(listed.code).toBe(0);
    const names = (listed.json() as { name: string }[]).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(expected));
    expect(names).toHaveLength(expected.length + 1);
    const workspaces = (await runCli(['workspace', 'list', '--json'], env)).json() as { name: string }[];
    expect(workspaces.map((w) => w.name)).toEqual(expect.arrayContaining(['App 0', 'App 1', 'App 2']));

    const verify = await runCli(['audit', '--verify', '--json'], env);
    expect(verify.code).toBe(0);
    expect(verify.json()).toMatchObject({ ok: true });
    // Every reveal was audited; the plain reads left no trace.
    const audit = (await runCli(['audit', '--limit', '1000', '--json'], env)).json() as { type: string }[];
    expect(audit.filter((e) => e.type === 'revealed')).toHaveLength(12);
    expect(audit.filter((e) => e.type === 'created').length).toBeGreaterThanOrEqual(24);

    // The app noticed the other processes' tokens without being told (data_version polling).
    await waitFor(() => heard.includes('credential'));
    const seen = services.vault.listCredentials().map((c) => ('name' in c ? c.name : ''));
    expect(seen).toEqual(expect.arrayContaining(expected));
    off();
  }, 240_000);
});

describe.runIf(STRESS)('the same, with processes SIGKILLed at random moments (npm run test:stress)', () => {
  it('loses no acknowledged write, fails no survivor, and leaves a vault that opens with an intact audit chain', async () => {
    const acknowledged: string[] = [];
    const failures: string[] = [];
    let killed = 0;
    for (let r = 10; r < 18; r++) {
      const jobs = round(r);
      const runs = jobs.map((j) => {
        const child = spawn(process.execPath, [CLI, ...j.args], { env: { ...process.env, ...env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.stdin.end(j.input ?? '');
        // About one in three dies at a random moment in its first 400 ms.
        if (Math.random() < 0.35) setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 400)).unref();
        return new Promise<void>((resolve) =>
          child.on('close', (code, signal) => {
            if (signal === 'SIGKILL') killed++;
            else if (code !== 0) failures.push(`${j.args.slice(0, 2).join(' ')} exited ${code}: ${stderr.trim()}`);
            else if (j.writes) acknowledged.push(j.writes);
            resolve();
          }),
        ).then(() => stdout);
      });
      const appWrite = api('workspaces:add', { name: `Stress ${r}` });
      await Promise.all(runs);
      const app = await appWrite;
      if (!app.ok) failures.push(`app write: ${JSON.stringify(app.body)}`);
    }
    expect(killed).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    const names = ((await runCli(['token', 'list', 'Acme/sandbox', '--json'], env)).json() as { name: string }[]).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(acknowledged));
    const verify = await runCli(['audit', '--verify', '--json'], env);
    expect(verify.json()).toMatchObject({ ok: true });
    expect(services.vault.verifyAudit().ok).toBe(true);
  }, 600_000);
});

/** Waits for a state (never for a duration): polls until `ok` holds. */
async function waitFor(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((r) => setTimeout(r, 20));
}
