import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../services/app-services';
import { MemoryKeyStore } from '../vault/keychain';
import { ageEncrypt } from '../services/backup';
import { bodyLimit, startBrowserMode, type BrowserModeServer } from './server';

let home: string;
let services: AppServices;
let server: BrowserModeServer;
let handled = 0;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'tokenvault-bm-'));
  const staticDir = join(home, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tokenvault</title>');
  writeFileSync(join(home, 'outside.txt'), 'must not be served');
  services = createAppServices({ home: join(home, 'data'), keyStore: new MemoryKeyStore(), shell: 'browser' });
  services.events.subscribe(() => undefined);
  // Count what reaches a handler: refused requests must never get there.
  const status = services.vault.status.bind(services.vault);
  services.vault.status = () => {
    handled++;
    return status();
  };
  server = await startBrowserMode({ services, staticDir });
});

afterAll(async () => {
  await server.close();
  services.close();
  rmSync(home, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  const { port } = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: Number(port), method: opts.method ?? 'POST', path: opts.path ?? '/api/invoke/vault:get-status', headers: opts.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const good = () => ({
  host: new URL(server.origin).host,
  'content-type': 'application/json',
  'x-tokenvault-session': server.secret,
});

describe('browser mode guard', () => {
  it('binds to loopback only and carries the secret in the fragment', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toBe(`${server.origin}/#s=${server.secret}`);
    expect(server.secret.length).toBeGreaterThanOrEqual(43);
  });

  it('answers a well-formed call', async () => {
    const before = handled;
    const r = await send({ headers: good(), body: '{}' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true, value: { state: 'uninitialized', vaultId: null, keySource: null } });
    expect(handled).toBe(before + 1);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  const refusals: [string, () => Parameters<typeof send>[0], number][] = [
    ['a missing secret', () => ({ headers: { ...good(), 'x-tokenvault-session': '' }, body: '{}' }), 401],
    ['no secret header at all', () => ({ headers: (({ 'x-tokenvault-session': _s, ...rest }) => rest)(good()), body: '{}' }), 401],
    ['a wrong secret', () => ({ headers: { ...good(), 'x-tokenvault-session': server.secret.slice(0, -1) + 'x' }, body: '{}' }), 401],
    ['a longer secret with the right prefix', () => ({ headers: { ...good(), 'x-tokenvault-session': server.secret + 'A' }, body: '{}' }), 401],
    ['a foreign Host (DNS rebinding)', () => ({ headers: { ...good(), host: `evil.example:${new URL(server.origin).port}` }, body: '{}' }), 403],
    ['localhost instead of the bound address', () => ({ headers: { ...good(), host: `localhost:${new URL(server.origin).port}` }, body: '{}' }), 403],
    ['a foreign Origin', () => ({ headers: { ...good(), origin: 'https://evil.example' }, body: '{}' }), 403],
    ['a null Origin (sandboxed frame)', () => ({ headers: { ...good(), origin: 'null' }, body: '{}' }), 403],
    ['a cross-site fetch (Sec-Fetch-Site)', () => ({ headers: { ...good(), 'sec-fetch-site': 'cross-site' }, body: '{}' }), 403],
    ['a form post (text/plain)', () => ({ headers: { ...good(), 'content-type': 'text/plain' }, body: '{}' }), 415],
    ['a url-encoded form', () => ({ headers: { ...good(), 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' }), 415],
    ['no content type', () => ({ headers: (({ 'content-type': _c, ...rest }) => rest)(good()), body: '{}' }), 415],
    ['GET on the API', () => ({ method: 'GET', headers: good() }), 405],
    ['a body over 1 MiB', () => ({ headers: good(), body: JSON.stringify({ x: 'a'.repeat(1024 * 1024 + 10) }) }), 413],
    ['a body over 1 MiB to export:workspace (it uploads no file)', () => ({ path: '/api/invoke/export:workspace', headers: good(), body: JSON.stringify({ x: 'a'.repeat(1024 * 1024 + 10) }) }), 413],
  ];

  for (const [what, req, status] of refusals) {
    it(`refuses ${what} with ${status}, before any handler`, async () => {
      const before = handled;
      const r = await send(req());
      expect(r.status).toBe(status);
      expect(handled).toBe(before);
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    });
  }

  it('a call over 1 MiB is refused with a typed error in words (the page shows it), before any handler', async () => {
    const before = handled;
    const r = await send({ headers: good(), body: JSON.stringify({ x: 'a'.repeat(1024 * 1024 + 10) }) });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'This request is larger than browser mode accepts (1 MiB).', details: { limitBytes: 1024 * 1024 } } });
    expect(handled).toBe(before);
  });

  it('a backup over 1 MiB reaches restore (the file channels take more), and a file over their bound gets the command to use instead', async () => {
    expect(bodyLimit('vault:get-status')).toBe(1024 * 1024);
    expect(bodyLimit('backup:restore')).toBe(192 * 1024 * 1024);
    // A real backup of ~2 MiB (a large provider definition): 2.7 MiB as base64.
    const doc = {
      format: 'tokenvault-backup',
      version: 1,
      createdAt: '2026-11-30T12:00:00.000Z',
      generator: 'tokenvault test',
      source: { vaultId: 'vault_0123456789abcdef0123456789abcdef', schemaVersion: 1, keySource: 'keychain' },
      auditVerified: { ok: true, checked: 0 },
      tables: {},
      audit: [],
      providers: [{ file: 'big.json', definition: { id: 'big', notes: randomBytes(1024 * 1024).toString('hex') } }],
    };
    const base64 = Buffer.from(await ageEncrypt(JSON.stringify(doc), 'backup passphrase 1', 10)).toString('base64');
    const body = JSON.stringify({ base64, passphrase: 'backup passphrase 1' });
    expect(body.length).toBeGreaterThan(2 * 1024 * 1024);
    const ok = await send({ path: '/api/invoke/backup:inspect', headers: good(), body });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { mode: 'new', counts: { providers: 1 } } });

    // Over the import channels' bound (32 MiB): refused with the CLI command to use, nothing read.
    const big = JSON.stringify({ fileName: 'huge.env', text: 'A'.repeat(33 * 1024 * 1024), format: 'auto', workspace: 'Acme' });
    const refused = await send({ path: '/api/invoke/import:preview', headers: good(), body: big });
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body).error).toEqual({
      code: 'VALIDATION',
      message: 'This file is larger than browser mode accepts (32 MiB as sent). Use the command line instead: tokenvault import FILE --dry-run.',
      details: { limitBytes: 32 * 1024 * 1024 },
    });
  });

  it('answers malformed JSON with a typed error, not a crash', async () => {
    const r = await send({ headers: good(), body: '{"a":' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.code).toBe('VALIDATION');
  });

  it('refuses the event stream without the secret', async () => {
    const r = await send({ method: 'GET', path: '/api/events', headers: { host: new URL(server.origin).host } });
    expect(r.status).toBe(401);
  });

  it('serves the renderer with a strict CSP and never a file outside it', async () => {
    const page = await send({ method: 'GET', path: '/', headers: { host: new URL(server.origin).host } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-eval');
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/..%2foutside.txt']) {
      const r = await send({ method: 'GET', path, headers: { host: new URL(server.origin).host } });
      expect(r.status).toBe(404);
      expect(r.body).not.toContain('must not be served');
    }
  });

  it('refuses static files to a foreign Host too', async () => {
    const r = await send({ method: 'GET', path: '/', headers: { host: 'evil.example' } });
    expect(r.status).toBe(403);
  });
});
