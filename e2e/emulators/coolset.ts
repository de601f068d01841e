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

/**
 * Coolset emulator (seed 003): `Authorization: Bearer`, each token tied to one
 * company and carrying its creator's permission level, Read < Write < Admin
 * (Write includes Read; Admin includes Write and user management). Tokens
 * never expire; a revoked token is refused at once.
 *
 *   GET      /api/accounts/user-config/   who am I: the user and company of the token   (Read)
 *   GET      /api/accounts/workspaces/    the user's companies, the token's one marked    (Read)
 *   GET      /api/orders/                 the company's orders                            (Read)
 *   POST     /api/orders/                 {reference, …} → 201                            (Write)
 *   GET      /api/orders/{id}/                                                            (Read)
 *   PATCH    /api/orders/{id}/                                                            (Write)
 *   GET|POST /api/accounts/users/         user management                                 (Admin)
 *
 * The paths are served with and without the trailing slash. Bodies follow
 * Django REST framework: the seed's exact 401 and 403 bodies, 404
 * {"detail": "Not found."}, 405 {"detail": "Method \"X\" not allowed."},
 * 400 {"field": ["This field is required."]}, lists as {count, next, previous, results}.
 */

export const COOLSET_SCOPES = ['Read', 'Write', 'Admin'] as const;
export type CoolsetScope = (typeof COOLSET_SCOPES)[number];

export const COOLSET_401 = { detail: 'Authentication credentials were not provided.' } as const;
export const COOLSET_403 = { detail: 'You do not have permission to perform this action.' } as const;

export interface CoolsetCompany {
  id: number;
  name: string;
}

export interface CoolsetUser {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  /** Companies the user may switch between. */
  companyIds: number[];
}

export interface CoolsetToken {
  value: string;
  name: string;
  scope: CoolsetScope;
  companyId: number;
  userId: number;
  createdAt: number;
  lastUsedAt: number | null;
  revoked: boolean;
}

export interface CoolsetTokenInput {
  scope: CoolsetScope;
  /** Default: the first company. */
  companyId?: number;
  /** Default: the first user. */
  userId?: number;
  value?: string;
  name?: string;
  createdAt?: number;
}

export interface CoolsetOptions extends CommonOptions {
  tokens?: CoolsetTokenInput[];
}

export interface CoolsetState extends BaseState {
  readonly companies: Map<number, CoolsetCompany>;
  readonly users: Map<number, CoolsetUser>;
  /** By value. */
  readonly tokens: Map<string, CoolsetToken>;
  readonly orders: Array<Record<string, unknown> & { id: number; company_id: number }>;
  addCompany(name: string): CoolsetCompany;
  addUser(input: { email: string; first_name?: string; last_name?: string; companyIds: number[] }): CoolsetUser;
  addToken(input: CoolsetTokenInput): CoolsetToken;
  revoke(value: string): boolean;
}

const RANK: Record<CoolsetScope, number> = { Read: 1, Write: 2, Admin: 3 };

const page = (results: unknown[]): Reply => reply(200, { count: results.length, next: null, previous: null, results });

export async function startCoolset(opts: CoolsetOptions = {}): Promise<Emulator<CoolsetState>> {
  const { port, now, maxRecorded } = commonDefaults(opts);
  const companies = new Map<number, CoolsetCompany>();
  const users = new Map<number, CoolsetUser>();
  const tokens = new Map<string, CoolsetToken>();
  const orders: CoolsetState['orders'] = [];
  let nextOrderId = 1;

  const state: CoolsetState = {
    ...createBaseState(opts),
    companies,
    users,
    tokens,
    orders,
    addCompany(name) {
      const c = { id: companies.size + 1, name };
      companies.set(c.id, c);
      return c;
    },
    addUser(input) {
      const u: CoolsetUser = {
        id: users.size + 1,
        email: input.email,
        first_name: input.first_name ?? '',
        last_name: input.last_name ?? '',
        companyIds: [...input.companyIds],
      };
      users.set(u.id, u);
      return u;
    },
    addToken(input) {
      const companyId = input.companyId ?? 1;
      const userId = input.userId ?? 1;
      if (!companies.has(companyId)) throw new Error(`Coolset: no company ${companyId}`);
      if (!users.has(userId)) throw new Error(`Coolset: no user ${userId}`);
      const t: CoolsetToken = {
        value: input.value ?? `sk_live_${randomBytes(20).toString('hex')}`,
        name: input.name ?? `${input.scope} token`,
        scope: input.scope,
        companyId,
        userId,
        createdAt: input.createdAt ?? now(),
        lastUsedAt: null,
        revoked: false,
      };
      tokens.set(t.value, t);
      return t;
    },
    revoke(value) {
      const t = tokens.get(value);
      if (!t) return false;
      t.revoked = true;
      return true;
    },
  };

  const scranton = state.addCompany('Dunder Mifflin Scranton');
  const stamford = state.addCompany('Dunder Mifflin Stamford');
  state.addUser({ email: 'michael.scott@example.com', first_name: 'Michael', last_name: 'Scott', companyIds: [scranton.id, stamford.id] });
  state.addUser({ email: 'jim.halpert@example.com', first_name: 'Jim', last_name: 'Halpert', companyIds: [stamford.id] });
  const at = new Date(now()).toISOString();
  orders.push({ id: nextOrderId++, company_id: scranton.id, reference: 'PO-1001', supplier: 'Paper Co', created_at: at });
  orders.push({ id: nextOrderId++, company_id: stamford.id, reference: 'PO-2001', supplier: 'Ink Ltd', created_at: at });
  for (const t of opts.tokens ?? []) state.addToken(t);

  const userView = (u: CoolsetUser) => ({ id: u.id, email: u.email, first_name: u.first_name, last_name: u.last_name });

  type Route = { methods: Record<string, CoolsetScope>; run: (ctx: Ctx, t: CoolsetToken, id: string | undefined) => Reply };

  type Checked = { ok: true; value: Record<string, unknown> } | { ok: false; reply: Reply };
  const requireFields = (ctx: Ctx, fields: string[]): Checked => {
    const body = ctx.json();
    if (body.kind === 'invalid') return { ok: false, reply: reply(400, { detail: 'JSON parse error' }) };
    const v = body.kind === 'ok' && isPlainObject(body.value) ? body.value : {};
    const missing = fields.filter((f) => v[f] === undefined || v[f] === null || v[f] === '');
    if (missing.length > 0) return { ok: false, reply: reply(400, Object.fromEntries(missing.map((f) => [f, ['This field is required.']]))) };
    return { ok: true, value: v };
  };

  const routes: Record<string, Route> = {
    'accounts/user-config': {
      methods: { GET: 'Read' },
      run: (_ctx, t) => {
        const user = users.get(t.userId);
        const company = companies.get(t.companyId);
        return reply(200, { user: user ? userView(user) : null, company: company ?? null, permission: t.scope });
      },
    },
    'accounts/workspaces': {
      methods: { GET: 'Read' },
      run: (_ctx, t) => {
        const ids = users.get(t.userId)?.companyIds ?? [t.companyId];
        return page(ids.flatMap((id) => {
          const c = companies.get(id);
          return c ? [{ ...c, is_current: id === t.companyId }] : [];
        }));
      },
    },
    orders: {
      methods: { GET: 'Read', POST: 'Write' },
      run: (ctx, t) => {
        if (ctx.method === 'GET') return page(orders.filter((o) => o.company_id === t.companyId));
        const v = requireFields(ctx, ['reference']);
        if (!v.ok) return v.reply;
        const created = { ...v.value, id: nextOrderId++, company_id: t.companyId, created_at: new Date(ctx.now).toISOString() };
        orders.push(created);
        return reply(201, created);
      },
    },
    'orders/:id': {
      methods: { GET: 'Read', PATCH: 'Write' },
      run: (ctx, t, id) => {
        // Another company's order is as absent as a missing one.
        const o = orders.find((x) => x.company_id === t.companyId && String(x.id) === id);
        if (!o) return reply(404, { detail: 'Not found.' });
        if (ctx.method === 'GET') return reply(200, o);
        const body = ctx.json();
        if (body.kind !== 'ok' || !isPlainObject(body.value)) return reply(400, { detail: 'JSON parse error' });
        Object.assign(o, body.value, { id: o.id, company_id: o.company_id });
        return reply(200, o);
      },
    },
    'accounts/users': {
      methods: { GET: 'Admin', POST: 'Admin' },
      run: (ctx, t) => {
        if (ctx.method === 'GET') return page([...users.values()].filter((u) => u.companyIds.includes(t.companyId)).map(userView));
        const v = requireFields(ctx, ['email']);
        if (!v.ok) return v.reply;
        const body = v.value;
        const u = state.addUser({
          email: String(body.email),
          first_name: typeof body.first_name === 'string' ? body.first_name : '',
          last_name: typeof body.last_name === 'string' ? body.last_name : '',
          companyIds: [t.companyId],
        });
        return reply(201, userView(u));
      },
    },
  };

  const handler = (ctx: Ctx): Reply => {
    const seg = segments(ctx.path);
    if (seg[0] !== 'api') return reply(404, { detail: 'Not found.' });
    const rest = seg.slice(1);
    const id = rest[0] === 'orders' && rest.length === 2 ? rest[1] : undefined;
    const key = id === undefined ? rest.join('/') : 'orders/:id';
    const r = Object.hasOwn(routes, key) ? routes[key] : undefined;
    if (!r) return reply(404, { detail: 'Not found.' });

    const value = ctx.bearer();
    const t = value === null ? undefined : tokens.get(value);
    if (!t || t.revoked) return reply(401, COOLSET_401, { 'www-authenticate': 'Bearer realm="api"' });
    t.lastUsedAt = ctx.now;

    const need = Object.hasOwn(r.methods, ctx.method) ? r.methods[ctx.method] : undefined;
    if (need === undefined) {
      return reply(405, { detail: `Method "${ctx.method}" not allowed.` }, { allow: Object.keys(r.methods).join(', ') });
    }
    if (RANK[t.scope] < RANK[need]) return reply(403, COOLSET_403);
    return r.run(ctx, t, id);
  };

  const l = await listen({ name: 'coolset', port, handler, state, now, maxRecorded });
  return { url: l.url, port: l.port, state, close: l.close };
}
