import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COOLSET_401, COOLSET_403, startCoolset, type CoolsetScope, type CoolsetState } from './coolset';
import type { Emulator } from './http-util';
import { call } from './test-support';

let emu: Emulator<CoolsetState>;
const tokenOf = new Map<CoolsetScope, string>();

beforeAll(async () => {
  emu = await startCoolset();
  for (const scope of ['Read', 'Write', 'Admin'] as const) tokenOf.set(scope, emu.state.addToken({ scope }).value);
});
afterAll(() => emu.close());

describe('Coolset emulator', () => {
  it('answers the seed’s exact 401 body without a token, with an unknown one, and with another scheme', async () => {
    for (const init of [{}, { bearer: 'sk_live_unknown' }, { headers: { authorization: `Token ${tokenOf.get('Read')}` } }]) {
      const res = await call(`${emu.url}/api/orders/`, init);
      expect(res.status).toBe(401);
      expect(res.text).toBe('{"detail":"Authentication credentials were not provided."}');
      expect(res.body).toEqual(COOLSET_401);
    }
  });

  it('answers the seed’s exact 403 body when the scope is too low', async () => {
    const res = await call(`${emu.url}/api/orders/`, { method: 'POST', bearer: tokenOf.get('Read')!, json: { reference: 'PO-9' } });
    expect(res.status).toBe(403);
    expect(res.text).toBe('{"detail":"You do not have permission to perform this action."}');
    expect(res.body).toEqual(COOLSET_403);
  });

  const matrix: Array<{ method: string; path: string; body?: unknown; Read: number; Write: number; Admin: number }> = [
    { method: 'GET', path: '/api/accounts/user-config/', Read: 200, Write: 200, Admin: 200 },
    { method: 'GET', path: '/api/accounts/workspaces/', Read: 200, Write: 200, Admin: 200 },
    { method: 'GET', path: '/api/orders/', Read: 200, Write: 200, Admin: 200 },
    { method: 'POST', path: '/api/orders/', body: { reference: 'PO-1' }, Read: 403, Write: 201, Admin: 201 },
    { method: 'GET', path: '/api/orders/1/', Read: 200, Write: 200, Admin: 200 },
    { method: 'PATCH', path: '/api/orders/1/', body: { supplier: 'Paper Co.' }, Read: 403, Write: 200, Admin: 200 },
    { method: 'GET', path: '/api/accounts/users/', Read: 403, Write: 403, Admin: 200 },
    { method: 'POST', path: '/api/accounts/users/', body: { email: 'dwight@example.com' }, Read: 403, Write: 403, Admin: 201 },
  ];
  const cases = matrix.flatMap((row) => (['Read', 'Write', 'Admin'] as const).map((scope) => ({ ...row, scope, status: row[scope] })));

  it.each(cases)('$scope $method $path → $status', async ({ method, path, body, scope, status }) => {
    const res = await call(`${emu.url}${path}`, { method, bearer: tokenOf.get(scope)!, json: body });
    expect(res.status).toBe(status);
  });

  it('tells who the token belongs to: user and company', async () => {
    const stamford = emu.state.addToken({ scope: 'Read', companyId: 2, userId: 2 }).value;
    const me = await call(`${emu.url}/api/accounts/user-config/`, { bearer: stamford });
    expect(me.body).toEqual({
      user: { id: 2, email: 'jim.halpert@example.com', first_name: 'Jim', last_name: 'Halpert' },
      company: { id: 2, name: 'Dunder Mifflin Stamford' },
      permission: 'Read',
    });
    const ws = await call(`${emu.url}/api/accounts/workspaces/`, { bearer: tokenOf.get('Read')! });
    expect(ws.body).toMatchObject({ count: 2, next: null, previous: null });
    expect(ws.body.results).toEqual([
      { id: 1, name: 'Dunder Mifflin Scranton', is_current: true },
      { id: 2, name: 'Dunder Mifflin Stamford', is_current: false },
    ]);
  });

  it('keeps each company’s orders to its own tokens', async () => {
    const stamford = emu.state.addToken({ scope: 'Write', companyId: 2, userId: 2 }).value;
    const theirs = await call(`${emu.url}/api/orders/`, { bearer: stamford });
    expect(theirs.body.results.every((o: { company_id: number }) => o.company_id === 2)).toBe(true);
    expect((await call(`${emu.url}/api/orders/1/`, { bearer: stamford })).body).toEqual({ detail: 'Not found.' });
  });

  it('refuses a revoked token at once', async () => {
    const t = emu.state.addToken({ scope: 'Admin' }).value;
    expect((await call(`${emu.url}/api/accounts/user-config/`, { bearer: t })).status).toBe(200);
    expect(emu.state.revoke(t)).toBe(true);
    const res = await call(`${emu.url}/api/accounts/user-config/`, { bearer: t });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(COOLSET_401);
  });

  it('answers DRF-style 400, 404 and 405, and serves paths with or without the trailing slash', async () => {
    const w = tokenOf.get('Write')!;
    const bad = await call(`${emu.url}/api/orders/`, { method: 'POST', bearer: w, json: {} });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ reference: ['This field is required.'] });
    expect((await call(`${emu.url}/api/nothing/`, { bearer: w })).body).toEqual({ detail: 'Not found.' });
    const del = await call(`${emu.url}/api/orders/`, { method: 'DELETE', bearer: w });
    expect(del.status).toBe(405);
    expect(del.body).toEqual({ detail: 'Method "DELETE" not allowed.' });
    expect((await call(`${emu.url}/api/orders`, { bearer: w })).status).toBe(200);
    expect((await call(`${emu.url}/api/toString`, { bearer: w })).status).toBe(404);
  });

  it('records the Authorization header and last use', async () => {
    const t = emu.state.tokens.get(tokenOf.get('Read')!)!;
    await call(`${emu.url}/api/orders/`, { bearer: t.value });
    expect(emu.state.requests.at(-1)?.authorization).toBe(`Bearer ${t.value}`);
    expect(t.lastUsedAt).not.toBeNull();
  });
});
