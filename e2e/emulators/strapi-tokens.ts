import { randomBytes } from 'node:crypto';
import { reply, type Reply } from './http-util';

/**
 * Strapi API tokens (seed 002), modelled on Strapi v4/v5's admin service:
 * types read-only / full-access / custom, lifespans of 7, 30 or 90 days (in
 * ms) or null (unlimited), permissions of custom tokens as action UIDs such as
 * `api::article.article.find`.
 */

export const STRAPI_DAY_MS = 86_400_000;

/** Strapi's API_TOKEN_LIFESPANS. */
export const STRAPI_LIFESPANS = {
  UNLIMITED: null,
  DAYS_7: 7 * STRAPI_DAY_MS,
  DAYS_30: 30 * STRAPI_DAY_MS,
  DAYS_90: 90 * STRAPI_DAY_MS,
} as const;

export const STRAPI_TOKEN_TYPES = ['read-only', 'full-access', 'custom'] as const;
export type StrapiTokenType = (typeof STRAPI_TOKEN_TYPES)[number];

export const STRAPI_CONTENT_ACTIONS = ['find', 'findOne', 'create', 'update', 'delete'] as const;
export type StrapiContentAction = (typeof STRAPI_CONTENT_ACTIONS)[number];

export interface StrapiToken {
  id: number;
  name: string;
  description: string;
  type: StrapiTokenType;
  /** ms, or null for unlimited. */
  lifespan: number | null;
  /** ms since the epoch, or null. */
  expiresAt: number | null;
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number | null;
  /** Action UIDs, custom tokens only. */
  permissions: string[];
  /** The secret; the admin API shows it only on create and regenerate. */
  accessKey: string;
}

export interface StrapiTokenInput {
  type: StrapiTokenType;
  name?: string;
  description?: string;
  /** One of STRAPI_LIFESPANS' values; default null (unlimited). */
  lifespan?: number | null;
  permissions?: string[];
  accessKey?: string;
  createdAt?: number;
  /** Overrides createdAt + lifespan (e.g. a token that expired yesterday). */
  expiresAt?: number | null;
}

/** `api::article.article.find` for ('article', 'find'). */
export function strapiActionUid(singular: string, action: StrapiContentAction): string {
  return `api::${singular}.${singular}.${action}`;
}

export function isValidLifespan(v: unknown): v is number | null {
  return v === null || v === undefined || (typeof v === 'number' && (Object.values(STRAPI_LIFESPANS) as unknown[]).includes(v));
}

export function isTokenType(v: unknown): v is StrapiTokenType {
  return typeof v === 'string' && (STRAPI_TOKEN_TYPES as readonly string[]).includes(v);
}

/** Strapi's own access keys: 128 random bytes, hex. */
export function newAccessKey(): string {
  return randomBytes(128).toString('hex');
}

export function tokenAllows(token: StrapiToken, singular: string, action: StrapiContentAction): boolean {
  if (token.type === 'full-access') return true;
  if (token.type === 'read-only') return action === 'find' || action === 'findOne';
  return token.permissions.includes(strapiActionUid(singular, action));
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** What the admin API shows of a token: never the access key. */
export function tokenView(t: StrapiToken, withPermissions = true): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: t.id,
    name: t.name,
    description: t.description,
    type: t.type,
    lifespan: t.lifespan,
    expiresAt: iso(t.expiresAt),
    lastUsedAt: iso(t.lastUsedAt),
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
  };
  if (withPermissions) view.permissions = [...t.permissions];
  return view;
}

/** Strapi's error envelope. */
export function strapiError(status: number, name: string, message: string, details: Record<string, unknown> = {}): Reply {
  return reply(status, { data: null, error: { status, name, message, details } });
}

export const unauthorized = (message = 'Missing or invalid credentials'): Reply => strapiError(401, 'UnauthorizedError', message);
export const forbidden = (): Reply => strapiError(403, 'ForbiddenError', 'Forbidden');
export const notFound = (message = 'Not Found'): Reply => strapiError(404, 'NotFoundError', message);
export const validationError = (message: string, details: Record<string, unknown> = {}): Reply =>
  strapiError(400, 'ValidationError', message, details);
