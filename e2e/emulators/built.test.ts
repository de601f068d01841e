import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_401, startBuilt, type BuiltEmulator } from './built';
import { call } from './test-support';

let emu: BuiltEmulator;
let sandboxToken: string;
let productionToken: string;

beforeAll(async () => {
  emu = await startBuilt();
  sandboxToken = emu.state.addToken({ env: 'sandbox' }).value;
  productionToken = emu.state.addToken({ env: 'production' }).value;
});
afterAll(() => emu.close());

describe('Built Accounting emulator', () => {
  it('runs sandbox and production as two listeners', () => {
    expect(emu.sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.production.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.sandbox.port).not.toBe(emu.production.port);
    expect(emu.url).toBe(emu.sandbox.url);
  });

  it('answers 401 without a token or with an unknown one, on both', async () => {
    for (const base of [emu.sandbox.url, emu.production.url]) {
      for (const init of [{}, { bearer: 'unknown' }]) {
        const res = await call(`${base}/api/invoices`, init);
        expect(res.status).toBe(401);
        expect(res.body).toEqual(BUILT_401);
      }
    }
  });

  it('keeps environments apart: each token works only where it was made', async () => {
    expect((await call(`${emu.sandbox.url}/api/invoices`, { bearer: sandboxToken })).status).toBe(200);
    expect((await call(`${emu.production.url}/api/invoices`, { bearer: sandboxToken })).status).toBe(401);
    expect((await call(`${emu.production.url}/api/invoices`, { bearer: productionToken })).status).toBe(200);
    expect((await call(`${emu.sandbox.url}/api/invoices`, { bearer: productionToken })).status).toBe(401);
  });

  it('records which environment received each request', async () => {
    emu.state.clearRequests();
    await call(`${emu.production.url}/api/business`, { bearer: sandboxToken });
    const [rec] = emu.state.requests;
    expect(rec).toMatchObject({ server: 'production', authorization: `Bearer ${sandboxToken}`, status: 401 });
    expect(emu.state.requests.filter((r) => r.server === 'sandbox')).toHaveLength(0);
  });

  it('scopes a token to its business: identity and invoices', async () => {
    const other = emu.state.addToken({ env: 'sandbox', businessId: 2 }).value;
    const me = await call(`${emu.sandbox.url}/api/business`, { bearer: sandboxToken });
    expect(me.body.data).toMatchObject({ id: 1, name: 'Kofi Furniture Ltd' });
    expect((await call(`${emu.sandbox.url}/api/business`, { bearer: other })).body.data).toMatchObject({ id: 2, name: 'Ama Catering' });
    const mine = await call(`${emu.sandbox.url}/api/invoices`, { bearer: sandboxToken });
    expect(mine.body.data.map((i: { id: number }) => i.id)).toEqual([1, 2]);
    expect((await call(`${emu.sandbox.url}/api/invoices/1`, { bearer: sandboxToken })).status).toBe(200);
    expect((await call(`${emu.sandbox.url}/api/invoices/3`, { bearer: sandboxToken })).status).toBe(404);
    expect((await call(`${emu.sandbox.url}/api/invoices/3`, { bearer: other })).status).toBe(200);
  });

  it('answers 404 JSON for unknown paths, 405 for writes, 401 for a revoked token', async () => {
    const nf = await call(`${emu.sandbox.url}/api/nothing`, { bearer: sandboxToken });
    expect(nf.status).toBe(404);
    expect(nf.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await call(`${emu.sandbox.url}/api/invoices`, { method: 'POST', bearer: sandboxToken, json: {} })).status).toBe(405);
    const t = emu.state.addToken({ env: 'sandbox' }).value;
    emu.state.revoke(t);
    expect((await call(`${emu.sandbox.url}/api/business`, { bearer: t })).status).toBe(401);
  });
});
