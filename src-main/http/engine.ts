import http, { type IncomingMessage } from 'node:http';
import { withProviderMessage } from '../../src-shared/http/provider-message';
import https from 'node:https';
import type { Socket } from 'node:net';
import { VaultError } from '../../src-shared/errors';
import { isLoopbackHost } from '../../src-shared/domain/schemas';
import type { CredentialKind } from '../../src-shared/domain/schemas';
import { classifyError, classifyStatus, explainStatus, type Classification, type DocumentedError } from '../../src-shared/http/classify';
import { parseRateLimit, type RateLimitState } from '../../src-shared/http/rate-limit';
import { redact } from '../../src-shared/http/redact';

/**
 * The HTTP engine: every request that carries a token goes through here.
 *
 * Built on node:http(s) rather than fetch because it must see the socket
 * (DNS, connect and TLS timings) and must follow redirects itself, deciding
 * hop by hop whether the credential may go along.
 */

export interface CredentialMaterial {
  kind: CredentialKind;
  headerName: string | null;
  /** The value to send: the token, the API key, or a JWT session's access token. */
  value: string;
}

export interface EngineRequest {
  baseUrl: string;
  method: string;
  /** Path below the base URL, starting with `/`; may carry a query string. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  credential: CredentialMaterial | null;
  /** Every value to scrub from what comes back (token, refresh token, password). */
  secrets: string[];
  /** A production environment is read-only until armed. */
  production: boolean;
  armed: boolean;
  providerName: string;
  documentedErrors?: readonly DocumentedError[];
  timeoutMs?: number;
  signal?: AbortSignal;
  maxRedirects?: number;
}

/** For the main process's own use (login responses carry tokens): the whole body, never shown. */
export interface EngineResultWithBody extends EngineResult {
  body: Buffer;
}

export interface Timings {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  firstByteMs: number | null;
  totalMs: number;
}

export interface Hop {
  status: number;
  location: string;
  credentialSent: boolean;
}

export interface EngineResult {
  method: string;
  url: string;
  status: number | null;
  classification: Classification;
  explanation: string;
  timings: Timings;
  headers: Record<string, string>;
  bodyPreview: string;
  bodyBytes: number;
  bodyTruncated: boolean;
  contentType: string | null;
  rateLimit: RateLimitState | null;
  redirects: Hop[];
  credentialSent: boolean;
  at: number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
const PREVIEW_BYTES = 8 * 1024;
const READ_LIMIT_BYTES = 256 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const METHOD_RE = /^[A-Z]{3,10}$/;

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 16 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

/** Base URL + path, refusing any path that would leave the base URL's origin (`//evil`, `http://…`). */
export function buildUrl(baseUrl: string, path: string): URL {
  if (!path.startsWith('/') || path.startsWith('//') || /[\r\n\t]/.test(path)) {
    throw new VaultError('UNSAFE_REQUEST', `The path must start with a single "/" (got ${JSON.stringify(path.slice(0, 80))}).`);
  }
  const base = new URL(baseUrl);
  const joined = new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}${path}`);
  if (joined.origin !== base.origin) throw new VaultError('UNSAFE_REQUEST', 'The path leaves the base URL; the token is only sent to its own API.');
  return joined;
}

function assertTransportSafe(url: URL): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  throw new VaultError(
    'UNSAFE_REQUEST',
    url.protocol === 'http:'
      ? `Refused: plain http:// to ${url.hostname} would send the token unencrypted. Use https:// (http is allowed only for localhost).`
      : `Refused: ${url.protocol} is not an HTTP URL.`,
  );
}

export function assertWriteAllowed(method: string, production: boolean, armed: boolean): void {
  if (production && !armed && !SAFE_METHODS.has(method)) {
    throw new VaultError(
      'PRODUCTION_LOCKED',
      `Refused: ${method} to a production environment. Production is read-only until you arm it by typing the workspace name; arming lasts a few minutes.`,
    );
  }
}

function credentialHeaders(c: CredentialMaterial): Record<string, string> {
  if (c.kind === 'api_key') return { [c.headerName ?? 'X-API-Key']: c.value };
  return { Authorization: `Bearer ${c.value}` };
}

export async function sendRequest(req: EngineRequest, now: () => number = Date.now): Promise<EngineResult> {
  const { body: _body, ...result } = await sendRequestWithBody(req, now);
  return result;
}

export async function sendRequestWithBody(req: EngineRequest, now: () => number = Date.now): Promise<EngineResultWithBody> {
  const method = req.method.toUpperCase();
  if (!METHOD_RE.test(method)) throw new VaultError('VALIDATION', `"${req.method}" is not an HTTP method.`);
  assertWriteAllowed(method, req.production, req.armed);
  let url = buildUrl(req.baseUrl, req.path);
  assertTransportSafe(url);
  const origin = url.origin;
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  const deadline = Date.now() + timeoutMs;
  const redirects: Hop[] = [];
  let currentMethod = method;
  let body = req.body;

  for (let hop = 0; ; hop++) {
    // The credential goes only to the origin the user configured, over a safe transport.
    const sendCredential = req.credential !== null && url.origin === origin;
    const headers: Record<string, string> = {
      'user-agent': 'Tokenvault',
      accept: 'application/json, */*;q=0.5',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...stripAuthHeaders(req.headers ?? {}, req.credential?.headerName ?? null),
      ...(sendCredential ? credentialHeaders(req.credential!) : {}),
    };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));

    let response: RawResponse;
    try {
      response = await exchange(url, currentMethod, headers, body, deadline - Date.now(), req.signal, elapsed);
    } catch (e) {
      if (e instanceof VaultError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      const { classification, explanation } = classifyError(code);
      return {
        method,
        url: redact(url.toString(), req.secrets),
        status: null,
        classification,
        explanation,
        timings: { ...(e as { timings?: Omit<Timings, 'totalMs'> }).timings ?? { dnsMs: null, connectMs: null, tlsMs: null, firstByteMs: null }, totalMs: elapsed() },
        headers: {},
        bodyPreview: '',
        bodyBytes: 0,
        bodyTruncated: false,
        contentType: null,
        rateLimit: null,
        redirects,
        credentialSent: sendCredential,
        at: now(),
        body: Buffer.alloc(0),
      };
    }

    const location = response.headers.location;
    if ([301, 302, 303, 307, 308].includes(response.status) && location && hop < (req.maxRedirects ?? 5)) {
      const next = new URL(location, url);
      redirects.push({ status: response.status, location: redact(next.toString(), req.secrets), credentialSent: sendCredential });
      try {
        assertTransportSafe(next);
      } catch {
        return finish(response, url, redirects, sendCredential, `${response.status} redirect to ${next.protocol}//${next.host} was not followed: it is not a safe transport.`);
      }
      // RFC 9110: 303 becomes GET; 301/302 after a POST become GET in every client that matters.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && currentMethod === 'POST')) {
        currentMethod = 'GET';
        body = undefined;
      }
      url = next;
      continue;
    }
    return finish(response, url, redirects, sendCredential, null);
  }

  function finish(r: RawResponse, finalUrl: URL, hops: Hop[], credentialSent: boolean, override: string | null): EngineResultWithBody {
    const text = r.body.subarray(0, PREVIEW_BYTES).toString('utf8');
    const classification = classifyStatus(r.status);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) {
      if (v !== undefined) headers[k] = redact(Array.isArray(v) ? v.join(', ') : v, req.secrets);
    }
    return {
      method,
      url: redact(finalUrl.toString(), req.secrets),
      status: r.status,
      classification,
      // The provider's own words where it sent any and its documents do not already explain this status (issue 10), from the redacted body.
      explanation:
        override ??
        (req.documentedErrors?.some((d) => d.status === r.status)
          ? explainStatus(r.status, req.providerName, text, req.documentedErrors)
          : withProviderMessage(explainStatus(r.status, req.providerName, text, req.documentedErrors), redact(text, req.secrets), req.providerName)),
      timings: { ...r.timings, totalMs: elapsed() },
      headers,
      bodyPreview: redact(text, req.secrets),
      bodyBytes: r.bodyBytes,
      bodyTruncated: r.bodyBytes > PREVIEW_BYTES,
      contentType: typeof r.headers['content-type'] === 'string' ? r.headers['content-type'] : null,
      rateLimit: parseRateLimit(flatten(r.headers), now()),
      redirects: hops,
      credentialSent,
      at: now(),
      body: r.body,
    };
  }
}

/** A user-typed header must not smuggle a credential past the origin check. */
function stripAuthHeaders(headers: Record<string, string>, credentialHeader: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (/^(authorization|cookie|proxy-authorization|host|content-length|transfer-encoding|connection)$/i.test(k)) continue;
    if (credentialHeader && k.toLowerCase() === credentialHeader.toLowerCase()) continue;
    out[k] = v;
  }
  return out;
}

function flatten(h: IncomingMessage['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

interface RawResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
  bodyBytes: number;
  timings: Omit<Timings, 'totalMs'>;
}

function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  elapsed: () => number,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new VaultError('CANCELLED', 'The request was cancelled.'));
    const timings: Omit<Timings, 'totalMs'> = { dnsMs: null, connectMs: null, tlsMs: null, firstByteMs: null };
    const lib = url.protocol === 'https:' ? https : http;
    const request = lib.request(url, { method, headers, agent: url.protocol === 'https:' ? agents.https : agents.http });
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      (e as Error & { timings?: unknown }).timings = timings;
      request.destroy();
      reject(e);
    };
    const timer = setTimeout(() => fail(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })), Math.max(1, timeoutMs));
    const onAbort = () => fail(new VaultError('CANCELLED', 'The request was cancelled.'));
    signal?.addEventListener('abort', onAbort, { once: true });

    request.on('socket', (socket: Socket) => {
      // A reused keep-alive socket has no lookup/connect/TLS to time, and
      // listeners left on it would pile up request after request.
      if (!socket.connecting) return;
      const onLookup = () => (timings.dnsMs = elapsed());
      const onConnect = () => (timings.connectMs = elapsed());
      const onSecure = () => (timings.tlsMs = elapsed());
      socket.once('lookup', onLookup);
      socket.once('connect', onConnect);
      socket.once('secureConnect', onSecure);
      request.once('close', () => {
        socket.off('lookup', onLookup);
        socket.off('connect', onConnect);
        socket.off('secureConnect', onSecure);
      });
    });
    request.on('error', (e) => fail(e));
    request.on('response', (res) => {
      timings.firstByteMs = elapsed();
      const chunks: Buffer[] = [];
      let kept = 0;
      let total = 0;
      res.on('data', (c: Buffer) => {
        total += c.length;
        if (kept < READ_LIMIT_BYTES) {
          chunks.push(c);
          kept += c.length;
        }
      });
      res.on('error', (e) => fail(e));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), bodyBytes: total, timings });
      });
    });
    request.end(body);
  });
}
