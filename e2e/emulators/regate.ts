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
import {
  REGATE_ENDPOINTS,
  REGATE_MATRIX,
  REGATE_PATH_ALIASES,
  REGATE_REQUIRED_FIELDS,
  REGATE_ROLES,
  type RegateEndpoint,
  type RegateMethod,
  type RegateRole,
} from './regate-matrix';

/**
 * Regate emulator (seed 000): `Authorization: Bearer`, tokens bound to one of
 * 11 roles, the documented role × endpoint × method matrix, tokens that never
 * expire, and revocation that can never be undone.
 *
 * Order of checks: unknown path 404 → missing/unknown/revoked token 401 →
 * a method no role has on that endpoint 405 → role lacks the method 403 →
 * body not a JSON object 400 → `{}` or a required field missing 422 →
 * 200 (GET, PATCH) / 201 (POST). Because 403 comes before body validation, a
 * probe can send `{}` and learn "allowed" (422) or "forbidden" (403) without
 * creating anything.
 */

export interface RegateToken {
  value: string;
  name: string;
  role: RegateRole;
  createdAt: number;
  lastUsedAt: number | null;
  revoked: boolean;
}

/** Makes the emulator disagree with the documentation in one cell (permission-probe tests). */
export interface RegateOverride {
  role: RegateRole;
  /** A documented path (or its alias), e.g. '/customers' or '/analytical_plans/{plan_id}/cost_centers'. */
  path: string;
  method: RegateMethod;
  allow: boolean;
}

export interface RegateTokenInput {
  role: RegateRole;
  value?: string;
  name?: string;
  createdAt?: number;
}

export interface RegateOptions extends CommonOptions {
  tokens?: RegateTokenInput[];
  overrides?: RegateOverride[];
}

export interface RegateState extends BaseState {
  /** By token value. */
  readonly tokens: Map<string, RegateToken>;
  /** Mutable at run time; later entries win. */
  overrides: RegateOverride[];
  /** In-memory records per documented endpoint (cost centers keyed by the row path). */
  readonly records: Map<RegateEndpoint, Record<string, unknown>[]>;
  /** Adds a token (value generated when omitted). Throws for a value that was revoked. */
  addToken(input: RegateTokenInput): RegateToken;
  /** Revokes for ever; false when the value is unknown. */
  revoke(value: string): boolean;
  /** The effective permission: matrix, then overrides. */
  isAllowed(role: RegateRole, path: string, method: string): boolean;
}

const err = (status: number, error: string, message: string, headers?: Record<string, string>): Reply =>
  reply(status, { error, message }, headers);

function normalizeEndpoint(path: string): RegateEndpoint | null {
  const p = path.length > 1 ? path.replace(/\/$/, '') : path;
  if ((REGATE_ENDPOINTS as readonly string[]).includes(p)) return p as RegateEndpoint;
  return REGATE_PATH_ALIASES[p] ?? null;
}

interface Route {
  endpoint: RegateEndpoint;
  id: string | null;
  planId: string | null;
}

function route(path: string): Route | null {
  const seg = segments(path);
  const [a, b, c, d] = seg;
  if (a === undefined) return null;
  if (seg.length === 3 && a === 'analytical_plans' && c === 'cost_centers' && b !== undefined) {
    return { endpoint: '/analytical_plans/{plan_id}/cost_centers', id: null, planId: b };
  }
  if (seg.length === 4 && a === 'analytical_plans' && c === 'cost_centers' && b !== undefined && d !== undefined) {
    return { endpoint: '/analytical_plans/{plan_id}/cost_centers', id: d, planId: b };
  }
  if (seg.length > 2) return null;
  const endpoint = normalizeEndpoint(`/${a}`);
  if (!endpoint || endpoint === '/analytical_plans/{plan_id}/cost_centers') return null;
  return { endpoint, id: b ?? null, planId: null };
}

function seedRecords(now: number): Map<RegateEndpoint, Record<string, unknown>[]> {
  const at = new Date(now).toISOString();
  return new Map<RegateEndpoint, Record<string, unknown>[]>([
    ['/sales_invoices', [{ id: 1, customer_id: 1, date: '2025-01-15', total: 1200, status: 'sent', created_at: at }]],
    ['/customers', [{ id: 1, name: 'Acme SAS', vat_number: 'FR12345678901', created_at: at }, { id: 2, name: 'Globex SARL', created_at: at }]],
    ['/bank_accoutns', [{ id: 1, name: 'Main account', iban: 'FR7630006000011234567890189', currency: 'EUR' }]],
    ['/sales_vat_accoutns', [{ id: 1, code: '445710', label: 'TVA collectée 20%', rate: 20 }]],
    ['/products', [{ id: 1, name: 'Consulting day', unit_price: 800 }]],
    ['/users', [{ id: 1, email: 'cfo@example.com', role: 'CFO' }]],
    ['/user_roles', REGATE_ROLES.map((name, i) => ({ id: i + 1, name }))],
    ['/analytical_plans', [{ id: 1, name: 'Departments' }, { id: 2, name: 'Projects' }]],
    [
      '/analytical_plans/{plan_id}/cost_centers',
      [
        { id: 1, plan_id: 1, name: 'Sales' },
        { id: 2, plan_id: 1, name: 'R&D' },
        { id: 3, plan_id: 2, name: 'Project Apollo' },
      ],
    ],
  ]);
}

function missingFields(endpoint: RegateEndpoint, body: Record<string, unknown>, method: string): string[] {
  if (method === 'PATCH') return Object.keys(body).length === 0 ? ['(at least one field)'] : [];
  const required = REGATE_REQUIRED_FIELDS[endpoint] ?? [];
  const missing = required.filter((f) => body[f] === undefined || body[f] === null || body[f] === '');
  return Object.keys(body).length === 0 && missing.length === 0 ? ['(at least one field)'] : missing;
}

export async function startRegate(opts: RegateOptions = {}): Promise<Emulator<RegateState>> {
  const { port, now, maxRecorded } = commonDefaults(opts);
  const tokens = new Map<string, RegateToken>();
  const revokedForever = new Set<string>();
  const records = seedRecords(now());

  const state: RegateState = {
    ...createBaseState(opts),
    tokens,
    overrides: [...(opts.overrides ?? [])],
    records,
    addToken(input) {
      const value = input.value ?? `rgt_${randomBytes(24).toString('base64url')}`;
      if (revokedForever.has(value)) throw new Error('Regate: a revoked token cannot be reinstated');
      const token: RegateToken = {
        value,
        name: input.name ?? `${input.role} token`,
        role: input.role,
        createdAt: input.createdAt ?? now(),
        lastUsedAt: null,
        revoked: false,
      };
      tokens.set(value, token);
      return token;
    },
    revoke(value) {
      const t = tokens.get(value);
      if (!t) return false;
      t.revoked = true;
      revokedForever.add(value);
      return true;
    },
    isAllowed(role, path, method) {
      const endpoint = normalizeEndpoint(path);
      if (!endpoint) return false;
      const m = method.toUpperCase();
      let allowed = (REGATE_MATRIX[endpoint][role] as readonly string[]).includes(m);
      for (const o of state.overrides) {
        if (o.role === role && normalizeEndpoint(o.path) === endpoint && o.method.toUpperCase() === m) allowed = o.allow;
      }
      return allowed;
    },
  };
  for (const t of opts.tokens ?? []) state.addToken(t);

  /** Methods that at least one role has on the endpoint (after overrides); only GET, POST and PATCH are modelled. */
  const servedMethods = (endpoint: RegateEndpoint): string[] => {
    const all: RegateMethod[] = ['GET', 'POST', 'PATCH'];
    return all.filter((m) => REGATE_ROLES.some((r) => state.isAllowed(r, endpoint, m)));
  };

  const handler = (ctx: Ctx): Reply => {
    const r = route(ctx.path);
    if (!r) return err(404, 'not_found', `No route for ${ctx.method} ${ctx.path}`);

    const value = ctx.bearer();
    const token = value === null ? undefined : tokens.get(value);
    if (!token || token.revoked || revokedForever.has(token.value)) {
      return err(401, 'unauthorized', value === null ? 'Missing bearer token' : 'Invalid or revoked token', {
        'www-authenticate': 'Bearer',
      });
    }
    token.lastUsedAt = ctx.now;

    const served = servedMethods(r.endpoint);
    const methodFitsPath = r.id === null || ctx.method === 'GET' || ctx.method === 'PATCH';
    if (!served.includes(ctx.method) || !methodFitsPath) {
      return err(405, 'method_not_allowed', `${ctx.method} is not served on ${r.endpoint}`, { allow: served.join(', ') });
    }
    if (!state.isAllowed(token.role, r.endpoint, ctx.method)) {
      return err(403, 'forbidden', `Role "${token.role}" may not ${ctx.method} ${r.endpoint}`);
    }

    const list = records.get(r.endpoint) ?? [];
    const scoped = r.planId === null ? list : list.filter((x) => String(x.plan_id) === r.planId);
    if (ctx.method === 'GET') {
      if (r.id === null) return reply(200, { items: scoped, total: scoped.length });
      const one = scoped.find((x) => String(x.id) === r.id);
      return one ? reply(200, one) : err(404, 'not_found', `No record ${r.id}`);
    }

    const body = ctx.json();
    if (body.kind !== 'ok' || !isPlainObject(body.value)) {
      return err(400, 'bad_request', 'The body must be a JSON object');
    }
    const missing = missingFields(r.endpoint, body.value, ctx.method);
    if (missing.length > 0) {
      return reply(422, { error: 'unprocessable_entity', message: 'Validation failed', missing_fields: missing });
    }
    if (ctx.method === 'POST') {
      const id = list.reduce((max, x) => Math.max(max, Number(x.id) || 0), 0) + 1;
      const created = { ...body.value, id, created_at: new Date(ctx.now).toISOString() };
      list.push(created);
      return reply(201, created);
    }
    // PATCH on /x/{id} updates that record; on the collection, the body must name it by `id`.
    const id = r.id ?? (body.value.id === undefined ? null : String(body.value.id));
    const target = id === null ? undefined : list.find((x) => String(x.id) === id);
    if (!target) return err(404, 'not_found', id === null ? 'PATCH needs /{id} or an "id" field' : `No record ${id}`);
    Object.assign(target, body.value, { id: target.id, updated_at: new Date(ctx.now).toISOString() });
    return reply(200, target);
  };

  const l = await listen({ name: 'regate', port, handler, state, now, maxRecorded });
  return { url: l.url, port: l.port, state, close: l.close };
}
