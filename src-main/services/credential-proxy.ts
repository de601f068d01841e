import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isVaultError } from '../../src-shared/errors';
import { redactBytes } from '../http/redact-bytes';
import { secretMatches } from '../browser-mode/guard';
import type { Vault } from '../vault/vault';
import type { RequestService } from './request-service';

/** The header a client sends the per-run secret in. */
export const PROXY_SECRET_HEADER = 'x-tokenvault-proxy-secret';
/** Set on every answer the proxy makes itself (a refusal), never on a provider's answer. */
export const PROXY_REFUSAL_HEADER = 'x-tokenvault-proxy';

const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'content-length']);
// Never passed to the provider: ours, the browser's, or ones the engine sets itself.
const DROPPED_REQUEST_HEADERS = new Set([...HOP_BY_HOP, 'host', PROXY_SECRET_HEADER, 'accept-encoding', 'origin', 'referer', 'cookie', 'authorization', 'proxy-authorization']);

export interface ProxyCall {
  method: string;
  path: string;
  /** The provider's status, or the proxy's own when it refused. */
  status: number;
  refused: string | null;
}

export interface CredentialProxyOptions {
  vault: Vault;
  service: RequestService;
  credentialId: string;
  /** 0 (default) for a free port. Always bound to 127.0.0.1. */
  port?: number;
  /** Refuse a call the documented role/scope model denies (default); `--no-check` turns it off. */
  check?: boolean;
  /** Per-call timeout towards the provider, ms. */
  timeoutMs?: number;
  onCall?: (call: ProxyCall) => void;
  random?: (n: number) => Buffer;
}

/**
 * `tokenvault proxy`: a loopback HTTP server that passes each request on to
 * the credential's environment with the credential attached, through the same
 * request service as a test — production arming, an open Retry-After window,
 * the documented role/scope pre-flight, redirects that never carry the token
 * to another origin, redaction of any echoed value, and a history/audit entry
 * per call with its method and path. The client never holds the token.
 *
 * It is a local admin port like browser mode, guarded the same way:
 * - bound to 127.0.0.1 only;
 * - `Host` must be `127.0.0.1:PORT` or `localhost:PORT` (a DNS-rebinding page arrives with its own name);
 * - any `Origin` (and a browser's cross-site `Sec-Fetch-Site`) is refused: no web page may use it, and no CORS is granted;
 * - a random per-run secret (32 bytes, base64url) must come in `X-Tokenvault-Proxy-Secret`,
 *   compared in constant time; it is printed once when the proxy starts.
 * A refused request never reaches the provider.
 */
export class CredentialProxy {
  readonly secret: string;
  private server: http.Server | null = null;
  private port = 0;

  constructor(private readonly opts: CredentialProxyOptions) {
    this.secret = (opts.random ?? randomBytes)(32).toString('base64url');
  }

  async listen(): Promise<{ url: string; port: number }> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) this.refuse(res, req, 500, 'INTERNAL', 'The proxy failed on this request.');
        else res.destroy();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    return { url: `http://127.0.0.1:${this.port}`, port: this.port };
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Why a request is refused before anything is sent, or null when it may go on. */
  private guard(req: IncomingMessage): { status: number; code: string; reason: string } | null {
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${this.port}` && host !== `localhost:${this.port}`) return { status: 403, code: 'PROXY_REFUSED', reason: 'wrong Host header' };
    if (req.headers.origin !== undefined) return { status: 403, code: 'PROXY_REFUSED', reason: 'requests from web pages (with an Origin) are refused' };
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'none') return { status: 403, code: 'PROXY_REFUSED', reason: 'cross-site request' };
    const given = req.headers[PROXY_SECRET_HEADER];
    if (typeof given !== 'string' || !secretMatches(given, this.secret)) {
      return { status: 401, code: 'PROXY_REFUSED', reason: `missing or wrong ${PROXY_SECRET_HEADER} header` };
    }
    if (!req.url?.startsWith('/') || req.url.startsWith('//')) {
      return { status: 400, code: 'PROXY_REFUSED', reason: 'send the path only (the proxy is the base URL, not a forward proxy)' };
    }
    return null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const refusal = this.guard(req);
    if (refusal) {
      req.resume();
      return this.refuse(res, req, refusal.status, refusal.code, `Refused by the Tokenvault proxy: ${refusal.reason}.`);
    }
    const path = req.url!;
    const body = await readBody(req, MAX_REQUEST_BYTES);
    if (body === null) return this.refuse(res, req, 413, 'PROXY_REFUSED', `Refused by the Tokenvault proxy: the request body is over ${MAX_REQUEST_BYTES} bytes.`);

    const { vault, service, credentialId } = this.opts;
    const credential = vault.getCredential(credentialId);
    if (this.opts.check !== false) {
      const pre = service.preflight(credential, method, path);
      if (pre?.decision === 'denied') {
        return this.refuse(res, req, 403, 'PREFLIGHT_DENIED', `Refused by the Tokenvault proxy: the documented model denies ${method} ${path.split('?')[0]} for this token (${pre.rule}). Start the proxy with --no-check to send it anyway.`, {
          allowedBy: pre.allowedBy,
        });
      }
    }

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || DROPPED_REQUEST_HEADERS.has(k) || k.startsWith('sec-fetch-')) continue;
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    // Values to scrub from the answer: the stored ones before and after the call (a JWT session may be renewed during it).
    const secretsOf = () => {
      const s = vault.secretForRequest(credentialId);
      return [s.value, ...(s.refreshToken ? [s.refreshToken] : [])];
    };
    const before = secretsOf();
    let sent;
    try {
      sent = await service.sendWithBody(credentialId, {
        method,
        path,
        headers,
        ...(body.length > 0 || !['GET', 'HEAD'].includes(method) ? { body } : {}),
        timeoutMs: this.opts.timeoutMs ?? 60_000,
        forward: { maxBodyBytes: MAX_RESPONSE_BYTES },
      });
    } catch (e) {
      if (!isVaultError(e)) throw e;
      const status = e.code === 'PRODUCTION_LOCKED' ? 403 : e.code === 'RATE_LIMITED' ? 429 : e.code === 'UNSAFE_REQUEST' || e.code === 'VALIDATION' ? 400 : 502;
      const extra: Record<string, string> = {};
      if (e.code === 'RATE_LIMITED' && typeof e.details?.retryAfterMs === 'number') extra['retry-after'] = String(Math.ceil(e.details.retryAfterMs / 1000));
      return this.refuse(res, req, status, e.code, `Refused by the Tokenvault proxy: ${e.message}`, {}, extra);
    }
    const { result, body: raw, decodeProblem } = sent;
    const secrets = [...new Set([...before, ...secretsOf()])];
    try {
      if (result.status === null) {
        return this.refuse(res, req, result.classification === 'timeout' ? 504 : 502, result.classification.toUpperCase(), `The Tokenvault proxy could not reach the provider: ${result.explanation}`);
      }
      // Redaction needs the plain bytes: the engine decodes a compressed answer (gzip, deflate,
      // br; capped against bombs). One it could not decode, or only in part, is not passed on
      // (checked first: the byte count of a body that failed to decode is not a size).
      if (decodeProblem) {
        return this.refuse(res, req, 502, 'PROXY_REFUSED', `The provider's ${decodeProblem.coding} answer could not be checked for the token, so it is not passed on: ${decodeProblem.note}`, {
          decodeProblem: decodeProblem.kind,
        });
      }
      if (result.bodyBytes > raw.length) {
        return this.refuse(res, req, 502, 'PROXY_REFUSED', `The provider's answer is over ${MAX_RESPONSE_BYTES} bytes; the proxy does not pass on a truncated body.`);
      }
      const plain = raw;
      const out = redactBytes(plain, secrets);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(result.headers)) {
        if (HOP_BY_HOP.has(k) || k === 'content-encoding') continue;
        headers[k] = v;
      }
      headers['content-length'] = String(out.length);
      res.writeHead(result.status, headers);
      res.end(method === 'HEAD' ? undefined : out);
      this.opts.onCall?.({ method, path, status: result.status, refused: null });
      if (out !== plain) out.fill(0);
    } finally {
      raw.fill(0);
    }
  }

  private refuse(
    res: ServerResponse,
    req: IncomingMessage,
    status: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
    extraHeaders: Record<string, string> = {},
  ): void {
    const body = JSON.stringify({ error: { code, message, ...details } });
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'no-store',
      [PROXY_REFUSAL_HEADER]: 'refused',
      ...extraHeaders,
    });
    res.end(body);
    this.opts.onCall?.({ method: (req.method ?? '').toUpperCase(), path: (req.url ?? '').slice(0, 200), status, refused: code });
  }
}

/** The whole request body, or null when it is over `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
