import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src-shared/errors';
import { runCli } from '../cli/test-cli';
import { dispatch } from '../ipc/dispatch';
import { createHandlers, type Handlers } from '../ipc/handlers';
import { createAppServices, type AppServices } from '../services/app-services';
import { CredentialProxy } from '../services/credential-proxy';
import { MemoryKeyStore } from '../vault/keychain';
import { tempHome } from '../vault/test-support';
import { PlaintextSearch } from './plaintext-search';

/**
 * Issue 15, "no plaintext at rest", at scale: N generated tokens (200 in
 * `npm test`, 1,000 in `npm run test:stress`) go through every feature that
 * touches a value — test, request, reveal, copy, proxy, scan, backup, import,
 * rotate, revoke, calendar export, workspace export, lock — through the
 * main-process channels (the handlers Electron and browser mode call) and the
 * built CLI (reveal, exec, env, scan, import, add, lock; its backup is the
 * channel's code with a 2^18 scrypt, left out for time). Then every
 * file under the data directory (database, WAL, SHM, session files, logs,
 * caches, the backups and calendar exports saved there) is searched for each
 * value as is, in base64, base64url, hex and URL-encoded: zero hits.
 */

const STRESS = process.env.TOKENVAULT_STRESS !== undefined && process.env.TOKENVAULT_STRESS !== '';
const N = STRESS ? 1000 : 200;
const PASS = 'correct horse battery staple';
const root = join(__dirname, '..', '..');

let home: string;
let data: string;
let work: string;
let services: AppServices;
let handlers: Handlers;
let server: http.Server;
let serverUrl: string;
let cliEnv: Record<string, string>;
/** Every value the vault ever held: the needles. */
const values: string[] = [];

/** Distinctive, with + / = so the URL-encoded form differs from the raw one. */
const gen = (i: number) => `tvz${i.toString(36).padStart(3, '0')}_${randomBytes(27).toString('base64').replace(/^(.{8})/, '$1+/=')}`;

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = (await dispatch(handlers, channel, input)) as Result<T>;
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
  home = tempHome();
  data = join(home, 'data');
  work = join(home, 'work');
  mkdirSync(work);
  // An API that echoes the credential back in its body and a header, as a debugging endpoint might.
  server = http.createServer((req, res) => {
    const auth = String(req.headers.authorization ?? req.headers['x-api-key'] ?? '');
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-echo', auth.slice(0, 200));
    res.end(JSON.stringify({ ok: true, youSent: auth, b64: Buffer.from(auth).toString('base64') }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  services = createAppServices({ home: data, keyStore: new MemoryKeyStore(), shell: 'browser', scanFolders: { kind: 'allowlist', roots: [home] } });
  handlers = createHandlers(services);
  await services.vault.init({ keySource: 'passphrase', passphrase: PASS });
  const passFile = join(home, 'pass.txt');
  writeFileSync(passFile, `${PASS}\n`, { mode: 0o600 });
  writeFileSync(join(home, 'backup-pass.txt'), 'backup passphrase 1234\n', { mode: 0o600 });
  const unlocked = await runCli(['unlock', '--for', '30m', '--json'], { TOKENVAULT_HOME: data, TOKENVAULT_PASSPHRASE_FILE: passFile });
  expect(unlocked.code, unlocked.stderr).toBe(0);
  cliEnv = { TOKENVAULT_HOME: data, TOKENVAULT_SESSION: unlocked.json().session, TOKENVAULT_PASSPHRASE_FILE: '', TOKENVAULT_BACKUP_PASSPHRASE_FILE: join(home, 'backup-pass.txt') };
}, 180_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  services?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('no plaintext at rest', () => {
  it(`${N} tokens through every feature that touches a value leave none of them on disk, in any encoding`, async () => {
    const v = services.vault;
    const ws = await call<{ id: string }>('workspaces:add', { name: 'Acme' });
    const env = await call<{ id: string }>('environments:add', { workspaceId: ws.id, name: 'local', baseUrl: serverUrl });
    // Most in one transaction (as an import does), a few one by one through the channel.
    const inputs = Array.from({ length: N - 10 }, (_, i) => {
      const value = gen(i);
      values.push(value);
      return { environmentId: env.id, name: `t${i}`, kind: i % 2 ? 'bearer' : 'api_key', headerName: i % 2 ? undefined : 'X-Api-Key', secret: { value }, expiresAt: Date.now() + (i + 1) * 86_400_000 };
    });
    const creds = v.addCredentials(inputs);
    for (let i = N - 10; i < N; i++) {
      const value = gen(i);
      values.push(value);
      creds.push(await call('credentials:add', { environmentId: env.id, name: `t${i}`, kind: 'bearer', secret: { value }, rotationDays: 30 }));
    }
    const ids = creds.map((c) => c.id);

    // Test, request, reveal, copy: through the channels the UI calls.
    // Bearer tokens (odd indexes) by the provider's test preset; API keys by a request of the user's.
    for (let i = 0; i < 20; i++) {
      const r = i % 2 ? await call<{ classification: string }>('credentials:test', { id: ids[i] }) : await call<{ classification: string }>('requests:send', { credentialId: ids[i], method: 'GET', path: '/echo?x=1' });
      expect(r.classification).toBe('ok');
    }
    for (const id of ids.slice(0, 30)) {
      expect((await call<{ value: string }>('credentials:reveal', { id })).value).toBe(v.secretForRequest(id).value);
      await call('credentials:copy', { id });
    }

    // The proxy: a client calls it, it attaches the value.
    const proxy = new CredentialProxy({ vault: v, service: services.requests, credentialId: ids[3]!, check: false });
    const { port } = await proxy.listen();
    const proxied = await fetch(`http://127.0.0.1:${port}/via-proxy`, { headers: { 'x-tokenvault-proxy-secret': proxy.secret } });
    expect(proxied.status).toBe(200);
    await proxied.text();
    await proxy.close();

    // Rotation (a pasted new value) and revocation (manual, with the override), through the channels.
    for (const id of [41, 43, 45, 47, 49].map((i) => ids[i]!)) {
      const value = gen(N + values.length);
      values.push(value);
      const flow = await call<{ flow: { flowId: string } }>('rotation:start', { credentialId: id, mode: 'manual' });
      await call('rotation:provide-value', { flowId: flow.flow.flowId, value });
      await call('rotation:test', { flowId: flow.flow.flowId });
    }
    for (const id of ids.slice(50, 55)) await call('revocation:confirm-manual', { credentialId: id, override: true });

    // Import: a .env with new values.
    const imported = Array.from({ length: 20 }, (_, i) => gen(5000 + i));
    values.push(...imported);
    await call('environments:add', { workspaceId: ws.id, name: 'imported', baseUrl: serverUrl });
    await call('environments:add', { workspaceId: ws.id, name: 'more', baseUrl: serverUrl });
    await call('import:apply', { fileName: '.env', text: imported.map((x, i) => `IMPORTED_${i}_TOKEN=${x}`).join('\n'), format: 'dotenv', workspace: 'Acme', env: 'imported' });

    // A folder with leaked values, scanned by the app.
    writeFileSync(join(work, 'leak.txt'), `token=${values[7]}\n${values[8]}\n`);
    const finished = new Promise<unknown>((resolve) => {
      const off = services.events.subscribe((event, payload) => {
        if (event === 'scan:finished') {
          off();
          resolve(payload);
        }
      });
    });
    // The folder as browser mode grants it: a path inside an allowed root becomes a handle.
    const grant = await call<{ folder: string }>('scan:allow-folder', { path: work });
    await call('scan:start', { folder: grant.folder });
    expect(JSON.stringify(await finished)).toContain('leak.txt');

    // Exports the user saves into the data folder: a backup, a calendar, a workspace export.
    const backup = await call<{ base64: string }>('backup:create', { passphrase: 'backup passphrase 1234' });
    writeFileSync(join(data, 'saved-backup.age'), Buffer.from(backup.base64, 'base64'));
    const ics = await call<{ ics: string }>('due:export-ics', { withinDays: 3650 });
    expect(ics.ics).toContain('BEGIN:VEVENT');
    writeFileSync(join(data, 'due.ics'), ics.ics);
    writeFileSync(join(data, 'acme.json'), (await call<{ text: string }>('export:workspace', { workspaceId: ws.id })).text);

    // The CLI, on the same vault while the app has it open.
    const cli = async (args: string[], input = '') => {
      const r = await runCli(args, cliEnv, input);
      expect(r.code, `tokenvault ${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r;
    };
    expect((await cli(['token', 'reveal', 'Acme/local/t5'])).stdout).toContain(values[5]);
    const execOut = await cli(['exec', '--map', 'T=Acme/local/t6', '--', process.execPath, '-e', 'process.stdout.write(String(process.env.T.length))']);
    expect(execOut.stdout).toBe(String(values[6]!.length));
    expect((await cli(['env', '--workspace', 'Acme', '--env', 'local', '--all', '--format', 'dotenv'])).stdout).toContain(values[9]);
    const scan = await runCli(['scan', work, '--json'], cliEnv);
    expect(scan.code).toBe(1);
    const cliImport = Array.from({ length: 5 }, (_, i) => gen(6000 + i));
    values.push(...cliImport);
    writeFileSync(join(work, 'more.env'), cliImport.map((x, i) => `MORE_${i}=${x}`).join('\n'));
    await cli(['import', join(work, 'more.env'), '--workspace', 'Acme', '--env', 'more', '--yes']);
    await cli(['token', 'add', 'Acme/local/cli-added', '--kind', 'bearer'], (values.push(gen(7000)), values.at(-1)!));
    await cli(['lock']);

    // The app's lock (and its auto-lock path) last, then nothing is open.
    await call('vault:lock', {});

    const search = new PlaintextSearch(values);
    const { hits, files, bytes } = search.searchDir(data);
    // Prove the search saw the places that matter.
    expect(files).toEqual(expect.arrayContaining(['vault.db', 'saved-backup.age', 'due.ics', 'acme.json']));
    expect(bytes).toBeGreaterThan(N * 100);
    expect(values.length).toBeGreaterThanOrEqual(N + 30);
    expect(hits.map((h) => `${h.file}: value #${h.secretIndex} (${h.form}) at ${h.offset}`)).toEqual([]);
    // And the WAL existed while the app ran: scanned on the way (it may be checkpointed away by now).
    expect(readdirSync(data).some((f) => f.startsWith('vault.db'))).toBe(true);
  }, 600_000);
});
