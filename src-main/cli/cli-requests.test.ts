import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, startAll, type AllEmulators, type DemoCredentials } from '../../e2e/emulators';
import { tempHome } from '../vault/test-support';
import { runCli } from './test-cli';
import { execFileSync } from 'node:child_process';

// `tokenvault test`, `check` and `provider` as a script uses them, against the
// emulators. The child is spawned asynchronously: the emulators answer from
// this very process.
const root = join(__dirname, '..', '..');
let home: string;
let passFile: string;
let emu: AllEmulators;
let demo: DemoCredentials;

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
  emu = await startAll();
  demo = seedDemo(emu);
  home = tempHome();
  passFile = join(home, 'pass.txt');
  writeFileSync(passFile, 'correct horse battery staple\n');
  await tv(['init', '--passphrase']);
  await tv(['workspace', 'add', 'Northwind', '--provider', 'coolset']);
  await tv(['env', 'add', 'Northwind', 'sandbox', '--base-url', emu.urls.coolset]);
  await tv(['env', 'add', 'Northwind', 'live', '--base-url', emu.urls.coolset, '--production']);
  await tv(['token', 'add', 'Northwind/sandbox/reader', '--kind', 'bearer', '--scopes', 'read'], demo.coolset.read);
  await tv(['token', 'add', 'Northwind/sandbox/old', '--kind', 'bearer'], demo.coolset.revoked);
  await tv(['token', 'add', 'Northwind/live/writer', '--kind', 'bearer', '--scopes', 'Write'], demo.coolset.write);
});

afterAll(async () => {
  await emu.close();
  rmSync(home, { recursive: true, force: true });
});

function tv(args: string[], input = '') {
  return runCli(args, { TOKENVAULT_HOME: home, TOKENVAULT_PASSPHRASE_FILE: passFile }, input);
}

describe('tokenvault test / check / provider', () => {
  it('exits 0 for ok and prints the explanation', async () => {
    const r = await tv(['test', 'Northwind/sandbox/reader']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('200 from Coolset');
    expect(r.stdout).not.toContain(demo.coolset.read);
  });

  it('exits 1 for a 401 with the documented words, and --json gives the full object', async () => {
    const r = await tv(['test', 'Northwind/sandbox/old', '--json']);
    expect(r.code).toBe(1);
    const j = r.json();
    expect(j).toMatchObject({ status: 401, classification: 'unauthorized', explanation: '401 from Coolset: the token is missing or invalid' });
    expect(j.diagnosis.cause).toBe('invalid');
  });

  it('sends a custom request with headers and a body, and refuses production writes unless armed', async () => {
    const refused = await tv(['test', 'Northwind/live/writer', '--method', 'POST', '--path', '/api/orders/', '--body', '{"reference":"X"}', '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json().error.code).toBe('PRODUCTION_LOCKED');
    const wrongName = await tv(['test', 'Northwind/live/writer', '--method', 'POST', '--path', '/api/orders/', '--body', '{}', '--arm', 'northwind']);
    expect(wrongName.code).toBe(2);
    const armed = await tv(['test', 'Northwind/live/writer', '--method', 'POST', '--path', '/api/orders/', '--header', 'X-Trace: 1', '--body', '{"reference":"X"}', '--arm', 'Northwind', '--json']);
    expect(armed.json().status).toBeLessThan(300);
    expect(emu.coolset.state.requests.at(-1)!.headers['x-trace']).toBe('1');
    expect((await tv(['test', 'Northwind/sandbox/reader', '--body', 'not json'])).code).toBe(2);
    expect((await tv(['test', 'Northwind/sandbox/reader', '--header', 'novalue'])).code).toBe(2);
  });

  it('check: exit 0 allowed, 1 denied, with who would be allowed', async () => {
    const ok = await tv(['check', 'Northwind/sandbox/reader', 'GET', '/api/orders/']);
    expect(ok.code).toBe(0);
    const denied = await tv(['check', 'Northwind/sandbox/reader', 'POST', '/api/orders/', '--json']);
    expect(denied.code).toBe(1);
    expect(denied.json()).toMatchObject({ decision: 'denied', allowedBy: ['Write', 'Admin'] });
  });

  it('provider add refuses a malformed file with each error path, and lists a good one', async () => {
    const bad = join(home, 'bad.json');
    writeFileSync(bad, JSON.stringify({ schemaVersion: 1, id: 'x', name: 'X', auth: [{ scheme: 'api_key' }], environments: 'nope' }));
    const r = await tv(['provider', 'add', bad, '--json']);
    expect(r.code).toBe(2);
    const paths = r.json().error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['auth[0].headerName', 'environments']));
    const list = await tv(['provider', 'list', '--json']);
    expect(list.json().map((p: { id: string }) => p.id)).toEqual(['regate', 'regen-therapy', 'strapi', 'coolset', 'built-accounting', 'bearer', 'api-key']);
  });
});
