import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from './http-util';
import { startStrapi, type StrapiState } from './strapi';
import { STRAPI_DAY_MS, STRAPI_LIFESPANS, strapiActionUid, type StrapiContentAction } from './strapi-tokens';
import { call, fakeClock, type FakeClock } from './test-support';

let clock: FakeClock;
let emu: Emulator<StrapiState>;

beforeEach(async () => {
  clock = fakeClock();
  emu = await startStrapi({ now: clock.now });
});
afterEach(() => emu.close());

const UNAUTHORIZED = { data: null, error: { status: 401, name: 'UnauthorizedError', message: 'Missing or invalid credentials', details: {} } };
const FORBIDDEN = { data: null, error: { status: 403, name: 'ForbiddenError', message: 'Forbidden', details: {} } };

/** Runs one content-API action on articles and returns the status. */
async function act(key: string | undefined, action: StrapiContentAction, plural = 'articles'): Promise<number> {
  const url = `${emu.url}/api/${plural}`;
  const init = key === undefined ? {} : { bearer: key };
  switch (action) {
    case 'find':
      return (await call(url, init)).status;
    case 'findOne':
      return (await call(`${url}/1`, init)).status;
    case 'create':
      return (await call(url, { ...init, method: 'POST', json: { data: { title: 'New' } } })).status;
    case 'update':
      return (await call(`${url}/2`, { ...init, method: 'PUT', json: { data: { title: 'Changed' } } })).status;
    case 'delete':
      return (await call(`${url}/1`, { ...init, method: 'DELETE' })).status;
  }
}

describe('Strapi emulator: content API and token types', () => {
  it('answers 401 with Strapi’s body without a token or with an unknown one', async () => {
    const none = await call(`${emu.url}/api/articles`);
    expect(none.status).toBe(401);
    expect(none.body).toEqual(UNAUTHORIZED);
    expect((await call(`${emu.url}/api/articles`, { bearer: 'unknown' })).body).toEqual(UNAUTHORIZED);
  });

  it('lets a read-only token find and findOne, and nothing else', async () => {
    const k = emu.state.addToken({ type: 'read-only' }).accessKey;
    expect(await act(k, 'find')).toBe(200);
    expect(await act(k, 'findOne')).toBe(200);
    for (const a of ['create', 'update', 'delete'] as const) expect(await act(k, a)).toBe(403);
    const denied = await call(`${emu.url}/api/articles`, { method: 'POST', bearer: k, json: { data: {} } });
    expect(denied.body).toEqual(FORBIDDEN);
  });

  it('lets a full-access token do everything (v5 statuses)', async () => {
    const k = emu.state.addToken({ type: 'full-access' }).accessKey;
    expect(await act(k, 'find')).toBe(200);
    expect(await act(k, 'findOne')).toBe(200);
    expect(await act(k, 'create')).toBe(201);
    expect(await act(k, 'update')).toBe(200);
    expect(await act(k, 'delete')).toBe(204);
    expect(await act(k, 'findOne')).toBe(404);
  });

  it('lets a custom token do exactly its actions, per content type', async () => {
    const k = emu.state.addToken({
      type: 'custom',
      permissions: [strapiActionUid('article', 'find'), strapiActionUid('article', 'create'), strapiActionUid('category', 'findOne')],
    }).accessKey;
    expect(await act(k, 'find')).toBe(200);
    expect(await act(k, 'create')).toBe(201);
    expect(await act(k, 'findOne')).toBe(403);
    expect(await act(k, 'update')).toBe(403);
    expect(await act(k, 'delete')).toBe(403);
    expect(await act(k, 'find', 'categories')).toBe(403);
    expect(await act(k, 'findOne', 'categories')).toBe(200);
  });

  it('answers find and findOne in Strapi v5 shapes, by id or documentId', async () => {
    const k = emu.state.addToken({ type: 'read-only' }).accessKey;
    const list = await call(`${emu.url}/api/articles`, { bearer: k });
    expect(list.body.meta.pagination).toEqual({ page: 1, pageSize: 25, pageCount: 1, total: 2 });
    const first = list.body.data[0];
    expect(first).toMatchObject({ id: 1, documentId: expect.any(String), title: 'article 1' });
    expect((await call(`${emu.url}/api/articles/${first.documentId}`, { bearer: k })).body).toEqual({ data: first, meta: {} });
  });

  it('answers 400 without a data payload, 404 for unknown types, 405 for other methods', async () => {
    const k = emu.state.addToken({ type: 'full-access' }).accessKey;
    const bad = await call(`${emu.url}/api/articles`, { method: 'POST', bearer: k, json: { title: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ name: 'ValidationError', message: 'Missing "data" payload in the request body' });
    const nf = await call(`${emu.url}/api/unknowns`, { bearer: k });
    expect(nf.body).toEqual({ data: null, error: { status: 404, name: 'NotFoundError', message: 'Not Found', details: {} } });
    expect((await call(`${emu.url}/api/articles`, { method: 'DELETE', bearer: k })).status).toBe(405);
  });

  it('updates lastUsedAt on use', async () => {
    const t = emu.state.addToken({ type: 'read-only' });
    clock.advance(5_000);
    await act(t.accessKey, 'find');
    expect(t.lastUsedAt).toBe(clock.now());
  });
});

describe('Strapi emulator: token durations', () => {
  const durations = [
    { label: '7 days', lifespan: STRAPI_LIFESPANS.DAYS_7, days: 7 },
    { label: '30 days', lifespan: STRAPI_LIFESPANS.DAYS_30, days: 30 },
    { label: '90 days', lifespan: STRAPI_LIFESPANS.DAYS_90, days: 90 },
  ];

  it.each(durations)('accepts a $label token until it expires, then answers 401 "Token expired"', async ({ lifespan, days }) => {
    const t = emu.state.addToken({ type: 'read-only', lifespan });
    expect(t.expiresAt).toBe(clock.now() + days * STRAPI_DAY_MS);
    clock.advance(days * STRAPI_DAY_MS - 1);
    expect(await act(t.accessKey, 'find')).toBe(200);
    clock.advance(2);
    const res = await call(`${emu.url}/api/articles`, { bearer: t.accessKey });
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ status: 401, name: 'UnauthorizedError', message: 'Token expired', details: {} });
  });

  it('never expires an unlimited token', async () => {
    const t = emu.state.addToken({ type: 'read-only', lifespan: null });
    expect(t.expiresAt).toBeNull();
    clock.advance(10 * 365 * STRAPI_DAY_MS);
    expect(await act(t.accessKey, 'find')).toBe(200);
  });

  it('refuses a lifespan Strapi does not offer', () => {
    expect(() => emu.state.addToken({ type: 'read-only', lifespan: 5 * STRAPI_DAY_MS })).toThrow(/lifespan/);
  });
});

describe('Strapi emulator: Admin API', () => {
  const adminLogin = async () => {
    const res = await call(`${emu.url}/admin/login`, { method: 'POST', json: { email: 'admin@example.com', password: 'Admin123!' } });
    return res.body.data.token as string;
  };
  const create = (jwt: string, body: unknown) => call(`${emu.url}/admin/api-tokens`, { method: 'POST', bearer: jwt, json: body });

  it('logs an admin in and refuses wrong credentials', async () => {
    const ok = await call(`${emu.url}/admin/login`, { method: 'POST', json: { email: 'admin@example.com', password: 'Admin123!' } });
    expect(ok.status).toBe(200);
    expect(ok.body.data.token).toMatch(/^eyJ/);
    expect(ok.body.data.user).toMatchObject({ id: 1, email: 'admin@example.com', firstname: 'Ada' });
    expect(ok.body.data.user.password).toBeUndefined();
    const bad = await call(`${emu.url}/admin/login`, { method: 'POST', json: { email: 'admin@example.com', password: 'no' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ name: 'ApplicationError', message: 'Invalid credentials' });
  });

  it('refuses the token routes without a valid admin JWT, and after 30 days', async () => {
    expect((await call(`${emu.url}/admin/api-tokens`)).body).toEqual(UNAUTHORIZED);
    const readOnly = emu.state.addToken({ type: 'full-access' }).accessKey;
    expect((await call(`${emu.url}/admin/api-tokens`, { bearer: readOnly })).status).toBe(401); // an API token is not an admin session
    const jwt = await adminLogin();
    expect((await call(`${emu.url}/admin/api-tokens`, { bearer: jwt })).status).toBe(200);
    clock.advance(30 * STRAPI_DAY_MS);
    expect((await call(`${emu.url}/admin/api-tokens`, { bearer: jwt })).status).toBe(401);
  });

  it('creates, lists, reads, uses, regenerates and deletes a token', async () => {
    const jwt = await adminLogin();
    const created = await create(jwt, { name: 'CI', description: 'build bot', type: 'read-only', lifespan: STRAPI_LIFESPANS.DAYS_30 });
    expect(created.status).toBe(201);
    const t = created.body.data;
    expect(t).toMatchObject({
      name: 'CI',
      description: 'build bot',
      type: 'read-only',
      lifespan: STRAPI_LIFESPANS.DAYS_30,
      expiresAt: new Date(clock.now() + 30 * STRAPI_DAY_MS).toISOString(),
      lastUsedAt: null,
      createdAt: new Date(clock.now()).toISOString(),
      permissions: [],
    });
    expect(t.accessKey).toMatch(/^[0-9a-f]{256}$/);

    clock.advance(60_000);
    expect(await act(t.accessKey, 'find')).toBe(200);

    const list = await call(`${emu.url}/admin/api-tokens`, { bearer: jwt });
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ id: t.id, name: 'CI', lastUsedAt: new Date(clock.now()).toISOString() });
    expect(list.body.data[0].accessKey).toBeUndefined();
    expect(Object.keys(list.body.data[0]).sort()).toEqual(
      ['id', 'name', 'description', 'type', 'lifespan', 'expiresAt', 'lastUsedAt', 'createdAt', 'updatedAt'].sort(),
    );
    const one = await call(`${emu.url}/admin/api-tokens/${t.id}`, { bearer: jwt });
    expect(one.body.data.accessKey).toBeUndefined();
    expect(one.body.data.name).toBe('CI');

    const regen = await call(`${emu.url}/admin/api-tokens/${t.id}/regenerate`, { method: 'POST', bearer: jwt });
    expect(regen.status).toBe(201);
    expect(regen.body.data.id).toBe(t.id);
    expect(regen.body.data.accessKey).not.toBe(t.accessKey);
    expect(await act(t.accessKey, 'find')).toBe(401);
    expect(await act(regen.body.data.accessKey, 'find')).toBe(200);

    const del = await call(`${emu.url}/admin/api-tokens/${t.id}`, { method: 'DELETE', bearer: jwt });
    expect(del.status).toBe(200);
    expect(del.body.data.id).toBe(t.id);
    expect(await act(regen.body.data.accessKey, 'find')).toBe(401);
    expect((await call(`${emu.url}/admin/api-tokens/${t.id}`, { bearer: jwt })).body.error).toMatchObject({
      status: 404,
      name: 'NotFoundError',
      message: 'API Token not found',
    });
    expect((await call(`${emu.url}/admin/api-tokens/${t.id}/regenerate`, { method: 'POST', bearer: jwt })).status).toBe(404);
  });

  it('creates custom and unlimited tokens, and updates them', async () => {
    const jwt = await adminLogin();
    const custom = (await create(jwt, { name: 'Reader', type: 'custom', permissions: [strapiActionUid('article', 'find')], lifespan: null }))
      .body.data;
    expect(custom.expiresAt).toBeNull();
    expect(await act(custom.accessKey, 'find')).toBe(200);
    expect(await act(custom.accessKey, 'findOne')).toBe(403);
    const updated = await call(`${emu.url}/admin/api-tokens/${custom.id}`, {
      method: 'PUT',
      bearer: jwt,
      json: { permissions: [strapiActionUid('article', 'find'), strapiActionUid('article', 'findOne')] },
    });
    expect(updated.body.data.permissions).toHaveLength(2);
    expect(await act(custom.accessKey, 'findOne')).toBe(200);
    const full = await call(`${emu.url}/admin/api-tokens/${custom.id}`, { method: 'PUT', bearer: jwt, json: { type: 'full-access' } });
    expect(full.body.data).toMatchObject({ type: 'full-access', permissions: [] });
    const renamed = await call(`${emu.url}/admin/api-tokens/${custom.id}`, {
      method: 'PUT',
      bearer: jwt,
      json: { name: 'Renamed', lifespan: STRAPI_LIFESPANS.DAYS_7 },
    });
    expect(renamed.body.data).toMatchObject({ name: 'Renamed', lifespan: null, expiresAt: null }); // lifespan is not updatable
  });

  it('validates bodies like Strapi', async () => {
    const jwt = await adminLogin();
    const cases: Array<[unknown, string]> = [
      [{ type: 'read-only' }, 'name is a required field'],
      [{ name: 'x', type: 'admin' }, 'type must be one of the following values: read-only, full-access, custom'],
      [{ name: 'x', type: 'read-only', lifespan: 123 }, 'lifespan must be one of the following values'],
      [{ name: 'x', type: 'custom' }, 'Missing permissions attribute for custom token'],
      [{ name: 'x', type: 'read-only', permissions: ['api::article.article.find'] }, 'Non-custom tokens should not reference permissions'],
    ];
    for (const [body, message] of cases) {
      const res = await create(jwt, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.name).toBe('ValidationError');
      expect(res.body.error.message).toContain(message);
    }
    expect((await create(jwt, { name: 'dup', type: 'read-only' })).status).toBe(201);
    const dup = await create(jwt, { name: 'dup', type: 'read-only' });
    expect(dup.body.error).toMatchObject({ status: 400, name: 'ApplicationError', message: 'Name already taken' });
  });

  it('hands tests an admin JWT through state.adminJwt', async () => {
    expect((await call(`${emu.url}/admin/api-tokens`, { bearer: emu.state.adminJwt() })).status).toBe(200);
  });
});
