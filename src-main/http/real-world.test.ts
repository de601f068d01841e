import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest, sendRequestWithBody, type EngineRequest } from './engine';

/**
 * The engine against loopback servers that behave like real APIs, SSO
 * gateways and CDNs. Origins: the API on 127.0.0.1:A, another server on
 * 127.0.0.1:B, and the same other server as localhost:B (a third origin).
 */
const TOKEN = 'sk_live_4f9c2e7a1b3d5f7092ab4cd6ef8a9b0c';
// A value with the characters escaping changes: `/`, `+`, `=` and other punctuation.
const ODD = 'k3y/With+Plus=And&Amp<lt>"q"~';

type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => void;
const apiRoutes = new Map<string, Route>();
const otherRoutes = new Map<string, Route>();
const seen: { server: 'api' | 'other'; host: string; path: string; headers: IncomingHttpHeaders }[] = [];
let api: Server;
let other: Server;
let apiUrl: string;
let otherUrl: string;
let otherLocalhost: string;

function serve(name: 'api' | 'other', routes: Map<string, Route>): Server {
  return createServer((req, res) => {
    seen.push({ server: name, host: req.headers.host ?? '', path: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://x');
    const route = routes.get(url.pathname);
    if (route) return route(req, res, url);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"no such path"}');
  });
}

function listen(s: Server): Promise<number> {
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
}

const redirect = (status: number, to: () => string): Route => (_req, res) => {
  res.writeHead(status, { location: to() });
  res.end();
};

beforeAll(async () => {
  api = serve('api', apiRoutes);
  other = serve('other', otherRoutes);
  apiUrl = `http://127.0.0.1:${await listen(api)}`;
  const otherPort = await listen(other);
  otherUrl = `http://127.0.0.1:${otherPort}`;
  otherLocalhost = `http://localhost:${otherPort}`;

  apiRoutes.set('/v1/me', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id":1}');
  });
  // An SSO gateway: the API sends an unaccepted session to its login page, which answers 200 HTML.
  apiRoutes.set('/v1/sso', redirect(302, () => `${otherLocalhost}/login?next=%2Fv1%2Fsso`));
  otherRoutes.set('/login', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Sign in</title><form>…</form>');
  });
  // A CDN edge on another origin that answers 200 JSON (no login page).
  apiRoutes.set('/v1/moved', redirect(301, () => `${otherUrl}/edge/me`));
  otherRoutes.set('/edge/me', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"cached":true}');
  });
  // Another origin that answers 401 (it never saw the token).
  apiRoutes.set('/v1/away-401', redirect(307, () => `${otherUrl}/denied`));
  otherRoutes.set('/denied', (_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"detail":"Authentication credentials were not provided."}');
  });
  // A redirect that never ends: each hop to a new URL.
  apiRoutes.set('/v1/forever', (_req, res, url) => {
    const n = Number(url.searchParams.get('n') ?? '0');
    res.writeHead(302, { location: `/v1/forever?n=${n + 1}` });
    res.end();
  });
  // A two-step loop.
  apiRoutes.set('/v1/ping', redirect(302, () => '/v1/pong'));
  apiRoutes.set('/v1/pong', redirect(302, () => '/v1/ping'));
  // A redirect the engine refuses: plain http to a remote host.
  apiRoutes.set('/v1/insecure', redirect(302, () => 'http://sso.example.com/login'));
  // Same origin: stays ok.
  apiRoutes.set('/v1/home', redirect(308, () => '/v1/me'));
  // A 3xx without a Location.
  apiRoutes.set('/v1/bare-302', (_req, res) => {
    res.writeHead(302);
    res.end();
  });
  // Servers that echo what they were sent, each escaping it its own way.
  const echo = (spell: (token: string) => string, contentType = 'application/json'): Route => (req, res) => {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    res.writeHead(200, { 'content-type': contentType, 'x-echo': spell(token) });
    res.end(`{"you":"${spell(token)}","ok":true}`);
  };
  const jsonSlash = (t: string) => JSON.stringify(t).slice(1, -1).replace(/\//g, '\\/');
  const jsonUnicode = (t: string) => Array.from(t, (c) => (/[a-z0-9]/i.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('');
  const pctLower = (t: string) => encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  apiRoutes.set('/v1/echo-slash', echo(jsonSlash));
  apiRoutes.set('/v1/echo-unicode', echo(jsonUnicode));
  apiRoutes.set('/v1/echo-pct', echo(pctLower));
  apiRoutes.set('/v1/echo-form', echo((t) => new URLSearchParams({ t }).toString().slice(2)));
  apiRoutes.set('/v1/echo-html', echo((t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\//g, '&#x2F;'), 'text/html'));
  apiRoutes.set('/v1/echo-b64url', echo((t) => Buffer.from(t).toString('base64url')));
  apiRoutes.set('/v1/echo-b64', echo((t) => Buffer.from(`user:${t}`).toString('base64')));
  // A gateway that puts the token in the login URL it redirects to.
  apiRoutes.set('/v1/sso-leaky', (req, res) => {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    res.writeHead(302, { location: `${otherUrl}/login?token=${pctLower(token)}` });
    res.end();
  });
  // Compressed bodies, sent whether asked for or not.
  const compressed = (encoding: string, squeeze: (b: Buffer) => Buffer, contentType = 'application/json'): Route => (req, res) => {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    res.writeHead(200, { 'content-type': contentType, 'content-encoding': encoding });
    res.end(squeeze(Buffer.from(JSON.stringify({ user: { email: 'ana@example.com' }, echoed: token }))));
  };
  apiRoutes.set('/v1/gzip', compressed('gzip', (b) => gzipSync(b)));
  apiRoutes.set('/v1/deflate', compressed('deflate', (b) => deflateSync(b)));
  apiRoutes.set('/v1/deflate-raw', compressed('deflate', (b) => deflateRawSync(b)));
  apiRoutes.set('/v1/br', compressed('br', (b) => brotliCompressSync(b)));
  apiRoutes.set('/v1/gzip-then-br', compressed('gzip, br', (b) => brotliCompressSync(gzipSync(b))));
  // A decompression bomb: 64 MB of zeros in about 64 KB of gzip.
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
  apiRoutes.set('/v1/bomb', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(bomb);
  });
  apiRoutes.set('/v1/not-gzip', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end('{"this is":"not gzip at all"}');
  });
  apiRoutes.set('/v1/compress', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'compress' });
    res.end(Buffer.from([0x1f, 0x9d, 0x90, 0x41]));
  });
  // A server that echoes the token into a header the engine quotes in a note.
  apiRoutes.set('/v1/echo-coding', (req, res) => {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': `x-${token}` });
    res.end('hello');
  });
  apiRoutes.set('/v1/latin1', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=ISO-8859-1' });
    res.end(Buffer.from('Café crème, Zürich', 'latin1'));
  });
  apiRoutes.set('/v1/sjis', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=Shift_JIS' });
    // "トークン" (token) in Shift_JIS.
    res.end(Buffer.from([0x83, 0x67, 0x81, 0x5b, 0x83, 0x4e, 0x83, 0x93]));
  });
  apiRoutes.set('/v1/bogus-charset', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=x-no-such-charset' });
    res.end('plain');
  });
  // A token that straddles the end of the 8 KB preview.
  apiRoutes.set('/v1/long-echo', (req, res) => {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`${'x'.repeat(8 * 1024 - 10)}${jsonSlash(token)}${'y'.repeat(5000)}`);
  });

  // Away and back again: the credential goes along again on the way back, and the answer is the API's.
  apiRoutes.set('/v1/bounce', redirect(302, () => `${otherUrl}/bounce-back`));
  otherRoutes.set('/bounce-back', redirect(302, () => `${apiUrl}/v1/me`));
});

afterAll(() => {
  for (const s of [api, other]) {
    s.closeAllConnections();
    s.close();
  }
});

const base = (over: Partial<EngineRequest> = {}): EngineRequest => ({
  baseUrl: `${apiUrl}/v1`,
  method: 'GET',
  path: '/me',
  credential: { kind: 'bearer', headerName: null, value: TOKEN },
  secrets: [TOKEN],
  production: false,
  armed: false,
  providerName: 'Acme',
  ...over,
});

describe('1. a verdict says whether the token reached the API', () => {
  it('a 200 from the API itself, with the token, is ok', async () => {
    const r = await sendRequest(base());
    expect(r.classification).toBe('ok');
    expect(r.redirect).toBeNull();
  });

  it('a 302 to an SSO login page on another origin is redirected, not ok, and the token did not go along', async () => {
    const r = await sendRequest(base({ path: '/sso' }));
    expect(r.status).toBe(200);
    expect(r.classification).toBe('redirected');
    expect(r.credentialSent).toBe(false);
    expect(r.redirect).toMatchObject({ stoppedBecause: 'left_origin', loginPage: true });
    expect(r.redirect!.chain).toEqual([
      { url: `${apiUrl}/v1/sso`, status: 302, credentialSent: true },
      { url: `${otherLocalhost}/login?next=%2Fv1%2Fsso`, status: 200, credentialSent: false },
    ]);
    expect(r.explanation).toMatch(/login page/);
    expect(r.explanation).toMatch(/not accepted as a session/);
    const landed = seen.filter((s) => s.server === 'other' && s.path.startsWith('/login')).at(-1)!;
    expect(landed.host).toMatch(/^localhost:/);
    expect(landed.headers.authorization).toBeUndefined();
  });

  it('a 200 from another origin (no login page) is redirected too', async () => {
    const r = await sendRequest(base({ path: '/moved' }));
    expect(r.classification).toBe('redirected');
    expect(r.redirect).toMatchObject({ stoppedBecause: 'left_origin', loginPage: false });
    expect(r.explanation).toMatch(/another origin/);
  });

  it('a 401 from another origin is not read as the token being refused by the API', async () => {
    const r = await sendRequest(base({ path: '/away-401' }));
    expect(r.status).toBe(401);
    expect(r.classification).toBe('redirected');
    expect(r.redirect!.chain.at(-1)).toMatchObject({ status: 401, credentialSent: false });
  });

  it('a redirect that never ends stops at the hop limit as redirected', async () => {
    const r = await sendRequest(base({ path: '/forever' }));
    expect(r.status).toBe(302);
    expect(r.classification).toBe('redirected');
    expect(r.redirect!.stoppedBecause).toBe('hop_limit');
    expect(r.redirect!.chain).toHaveLength(6);
    expect(r.redirect!.notFollowed).toContain('/v1/forever?n=6');
    expect(r.explanation).toMatch(/more than 5 times/);
  });

  it('a loop back to a URL already requested stops as a loop', async () => {
    const r = await sendRequest(base({ path: '/ping' }));
    expect(r.classification).toBe('redirected');
    expect(r.redirect!.stoppedBecause).toBe('loop');
    expect(r.redirect!.chain.map((h) => new URL(h.url).pathname)).toEqual(['/v1/ping', '/v1/pong']);
  });

  it('a redirect the engine refuses to follow is redirected, and nothing is sent to its target', async () => {
    const r = await sendRequest(base({ path: '/insecure' }));
    expect(r.status).toBe(302);
    expect(r.classification).toBe('redirected');
    expect(r.redirect).toMatchObject({ stoppedBecause: 'refused', notFollowed: 'http://sso.example.com/login' });
    expect(r.explanation).toContain('was not followed');
  });

  it('a 3xx without a Location is redirected', async () => {
    const r = await sendRequest(base({ path: '/bare-302' }));
    expect(r.classification).toBe('redirected');
    expect(r.redirect!.stoppedBecause).toBe('no_location');
  });

  it('a same-origin redirect stays ok, and so does a bounce that comes back to the API with the token', async () => {
    expect((await sendRequest(base({ path: '/home' }))).classification).toBe('ok');
    const bounced = await sendRequest(base({ path: '/bounce' }));
    expect(bounced.classification).toBe('ok');
    expect(bounced.credentialSent).toBe(true);
  });

  it("uses the provider's own words for the redirect status where it documents some", async () => {
    const r = await sendRequest(base({ path: '/sso', documentedErrors: [{ status: 302, meaning: 'the session expired: sign in again' }] }));
    expect(r.explanation).toContain('Acme documents 302 as: the session expired: sign in again');
  });

  it('a credential-less call of the engine itself (a login) is judged by its own origin only', async () => {
    const r = await sendRequestWithBody(base({ credential: null }));
    expect(r.classification).toBe('ok');
  });
});

describe('2. redaction holds for every way a server can echo a value', () => {
  it.each([
    ['/echo-slash', 'JSON with \\/'],
    ['/echo-unicode', 'JSON \\u escapes'],
    ['/echo-pct', 'percent-encoded, lower-case hex'],
    ['/echo-form', 'form-encoded'],
    ['/echo-html', 'HTML entities'],
    ['/echo-b64url', 'base64url without padding'],
    ['/echo-b64', 'base64 of a Basic credential'],
  ])('%s (%s): neither the body preview nor the headers show the value', async (path) => {
    for (const value of [TOKEN, ODD]) {
      const r = await sendRequest(base({ path, credential: { kind: 'bearer', headerName: null, value }, secrets: [value] }));
      const served = seen.at(-1)!;
      expect(served.headers.authorization).toBe(`Bearer ${value}`);
      expect(r.bodyPreview).toContain('[REDACTED]');
      expect(r.headers['x-echo']).toContain('[REDACTED]');
      const shown = JSON.stringify(r);
      expect(shown).not.toContain(value);
      // Nothing of the value survives in a recognisable piece either.
      expect(shown).not.toContain(value.slice(0, 8));
    }
  });

  it('the redirect chain and the URLs carry no value, even percent-encoded in lower case', async () => {
    const r = await sendRequest(base({ path: '/sso-leaky', credential: { kind: 'bearer', headerName: null, value: ODD }, secrets: [ODD] }));
    expect(r.classification).toBe('redirected');
    const shown = JSON.stringify(r);
    expect(shown).not.toContain(encodeURIComponent(ODD).toLowerCase());
    expect(shown).not.toContain(encodeURIComponent(ODD));
    expect(r.redirect!.chain[1]!.url).toContain('token=[REDACTED]');
    expect(r.headers.location ?? '').not.toContain('k3y');
  });

  it('a value cut by the end of the preview is redacted whole, never shown in part', async () => {
    const r = await sendRequest(base({ path: '/long-echo', credential: { kind: 'bearer', headerName: null, value: ODD }, secrets: [ODD] }));
    expect(r.bodyTruncated).toBe(true);
    expect(r.bodyPreview).toMatch(/\[REDACTED\]$/);
    expect(r.bodyPreview).not.toContain('k3y');
  });
});

describe('3. bodies are decoded', () => {
  it.each(['/gzip', '/deflate', '/deflate-raw', '/br', '/gzip-then-br'])('%s: the preview is the JSON, redacted after decoding, and the body is readable', async (path) => {
    const r = await sendRequestWithBody(base({ path }));
    expect(r.classification).toBe('ok');
    expect(r.bodyPreview).toBe('{"user":{"email":"ana@example.com"},"echoed":"[REDACTED]"}');
    expect(JSON.parse(r.body.toString('utf8')).user.email).toBe('ana@example.com');
    expect(r.notes.join(' ')).toMatch(/Decoded from/);
  });

  it('a decompression bomb stops at the cap with a note', async () => {
    const r = await sendRequestWithBody(base({ path: '/bomb' }));
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(1024 * 1024);
    expect(r.bodyTruncated).toBe(true);
    expect(r.notes.join(' ')).toMatch(/decompression bomb/);
  });

  it('an undecodable body is a note, not a crash', async () => {
    const bad = await sendRequest(base({ path: '/not-gzip' }));
    expect(bad.status).toBe(200);
    expect(bad.notes.join(' ')).toMatch(/could not be decoded/);
    const unknown = await sendRequest(base({ path: '/compress' }));
    expect(unknown.notes.join(' ')).toMatch(/compress, which Tokenvault cannot decode/);
  });

  it('a note that quotes a header the server sent is redacted too', async () => {
    const r = await sendRequest(base({ path: '/echo-coding' }));
    expect(r.notes.join(' ')).toMatch(/cannot decode/);
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it('text bodies are read in the charset their Content-Type names', async () => {
    expect((await sendRequest(base({ path: '/latin1' }))).bodyPreview).toBe('Café crème, Zürich');
    expect((await sendRequest(base({ path: '/sjis' }))).bodyPreview).toBe('トークン');
    const bogus = await sendRequest(base({ path: '/bogus-charset' }));
    expect(bogus.bodyPreview).toBe('plain');
    expect(bogus.notes.join(' ')).toMatch(/x-no-such-charset/);
  });
});
