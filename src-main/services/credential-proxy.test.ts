import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Environment } from '../../src-shared/domain/types';
import { MemoryKeyStore } from '../vault/keychain';
import { openTempVault, type TempVault } from '../vault/test-support';
import { createAppServices, type AppServices } from './app-services';
import { CredentialProxy, PROXY_REFUSAL_HEADER, PROXY_SECRET_HEADER, type ProxyCall } from './credential-proxy';

// The credential proxy against a loopback "provider" that records every
// request it receives, so each refusal can be shown never to reach it.
const TOKEN = 'cs_live_ProxyToken0123456789abcdef';
let upstream: http.Server;
let upstreamUrl: string;
let seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/echo') {
        // A provider that echoes the credential, raw and base64-encoded.
        const auth = req.headers.authorization ?? '';
        res.writeHead(200, { 'content-type': 'application/json', 'x-echo': auth });
        res.end(JSON.stringify({ auth, b64: Buffer.from(auth.replace('Bearer ', '')).toString('base64'), body }));
      } else if (req.url === '/gzip') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        res.end(gzipSync(`token was ${req.headers.authorization}`));
      } else if (req.url === '/zstd') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'zstd' });
        res.end(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]));
      } else if (req.url === '/bad-gzip') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        res.end(`not gzip at all, though it says so: ${req.headers.authorization}`);
      } else if (req.url === '/bomb') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        res.end(gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x61)));
      } else if (req.url === '/limited') {
        res.writeHead(429, { 'retry-after': '120', 'content-type': 'application/json' });
        res.end('{"detail":"slow down"}');
      } else if (req.url === '/binary') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 256)));
      } else {
        res.writeHead(201, { 'content-type': 'application/json', 'x-provider': 'yes' });
        res.end(JSON.stringify({ ok: true, method: req.method, url: req.url, body }));
      }
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

let t: TempVault;
let s: AppServices;
let proxy: CredentialProxy;
let url: string;
let port: number;
let calls: ProxyCall[];

async function start(opts: { production?: boolean; scopes?: string[]; check?: boolean } = {}) {
  const { workspace: ws } = s.catalog.addWorkspace({ name: 'Northwind', providerId: 'coolset' });
  for (const e of s.vault.listEnvironments(ws.id)) s.vault.removeEnvironment((e as Environment).id);
  const env = s.vault.addEnvironment({ workspaceId: ws.id, name: 'live', baseUrl: upstreamUrl, production: opts.production ?? false });
  const c = s.catalog.addCredential({ environmentId: env.id, name: 'writer', kind: 'bearer', secret: { value: TOKEN }, scopes: opts.scopes ?? ['Write'] });
  calls = [];
  proxy = new CredentialProxy({ vault: s.vault, service: s.requests, credentialId: c.id, check: opts.check ?? true, onCall: (x) => calls.push(x) });
  ({ url, port } = await proxy.listen());
  return { env, c };
}

beforeEach(async () => {
  t = openTempVault();
  t.vault.close();
  s = createAppServices({ home: t.home, keyStore: new MemoryKeyStore(), shell: 'browser' });
  await s.vault.init({ keySource: 'keychain' });
  seen = [];
});
afterEach(async () => {
  await proxy?.close();
  s.close();
  t.cleanup();
});

/** A raw request, so Host, Origin and every header are exactly what a test says. */
function send(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, [PROXY_SECRET_HEADER]: proxy.secret, ...opts.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('tokenvault proxy', () => {
  it('forwards method, path, query, headers and body with the credential attached, and returns the answer', async () => {
    await start();
    const r = await send('/api/orders/?page=2', { method: 'POST', headers: { 'content-type': 'application/json', 'x-trace': 'abc' }, body: '{"reference":"A-1"}' });
    expect(r.status).toBe(201);
    expect(r.headers['x-provider']).toBe('yes');
    expect(r.headers[PROXY_REFUSAL_HEADER]).toBeUndefined();
    expect(JSON.parse(r.body.toString())).toEqual({ ok: true, method: 'POST', url: '/api/orders/?page=2', body: '{"reference":"A-1"}' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]!.headers['x-trace']).toBe('abc');
    // Our own secret never goes upstream.
    expect(seen[0]!.headers[PROXY_SECRET_HEADER]).toBeUndefined();
    expect(calls).toEqual([{ method: 'POST', path: '/api/orders/?page=2', status: 201, refused: null }]);
    // Each call is in the token's history and audit log with its method and path.
    s.vault.flush();
    expect(s.vault.listTestHistory(proxy['opts'].credentialId)[0]).toMatchObject({ method: 'POST', path: '/api/orders/?page=2', status: 201 });
  });

  it('passes binary answers byte for byte', async () => {
    await start();
    const r = await send('/binary');
    expect(r.body.equals(Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 256)))).toBe(true);
  });

  it('redacts the credential echoed in the body and headers, also base64-encoded and inside gzip', async () => {
    await start();
    const r = await send('/echo', { method: 'POST', body: 'x' });
    const text = r.body.toString();
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(Buffer.from(TOKEN).toString('base64'));
    expect(JSON.parse(text).auth).toBe('Bearer [REDACTED]');
    expect(r.headers['x-echo']).toBe('Bearer [REDACTED]');
    const g = await send('/gzip');
    expect(g.headers['content-encoding']).toBeUndefined();
    expect(g.body.toString()).toBe('token was Bearer [REDACTED]');
    // A body it cannot decode cannot be checked for the token: not passed on.
    const z = await send('/zstd');
    expect(z.status).toBe(502);
    expect(z.headers[PROXY_REFUSAL_HEADER]).toBe('refused');
    expect(JSON.parse(z.body.toString()).error.decodeProblem).toBe('unknown_coding');
  });

  it('refuses a body it could not decode whole, from the engine\'s typed decode problem rather than its wording', async () => {
    await start();
    for (const [path, kind] of [
      ['/bad-gzip', 'undecodable'],
      ['/bomb', 'capped'],
    ] as const) {
      const r = await send(path);
      expect(r.status).toBe(502);
      expect(r.headers[PROXY_REFUSAL_HEADER]).toBe('refused');
      const error = JSON.parse(r.body.toString()).error;
      expect(error.code).toBe('PROXY_REFUSED');
      expect(error.decodeProblem).toBe(kind);
      expect(r.body.toString()).not.toContain(TOKEN);
    }
  });

  it('refuses every guard failure without reaching the provider', async () => {
    await start();
    const refusals: [string, Parameters<typeof send>[1], number][] = [
      ['no secret', { headers: { [PROXY_SECRET_HEADER]: '' } }, 401],
      ['wrong secret', { headers: { [PROXY_SECRET_HEADER]: `${proxy.secret.slice(0, -1)}x` } }, 401],
      ['browser origin', { headers: { origin: 'https://evil.example' } }, 403],
      ['own origin too', { headers: { origin: `http://127.0.0.1:${port}` } }, 403],
      ['cross-site fetch', { headers: { 'sec-fetch-site': 'cross-site' } }, 403],
      ['rebinding Host', { headers: { host: `evil.example:${port}` } }, 403],
      ['other port Host', { headers: { host: `127.0.0.1:${port + 1}` } }, 403],
    ];
    for (const [what, opts, status] of refusals) {
      const r = await send('/api/orders/', opts);
      expect(r.status, what).toBe(status);
      expect(r.headers[PROXY_REFUSAL_HEADER], what).toBe('refused');
      expect(r.body.toString(), what).not.toContain(TOKEN);
    }
    // An absolute-form request line (a forward-proxy request) is refused too.
    const abs = await send('http://127.0.0.1:1/api/orders/');
    expect(abs.status).toBe(400);
    expect(seen).toHaveLength(0);
    // localhost:PORT is accepted.
    expect((await send('/api/orders/', { headers: { host: `localhost:${port}` } })).status).toBe(201);
    expect(seen).toHaveLength(1);
  });

  it('refuses a call the documented role model denies, and sends it with --no-check', async () => {
    await start({ scopes: ['Read'] });
    const denied = await send('/api/orders/', { method: 'POST', body: '{}' });
    expect(denied.status).toBe(403);
    const err = JSON.parse(denied.body.toString()).error;
    expect(err.code).toBe('PREFLIGHT_DENIED');
    expect(err.allowedBy).toEqual(['Write', 'Admin']);
    expect(seen).toHaveLength(0);
    expect((await send('/api/orders/')).status).toBe(201);
    await proxy.close();
    proxy = new CredentialProxy({ vault: s.vault, service: s.requests, credentialId: proxy['opts'].credentialId, check: false });
    ({ port } = await proxy.listen());
    expect((await send('/api/orders/', { method: 'POST', body: '{}' })).status).toBe(201);
    expect(seen.map((x) => x.method)).toEqual(['GET', 'POST']);
  });

  it('refuses writes to production until armed by the workspace name; reads go through', async () => {
    const { env } = await start({ production: true });
    const locked = await send('/api/orders/', { method: 'POST', body: '{}' });
    expect(locked.status).toBe(403);
    expect(JSON.parse(locked.body.toString()).error.code).toBe('PRODUCTION_LOCKED');
    expect(seen).toHaveLength(0);
    expect((await send('/api/orders/')).status).toBe(201);
    s.arming.arm(env.id, 'Northwind', 'Northwind');
    expect((await send('/api/orders/', { method: 'POST', body: '{}' })).status).toBe(201);
    expect(seen.map((x) => x.method)).toEqual(['GET', 'POST']);
  });

  it('holds calls back while a Retry-After window is open', async () => {
    await start();
    expect((await send('/limited')).status).toBe(429);
    const held = await send('/api/orders/');
    expect(held.status).toBe(429);
    expect(held.headers[PROXY_REFUSAL_HEADER]).toBe('refused');
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    expect(seen.map((x) => x.url)).toEqual(['/limited']);
  });

  it('listens on 127.0.0.1 only', async () => {
    await start();
    expect(new URL(url).hostname).toBe('127.0.0.1');
    expect((proxy['server']!.address() as AddressInfo).address).toBe('127.0.0.1');
  });
});
