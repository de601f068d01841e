import { randomBytes } from 'node:crypto';
import {
  commonDefaults,
  createBaseState,
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
 * Built Accounting emulator (seed 004): `Authorization: Bearer`, tokens
 * scoped to a business (not a user), and two separate environments, each its
 * own listener: sandbox (the seed's https://fxweb.builtaccounting.com) and
 * production (https://web.builtaccounting.com). A token belongs to one
 * environment; the other one answers 401, as it does without a token.
 *
 *   GET /api/business          who am I: the business the token belongs to
 *   GET /api/invoices          that business's invoices
 *   GET /api/invoices/{id}
 *
 * The seed documents no error body; this emulator answers 401
 * {"message": "Unauthenticated."}, 404 {"message": "Not Found"} and 405 with
 * an Allow header.
 */

export const BUILT_ENVS = ['sandbox', 'production'] as const;
export type BuiltEnv = (typeof BUILT_ENVS)[number];

export const BUILT_401 = { message: 'Unauthenticated.' } as const;

export interface BuiltBusiness {
  id: number;
  name: string;
  currency: string;
  country: string;
}

export interface BuiltToken {
  value: string;
  name: string;
  businessId: number;
  env: BuiltEnv;
  createdAt: number;
  lastUsedAt: number | null;
  /** Not documented by Built; lets a test model a deleted token. */
  revoked: boolean;
}

export interface BuiltTokenInput {
  env: BuiltEnv;
  /** Default: the first business. */
  businessId?: number;
  value?: string;
  name?: string;
  createdAt?: number;
}

export interface BuiltOptions extends CommonOptions {
  /** Port of the sandbox listener (`port` from CommonOptions). Production: `productionPort`. */
  productionPort?: number;
  tokens?: BuiltTokenInput[];
}

export interface BuiltState extends BaseState {
  readonly businesses: Map<number, BuiltBusiness>;
  /** By value. */
  readonly tokens: Map<string, BuiltToken>;
  readonly invoices: Array<Record<string, unknown> & { id: number; business_id: number }>;
  addBusiness(name: string, currency?: string): BuiltBusiness;
  addToken(input: BuiltTokenInput): BuiltToken;
  revoke(value: string): boolean;
}

export interface BuiltEmulator extends Emulator<BuiltState> {
  /** `url` and `port` above are the sandbox's. */
  readonly sandbox: { readonly url: string; readonly port: number };
  readonly production: { readonly url: string; readonly port: number };
}

const notFound = (): Reply => reply(404, { message: 'Not Found' });

export async function startBuilt(opts: BuiltOptions = {}): Promise<BuiltEmulator> {
  const { port, now, maxRecorded } = commonDefaults(opts);
  const businesses = new Map<number, BuiltBusiness>();
  const tokens = new Map<string, BuiltToken>();
  const invoices: BuiltState['invoices'] = [];

  const state: BuiltState = {
    ...createBaseState(opts),
    businesses,
    tokens,
    invoices,
    addBusiness(name, currency = 'GHS') {
      const b = { id: businesses.size + 1, name, currency, country: 'GH' };
      businesses.set(b.id, b);
      return b;
    },
    addToken(input) {
      const businessId = input.businessId ?? 1;
      if (!businesses.has(businessId)) throw new Error(`Built: no business ${businessId}`);
      const t: BuiltToken = {
        value: input.value ?? `${input.env === 'sandbox' ? 'test' : 'live'}_${randomBytes(24).toString('hex')}`,
        name: input.name ?? `${input.env} token`,
        businessId,
        env: input.env,
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

  const kofi = state.addBusiness('Kofi Furniture Ltd');
  const ama = state.addBusiness('Ama Catering');
  invoices.push({ id: 1, business_id: kofi.id, number: 'INV-0001', customer: 'Accra Hotel', amount: 2500, currency: 'GHS', status: 'unpaid' });
  invoices.push({ id: 2, business_id: kofi.id, number: 'INV-0002', customer: 'Tema Offices', amount: 780, currency: 'GHS', status: 'paid' });
  invoices.push({ id: 3, business_id: ama.id, number: 'INV-0001', customer: 'Kumasi Events', amount: 1200, currency: 'GHS', status: 'unpaid' });
  for (const t of opts.tokens ?? []) state.addToken(t);

  const handlerFor =
    (env: BuiltEnv) =>
    (ctx: Ctx): Reply => {
      const seg = segments(ctx.path);
      const isBusiness = seg.length === 2 && seg[0] === 'api' && seg[1] === 'business';
      const isInvoices = seg.length >= 2 && seg.length <= 3 && seg[0] === 'api' && seg[1] === 'invoices';
      if (!isBusiness && !isInvoices) return notFound();

      const value = ctx.bearer();
      const t = value === null ? undefined : tokens.get(value);
      if (!t || t.revoked || t.env !== env) return reply(401, BUILT_401);
      t.lastUsedAt = ctx.now;

      if (ctx.method !== 'GET') return reply(405, { message: `The ${ctx.method} method is not supported for this route. Supported methods: GET.` }, { allow: 'GET' });
      if (isBusiness) return reply(200, { data: businesses.get(t.businessId) ?? null });
      const mine = invoices.filter((i) => i.business_id === t.businessId);
      if (seg[2] === undefined) return reply(200, { data: mine, meta: { total: mine.length } });
      const one = mine.find((i) => String(i.id) === seg[2]);
      return one ? reply(200, { data: one }) : notFound();
    };

  let seq = 0;
  const nextSeq = () => ++seq;
  const sandbox = await listen({ name: 'sandbox', port, handler: handlerFor('sandbox'), state, now, maxRecorded, nextSeq });
  const prod = await listen({ name: 'production', port: opts.productionPort ?? 0, handler: handlerFor('production'), state, now, maxRecorded, nextSeq }).catch(
    async (e: unknown) => {
      await sandbox.close();
      throw e;
    },
  );
  return {
    url: sandbox.url,
    port: sandbox.port,
    state,
    sandbox: { url: sandbox.url, port: sandbox.port },
    production: { url: prod.url, port: prod.port },
    close: async () => {
      await Promise.all([sandbox.close(), prod.close()]);
    },
  };
}
