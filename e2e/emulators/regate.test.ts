import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from './http-util';
import { startRegate, type RegateState } from './regate';
import {
  REGATE_ENDPOINTS,
  REGATE_MATRIX,
  REGATE_PATH_ALIASES,
  REGATE_ROLES,
  REGATE_SAMPLE_BODIES,
  type RegateEndpoint,
  type RegateMethod,
  type RegateRole,
} from './regate-matrix';
import { call, fakeClock } from './test-support';

const SEED = resolve(__dirname, '../../../shared/seeds/000_d0581002314b8c51.txt');

/** A concrete URL path for a documented endpoint; PATCH goes to a record. */
function concrete(endpoint: RegateEndpoint, method: RegateMethod): string {
  const base = endpoint.replace('{plan_id}', '1');
  return method === 'PATCH' ? `${base}/1` : base;
}

function expectedStatus(endpoint: RegateEndpoint, role: RegateRole, method: RegateMethod): number {
  if (REGATE_MATRIX[endpoint][role].includes(method)) return method === 'POST' ? 201 : 200;
  const someRoleHasIt = REGATE_ROLES.some((r) => REGATE_MATRIX[endpoint][r].includes(method));
  return someRoleHasIt ? 403 : 405;
}

describe('REGATE_MATRIX', () => {
  it.skipIf(!existsSync(SEED))('matches the seed document cell by cell', () => {
    const lines = readFileSync(SEED, 'utf8').split('\n').filter((l) => l.startsWith('| /'));
    expect(lines).toHaveLength(REGATE_ENDPOINTS.length);
    for (const line of lines) {
      const cells = line.split('|').slice(1, -1).map((c) => c.trim());
      const endpoint = cells[0] as RegateEndpoint;
      expect(REGATE_ENDPOINTS).toContain(endpoint);
      REGATE_ROLES.forEach((role, i) => {
        const documented = (cells[i + 1] ?? '').split(',').map((m) => m.trim()).filter(Boolean).sort();
        expect([...REGATE_MATRIX[endpoint][role]].sort(), `${endpoint} × ${role}`).toEqual(documented);
      });
    }
  });

  it('has 11 roles and 9 endpoints', () => {
    expect(REGATE_ROLES).toHaveLength(11);
    expect(Object.keys(REGATE_MATRIX)).toEqual([...REGATE_ENDPOINTS]);
  });
});

describe('Regate emulator: the role × endpoint × method matrix', () => {
  let emu: Emulator<RegateState>;
  const tokenOf = new Map<RegateRole, string>();

  beforeAll(async () => {
    emu = await startRegate();
    for (const role of REGATE_ROLES) tokenOf.set(role, emu.state.addToken({ role }).value);
  });
  afterAll(() => emu.close());

  const cases = REGATE_ENDPOINTS.flatMap((endpoint) =>
    REGATE_ROLES.flatMap((role) => (['GET', 'POST', 'PATCH'] as const).map((method) => ({ endpoint, role, method }))),
  );

  it.each(cases)('$role $method $endpoint', async ({ endpoint, role, method }) => {
    const body = method === 'GET' ? undefined : (REGATE_SAMPLE_BODIES[endpoint] ?? { name: 'x' });
    const res = await call(`${emu.url}${concrete(endpoint, method)}`, { method, bearer: tokenOf.get(role)!, json: body });
    expect(res.status).toBe(expectedStatus(endpoint, role, method));
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  const writeCases = cases.filter((c) => c.method !== 'GET' && expectedStatus(c.endpoint, c.role, c.method) !== 405);
  it.each(writeCases)('$role $method $endpoint with {} → 422 if allowed, else 403', async ({ endpoint, role, method }) => {
    const res = await call(`${emu.url}${concrete(endpoint, method)}`, { method, bearer: tokenOf.get(role)!, json: {} });
    expect(res.status).toBe(REGATE_MATRIX[endpoint][role].includes(method) ? 422 : 403);
  });

  const aliasCases = Object.entries(REGATE_PATH_ALIASES).flatMap(([alias, endpoint]) => REGATE_ROLES.map((role) => ({ alias, endpoint, role })));
  it.each(aliasCases)('$role GET $alias (alias of $endpoint)', async ({ alias, endpoint, role }) => {
    const res = await call(`${emu.url}${alias}`, { bearer: tokenOf.get(role)! });
    expect(res.status).toBe(expectedStatus(endpoint, role, 'GET'));
  });
});

describe('Regate emulator: tokens, bodies and overrides', () => {
  const clock = fakeClock();
  let emu: Emulator<RegateState>;
  beforeAll(async () => {
    emu = await startRegate({ now: clock.now });
  });
  afterAll(() => emu.close());

  it('answers 401 without a token, with an unknown one, or with another scheme', async () => {
    expect((await call(`${emu.url}/customers`)).status).toBe(401);
    expect((await call(`${emu.url}/customers`, { bearer: 'nope' })).status).toBe(401);
    const t = emu.state.addToken({ role: 'CFO' });
    const basic = await call(`${emu.url}/customers`, { headers: { authorization: `Basic ${t.value}` } });
    expect(basic.status).toBe(401);
    expect(basic.body).toMatchObject({ error: 'unauthorized' });
  });

  it('never expires a token', async () => {
    const t = emu.state.addToken({ role: 'CFO' });
    clock.advance(10 * 365 * 86_400_000);
    expect((await call(`${emu.url}/users`, { bearer: t.value })).status).toBe(200);
    expect(emu.state.tokens.get(t.value)?.lastUsedAt).toBe(clock.now());
  });

  it('refuses a revoked token for ever', async () => {
    const t = emu.state.addToken({ role: 'CFO', value: 'rgt_revoke_me' });
    expect((await call(`${emu.url}/users`, { bearer: t.value })).status).toBe(200);
    expect(emu.state.revoke(t.value)).toBe(true);
    expect((await call(`${emu.url}/users`, { bearer: t.value })).status).toBe(401);
    t.revoked = false; // even a hand edit does not bring it back
    expect((await call(`${emu.url}/users`, { bearer: t.value })).status).toBe(401);
    expect(() => emu.state.addToken({ role: 'CFO', value: 'rgt_revoke_me' })).toThrow(/reinstated/);
    expect(emu.state.revoke('unknown')).toBe(false);
  });

  it('answers 400 for a body that is not a JSON object, 422 for a missing field', async () => {
    const t = emu.state.addToken({ role: 'CFO' }).value;
    expect((await call(`${emu.url}/customers`, { method: 'POST', bearer: t, json: 'not json' })).status).toBe(400);
    expect((await call(`${emu.url}/customers`, { method: 'POST', bearer: t, json: [1, 2] })).status).toBe(400);
    expect((await call(`${emu.url}/customers`, { method: 'POST', bearer: t })).status).toBe(400);
    const missing = await call(`${emu.url}/sales_invoices`, { method: 'POST', bearer: t, json: { customer_id: 1 } });
    expect(missing.status).toBe(422);
    expect(missing.body.missing_fields).toEqual(['date']);
  });

  it('creates, lists and patches records', async () => {
    const t = emu.state.addToken({ role: 'CFO' }).value;
    const created = await call(`${emu.url}/customers`, { method: 'POST', bearer: t, json: { name: 'Initech' } });
    expect(created.status).toBe(201);
    const patched = await call(`${emu.url}/customers/${created.body.id}`, { method: 'PATCH', bearer: t, json: { name: 'Initrode' } });
    expect(patched.body).toMatchObject({ id: created.body.id, name: 'Initrode' });
    const list = await call(`${emu.url}/customers`, { bearer: t });
    expect(list.body.items.map((c: { name: string }) => c.name)).toContain('Initrode');
    expect((await call(`${emu.url}/customers/999`, { bearer: t })).status).toBe(404);
    expect((await call(`${emu.url}/customers`, { method: 'PATCH', bearer: t, json: { id: 1, name: 'Acme' } })).status).toBe(200);
    const costCenters = await call(`${emu.url}/analytical_plans/2/cost_centers`, { bearer: t });
    expect(costCenters.body.items).toEqual([{ id: 3, plan_id: 2, name: 'Project Apollo' }]);
  });

  it('answers 404 JSON for an unknown path and 405 for a method no role has', async () => {
    const t = emu.state.addToken({ role: 'CFO' }).value;
    const nf = await call(`${emu.url}/invoices`, { bearer: t });
    expect(nf.status).toBe(404);
    expect(nf.headers.get('content-type')).toMatch(/^application\/json/);
    const del = await call(`${emu.url}/customers/1`, { method: 'DELETE', bearer: t });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, POST, PATCH');
  });

  it('disagrees with the documentation where overrides say so', async () => {
    const treasurer = emu.state.addToken({ role: 'Treasurer' }).value;
    const cfo = emu.state.addToken({ role: 'CFO' }).value;
    expect((await call(`${emu.url}/customers`, { bearer: treasurer })).status).toBe(403);
    emu.state.overrides.push({ role: 'Treasurer', path: '/customers', method: 'GET', allow: true });
    emu.state.overrides.push({ role: 'CFO', path: '/bank_accounts', method: 'GET', allow: false });
    expect((await call(`${emu.url}/customers`, { bearer: treasurer })).status).toBe(200);
    expect((await call(`${emu.url}/bank_accoutns`, { bearer: cfo })).status).toBe(403);
    expect(emu.state.isAllowed('Treasurer', '/customers', 'GET')).toBe(true);
    emu.state.overrides.length = 0;
    expect((await call(`${emu.url}/customers`, { bearer: treasurer })).status).toBe(403);
  });

  it('takes overrides as an option, including a method no role has', async () => {
    const other = await startRegate({
      tokens: [{ role: 'Manager (expenses)', value: 'rgt_mgr' }],
      overrides: [{ role: 'Manager (expenses)', path: '/products', method: 'PATCH', allow: true }],
    });
    try {
      const cfo = other.state.addToken({ role: 'CFO' }).value;
      expect((await call(`${other.url}/products/1`, { method: 'PATCH', bearer: 'rgt_mgr', json: { unit_price: 900 } })).status).toBe(200);
      expect((await call(`${other.url}/products/1`, { method: 'PATCH', bearer: cfo, json: { unit_price: 1 } })).status).toBe(403); // was 405
      expect((await call(`${other.url}/products`, { bearer: 'rgt_mgr' })).status).toBe(403);
    } finally {
      await other.close();
    }
  });

  it('records each request with its Authorization header', async () => {
    emu.state.clearRequests();
    await call(`${emu.url}/user_roles`, { bearer: 'seen-here' });
    const [rec] = emu.state.requests;
    expect(rec).toMatchObject({ method: 'GET', path: '/user_roles', authorization: 'Bearer seen-here', status: 401, server: 'regate' });
  });
});
