import type { Agent, IncomingMessage, request as httpRequest } from 'node:http';
import { withProviderMessage } from '../../src-shared/http/provider-message';
import type { Socket } from 'node:net';
import { VaultError } from '../../src-shared/errors';
import { isLoopbackHost } from '../../src-shared/domain/schemas';
import type { CredentialKind } from '../../src-shared/domain/schemas';
import { classifyError, classifyStatus, explainStatus, type Classification, type DocumentedError } from '../../src-shared/http/classify';
import { parseRateLimit, type RateLimitState } from '../../src-shared/http/rate-limit';
import { compileSecrets, REDACTED, type SecretMatcher } from '../../src-shared/http/redact';
import { bodyText, decodeContent, type DecodeProblem } from './body';
import { explainRedirect, looksLikeLoginPage, type RedirectHop, type RedirectStop, type RedirectVerdict } from '../../src-shared/http/redirect-verdict';

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
  /** A string is sent as UTF-8; bytes (the credential proxy's bodies) as they are. */
  body?: string | Buffer;
  credential: CredentialMaterial | null;
  /** Every value to scrub from what comes back (token, refresh token, password). */
  secrets: string[];
  /**
   * `compileSecrets(secrets)` made earlier, for a caller that sends with the
   * same secrets again (a credential's tests): compiling is most of what
   * redaction costs. Must match `secrets`; built here when absent.
   */
  scrub?: SecretMatcher;
  /** A production environment is read-only until armed. */
  production: boolean;
  armed: boolean;
  providerName: string;
  documentedErrors?: readonly DocumentedError[];
  timeoutMs?: number;
  signal?: AbortSignal;
  maxRedirects?: number;
  /** How much of the response body to keep (bytes); the rest is counted, not kept. Default 256 KiB. */
  maxBodyBytes?: number;
}

/** For the main process's own use (login responses carry tokens): the whole body, never shown. */
export interface EngineResultWithBody extends EngineResult {
  body: Buffer;
  /**
   * Null when `body` is the whole plain body; else why it is not (a coding it
   * could not undo, a body that failed to decode, or one cut at the decoded
   * cap). Typed for code that must act on it, such as the credential proxy;
   * the same is said in words in `notes`.
   */
  decodeProblem: DecodeProblem | null;
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
  /** Set when the classification is `redirected`. */
  redirect: RedirectVerdict | null;
  /** How the answer was read (decoding, charset, doubtful rate-limit headers). */
  notes: string[];
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const PREVIEW_BYTES = 8 * 1024;
const READ_LIMIT_BYTES = 256 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const METHOD_RE = /^[A-Z]{3,10}$/;

/** node:http or node:https with its keep-alive agent. */
interface Transport {
  request: typeof httpRequest;
  agent: Agent;
}

const transports: Partial<Record<'http:' | 'https:', Transport>> = {};

/**
 * The transport for `protocol`, loaded by the first request that needs it
 * (issue 11, a CLI that starts fast: a command that sends nothing never loads
 * node:http, and one that talks plain http to localhost never loads TLS).
 * Later requests get the loaded one synchronously.
 */
async function transportFor(protocol: 'http:' | 'https:'): Promise<Transport> {
  const known = transports[protocol];
  if (known) return known;
  const lib = protocol === 'https:' ? await import('node:https') : await import('node:http');
  return (transports[protocol] ??= { request: lib.request, agent: new lib.Agent({ keepAlive: true, maxSockets: 16 }) });
}

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

/**
 * The headers the engine sends, in order: its own, the user's (less any that
 * would carry a credential), then the credential's when it goes along.
 * Exported so that "Copy as curl" (issue 12) shows exactly these.
 */
export function outgoingHeaders(user: Record<string, string> | undefined, credential: CredentialMaterial | null, sendCredential: boolean, hasBody: boolean): Record<string, string> {
  return {
    'user-agent': 'Tokenvault',
    accept: 'application/json, */*;q=0.5',
    ...(hasBody ? { 'content-type': 'application/json' } : {}),
    ...stripAuthHeaders(user ?? {}, credential?.headerName ?? null),
    ...(sendCredential && credential ? credentialHeaders(credential) : {}),
  };
}

function credentialHeaders(c: CredentialMaterial): Record<string, string> {
  if (c.kind === 'api_key') return { [c.headerName ?? 'X-API-Key']: c.value };
  return { Authorization: `Bearer ${c.value}` };
}

export async function sendRequest(req: EngineRequest, now: () => number = Date.now): Promise<EngineResult> {
  const { body: _body, decodeProblem: _problem, ...result } = await sendRequestWithBody(req, now);
  return result;
}

export async function sendRequestWithBody(req: EngineRequest, now: () => number = Date.now): Promise<EngineResultWithBody> {
  const method = req.method.toUpperCase();
  if (!METHOD_RE.test(method)) throw new VaultError('VALIDATION', `"${req.method}" is not an HTTP method.`);
  assertWriteAllowed(method, req.production, req.armed);
  let url = buildUrl(req.baseUrl, req.path);
  assertTransportSafe(url);
  const origin = url.origin;
  // Every text that leaves the engine (URLs, headers, the preview) goes through this, compiled once per request at most.
  const scrub = req.scrub ?? compileSecrets(req.secrets);
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  const deadline = Date.now() + timeoutMs;
  const redirects: Hop[] = [];
  const chain: RedirectHop[] = [];
  const requested = new Set<string>();
  const maxRedirects = req.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let currentMethod = method;
  let body = req.body;

  for (let hop = 0; ; hop++) {
    // The credential goes only to the origin the user configured, over a safe transport.
    const sendCredential = req.credential !== null && url.origin === origin;
    const headers = outgoingHeaders(req.headers, req.credential, sendCredential, body !== undefined);
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    requested.add(url.href);

    let response: RawResponse;
    try {
      const transport = transports[url.protocol as 'http:' | 'https:'] ?? (await transportFor(url.protocol as 'http:' | 'https:'));
      response = await exchange(transport, url, currentMethod, headers, body, deadline - Date.now(), req.signal, elapsed, req.maxBodyBytes ?? READ_LIMIT_BYTES);
    } catch (e) {
      if (e instanceof VaultError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      const { classification, explanation } = classifyError(code);
      return {
        method,
        url: scrub.redact(url.toString()),
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
        redirect: null,
        notes: [],
        body: Buffer.alloc(0),
        decodeProblem: null,
      };
    }
    chain.push({ url: scrub.redact(url.toString()), status: response.status, credentialSent: sendCredential });

    if (!REDIRECT_STATUSES.has(response.status)) return await finish(response, url, sendCredential, null);
    const location = response.headers.location;
    let next: URL | null;
    try {
      next = location ? new URL(location, url) : null;
    } catch {
      next = null;
    }
    if (!next) return await finish(response, url, sendCredential, { stop: 'no_location', notFollowed: null });
    const shown = scrub.redact(next.toString());
    redirects.push({ status: response.status, location: shown, credentialSent: sendCredential });
    try {
      assertTransportSafe(next);
    } catch {
      return await finish(response, url, sendCredential, { stop: 'refused', notFollowed: scrub.redact(`${next.protocol}//${next.host}${next.pathname}`) });
    }
    // Back to a URL already asked for in this chain: with no cookies kept, it can only repeat.
    if (requested.has(next.href)) return await finish(response, url, sendCredential, { stop: 'loop', notFollowed: shown });
    if (hop >= maxRedirects) return await finish(response, url, sendCredential, { stop: 'hop_limit', notFollowed: shown });
    // RFC 9110: 303 becomes GET; 301/302 after a POST become GET in every client that matters.
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && currentMethod === 'POST')) {
      currentMethod = 'GET';
      body = undefined;
    }
    url = next;
  }

  async function finish(
    r: RawResponse,
    finalUrl: URL,
    credentialSent: boolean,
    stopped: { stop: RedirectStop; notFollowed: string | null } | null,
  ): Promise<EngineResultWithBody> {
    const contentTypeHeader = typeof r.headers['content-type'] === 'string' ? r.headers['content-type'] : null;
    const encoding = r.headers['content-encoding'];
    const decoded = await decodeContent(r.body, Array.isArray(encoding) ? encoding.join(', ') : encoding);
    if (decoded.body !== r.body) r.body.fill(0);
    const notes = [...decoded.notes];
    if (r.bodyBytes > r.body.length) notes.push(`Only the first ${Math.round(r.body.length / 1024)} KB of ${r.bodyBytes} bytes were read.`);
    // The preview is redacted over a window longer than itself by the longest spelling of a
    // secret, so a secret that starts inside the preview is redacted whole, never cut in two.
    const windowBytes = decoded.body.subarray(0, PREVIEW_BYTES + scrub.maxMatchLength * 4);
    const read = bodyText(windowBytes, contentTypeHeader);
    notes.push(...read.notes);
    const text = read.text ?? '';
    const wholeWindow = windowBytes.length === decoded.body.length;
    const redactedText = scrub.redact(text);
    const preview = cutPreview(redactedText, wholeWindow ? Infinity : Math.max(0, Math.min(PREVIEW_BYTES, text.length - scrub.maxMatchLength)));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) {
      if (v !== undefined) headers[k] = scrub.redact(Array.isArray(v) ? v.join(', ') : v);
    }
    const contentType = contentTypeHeader;
    const rateLimit = parseRateLimit(flatten(r.headers), now());
    if (rateLimit?.notes) notes.push(...rateLimit.notes);
    let classification = classifyStatus(r.status);
    let explanation = explainStatus(r.status, req.providerName, text, req.documentedErrors);
    // The provider's own words (redacted) where it sent any and its documents do not already explain this status (issue 10).
    if (!req.documentedErrors?.some((d) => d.status === r.status)) explanation = withProviderMessage(explanation, redactedText, req.providerName);
    // ok means: a 2xx from the environment's own origin, to a request that carried the credential
    // (or, for the engine's own credential-less calls such as a login, to a request from its own origin).
    let stop: RedirectStop | null = stopped?.stop ?? null;
    if (stop === null && finalUrl.origin !== origin) stop = 'left_origin';
    if (stop === null && classification === 'redirected') stop = 'no_location';
    if (stop === null && classification === 'ok' && req.credential !== null && !credentialSent) stop = 'left_origin';
    let redirect: RedirectVerdict | null = null;
    if (stop !== null) {
      classification = 'redirected';
      const firstStatus = chain[0]?.status ?? r.status;
      const documented = req.documentedErrors?.find((d) => d.status === firstStatus)?.meaning ?? null;
      const verdict = { chain: [...chain], stoppedBecause: stop, notFollowed: stopped?.notFollowed ?? null, loginPage: looksLikeLoginPage(finalUrl.toString(), contentType) };
      explanation = explainRedirect(verdict, req.providerName, maxRedirects, documented);
      redirect = { ...verdict, explanation };
    }
    return {
      method,
      url: scrub.redact(finalUrl.toString()),
      status: r.status,
      classification,
      explanation,
      timings: { ...r.timings, totalMs: elapsed() },
      headers,
      bodyPreview: preview.text,
      bodyBytes: decoded.decoded && decoded.body !== r.body ? decoded.body.length : r.bodyBytes,
      bodyTruncated: preview.cut || decoded.capped || r.bodyBytes > r.body.length,
      contentType,
      rateLimit,
      redirects,
      credentialSent,
      at: now(),
      redirect,
      // Notes can quote a header the server sent (Content-Encoding, a charset): redacted like the rest.
      notes: notes.map((n) => scrub.redact(n)),
      body: decoded.body,
      decodeProblem: decoded.problem && { kind: decoded.problem.kind, coding: scrub.redact(decoded.problem.coding), note: scrub.redact(decoded.problem.note) },
    };
  }
}

/** Cuts a redacted preview at `limit` characters, never inside a `[REDACTED]` marker. */
function cutPreview(text: string, limit: number): { text: string; cut: boolean } {
  if (text.length <= limit) return { text, cut: false };
  let end = limit;
  const marker = text.lastIndexOf(REDACTED, end);
  if (marker !== -1 && marker + REDACTED.length > end) end = marker + REDACTED.length;
  return { text: text.slice(0, end), cut: true };
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
  transport: Transport,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  elapsed: () => number,
  readLimit: number,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new VaultError('CANCELLED', 'The request was cancelled.'));
    const timings: Omit<Timings, 'totalMs'> = { dnsMs: null, connectMs: null, tlsMs: null, firstByteMs: null };
    const request = transport.request(url, { method, headers, agent: transport.agent });
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
        // Keep exactly up to the limit: a whole last chunk would overshoot it by up to 64 KiB.
        if (kept < readLimit) {
          const part = c.length > readLimit - kept ? c.subarray(0, readLimit - kept) : c;
          chunks.push(part);
          kept += part.length;
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
