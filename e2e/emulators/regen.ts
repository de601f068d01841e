import { randomBytes, randomUUID } from 'node:crypto';
import {
  commonDefaults,
  createBaseState,
  isPlainObject,
  listen,
  reply,
  segments,
  type BaseState,
  type CommonOptions,
  type Ctx,
  type Emulator,
  type Reply,
} from './http-util';
import { newSecret, signHs256, verifyHs256 } from './jwt';
import { FixedWindowLimiter, type RateWindow } from './rate-limit';

/**
 * Regen Therapy emulator (seed 001).
 *
 *   POST /api/auth/login    {email, password} → {success, data:{accessToken, refreshToken, expiresIn:3600, user}}
 *   POST /api/auth/refresh  {refreshToken}    → the same shape, new pair
 *   GET|POST              /api/v1/{resource}
 *   GET|PUT|PATCH|DELETE  /api/v1/{resource}/{id}
 *   resources: orders, products, inventory, commissions, customers, webhooks, analytics (GET only)
 *
 * The seed says access tokens are "Refreshable with refresh token" but gives no
 * path: this emulator chooses `POST /api/auth/refresh` with `{"refreshToken": …}`
 * (the login request's sibling, the login response's field name), rotates the
 * refresh token on every use (the old one answers 401 afterwards) and keeps the
 * refresh token's own 7-day expiry from login (a refresh does not extend it).
 *
 * Credentials: `X-API-Key: rg_…` (scoped) or `Authorization: Bearer <access JWT>`
 * (a user's session; the user's scopes, `read:*` and `write:*` by default). When
 * both are sent, the API key decides. Scopes: `read:X` for GET, `write:X` for
 * POST/PUT/PATCH/DELETE; `read:*` / `write:*` cover every resource; a write scope
 * does not imply the read scope (the seed lists them apart).
 *
 * Rate limits per key (per user for JWTs): 100/hour, 10/minute, and 50/hour for
 * writes, fixed windows on the injected clock. Authenticated requests carry
 * X-RateLimit-Limit/-Remaining/-Reset (unix seconds); a 429 adds Retry-After.
 * 401 responses carry no rate-limit headers: there is no key to count them against.
 */

export const REGEN_RESOURCES = ['orders', 'products', 'inventory', 'commissions', 'customers', 'webhooks', 'analytics'] as const;
export type RegenResource = (typeof REGEN_RESOURCES)[number];

export const REGEN_SCOPES = [
  'read:*',
  'write:*',
  'read:orders',
  'write:orders',
  'read:products',
  'write:products',
  'read:inventory',
  'write:inventory',
  'read:commissions',
  'write:commissions',
  'read:customers',
  'write:customers',
  'read:webhooks',
  'write:webhooks',
  'read:analytics',
] as const;
export type RegenScope = (typeof REGEN_SCOPES)[number];

export const REGEN_ACCESS_TTL_S = 3600;
export const REGEN_REFRESH_TTL_S = 7 * 24 * 3600;

export interface RegenRateLimits {
  standard: { limit: number; windowMs: number };
  burst: { limit: number; windowMs: number };
  write: { limit: number; windowMs: number };
}

/** The seed's table: Standard 100 per hour, Burst 10 per minute, Write operations 50 per hour. */
export const REGEN_RATE_LIMITS: RegenRateLimits = {
  standard: { limit: 100, windowMs: 3_600_000 },
  burst: { limit: 10, windowMs: 60_000 },
  write: { limit: 50, windowMs: 3_600_000 },
};

export interface RegenApiKey {
  value: string;
  name: string;
  scopes: RegenScope[];
  createdAt: number;
  /** Not in the seed (keys are long-lived); set by rotateApiKey's grace period, or by a test. */
  expiresAt: number | null;
  revoked: boolean;
  lastUsedAt: number | null;
}

export interface RegenUser {
  id: string;
  email: string;
  password: string;
  role: string;
  scopes: RegenScope[];
}

export interface RegenApiKeyInput {
  scopes: RegenScope[];
  value?: string;
  name?: string;
  createdAt?: number;
  expiresAt?: number | null;
}

export interface RegenUserInput {
  email: string;
  password: string;
  id?: string;
  role?: string;
  scopes?: RegenScope[];
}

export interface RegenTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface RegenOptions extends CommonOptions {
  apiKeys?: RegenApiKeyInput[];
  /** Default: the seed's example user, user@example.com / your_password (usr_abc123, CLIENT_OWNER). */
  users?: RegenUserInput[];
  /** Override the limits, or `false` to switch rate limiting off (benchmarks). */
  rateLimits?: Partial<RegenRateLimits> | false;
  /** Also send the IETF draft `RateLimit` and `RateLimit-Policy` fields. */
  ietfRateLimitHeaders?: boolean;
  /** HS256 secret of the JWTs; random by default. */
  jwtSecret?: string;
}

export interface RefreshRecord {
  jti: string;
  userId: string;
  expiresAt: number;
  used: boolean;
}

export interface RegenState extends BaseState {
  readonly apiKeys: Map<string, RegenApiKey>;
  /** By e-mail. */
  readonly users: Map<string, RegenUser>;
  /** Refresh tokens issued, by their `jti`. */
  readonly refreshTokens: Map<string, RefreshRecord>;
  readonly jwtSecret: string;
  addApiKey(input: RegenApiKeyInput): RegenApiKey;
  revokeApiKey(value: string): boolean;
  /** New key with the same scopes; the old one keeps working for `graceMs` (default 24 h), then 401. */
  rotateApiKey(value: string, opts?: { graceMs?: number; newValue?: string }): RegenApiKey;
  addUser(input: RegenUserInput): RegenUser;
  /** What a login would return, without the HTTP round trip. */
  issueTokens(email: string): RegenTokens;
  resetRateLimits(): void;
}

type ErrBody = { success: false; error: { code: string; message: string } };
const err = (status: number, code: string, message: string, headers?: Record<string, string>): Reply =>
  reply(status, { success: false, error: { code, message } } satisfies ErrBody, headers);

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function newKeyValue(): string {
  return `rg_${randomBytes(4).toString('hex')}_${randomBytes(24).toString('base64url')}`;
}

function sample(resource: RegenResource, now: number): Record<string, unknown>[] {
  const at = new Date(now).toISOString();
  switch (resource) {
    case 'orders':
      return [{ id: 'ord_1001', status: 'paid', total: 129.9, currency: 'USD', createdAt: at }];
    case 'products':
      return [{ id: 'prd_1', sku: 'RG-SERUM-30', name: 'Regenerative serum 30 ml', price: 89 }];
    case 'inventory':
      return [{ id: 'inv_1', sku: 'RG-SERUM-30', onHand: 240, reserved: 12 }];
    case 'commissions':
      return [{ id: 'com_1', partnerId: 'ptn_1', amount: 12.99, status: 'pending' }];
    case 'customers':
      return [{ id: 'cus_1', email: 'patient@example.com', name: 'Pat Ient' }];
    case 'webhooks':
      return [{ id: 'wh_1', url: 'https://example.com/hooks/regen', events: ['order.created'] }];
    case 'analytics':
      return [{ id: 'daily', period: '24h', orders: 42, revenue: 5123.4 }];
  }
}

export async function startRegen(opts: RegenOptions = {}): Promise<Emulator<RegenState>> {
  const { port, now, maxRecorded } = commonDefaults(opts);
  const jwtSecret = opts.jwtSecret ?? newSecret();
  const apiKeys = new Map<string, RegenApiKey>();
  const users = new Map<string, RegenUser>();
  const refreshTokens = new Map<string, RefreshRecord>();
  const data = new Map(REGEN_RESOURCES.map((r) => [r, sample(r, now())] as const));

  const limits: RegenRateLimits | null = opts.rateLimits === false ? null : { ...REGEN_RATE_LIMITS, ...opts.rateLimits };
  const windows: RateWindow[] = limits
    ? [
        { name: 'standard', ...limits.standard, appliesTo: 'all' },
        { name: 'burst', ...limits.burst, appliesTo: 'all' },
        { name: 'write', ...limits.write, appliesTo: 'write' },
      ]
    : [];
  const limiter = new FixedWindowLimiter(windows, now, opts.ietfRateLimitHeaders ?? false);

  const issue = (user: RegenUser, refreshExpiresAtS?: number): RegenTokens => {
    const iat = Math.floor(now() / 1000);
    const accessToken = signHs256(
      { sub: user.id, email: user.email, role: user.role, typ: 'access', iat, exp: iat + REGEN_ACCESS_TTL_S, jti: randomUUID() },
      jwtSecret,
    );
    const jti = randomUUID();
    const exp = refreshExpiresAtS ?? iat + REGEN_REFRESH_TTL_S;
    const refreshToken = signHs256({ sub: user.id, typ: 'refresh', iat, exp, jti }, jwtSecret);
    refreshTokens.set(jti, { jti, userId: user.id, expiresAt: exp * 1000, used: false });
    return { accessToken, refreshToken, expiresIn: REGEN_ACCESS_TTL_S };
  };

  const state: RegenState = {
    ...createBaseState(opts),
    apiKeys,
    users,
    refreshTokens,
    jwtSecret,
    addApiKey(input) {
      if (input.value !== undefined && !input.value.startsWith('rg_')) throw new Error('Regen: API keys start with rg_');
      const key: RegenApiKey = {
        value: input.value ?? newKeyValue(),
        name: input.name ?? 'API key',
        scopes: [...input.scopes],
        createdAt: input.createdAt ?? now(),
        expiresAt: input.expiresAt ?? null,
        revoked: false,
        lastUsedAt: null,
      };
      apiKeys.set(key.value, key);
      return key;
    },
    revokeApiKey(value) {
      const k = apiKeys.get(value);
      if (!k) return false;
      k.revoked = true;
      return true;
    },
    rotateApiKey(value, o = {}) {
      const old = apiKeys.get(value);
      if (!old) throw new Error('Regen: no such API key');
      const fresh = state.addApiKey({ scopes: old.scopes, name: old.name, ...(o.newValue ? { value: o.newValue } : {}) });
      const until = now() + (o.graceMs ?? 24 * 3_600_000);
      old.expiresAt = old.expiresAt === null ? until : Math.min(old.expiresAt, until);
      return fresh;
    },
    addUser(input) {
      const user: RegenUser = {
        id: input.id ?? `usr_${randomBytes(3).toString('hex')}`,
        email: input.email,
        password: input.password,
        role: input.role ?? 'CLIENT_OWNER',
        scopes: [...(input.scopes ?? ['read:*', 'write:*'])],
      };
      users.set(user.email.toLowerCase(), user);
      return user;
    },
    issueTokens(email) {
      const u = users.get(email.toLowerCase());
      if (!u) throw new Error('Regen: no such user');
      return issue(u);
    },
    resetRateLimits() {
      limiter.reset();
    },
  };
  for (const k of opts.apiKeys ?? []) state.addApiKey(k);
  for (const u of opts.users ?? [{ id: 'usr_abc123', email: 'user@example.com', password: 'your_password', role: 'CLIENT_OWNER' }]) {
    state.addUser(u);
  }

  const tokenResponse = (user: RegenUser, tokens: RegenTokens): Reply =>
    reply(200, { success: true, data: { ...tokens, user: { id: user.id, email: user.email, role: user.role } } });

  const login = (ctx: Ctx): Reply => {
    const body = ctx.json();
    const v = body.kind === 'ok' && isPlainObject(body.value) ? body.value : null;
    if (!v || typeof v.email !== 'string' || typeof v.password !== 'string') {
      return err(400, 'VALIDATION_ERROR', 'email and password are required');
    }
    const user = users.get(v.email.toLowerCase());
    if (!user || user.password !== v.password) return err(401, 'INVALID_CREDENTIALS', 'Invalid email or password');
    return tokenResponse(user, issue(user));
  };

  const refresh = (ctx: Ctx): Reply => {
    const body = ctx.json();
    const v = body.kind === 'ok' && isPlainObject(body.value) ? body.value : null;
    if (!v || typeof v.refreshToken !== 'string') return err(400, 'VALIDATION_ERROR', 'refreshToken is required');
    const checked = verifyHs256(v.refreshToken, jwtSecret, ctx.now);
    if (!checked.ok) {
      return checked.reason === 'expired'
        ? err(401, 'TOKEN_EXPIRED', 'Refresh token has expired; log in again')
        : err(401, 'INVALID_TOKEN', 'Invalid refresh token');
    }
    const p = checked.payload;
    const rec = typeof p.jti === 'string' ? refreshTokens.get(p.jti) : undefined;
    if (p.typ !== 'refresh' || !rec) return err(401, 'INVALID_TOKEN', 'Invalid refresh token');
    if (rec.used) return err(401, 'INVALID_TOKEN', 'Refresh token has already been used');
    const user = [...users.values()].find((u) => u.id === rec.userId);
    if (!user) return err(401, 'INVALID_TOKEN', 'Invalid refresh token');
    rec.used = true;
    return tokenResponse(user, issue(user, typeof p.exp === 'number' ? p.exp : undefined));
  };

  type Principal = { rateKey: string; scopes: readonly RegenScope[] };

  const authenticate = (ctx: Ctx): Principal | Reply => {
    const apiKey = ctx.header('x-api-key');
    if (apiKey !== undefined) {
      const k = apiKeys.get(apiKey.trim());
      if (!k || k.revoked) return err(401, 'INVALID_API_KEY', 'Invalid API key');
      if (k.expiresAt !== null && ctx.now >= k.expiresAt) return err(401, 'INVALID_API_KEY', 'API key has expired (rotated)');
      k.lastUsedAt = ctx.now;
      return { rateKey: `key:${k.value}`, scopes: k.scopes };
    }
    const bearer = ctx.bearer();
    if (bearer === null) {
      return err(401, 'UNAUTHORIZED', 'Authentication required: send X-API-Key or Authorization: Bearer <token>');
    }
    const checked = verifyHs256(bearer, jwtSecret, ctx.now);
    if (!checked.ok) {
      return checked.reason === 'expired'
        ? err(401, 'TOKEN_EXPIRED', 'Access token has expired; refresh it')
        : err(401, 'INVALID_TOKEN', 'Invalid access token');
    }
    if (checked.payload.typ !== 'access') return err(401, 'INVALID_TOKEN', 'Not an access token');
    const user = [...users.values()].find((u) => u.id === checked.payload.sub);
    if (!user) return err(401, 'INVALID_TOKEN', 'Unknown user');
    return { rateKey: `user:${user.id}`, scopes: user.scopes };
  };

  const api = (ctx: Ctx, resourceName: string, id: string | undefined): Reply => {
    const who = authenticate(ctx);
    if ('status' in who) return who;

    const isWrite = WRITE_METHODS.has(ctx.method);
    const rl = limiter.hit(who.rateKey, isWrite);
    const rh = rl?.headers ?? {};
    if (rl && !rl.allowed) {
      return err(429, 'RATE_LIMIT_EXCEEDED', `Rate limit exceeded (${rl.window}); retry in ${rl.retryAfter} s`, rh);
    }
    const withRl = (r: Reply): Reply => ({ ...r, headers: { ...rh, ...r.headers } });

    if (!(REGEN_RESOURCES as readonly string[]).includes(resourceName)) {
      return withRl(err(404, 'NOT_FOUND', `Unknown resource: ${resourceName}`));
    }
    const resource = resourceName as RegenResource;
    const served = resource === 'analytics' ? ['GET'] : id === undefined ? ['GET', 'POST'] : ['GET', 'PUT', 'PATCH', 'DELETE'];
    if (!served.includes(ctx.method)) {
      return withRl({ ...err(405, 'METHOD_NOT_ALLOWED', `${ctx.method} not allowed on ${ctx.path}`), headers: { allow: served.join(', ') } });
    }
    const need = `${isWrite ? 'write' : 'read'}:${resource}`;
    const wildcard = isWrite ? 'write:*' : 'read:*';
    if (!who.scopes.some((s) => s === need || s === wildcard)) {
      return withRl(err(403, 'INSUFFICIENT_SCOPE', `This key lacks the scope ${need}`));
    }

    const list = data.get(resource) ?? [];
    if (ctx.method === 'GET') {
      if (id === undefined) return withRl(reply(200, { success: true, data: list, pagination: { page: 1, limit: 50, total: list.length } }));
      const one = list.find((x) => x.id === id);
      return withRl(one ? reply(200, { success: true, data: one }) : err(404, 'NOT_FOUND', `No ${resource} ${id}`));
    }
    if (ctx.method === 'DELETE') {
      const i = list.findIndex((x) => x.id === id);
      if (i < 0) return withRl(err(404, 'NOT_FOUND', `No ${resource} ${id}`));
      list.splice(i, 1);
      return withRl(reply(200, { success: true, data: { id, deleted: true } }));
    }
    const body = ctx.json();
    if (body.kind !== 'ok' || !isPlainObject(body.value) || Object.keys(body.value).length === 0) {
      return withRl(err(400, 'VALIDATION_ERROR', 'The body must be a non-empty JSON object'));
    }
    if (ctx.method === 'POST') {
      const created = { ...body.value, id: `${resource.slice(0, 3)}_${randomBytes(4).toString('hex')}`, createdAt: new Date(ctx.now).toISOString() };
      list.push(created);
      return withRl(reply(201, { success: true, data: created }));
    }
    const target = list.find((x) => x.id === id);
    if (!target) return withRl(err(404, 'NOT_FOUND', `No ${resource} ${id}`));
    Object.assign(target, body.value, { id: target.id, updatedAt: new Date(ctx.now).toISOString() });
    return withRl(reply(200, { success: true, data: target }));
  };

  const handler = (ctx: Ctx): Reply => {
    const seg = segments(ctx.path);
    if (seg[0] === 'api' && seg[1] === 'auth' && seg.length === 3) {
      if (seg[2] === 'login' || seg[2] === 'refresh') {
        if (ctx.method !== 'POST') return err(405, 'METHOD_NOT_ALLOWED', 'Use POST', { allow: 'POST' });
        return seg[2] === 'login' ? login(ctx) : refresh(ctx);
      }
    }
    if (seg[0] === 'api' && seg[1] === 'v1' && seg[2] !== undefined && seg.length <= 4) return api(ctx, seg[2], seg[3]);
    return err(404, 'NOT_FOUND', `No route for ${ctx.method} ${ctx.path}`);
  };

  const l = await listen({ name: 'regen', port, handler, state, now, maxRecorded });
  return { url: l.url, port: l.port, state, close: l.close };
}
