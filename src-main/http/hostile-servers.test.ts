import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../src-shared/domain/types';
import { createAppServices, type AppServices } from '../services/app-services';
import { CredentialProxy, PROXY_SECRET_HEADER } from '../services/credential-proxy';
import { MemoryKeyStore } from '../vault/keychain';
import { openTempVault, type TempVault } from '../vault/test-support';
import { DECODED_LIMIT_BYTES } from './body';
import { sendRequestWithBody, type EngineRequest } from './engine';

/**
 * Issue 15, hostile servers: an API that trickles bytes, closes in the middle
 * of a response, sends an oversized body or a decompression bomb, redirects
 * forever, sends 64 KiB of headers, or invalid UTF-8. Through the engine and
 * through the proxy, each ends in a typed outcome by the engine's own
 * deadline (the assertion is on the outcome, never on elapsed time), and
 * what is kept in memory stays under the documented caps.
 */

const TOKEN = 'sk_live_hostile_0123456789abcdef0123';
const MiB = 1024 * 1024;
let hostile: Server;
let apiUrl: string;
const sockets = new Set<Socket>();
const timers = new Set<NodeJS.Timeout>();
const BOMB = gzipSync(Buffer.alloc(64 * MiB));

beforeAll(async () => {
  hostile = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/trickle': {
        // One byte every 20 ms, for ever: only a deadline ends it.
        res.writeHead(200, { 'content-type': 'application/json' });
        const t = setInterval(() => res.write('['), 20);
        timers.add(t);
        res.on('close', () => clearInterval(t));
        return;
      }
      case '/close-mid':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
        res.write('{"partial": "');
        setTimeout(() => req.socket.destroy(), 10);
        return;
      case '/oversized': {
        const n = Number(url.searchParams.get('mib') ?? '8');
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(MiB, 0x61);
        let sent = 0;
        const pump = () => {
          while (sent < n) {
            sent++;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      case '/bomb':
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return res.end(BOMB);
      case '/loop':
        res.writeHead(302, { location: `/loop?n=${Number(url.searchParams.get('n') ?? 0) + 1}` });
        return res.end();
      case '/big-headers':
        res.writeHead(200, { 'content-type': 'application/json', 'x-huge': 'h'.repeat(64 * 1024) });
        return res.end('{}');
      case '/bad-utf8':
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        return res.end(Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xff, 0xfe]), Buffer.from('"}')]));
      default:
        res.writeHead(404);
        return res.end();
    }
  });
  hostile.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
});
afterAll(() => {
  for (const t of timers) clearInterval(t);
  for (const s of sockets) s.destroy();
  hostile.close();
});

const req = (path: string, over: Partial<EngineRequest> = {}): EngineRequest => ({
  baseUrl: apiUrl,
  method: 'GET',
  path,
  credential: { kind: 'bearer', headerName: null, value: TOKEN },
  secrets: [TOKEN],
  production: false,
  armed: false,
  providerName: 'Hostile',
  timeoutMs: 1500,
  ...over,
});

describe('the engine against hostile servers', () => {
  it('a body that trickles for ever ends as timeout at the deadline, with what it had kept bounded', async () => {
    const r = await sendRequestWithBody(req('/trickle', { timeoutMs: 300 }));
    expect(r.classification).toBe('timeout');
    expect(r.body.length).toBe(0);
  });

  it('a connection closed mid-response is a network outcome, not a hang or a crash', async () => {
    const r = await sendRequestWithBody(req('/close-mid'));
    expect(r.classification).toBe('network');
    expect(r.explanation.length).toBeGreaterThan(0);
  });

  it('an oversized body is counted, not kept: the kept bytes stop exactly at the cap', async () => {
    const r = await sendRequestWithBody(req('/oversized?mib=8', { timeoutMs: 60_000, maxBodyBytes: 256 * 1024 }));
    expect(r.classification).toBe('ok');
    expect(r.bodyBytes).toBe(8 * MiB);
    expect(r.body.length).toBe(256 * 1024);
    expect(r.bodyTruncated).toBe(true);
  });

  it('a decompression bomb is decoded only up to the cap', async () => {
    const r = await sendRequestWithBody(req('/bomb', { timeoutMs: 60_000 }));
    expect(r.classification).toBe('ok');
    expect(r.body.length).toBeLessThanOrEqual(DECODED_LIMIT_BYTES);
    expect(r.bodyPreview.length).toBeLessThanOrEqual(DECODED_LIMIT_BYTES);
    expect(r.bodyTruncated).toBe(true);
    expect(r.notes.join(' ')).toMatch(/cap|limit|larger|stopped/i);
  });

  it('an endless redirect chain stops at the hop limit as redirected', async () => {
    const r = await sendRequestWithBody(req('/loop', { timeoutMs: 60_000 }));
    expect(r.classification).toBe('redirected');
    expect(r.redirects.length).toBeLessThanOrEqual(6);
  });

  it('64 KiB of headers is refused by the HTTP parser as a network outcome', async () => {
    const r = await sendRequestWithBody(req('/big-headers'));
    expect(r.classification).toBe('network');
    expect(JSON.stringify(r.headers).length).toBeLessThan(16 * 1024);
  });

  it('invalid UTF-8 is read with replacement characters, never a crash', async () => {
    const r = await sendRequestWithBody(req('/bad-utf8'));
    expect(r.classification).toBe('ok');
    expect(r.bodyPreview).toContain('\uFFFD');
    expect(r.bodyPreview).toMatch(/^\{"name":"/);
  });
});

describe('the proxy against hostile servers', () => {
  let t: TempVault;
  let s: AppServices;
  let proxy: CredentialProxy;
  let port: number;
  /** The same credential behind a proxy with a short deadline, for the body that never ends. */
  let hasty: CredentialProxy;
  let hastyPort: number;

  beforeAll(async () => {
    t = openTempVault();
    t.vault.close();
    s = createAppServices({ home: t.home, keyStore: new MemoryKeyStore(), shell: 'browser' });
    await s.vault.init({ keySource: 'keychain' });
    const { workspace } = s.catalog.addWorkspace({ name: 'Hostile' });
    for (const e of s.vault.listEnvironments(workspace.id)) s.vault.removeEnvironment((e as Environment).id);
    const env = s.vault.addEnvironment({ workspaceId: workspace.id, name: 'live', baseUrl: apiUrl });
    const c = s.catalog.addCredential({ environmentId: env.id, name: 'key', kind: 'bearer', secret: { value: TOKEN } });
    proxy = new CredentialProxy({ vault: s.vault, service: s.requests, credentialId: c.id, check: false, timeoutMs: 120_000 });
    ({ port } = await proxy.listen());
    hasty = new CredentialProxy({ vault: s.vault, service: s.requests, credentialId: c.id, check: false, timeoutMs: 300 });
    ({ port: hastyPort } = await hasty.listen());
  });
  afterAll(async () => {
    await proxy?.close();
    await hasty?.close();
    s?.close();
    t?.cleanup();
  });

  function viaProxy(path: string, via: 'patient' | 'hasty' = 'patient'): Promise<{ status: number; code: string | undefined; bytes: number }> {
    const [p, secret] = via === 'hasty' ? [hastyPort, hasty.secret] : [port, proxy.secret];
    return new Promise((resolve, reject) => {
      const r = request({ host: '127.0.0.1', port: p, path, headers: { host: `127.0.0.1:${p}`, [PROXY_SECRET_HEADER]: secret }, agent: false }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ status: res.statusCode!, code: res.headers['x-tokenvault-proxy'] as string | undefined, bytes }));
      });
      r.on('error', reject);
      r.end();
    });
  }

  it('a trickling body: the deadline ends it as a typed 504 refusal', async () => {
    const r = await viaProxy('/trickle', 'hasty');
    expect(r.status).toBe(504);
    expect(r.code).toBe('refused');
  });

  it.each([
    ['a connection closed mid-response', '/close-mid', 502],
    ['a body over the 50 MiB it passes on', '/oversized?mib=51', 502],
    ['a decompression bomb', '/bomb', 502],
    ['64 KiB of headers', '/big-headers', 502],
  ])('%s: a typed refusal (%s → %i), nothing partial passed on', async (_what, path, status) => {
    const r = await viaProxy(path);
    expect(r.status).toBe(status);
    expect(r.code).toBe('refused');
  });

  it('an endless redirect chain is answered with the last redirect or a refusal, never followed for ever', async () => {
    const r = await viaProxy('/loop');
    expect([302, 502]).toContain(r.status);
  });

  it('invalid UTF-8 passes byte for byte (the proxy does not reinterpret bodies)', async () => {
    const r = await viaProxy('/bad-utf8');
    expect(r.status).toBe(200);
    expect(r.bytes).toBe(24);
  });
});
