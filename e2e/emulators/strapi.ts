import { randomBytes } from 'node:crypto';
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
import { newSecret } from './jwt';
import { handleAdmin, signAdminJwt, type StrapiAdminUser } from './strapi-admin';
import {
  forbidden,
  isValidLifespan,
  newAccessKey,
  notFound,
  strapiError,
  tokenAllows,
  unauthorized,
  validationError,
  type StrapiContentAction,
  type StrapiToken,
  type StrapiTokenInput,
} from './strapi-tokens';

/**
 * Strapi emulator (seed 002): the content API authenticated by API tokens,
 * and the Admin API that manages those tokens (see strapi-admin.ts).
 *
 *   GET    /api/:plural          find     (read-only, full-access, custom with …find)
 *   GET    /api/:plural/:id      findOne  (:id = numeric id or documentId)
 *   POST   /api/:plural          create   body {data:{…}} → 201
 *   PUT    /api/:plural/:id      update   body {data:{…}} → 200
 *   DELETE /api/:plural/:id      delete   → 204
 *
 * Shapes follow Strapi v5 (documentId, 201 on create, 204 on delete). Errors use
 * Strapi's envelope `{data:null, error:{status, name, message, details}}`:
 * 401 UnauthorizedError "Missing or invalid credentials" (missing or unknown
 * token), 401 "Token expired" (Strapi's own message for an expired token),
 * 403 ForbiddenError "Forbidden", 404 NotFoundError, 400 ValidationError.
 * lastUsedAt is updated on every authenticated use.
 */

export interface StrapiEntry extends Record<string, unknown> {
  id: number;
  documentId: string;
}

export interface StrapiAdminInput {
  email: string;
  password: string;
  firstname?: string;
  lastname?: string;
}

export interface StrapiOptions extends CommonOptions {
  /** Content types, plural API name → singular name. Default { articles: 'article', categories: 'category' }. */
  contentTypes?: Record<string, string>;
  tokens?: StrapiTokenInput[];
  /** Default: admin@example.com / Admin123! */
  admins?: StrapiAdminInput[];
  jwtSecret?: string;
}

export interface StrapiState extends BaseState {
  /** By id. */
  readonly tokens: Map<number, StrapiToken>;
  /** By e-mail, lower-cased. */
  readonly admins: Map<string, StrapiAdminUser>;
  readonly contentTypes: Readonly<Record<string, string>>;
  /** Entries by plural content-type name. */
  readonly entries: Map<string, StrapiEntry[]>;
  readonly jwtSecret: string;
  /** Adds a token; throws on a lifespan Strapi would refuse. */
  addToken(input: StrapiTokenInput): StrapiToken;
  tokenByKey(accessKey: string): StrapiToken | undefined;
  /** A valid admin JWT (what POST /admin/login returns), for tests. */
  adminJwt(email?: string): string;
}

const DEFAULT_CONTENT_TYPES: Record<string, string> = { articles: 'article', categories: 'category' };

function newDocumentId(): string {
  return randomBytes(12).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, 'x');
}

export async function startStrapi(opts: StrapiOptions = {}): Promise<Emulator<StrapiState>> {
  const { port, now, maxRecorded } = commonDefaults(opts);
  const jwtSecret = opts.jwtSecret ?? newSecret();
  const contentTypes = { ...(opts.contentTypes ?? DEFAULT_CONTENT_TYPES) };
  const tokens = new Map<number, StrapiToken>();
  const admins = new Map<string, StrapiAdminUser>();
  const entries = new Map<string, StrapiEntry[]>();
  let nextTokenId = 1;
  /** Each content type numbers its own entries, as each has its own table. */
  const nextEntryId = new Map<string, number>();
  const newEntryId = (plural: string): number => {
    const id = nextEntryId.get(plural) ?? 1;
    nextEntryId.set(plural, id + 1);
    return id;
  };

  const stamp = () => new Date(now()).toISOString();
  for (const plural of Object.keys(contentTypes)) {
    const field = plural === 'articles' ? 'title' : 'name';
    entries.set(
      plural,
      [1, 2].map((n) => ({
        id: newEntryId(plural),
        documentId: newDocumentId(),
        [field]: `${contentTypes[plural]} ${n}`,
        createdAt: stamp(),
        updatedAt: stamp(),
        publishedAt: stamp(),
      })),
    );
  }

  const state: StrapiState = {
    ...createBaseState(opts),
    tokens,
    admins,
    contentTypes,
    entries,
    jwtSecret,
    addToken(input) {
      if (!isValidLifespan(input.lifespan)) throw new Error(`Strapi: invalid lifespan ${String(input.lifespan)}`);
      const createdAt = input.createdAt ?? now();
      const lifespan = input.lifespan ?? null;
      const token: StrapiToken = {
        id: nextTokenId++,
        name: input.name ?? `token ${nextTokenId - 1}`,
        description: input.description ?? '',
        type: input.type,
        lifespan,
        expiresAt: input.expiresAt !== undefined ? input.expiresAt : lifespan === null ? null : createdAt + lifespan,
        createdAt,
        updatedAt: createdAt,
        lastUsedAt: null,
        permissions: [...(input.permissions ?? [])],
        accessKey: input.accessKey ?? newAccessKey(),
      };
      tokens.set(token.id, token);
      return token;
    },
    tokenByKey(accessKey) {
      return [...tokens.values()].find((t) => t.accessKey === accessKey);
    },
    adminJwt(email) {
      const user = email === undefined ? admins.values().next().value : admins.get(email.toLowerCase());
      if (!user) throw new Error('Strapi: no such admin');
      return signAdminJwt(user, jwtSecret, now());
    },
  };
  for (const t of opts.tokens ?? []) state.addToken(t);
  let adminId = 1;
  for (const a of opts.admins ?? [{ email: 'admin@example.com', password: 'Admin123!', firstname: 'Ada', lastname: 'Admin' }]) {
    admins.set(a.email.toLowerCase(), {
      id: adminId++,
      email: a.email,
      password: a.password,
      firstname: a.firstname ?? 'Admin',
      lastname: a.lastname ?? '',
      username: null,
      isActive: true,
      blocked: false,
      createdAt: now(),
    });
  }

  const content = (ctx: Ctx, plural: string, id: string | undefined): Reply => {
    const singular = contentTypes[plural];
    if (singular === undefined) return notFound();
    let action: StrapiContentAction;
    if (id === undefined) {
      if (ctx.method === 'GET') action = 'find';
      else if (ctx.method === 'POST') action = 'create';
      else return strapiError(405, 'MethodNotAllowedError', 'Method Not Allowed');
    } else if (ctx.method === 'GET') action = 'findOne';
    else if (ctx.method === 'PUT') action = 'update';
    else if (ctx.method === 'DELETE') action = 'delete';
    else return strapiError(405, 'MethodNotAllowedError', 'Method Not Allowed');

    const key = ctx.bearer();
    const token = key === null ? undefined : state.tokenByKey(key);
    if (!token) return unauthorized();
    if (token.expiresAt !== null && token.expiresAt < ctx.now) return unauthorized('Token expired');
    token.lastUsedAt = ctx.now;
    if (!tokenAllows(token, singular, action)) return forbidden();

    const list = entries.get(plural) ?? [];
    const find = () => list.find((e) => e.documentId === id || String(e.id) === id);
    const at = new Date(ctx.now).toISOString();
    switch (action) {
      case 'find':
        return reply(200, { data: list, meta: { pagination: { page: 1, pageSize: 25, pageCount: 1, total: list.length } } });
      case 'findOne': {
        const e = find();
        return e ? reply(200, { data: e, meta: {} }) : notFound();
      }
      case 'delete': {
        const e = find();
        if (!e) return notFound();
        list.splice(list.indexOf(e), 1);
        return reply(204);
      }
      case 'create':
      case 'update': {
        const body = ctx.json();
        const data = body.kind === 'ok' && isPlainObject(body.value) ? body.value.data : undefined;
        if (!isPlainObject(data)) return validationError('Missing "data" payload in the request body');
        if (action === 'create') {
          const entry: StrapiEntry = { ...data, id: newEntryId(plural), documentId: newDocumentId(), createdAt: at, updatedAt: at, publishedAt: at };
          list.push(entry);
          return reply(201, { data: entry, meta: {} });
        }
        const e = find();
        if (!e) return notFound();
        Object.assign(e, data, { id: e.id, documentId: e.documentId, updatedAt: at });
        return reply(200, { data: e, meta: {} });
      }
    }
  };

  const handler = (ctx: Ctx): Reply => {
    const seg = segments(ctx.path);
    if (seg[0] === 'admin') return handleAdmin(ctx, seg.slice(1), { tokens, admins, jwtSecret, addToken: state.addToken });
    if (seg[0] === 'api' && seg[1] !== undefined && seg.length <= 3) return content(ctx, seg[1], seg[2]);
    return notFound();
  };

  const l = await listen({ name: 'strapi', port, handler, state, now, maxRecorded });
  return { url: l.url, port: l.port, state, close: l.close };
}
