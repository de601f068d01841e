import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest, sendRequestWithBody, type EngineRequest } from './engine';

/**
 * The engine against loopback servers that behave like real APIs, SSO
 * gateways and CDNs. Origins: the API on 127.0.0.1:A, another server on
 * 127.0.0.1:B, and the same other server as localhost:B (a third origin).
 */
const TOKEN = 'sk_live_4f9c2e7a1b3d5f7092ab4cd6ef8a9b0c';

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
