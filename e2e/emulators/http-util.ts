import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Shared scaffolding of the provider emulators: one node:http server bound to
 * 127.0.0.1 only, a request log that tests can inspect (credentials included,
 * so a test can prove a token was NOT sent somewhere), JSON replies, and the
 * test helpers every emulator serves:
 *
 *   ANY  /__echo[/...]          reflects method, path, query, headers and body
 *   ANY  /__redirect?to=URL[&status=302]   answers 301/302/303/307/308 to URL
 *   any request with ?__delay=MS            answers after MS ms (real time)
 */

/** Milliseconds since the epoch. Injected so expiry and rate-limit windows are testable. */
export type Clock = () => number;

export interface CommonOptions {
  /** Port on 127.0.0.1; 0 (the default) lets the OS pick a free one. */
  port?: number;
  /** Clock for expiry, JWT `exp`, rate-limit windows and timestamps. Default Date.now. */
  now?: Clock;
  /** Delay, in real milliseconds, before every response (timeout tests). Changeable later through `state.delayMs`. */
  delayMs?: number;
  /** Add `echo: { authorization, 'x-api-key' }` to every JSON object body (redaction tests). Changeable through `state.echoAuth`. */
  echoAuth?: boolean;
  /** How many requests `state.requests` keeps, oldest dropped first; 0 keeps none. Default 10 000. */
  maxRecorded?: number;
}

export interface RecordedRequest {
  /** 1, 2, 3… per emulator. */
  seq: number;
  /** Which listener took it: the provider name, or `sandbox` / `production` for Built. */
  server: string;
  /** Injected-clock time of arrival (ms). */
  at: number;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Path and query string as received. */
  url: string;
  /** All headers, names lower-cased, repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The raw `Authorization` header, or null when absent. */
  authorization: string | null;
  /** The raw `X-API-Key` header, or null when absent. */
  apiKey: string | null;
  /** The raw request body (utf-8). */
  body: string;
  /** Status answered; 0 while the response is pending. */
  status: number;
}

export interface BaseState {
  /** Every request received (see `maxRecorded`), oldest first. */
  readonly requests: RecordedRequest[];
  /** Real-time delay before every response, ms. */
  delayMs: number;
  /** See `CommonOptions.echoAuth`. */
  echoAuth: boolean;
  clearRequests(): void;
}

export interface Emulator<S extends BaseState> {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly state: S;
  close(): Promise<void>;
}

export interface Reply {
  status: number;
  /** Serialized as JSON; `undefined` sends no body. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type JsonBody = { kind: 'empty' } | { kind: 'invalid' } | { kind: 'ok'; value: unknown };

export interface Ctx {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  bodyText: string;
  /** Injected-clock time of arrival (ms). */
  now: number;
  /** A header's value (repeated headers joined), or undefined. */
  header(name: string): string | undefined;
  /** The token of `Authorization: Bearer <token>` (scheme case-insensitive), or null. */
  bearer(): string | null;
  json(): JsonBody;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

export const systemClock: Clock = () => Date.now();

export function reply(status: number, body?: unknown, headers?: Record<string, string>): Reply {
  return headers ? { status, body, headers } : { status, body };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function createBaseState(opts: CommonOptions): BaseState {
  const requests: RecordedRequest[] = [];
  return {
    requests,
    delayMs: opts.delayMs ?? 0,
    echoAuth: opts.echoAuth ?? false,
    clearRequests() {
      requests.length = 0;
    },
  };
}

/** Splits `/a/b/` into ['a', 'b']; percent-decoding each segment. */
export function segments(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

const MAX_BODY = 1024 * 1024;
const MAX_DELAY = 120_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function makeCtx(req: IncomingMessage, url: URL, bodyText: string, now: number): Ctx {
  let parsed: JsonBody | undefined;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    bodyText,
    now,
    header: (name) => headerValue(req.headers, name),
    bearer() {
      const m = /^bearer\s+(\S+)\s*$/i.exec(headerValue(req.headers, 'authorization') ?? '');
      return m?.[1] ?? null;
    },
    json() {
      if (parsed) return parsed;
      if (bodyText.trim() === '') return (parsed = { kind: 'empty' });
      try {
        return (parsed = { kind: 'ok', value: JSON.parse(bodyText) as unknown });
      } catch {
        return (parsed = { kind: 'invalid' });
      }
    },
  };
}

/** The helper endpoints shared by every emulator; null when the path is not one of them. */
function helperReply(ctx: Ctx): Reply | null {
  if (ctx.path === '/__echo' || ctx.path.startsWith('/__echo/')) {
    return reply(200, {
      method: ctx.method,
      path: ctx.path,
      query: Object.fromEntries(ctx.query),
      headers: flatHeaders(ctx.headers),
      authorization: ctx.header('authorization') ?? null,
      apiKey: ctx.header('x-api-key') ?? null,
      body: ctx.bodyText,
    });
  }
  if (ctx.path === '/__redirect') {
    const to = ctx.query.get('to') ?? '';
    const status = Number(ctx.query.get('status') ?? '302');
    let target: URL;
    try {
      target = new URL(to);
    } catch {
      return reply(400, { error: 'bad_request', message: '/__redirect needs ?to=<absolute http(s) URL>' });
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return reply(400, { error: 'bad_request', message: 'only http(s) targets' });
    if (!REDIRECT_STATUSES.has(status)) return reply(400, { error: 'bad_request', message: 'status must be 301, 302, 303, 307 or 308' });
    return reply(status, { redirect: target.href }, { location: target.href });
  }
  return null;
}

export interface ListenSpec {
  name: string;
  port: number;
  handler: Handler;
  state: BaseState;
  now: Clock;
  maxRecorded: number;
  /** Shared numbering when several listeners share one state (Built). */
  nextSeq?: () => number;
}

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts one listener on 127.0.0.1 (and nowhere else). */
export function listen(spec: ListenSpec): Promise<Listening> {
  const { state } = spec;
  let seq = 0;
  const nextSeq = spec.nextSeq ?? (() => ++seq);
  const timers = new Set<NodeJS.Timeout>();

  const send = (res: ServerResponse, rec: RecordedRequest, out: Reply, echo: { authorization: string | null; 'x-api-key': string | null }) => {
    let body = out.body;
    if (state.echoAuth && isPlainObject(body)) body = { ...body, echo };
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = { ...out.headers };
    if (body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    headers['content-length'] = String(Buffer.byteLength(text));
    rec.status = out.status;
    if (res.destroyed) return;
    res.writeHead(out.status, headers);
    res.end(text);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const bodyText = await readBody(req);
      const rec: RecordedRequest = {
        seq: nextSeq(),
        server: spec.name,
        at: spec.now(),
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        url: req.url ?? '/',
        headers: flatHeaders(req.headers),
        authorization: headerValue(req.headers, 'authorization') ?? null,
        apiKey: headerValue(req.headers, 'x-api-key') ?? null,
        body: bodyText ?? '',
        status: 0,
      };
      if (spec.maxRecorded > 0) {
        state.requests.push(rec);
        if (state.requests.length > spec.maxRecorded) state.requests.splice(0, state.requests.length - spec.maxRecorded);
      }
      let out: Reply;
      if (bodyText === null) {
        out = reply(413, { error: 'payload_too_large' });
      } else {
        const ctx = makeCtx(req, url, bodyText, rec.at);
        try {
          out = helperReply(ctx) ?? (await spec.handler(ctx));
        } catch (err) {
          out = reply(500, { error: 'emulator_error', message: err instanceof Error ? err.message : String(err) });
        }
      }
      const perRequest = Number(url.searchParams.get('__delay') ?? '0');
      const delay = Math.min(MAX_DELAY, Math.max(0, state.delayMs, Number.isFinite(perRequest) ? perRequest : 0));
      const echo = { authorization: rec.authorization, 'x-api-key': rec.apiKey };
      if (delay > 0) {
        const t = setTimeout(() => {
          timers.delete(t);
          send(res, rec, out, echo);
        }, delay);
        timers.add(t);
      } else {
        send(res, rec, out, echo);
      }
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(spec.port, '127.0.0.1', () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const t of timers) clearTimeout(t);
            timers.clear();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** Fills the common options' defaults. */
export function commonDefaults(opts: CommonOptions): { port: number; now: Clock; maxRecorded: number } {
  return { port: opts.port ?? 0, now: opts.now ?? systemClock, maxRecorded: opts.maxRecorded ?? 10_000 };
}
