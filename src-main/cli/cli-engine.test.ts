import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../vault/test-support';
import { runCli } from './test-cli';

/**
 * `tokenvault test` as a script sees it, against a loopback API (127.0.0.1)
 * that redirects to a login page on another origin (localhost), echoes the
 * token escaped, and rate-limits with Retry-After. Each run is a new process,
 * so a rate-limit hold must come from the vault.
 */
const root = join(__dirname, '..', '..');
const TOKEN = 'tv/Token+With=Odd&Chars_0123456789';
let home: string;
let passFile: string;
let api: Server;
let login: Server;
let apiUrl: string;
let sent: string[] = [];
const pctLower = (t: string) => encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
  login = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Sign in</title>');
  });
  await new Promise<void>((r) => login.listen(0, '127.0.0.1', () => r()));
  const loginOrigin = `http://localhost:${(login.address() as AddressInfo).port}`;
  api = createServer((req, res) => {
    sent.push(req.url ?? '');
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (req.url === '/sso') {
      res.writeHead(302, { location: `${loginOrigin}/login` });
      return res.end();
    }
    if (req.url === '/echo') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(`{"token":"${JSON.stringify(token).slice(1, -1).replace(/\//g, '\\/')}","pct":"${pctLower(token)}"}`);
    }
    if (req.url === '/busy') {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '3600' });
      return res.end('{"error":"maintenance"}');
    }
    if (req.url === '/slow') return; // never answers
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', () => r()));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

  home = tempHome();
  passFile = join(home, 'pass.txt');
  writeFileSync(passFile, 'correct horse battery staple\n');
  await tv(['init', '--passphrase']);
  await tv(['workspace', 'add', 'Acme', '--provider', 'bearer']);
  await tv(['env', 'add', 'Acme', 'sandbox', '--base-url', apiUrl]);
  await tv(['token', 'add', 'Acme/sandbox/ci', '--kind', 'bearer'], TOKEN);
  await tv(['token', 'add', 'Acme/sandbox/busy', '--kind', 'bearer'], 'tok_busy_0123456789abcdef');
});

afterAll(() => {
  for (const s of [api, login]) {
    s.closeAllConnections();
    s.close();
  }
  rmSync(home, { recursive: true, force: true });
});

function tv(args: string[], input = '') {
  return runCli(args, { TOKENVAULT_HOME: home, TOKENVAULT_PASSPHRASE_FILE: passFile }, input);
}

describe('tokenvault test against real-world servers', () => {
  it('a redirect to a login page exits 1, says REDIRECTED and shows the chain', async () => {
    const r = await tv(['test', 'Acme/sandbox/ci', '--path', '/sso']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^REDIRECTED /);
    expect(r.stdout).toMatch(/login page/);
    expect(r.stdout).toMatch(/302 {2}http:\/\/127\.0\.0\.1:\d+\/sso {2}token sent/);
    expect(r.stdout).toMatch(/200 {2}http:\/\/localhost:\d+\/login {2}token NOT sent/);
    const j = (await tv(['test', 'Acme/sandbox/ci', '--path', '/sso', '--json'])).json();
    expect(j).toMatchObject({ classification: 'redirected', credentialSent: false, redirect: { stoppedBecause: 'left_origin', loginPage: true } });
  });

  it('--json shows no spelling of the token', async () => {
    const r = await tv(['test', 'Acme/sandbox/ci', '--path', '/echo', '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[REDACTED]');
    for (const spelling of [TOKEN, TOKEN.replace(/\//g, '\\/'), pctLower(TOKEN), encodeURIComponent(TOKEN)]) {
      expect(r.stdout).not.toContain(spelling);
    }
  });

  it('a 503 with Retry-After holds the next process back at once (exit 1, when it may go); --force sends anyway', async () => {
    const first = await tv(['test', 'Acme/sandbox/busy', '--path', '/busy']);
    expect(first.code).toBe(1);
    sent = [];
    const held = await tv(['test', 'Acme/sandbox/busy', '--path', '/busy', '--json']);
    expect(held.code).toBe(1);
    expect(held.json().error.code).toBe('RATE_LIMITED');
    // When it may go, as a person reads it (a date and time with its zone), not an ISO instant.
    expect(held.json().error.message).toMatch(/until [^—]*\b\d{4}\b[^—]*\d\d:\d\d[^—]* — \d+ s left\. Nothing was sent\./);
    expect(held.json().error.message).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expect(sent).toEqual([]);
    const forced = await tv(['test', 'Acme/sandbox/busy', '--path', '/ok', '--force', '--json']);
    expect(forced.code).toBe(0);
    expect(sent).toEqual(['/ok']);
    const audit = await tv(['audit', '--json']);
    expect(audit.stdout).toContain('rate-limit hold overridden by the user');
  });

  it('--timeout is accepted as its usage says, and ends a call that never answers', async () => {
    const r = await tv(['test', 'Acme/sandbox/ci', '--path', '/slow', '--timeout', '300ms', '--json']);
    expect(r.code).toBe(1);
    expect(r.json().classification).toBe('timeout');
  });

  it('test --help answers on standard output with exit 0, even with bad arguments', async () => {
    const r = await tv(['test', '--bogus', 'a', 'b', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[--timeout DURATION]');
    expect(r.stderr).toBe('');
  });
});
