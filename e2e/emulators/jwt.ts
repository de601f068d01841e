import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Minimal HS256 JSON Web Tokens for the emulators (Regen Therapy sessions,
 * Strapi admin sessions). Times are seconds since the epoch, as RFC 7519 says;
 * verification takes the emulator's injected clock in milliseconds.
 */

export type JwtPayload = Record<string, unknown> & { exp?: number; iat?: number };

export type JwtVerifyResult =
  | { ok: true; payload: JwtPayload }
  | { ok: false; reason: 'malformed' | 'unsupported-alg' | 'bad-signature' | 'expired'; payload?: JwtPayload };

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function mac(input: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function signHs256(payload: JwtPayload, secret: string): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${HEADER}.${body}.${mac(`${HEADER}.${body}`, secret).toString('base64url')}`;
}

/** Decodes the payload without checking anything; null when it is not a JWT. */
export function decodeJwt(token: string): JwtPayload | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JwtPayload) : null;
  } catch {
    return null;
  }
}

export function verifyHs256(token: string, secret: string, nowMs: number): JwtVerifyResult {
  const parts = token.split('.');
  const [h, b, s] = parts;
  if (parts.length !== 3 || h === undefined || b === undefined || s === undefined) return { ok: false, reason: 'malformed' };
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const payload = decodeJwt(token);
  if (!payload || typeof header !== 'object' || header === null) return { ok: false, reason: 'malformed' };
  if ((header as { alg?: unknown }).alg !== 'HS256') return { ok: false, reason: 'unsupported-alg' };
  const expected = mac(`${h}.${b}`, secret);
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  if (typeof payload.exp === 'number' && nowMs / 1000 >= payload.exp) return { ok: false, reason: 'expired', payload };
  return { ok: true, payload };
}
