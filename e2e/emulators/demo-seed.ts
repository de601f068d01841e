import { createHash } from 'node:crypto';
import type { BuiltEmulator } from './built';
import type { CoolsetState } from './coolset';
import type { Emulator } from './http-util';
import type { RegateState } from './regate';
import type { RegenState } from './regen';
import type { StrapiState } from './strapi';
import { STRAPI_DAY_MS, STRAPI_LIFESPANS, strapiActionUid } from './strapi-tokens';

/**
 * Fixed, obviously fake credentials for `npm run demo` and first looks: the
 * same values on every start, so a demo vault can be filled once. None of them
 * works anywhere but on these emulators.
 */

function fake(label: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += createHash('sha256').update(`${label}:${i}`).digest('hex');
  return out.slice(0, length);
}

export interface DemoCredentials {
  regate: { cfo: string; treasurer: string; accountantInvoices: string; revoked: string };
  regen: { readAll: string; orders: string; user: { email: string; password: string } };
  strapi: {
    readOnly: string;
    fullAccess30d: string;
    customArticlesRead: string;
    expired: string;
    admin: { email: string; password: string };
    /** The emulator's ids of the tokens above: their remote ids, so the demo reaches API revocation. */
    ids: { readOnly: string; fullAccess30d: string; customArticlesRead: string; expired: string };
  };
  coolset: { read: string; write: string; admin: string; revoked: string };
  built: { sandbox: string; production: string; otherBusinessSandbox: string };
}

export interface DemoTargets {
  regate: Emulator<RegateState>;
  regen: Emulator<RegenState>;
  strapi: Emulator<StrapiState>;
  coolset: Emulator<CoolsetState>;
  built: BuiltEmulator;
}

export function seedDemo(e: DemoTargets, nowMs: number = Date.now()): DemoCredentials {
  const regate = {
    cfo: e.regate.state.addToken({ role: 'CFO', name: 'Demo CFO', value: `demo_regate_${fake('regate-cfo', 40)}` }).value,
    treasurer: e.regate.state.addToken({ role: 'Treasurer', name: 'Demo treasurer', value: `demo_regate_${fake('regate-treasurer', 40)}` }).value,
    accountantInvoices: e.regate.state.addToken({
      role: 'Accountant (invoices)',
      name: 'Demo accountant',
      value: `demo_regate_${fake('regate-acc-inv', 40)}`,
    }).value,
    revoked: e.regate.state.addToken({ role: 'CFO', name: 'Demo revoked', value: `demo_regate_${fake('regate-revoked', 40)}` }).value,
  };
  e.regate.state.revoke(regate.revoked);

  const regen = {
    readAll: e.regen.state.addApiKey({ scopes: ['read:*'], name: 'Demo read-all', value: `rg_demo01_${fake('regen-read', 32)}` }).value,
    orders: e.regen.state.addApiKey({
      scopes: ['read:orders', 'write:orders'],
      name: 'Demo orders',
      value: `rg_demo02_${fake('regen-orders', 32)}`,
    }).value,
    user: { email: 'user@example.com', password: 'your_password' },
  };

  const s = e.strapi.state;
  const strapiTokens = {
    readOnly: s.addToken({ type: 'read-only', name: 'Demo read-only', accessKey: fake('strapi-ro', 256) }),
    fullAccess30d: s.addToken({ type: 'full-access', name: 'Demo full access', lifespan: STRAPI_LIFESPANS.DAYS_30, accessKey: fake('strapi-fa', 256) }),
    customArticlesRead: s.addToken({
      type: 'custom',
      name: 'Demo articles reader',
      permissions: [strapiActionUid('article', 'find'), strapiActionUid('article', 'findOne')],
      accessKey: fake('strapi-custom', 256),
    }),
    expired: s.addToken({
      type: 'read-only',
      name: 'Demo expired',
      lifespan: STRAPI_LIFESPANS.DAYS_7,
      createdAt: nowMs - 8 * STRAPI_DAY_MS,
      accessKey: fake('strapi-expired', 256),
    }),
  };
  const strapi = {
    readOnly: strapiTokens.readOnly.accessKey,
    fullAccess30d: strapiTokens.fullAccess30d.accessKey,
    customArticlesRead: strapiTokens.customArticlesRead.accessKey,
    expired: strapiTokens.expired.accessKey,
    admin: { email: 'admin@example.com', password: 'Admin123!' },
    ids: {
      readOnly: String(strapiTokens.readOnly.id),
      fullAccess30d: String(strapiTokens.fullAccess30d.id),
      customArticlesRead: String(strapiTokens.customArticlesRead.id),
      expired: String(strapiTokens.expired.id),
    },
  };

  const coolset = {
    read: e.coolset.state.addToken({ scope: 'Read', value: `sk_live_demo${fake('coolset-read', 28)}` }).value,
    write: e.coolset.state.addToken({ scope: 'Write', value: `sk_live_demo${fake('coolset-write', 28)}` }).value,
    admin: e.coolset.state.addToken({ scope: 'Admin', value: `sk_live_demo${fake('coolset-admin', 28)}` }).value,
    revoked: e.coolset.state.addToken({ scope: 'Read', value: `sk_live_demo${fake('coolset-revoked', 28)}` }).value,
  };
  e.coolset.state.revoke(coolset.revoked);

  const built = {
    sandbox: e.built.state.addToken({ env: 'sandbox', businessId: 1, value: `test_demo${fake('built-sandbox', 40)}` }).value,
    production: e.built.state.addToken({ env: 'production', businessId: 1, value: `live_demo${fake('built-production', 40)}` }).value,
    otherBusinessSandbox: e.built.state.addToken({ env: 'sandbox', businessId: 2, value: `test_demo${fake('built-other', 40)}` }).value,
  };

  return { regate, regen, strapi, coolset, built };
}
