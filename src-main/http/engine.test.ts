import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUrl, sendRequest, type EngineRequest } from './engine';

// Two loopback servers: "api" is the credential's own origin, "other" is a
// different origin (another port) that must never see the token.
const TOKEN = 'sk_live_4f9c2e7a1b3d5f7092ab4cd6ef8a9b0c';
// Ten minutes from when the tests start, in epoch seconds.
const RESET_EPOCH_S = Math.floor(Date.now() / 1000) + 600;
let api: Server;
let other: Server;
let apiUrl: string;
let otherUrl: string;
const seen: { server: string; path: string; headers: IncomingHttpHeaders; method: string }[] = [];

function listen(s: Server): Promise<string> {
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  api = createServer((req, res) => {
    seen.push({ server: 'api', path: req.url ?? '', headers: req.headers, method: req.method ?? '' });
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    switch (url.pathname) {
      case '/v1/ok':
        return json(200, { ok: true }, { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '99', 'x-ratelimit-reset': String(RESET_EPOCH_S) });
      case '/v1/echo':
        return json(200, { youSent: req.headers.authorization, b64: Buffer.from(TOKEN).toString('base64') });
      case '/v1/401':
        return json(401, { detail: 'Authentication credentials were not provided.' });
      case '/v1/403':
        return json(403, { detail: 'You do not have permission to perform this action.' });
      case '/v1/429':
        return json(429, { error: 'slow down' }, { 'retry-after': '30' });
      case '/v1/500':
        return json(500, { error: 'boom' });
      case '/v1/redirect-away':
        res.writeHead(302, { location: `${otherUrl}/landing` });
        return res.end();
      case '/v1/redirect-home':
        res.writeHead(307, { location: '/v1/ok' });
        return res.end();
      case '/v1/redirect-insecure':
        res.writeHead(302, { location: 'http://example.com/steal' });
        return res.end();
      case '/v1/see-other':
        res.writeHead(303, { location: '/v1/ok' });
        return res.end();
      case '/v1/slow':
        // Never answers (until the server closes): a timeout or a cancel is then
        // the only way the request ends, however slow the machine is.
        return;
      default:
        return json(404, { error: 'no such path' });
    }
  });
  other = createServer((req, res) => {
    seen.push({ server: 'other', path: req.url ?? '', headers: req.headers, method: req.method ?? '' });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"landed":true}');
  });
  apiUrl = await listen(api);
  otherUrl = await listen(other);
});

afterAll(() => {
  api.closeAllConnections();
  other.closeAllConnections();
  api.close();
  other.close();
});

const base = (over: Partial<EngineRequest> = {}): EngineRequest => ({
  baseUrl: `${apiUrl}/v1`,
  method: 'GET',
  path: '/ok',
  credential: { kind: 'bearer', headerName: null, value: TOKEN },
  secrets: [TOKEN],
  production: false,
  armed: false,
  providerName: 'Coolset',
  ...over,
});

describe('HTTP engine', () => {
  it('sends the credential to its own API and reports status, timings and rate limits', async () => {
    const r = await sendRequest(base());
    expect(r.status).toBe(200);
    expect(r.classification).toBe('ok');
    expect(r.credentialSent).toBe(true);
    expect(seen.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(r.timings.totalMs).toBeGreaterThan(0);
    expect(r.timings.firstByteMs).not.toBeNull();
    expect(r.rateLimit).toMatchObject({ limit: 100, remaining: 99, resetAt: RESET_EPOCH_S * 1000 });
  });

  it('puts an API key in its header', async () => {
    await sendRequest(base({ credential: { kind: 'api_key', headerName: 'X-API-Key', value: TOKEN } }));
    expect(seen.at(-1)!.headers['x-api-key']).toBe(TOKEN);
    expect(seen.at(-1)!.headers.authorization).toBeUndefined();
  });

  it.each([
    ['/401', 'unauthorized', '401 from Coolset: the token is missing or invalid'],
    ['/403', 'forbidden', '403 from Coolset'],
    ['/nope', 'not_found', '404 from Coolset'],
    ['/429', 'rate_limited', '429 from Coolset'],
    ['/500', 'server_error', '500 from Coolset'],
  ])('classifies %s as %s and explains it', async (path, classification, words) => {
    const r = await sendRequest(
      base({ path, documentedErrors: [{ status: 401, meaning: 'the token is missing or invalid', bodyIncludes: 'Authentication credentials' }] }),
    );
    expect(r.classification).toBe(classification);
    expect(r.explanation).toContain(words);
  });

  it('parses Retry-After on 429', async () => {
    const before = Date.now();
    const r = await sendRequest(base({ path: '/429' }));
    expect(r.rateLimit!.retryAt! - before).toBeGreaterThanOrEqual(29_000);
  });

  it('redacts an echoed token from the body preview, in clear and base64', async () => {
    const r = await sendRequest(base({ path: '/echo' }));
    expect(r.bodyPreview).not.toContain(TOKEN);
    expect(r.bodyPreview).not.toContain(Buffer.from(TOKEN).toString('base64'));
    expect(r.bodyPreview).toContain('[REDACTED]');
  });

  it('follows a redirect to another origin WITHOUT the credential, and does not call that ok', async () => {
    const r = await sendRequest(base({ path: '/redirect-away' }));
    expect(r.status).toBe(200);
    expect(r.classification).toBe('redirected');
    expect(r.redirects).toHaveLength(1);
    expect(r.credentialSent).toBe(false);
    const landed = seen.filter((s) => s.server === 'other').at(-1)!;
    expect(landed.headers.authorization).toBeUndefined();
    expect(JSON.stringify(landed.headers)).not.toContain(TOKEN);
  });

  it('keeps the credential on a same-origin redirect', async () => {
    const r = await sendRequest(base({ path: '/redirect-home' }));
    expect(r.status).toBe(200);
    expect(r.credentialSent).toBe(true);
    expect(seen.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('turns a POST into a GET on 303', async () => {
    await sendRequest(base({ path: '/see-other', method: 'POST', body: '{}' }));
    expect(seen.at(-1)!.method).toBe('GET');
  });

  it('does not follow a redirect to plain http on a remote host', async () => {
    const count = seen.length;
    const r = await sendRequest(base({ path: '/redirect-insecure' }));
    expect(r.status).toBe(302);
    expect(r.classification).toBe('redirected');
    expect(r.explanation).toContain('not followed');
    expect(seen.length).toBe(count + 1);
  });

  it('refuses plain http to a remote host before sending anything', async () => {
    await expect(sendRequest(base({ baseUrl: 'http://api.example.com' }))).rejects.toMatchObject({ code: 'UNSAFE_REQUEST' });
  });

  it('refuses a path that would leave the base URL', () => {
    for (const p of ['//evil.example/x', 'http://evil.example/', 'relative', '/ok\r\nX: y']) {
      expect(() => buildUrl(`${apiUrl}/v1`, p)).toThrow();
    }
    expect(buildUrl('https://api.example.com/v2', '/users?x=1').toString()).toBe('https://api.example.com/v2/users?x=1');
  });

  it('refuses writes to an unarmed production environment, and allows them once armed', async () => {
    await expect(sendRequest(base({ method: 'POST', path: '/ok', body: '{}', production: true }))).rejects.toMatchObject({ code: 'PRODUCTION_LOCKED' });
    const read = await sendRequest(base({ production: true }));
    expect(read.status).toBe(200);
    const armed = await sendRequest(base({ method: 'POST', path: '/ok', body: '{}', production: true, armed: true }));
    expect(armed.status).toBe(200);
  });

  it('times out, and cancels', async () => {
    const slow = await sendRequest(base({ path: '/slow', timeoutMs: 200 }));
    expect(slow.classification).toBe('timeout');
    const ctrl = new AbortController();
    const p = sendRequest(base({ path: '/slow', signal: ctrl.signal }));
    setTimeout(() => ctrl.abort(), 50);
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('reports a refused connection as a network problem', async () => {
    const closed = createServer();
    const url = await listen(closed);
    closed.close();
    const r = await sendRequest(base({ baseUrl: url }));
    expect(r.classification).toBe('network');
    expect(r.explanation).toMatch(/refused/);
  });
});
