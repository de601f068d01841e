import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { dispatch } from '../ipc/dispatch';
import { createHandlers } from '../ipc/handlers';
import type { AppServices } from '../services/app-services';
import { checkRequest } from './guard';
import { CONTENT_SECURITY_POLICY } from './csp';
import { LAST_PAGE_GRACE_MS, PagePresence } from './page-presence';

export interface BrowserModeOptions {
  services: AppServices;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Fixed secret for tests; otherwise 32 fresh random bytes. */
  secret?: string;
  /** issue 12: lock this long after the last page closed (default 5 s, for reloads); null never. */
  lastPageGraceMs?: number | null;
}

export interface BrowserModeServer {
  /** Open this: the secret travels in the fragment, which browsers never send to a server. */
  url: string;
  origin: string;
  secret: string;
  server: Server;
  close(): Promise<void>;
}

const MIB = 1024 * 1024;
const MAX_BODY_BYTES = MIB;

/**
 * Channels that carry a whole file take more than the 1 MiB every other call
 * is held to (issue 14), up to a bound: a backup as base64 (a vault of
 * 100,000 tokens is ~100 MB, ~135 MB as base64), an import's text (at most
 * 10 MB, up to twice that once escaped in JSON). Above it, the answer says
 * how to do the same from the command line, which reads the file directly.
 */
export const FILE_CHANNEL_LIMITS: Readonly<Record<string, { bytes: number; instead: string }>> = {
  'backup:inspect': { bytes: 192 * MIB, instead: 'tokenvault restore FILE --dry-run' },
  'backup:restore': { bytes: 192 * MIB, instead: 'tokenvault restore FILE' },
  'import:preview': { bytes: 32 * MIB, instead: 'tokenvault import FILE --dry-run' },
  'import:apply': { bytes: 32 * MIB, instead: 'tokenvault import FILE' },
};

/** The most a request body to `channel` may hold, in bytes. */
export function bodyLimit(channel: string): number {
  return Object.prototype.hasOwnProperty.call(FILE_CHANNEL_LIMITS, channel) ? FILE_CHANNEL_LIMITS[channel]!.bytes : MAX_BODY_BYTES;
}

function tooLarge(channel: string): { ok: false; error: { code: 'VALIDATION'; message: string; details: { limitBytes: number } } } {
  const limit = bodyLimit(channel);
  const file = Object.prototype.hasOwnProperty.call(FILE_CHANNEL_LIMITS, channel) ? FILE_CHANNEL_LIMITS[channel]! : null;
  const message = file
    ? `This file is larger than browser mode accepts (${limit / MIB} MiB as sent). Use the command line instead: ${file.instead}.`
    : `This request is larger than browser mode accepts (${limit / MIB} MiB).`;
  return { ok: false, error: { code: 'VALIDATION', message, details: { limitBytes: limit } } };
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

export async function startBrowserMode(opts: BrowserModeOptions): Promise<BrowserModeServer> {
  const secret = opts.secret ?? randomBytes(32).toString('base64url');
  const handlers = createHandlers(opts.services);
  const streams = new Set<ServerResponse>();
  let host = '';
  const grace = opts.lastPageGraceMs === undefined ? LAST_PAGE_GRACE_MS : opts.lastPageGraceMs;
  const presence = grace === null ? null : new PagePresence(() => opts.services.autoLock.lockNow('user'), grace);

  const unsubscribe = opts.services.events.subscribe((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of streams) res.write(frame);
  });

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const kind = url.pathname.startsWith('/api/invoke/') ? 'api' : url.pathname === '/api/events' ? 'events' : 'static';
    const refusal = checkRequest(req, host, secret, kind);
    if (refusal) {
      req.resume();
      return send(res, refusal.status, { error: refusal.reason });
    }
    // A page loading (its HTML and scripts) is a reload in progress; API calls are not pages (scripts, tests poll).
    if (kind === 'static') presence?.seen();
    if (kind === 'api') {
      let channel: string;
      try {
        channel = decodeURIComponent(url.pathname.slice('/api/invoke/'.length));
      } catch {
        req.resume();
        return send(res, 404, { ok: false, error: { code: 'VALIDATION', message: 'Unknown channel.' } });
      }
      const body = await readBody(req, bodyLimit(channel));
      if (body === null) return send(res, 413, tooLarge(channel));
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body);
      } catch {
        return send(res, 400, { ok: false, error: { code: 'VALIDATION', message: 'The request body is not valid JSON.' } });
      }
      const result = await dispatch(handlers, channel, input, () => opts.services.autoLock.activity());
      return send(res, 200, result);
    }
    if (kind === 'events') {
      res.writeHead(200, {
        ...COMMON_HEADERS,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      streams.add(res);
      presence?.opened();
      req.on('close', () => {
        streams.delete(res);
        presence?.closed();
      });
      return;
    }
    return serveStatic(url.pathname, res, opts.staticDir);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: never reachable from another machine.
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  const origin = `http://${host}`;
  return {
    url: `${origin}/#s=${secret}`,
    origin,
    secret,
    server,
    async close() {
      unsubscribe();
      presence?.stop();
      for (const res of streams) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * The body as text, or null when it is larger than `limit` bytes. Past the
 * limit the rest is read and dropped (not kept): closing the connection
 * mid-upload would reach the page as a network failure instead of the answer
 * that says why.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    let over = Number.isFinite(declared) && declared > limit;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function serveStatic(pathname: string, res: ServerResponse, root: string) {
  const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = normalize(join(root, rel));
  // No path may climb out of the renderer folder.
  if (!file.startsWith(normalize(root) + sep)) return send(res, 404, { error: 'not found' });
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch {
    return send(res, 404, { error: 'not found' });
  }
  res.writeHead(200, {
    ...COMMON_HEADERS,
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'cache-control': 'no-cache',
    'content-length': data.length,
  });
  res.end(data);
}
