import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_HEADER = 'x-tokenvault-session';

export type Refusal = { status: 401 | 403 | 405 | 413 | 415; reason: string };

/**
 * Browser mode is a local admin port: any web page the user visits can send
 * requests to 127.0.0.1. These checks keep every other origin out:
 * - Host must be the bound address (a DNS-rebinding page arrives with its own host name);
 * - Origin, when sent, must be our own (a cross-site fetch or form carries its page's origin);
 * - the session secret, from the URL fragment the server printed, must match —
 *   compared in constant time (hashes of equal length, so length leaks nothing);
 * - API bodies must be JSON (an HTML form cannot send application/json without CORS preflight, which we never grant).
 */
export function checkRequest(req: IncomingMessage, expectedHost: string, secret: string, kind: 'api' | 'events' | 'static'): Refusal | null {
  if (req.headers.host !== expectedHost) return { status: 403, reason: 'wrong Host header' };
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${expectedHost}`) return { status: 403, reason: 'foreign Origin' };
  // Fetch metadata: a browser that says the request is cross-site is refused even without Origin.
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return { status: 403, reason: 'cross-site request' };
  if (kind === 'static') return req.method === 'GET' || req.method === 'HEAD' ? null : { status: 405, reason: 'method not allowed' };
  if (kind === 'api' && req.method !== 'POST') return { status: 405, reason: 'method not allowed' };
  if (kind === 'events' && req.method !== 'GET') return { status: 405, reason: 'method not allowed' };
  const given = req.headers[SESSION_HEADER];
  if (typeof given !== 'string' || !secretMatches(given, secret)) return { status: 401, reason: 'missing or wrong session secret' };
  if (kind === 'api') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return { status: 415, reason: 'body must be application/json' };
  }
  return null;
}

/** Constant-time comparison of a presented secret with the expected one (hashes of equal length, so length leaks nothing). */
export function secretMatches(given: string, secret: string): boolean {
  // One-shot hashing: a Hash object per request cost more than the rest of this check.
  const a = hash('sha256', given, 'buffer');
  if (expected?.secret !== secret) expected = { secret, digest: hash('sha256', secret, 'buffer') };
  return timingSafeEqual(a, expected.digest);
}

/** The expected secret's hash, computed once per server secret rather than per request. */
let expected: { secret: string; digest: Buffer } | null = null;
