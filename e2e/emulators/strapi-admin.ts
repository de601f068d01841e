import { isPlainObject, reply, type Ctx, type Reply } from './http-util';
import { signHs256, verifyHs256 } from './jwt';
import {
  STRAPI_LIFESPANS,
  STRAPI_TOKEN_TYPES,
  isTokenType,
  isValidLifespan,
  newAccessKey,
  notFound,
  strapiError,
  tokenView,
  unauthorized,
  validationError,
  type StrapiToken,
  type StrapiTokenInput,
} from './strapi-tokens';

/**
 * Strapi's Admin API for API tokens, with the shapes of Strapi v4/v5's
 * admin controller (every answer wrapped in `{ data }`):
 *
 *   POST   /admin/login                          {email, password} → 200 {data:{token, user}}
 *   GET    /admin/api-tokens                     → 200 {data:[token…]}        (no accessKey)
 *   POST   /admin/api-tokens                     → 201 {data:{…token, accessKey}}
 *   GET    /admin/api-tokens/:id                 → 200 {data: token} | 404
 *   PUT    /admin/api-tokens/:id                 {name?, description?, type?, permissions?} → 200 {data: token}
 *   POST   /admin/api-tokens/:id/regenerate      → 201 {data:{id, accessKey}}  (the old key stops working)
 *   DELETE /admin/api-tokens/:id                 → 200 {data: token} ({data:null} when unknown, as Strapi)
 *
 * Everything but login needs `Authorization: Bearer <admin JWT>` (HS256, 30 days, as Strapi's default).
 */

export const STRAPI_ADMIN_JWT_TTL_S = 30 * 86_400;

export interface StrapiAdminUser {
  id: number;
  email: string;
  password: string;
  firstname: string;
  lastname: string;
  username: string | null;
  isActive: boolean;
  blocked: boolean;
  createdAt: number;
}

export interface AdminDeps {
  tokens: Map<number, StrapiToken>;
  /** By e-mail, lower-cased. */
  admins: Map<string, StrapiAdminUser>;
  jwtSecret: string;
  addToken(input: StrapiTokenInput): StrapiToken;
}

export function signAdminJwt(user: StrapiAdminUser, secret: string, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  return signHs256({ id: user.id, iat, exp: iat + STRAPI_ADMIN_JWT_TTL_S }, secret);
}

function userView(u: StrapiAdminUser): Record<string, unknown> {
  return {
    id: u.id,
    firstname: u.firstname,
    lastname: u.lastname,
    username: u.username,
    email: u.email,
    isActive: u.isActive,
    blocked: u.blocked,
    preferedLanguage: null,
    createdAt: new Date(u.createdAt).toISOString(),
    roles: [{ id: 1, name: 'Super Admin', description: 'Super Admins can access and manage all features and settings.', code: 'strapi-super-admin' }],
  };
}

function login(ctx: Ctx, deps: AdminDeps): Reply {
  const body = ctx.json();
  const v = body.kind === 'ok' && isPlainObject(body.value) ? body.value : null;
  if (!v || typeof v.email !== 'string' || typeof v.password !== 'string') {
    return validationError('email and password are required fields');
  }
  const user = deps.admins.get(v.email.toLowerCase());
  if (!user || user.password !== v.password || !user.isActive || user.blocked) {
    return strapiError(400, 'ApplicationError', 'Invalid credentials');
  }
  return reply(200, { data: { token: signAdminJwt(user, deps.jwtSecret, ctx.now), user: userView(user) } });
}

function adminFromJwt(ctx: Ctx, deps: AdminDeps): StrapiAdminUser | null {
  const jwt = ctx.bearer();
  if (jwt === null) return null;
  const checked = verifyHs256(jwt, deps.jwtSecret, ctx.now);
  if (!checked.ok) return null;
  return [...deps.admins.values()].find((u) => u.id === checked.payload.id && u.isActive && !u.blocked) ?? null;
}

const lifespanMessage = `lifespan must be one of the following values: ${Object.values(STRAPI_LIFESPANS).join(', ')}`;

/** Strapi's validation of create/update bodies; null when valid. */
function invalidTokenBody(v: Record<string, unknown>, creating: boolean): Reply | null {
  if (creating || 'name' in v) {
    if (typeof v.name !== 'string' || v.name.trim() === '') return validationError('name is a required field');
  }
  if ('description' in v && v.description !== null && typeof v.description !== 'string') {
    return validationError('description must be a `string` type');
  }
  if (creating || 'type' in v) {
    if (!isTokenType(v.type)) return validationError(`type must be one of the following values: ${STRAPI_TOKEN_TYPES.join(', ')}`);
  }
  // Strapi updates only name, description, type and permissions: a lifespan sent on update is ignored.
  if (creating && !isValidLifespan(v.lifespan)) return validationError(lifespanMessage);
  const perms = v.permissions;
  if (perms !== undefined && perms !== null && (!Array.isArray(perms) || perms.some((p) => typeof p !== 'string'))) {
    return validationError('permissions must be an array of strings');
  }
  return null;
}

export function handleAdmin(ctx: Ctx, seg: readonly string[], deps: AdminDeps): Reply {
  // seg is the path after /admin
  if (seg.length === 1 && seg[0] === 'login') {
    return ctx.method === 'POST' ? login(ctx, deps) : notFound();
  }
  if (seg[0] !== 'api-tokens' || seg.length > 3 || (seg.length === 3 && seg[2] !== 'regenerate')) return notFound();

  const admin = adminFromJwt(ctx, deps);
  if (!admin) return unauthorized();

  const id = seg[1] === undefined ? null : Number(seg[1]);
  const token = id === null ? undefined : deps.tokens.get(id);

  if (id === null) {
    if (ctx.method === 'GET') {
      return reply(200, { data: [...deps.tokens.values()].map((t) => tokenView(t, false)) });
    }
    if (ctx.method !== 'POST') return notFound();
    const body = ctx.json();
    const v = body.kind === 'ok' && isPlainObject(body.value) ? body.value : null;
    if (!v) return validationError('The body must be a JSON object');
    const bad = invalidTokenBody(v, true);
    if (bad) return bad;
    const name = String(v.name).trim();
    const type = v.type as StrapiToken['type'];
    const permissions = Array.isArray(v.permissions) ? (v.permissions as string[]) : [];
    if (type !== 'custom' && permissions.length > 0) return validationError('Non-custom tokens should not reference permissions');
    if (type === 'custom' && !Array.isArray(v.permissions)) return validationError('Missing permissions attribute for custom token');
    if ([...deps.tokens.values()].some((t) => t.name === name)) return strapiError(400, 'ApplicationError', 'Name already taken');
    const created = deps.addToken({
      name,
      description: typeof v.description === 'string' ? v.description.trim() : '',
      type,
      lifespan: (v.lifespan as number | null | undefined) ?? null,
      permissions,
    });
    return reply(201, { data: { ...tokenView(created), accessKey: created.accessKey } });
  }

  if (seg.length === 3) {
    if (ctx.method !== 'POST') return notFound();
    if (!token) return notFound('API Token not found');
    token.accessKey = newAccessKey();
    token.updatedAt = ctx.now;
    return reply(201, { data: { id: token.id, accessKey: token.accessKey } });
  }

  if (ctx.method === 'GET') return token ? reply(200, { data: tokenView(token) }) : notFound('API Token not found');
  if (ctx.method === 'DELETE') {
    if (!token) return reply(200, { data: null });
    deps.tokens.delete(token.id);
    return reply(200, { data: tokenView(token) });
  }
  if (ctx.method === 'PUT') {
    const body = ctx.json();
    const v = body.kind === 'ok' && isPlainObject(body.value) ? body.value : null;
    if (!v) return validationError('The body must be a JSON object');
    const bad = invalidTokenBody(v, false);
    if (bad) return bad;
    if (!token) return notFound('API Token not found');
    if (typeof v.name === 'string') {
      const name = v.name.trim();
      if ([...deps.tokens.values()].some((t) => t.name === name && t.id !== token.id)) {
        return strapiError(400, 'ApplicationError', 'Name already taken');
      }
      token.name = name;
    }
    if ('description' in v) token.description = typeof v.description === 'string' ? v.description.trim() : '';
    const nextType = isTokenType(v.type) ? v.type : token.type;
    const nextPerms = Array.isArray(v.permissions) ? (v.permissions as string[]) : nextType === 'custom' ? token.permissions : [];
    if (nextType !== 'custom' && nextPerms.length > 0) return validationError('Non-custom tokens should not reference permissions');
    token.type = nextType;
    token.permissions = [...nextPerms];
    token.updatedAt = ctx.now;
    return reply(200, { data: tokenView(token) });
  }
  return notFound();
}
