import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAll, type AllEmulators, type DemoCredentials, type EmulatorUrls } from './index';
import { startCoolset } from './coolset';
import { startRegate } from './regate';
import { call } from './test-support';

const ROOT = resolve(__dirname, '../..');

function nonLoopbackIPv4(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

function tryConnect(host: string, port: number): Promise<'connected' | 'refused'> {
  return new Promise((done) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      done('connected');
    });
    s.once('error', () => done('refused'));
  });
}

describe('all emulators', () => {
  let all: AllEmulators;
  beforeAll(async () => {
    all = await startAll();
  });
  afterAll(() => all.close());

  const bases = (u: EmulatorUrls) => [u.regate, u.regen, u.strapi, u.coolset, u.built.sandbox, u.built.production];

  it('start on six distinct ports of 127.0.0.1', () => {
    const urls = bases(all.urls);
    for (const u of urls) expect(u).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set(urls).size).toBe(6);
  });

  it.skipIf(nonLoopbackIPv4() === undefined)('listen on nothing but 127.0.0.1', async () => {
    const other = nonLoopbackIPv4()!;
    for (const u of bases(all.urls)) {
      const port = Number(new URL(u).port);
      expect(await tryConnect('127.0.0.1', port)).toBe('connected');
      expect(await tryConnect(other, port)).toBe('refused');
    }
  });

  it('answer 404 as JSON for an unknown path', async () => {
    for (const u of bases(all.urls)) {
      const res = await call(`${u}/no/such/path`);
      expect(res.status, u).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
  });

  it('echo the request, Authorization and X-API-Key included, at /__echo', async () => {
    for (const u of bases(all.urls)) {
      const res = await call(`${u}/__echo/some/path?x=1`, { method: 'POST', bearer: 'secret-value', apiKey: 'rg_key', json: { a: 1 } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        method: 'POST',
        path: '/__echo/some/path',
        query: { x: '1' },
        authorization: 'Bearer secret-value',
        apiKey: 'rg_key',
        body: '{"a":1}',
      });
    }
  });

  it('redirect to another origin at /__redirect, and fetch drops the credential on the way', async () => {
    const target = `${all.urls.coolset}/__echo`;
    const manual = await call(`${all.urls.regate}/__redirect?to=${encodeURIComponent(target)}&status=307`, { redirect: 'manual' });
    expect(manual.status).toBe(307);
    expect(manual.headers.get('location')).toBe(target);

    all.regate.state.clearRequests();
    all.coolset.state.clearRequests();
    const followed = await call(`${all.urls.regate}/__redirect?to=${encodeURIComponent(target)}`, { bearer: 'must-not-leak' });
    expect(followed.status).toBe(200);
    expect(all.regate.state.requests[0]?.authorization).toBe('Bearer must-not-leak');
    expect(all.coolset.state.requests[0]?.authorization).toBeNull();
    expect(all.allRequests().filter((r) => r.authorization?.includes('must-not-leak')).map((r) => r.server)).toEqual(['regate']);

    expect((await call(`${all.urls.regate}/__redirect?to=file:///etc/passwd`)).status).toBe(400);
    expect((await call(`${all.urls.regate}/__redirect?to=${encodeURIComponent(target)}&status=200`)).status).toBe(400);
  });

  it('close, after which nothing answers', async () => {
    const extra = await startAll();
    await extra.close();
    await expect(fetch(`${extra.urls.regate}/user_roles`)).rejects.toThrow();
  });
});

describe('emulator options', () => {
  it('echoAuth adds the credentials to every JSON object body', async () => {
    const emu = await startRegate({ echoAuth: true });
    try {
      const res = await call(`${emu.url}/customers`, { bearer: 'shown-back' });
      expect(res.status).toBe(401);
      expect(res.body.echo).toEqual({ authorization: 'Bearer shown-back', 'x-api-key': null });
      emu.state.echoAuth = false;
      expect((await call(`${emu.url}/customers`, { bearer: 'shown-back' })).body.echo).toBeUndefined();
    } finally {
      await emu.close();
    }
  });

  it('delayMs, state.delayMs and ?__delay= hold answers back', async () => {
    const emu = await startCoolset({ delayMs: 400 });
    try {
      await expect(call(`${emu.url}/api/orders/`, { signal: AbortSignal.timeout(100) })).rejects.toThrow(/abort|timeout/i);
      emu.state.delayMs = 0;
      const t0 = performance.now();
      expect((await call(`${emu.url}/api/orders/`)).status).toBe(401);
      expect(performance.now() - t0).toBeLessThan(300);
      const t1 = performance.now();
      await call(`${emu.url}/api/orders/?__delay=150`);
      expect(performance.now() - t1).toBeGreaterThanOrEqual(140);
    } finally {
      await emu.close();
    }
  });

  it('maxRecorded bounds the request log', async () => {
    const emu = await startRegate({ maxRecorded: 2 });
    const none = await startRegate({ maxRecorded: 0 });
    try {
      for (let i = 0; i < 3; i++) {
        await call(`${emu.url}/users`);
        await call(`${none.url}/users`);
      }
      expect(emu.state.requests.map((r) => r.seq)).toEqual([2, 3]);
      expect(none.state.requests).toHaveLength(0);
    } finally {
      await Promise.all([emu.close(), none.close()]);
    }
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const emu = await startRegate();
    try {
      const res = await call(`${emu.url}/customers`, { method: 'POST', json: 'x'.repeat(1024 * 1024 + 1) });
      expect(res.status).toBe(413);
    } finally {
      await emu.close();
    }
  });

  it('portBase puts the six listeners on consecutive ports', async () => {
    let all: AllEmulators | undefined;
    for (let attempt = 0; attempt < 5 && !all; attempt++) {
      const base = 20_000 + Math.floor(Math.random() * 40_000);
      all = await startAll({ portBase: base }).catch(() => undefined);
      if (all) {
        expect([all.regate, all.regen, all.strapi, all.coolset].map((e) => e.port)).toEqual([base, base + 1, base + 2, base + 3]);
        expect([all.built.sandbox.port, all.built.production.port]).toEqual([base + 4, base + 5]);
      }
    }
    expect(all).toBeDefined();
    await all?.close();
  });
});

describe('start.ts', () => {
  it('prints one JSON line with the URLs and demo credentials, serves them, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'start.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((done, fail) => {
        const rl = createInterface({ input: child.stdout });
        rl.once('line', done);
        child.once('exit', (code) => fail(new Error(`start.ts exited with ${code}`)));
      });
      const out = JSON.parse(line) as EmulatorUrls & { demo: DemoCredentials };
      expect(Object.keys(out)).toEqual(['regate', 'regen', 'strapi', 'coolset', 'built', 'demo']);
      const d = out.demo;
      expect((await call(`${out.regate}/sales_invoices`, { bearer: d.regate.cfo })).status).toBe(200);
      expect((await call(`${out.regate}/sales_invoices`, { bearer: d.regate.revoked })).status).toBe(401);
      expect((await call(`${out.regen}/api/v1/orders`, { apiKey: d.regen.readAll })).status).toBe(200);
      expect((await call(`${out.strapi}/api/articles`, { bearer: d.strapi.readOnly })).status).toBe(200);
      expect((await call(`${out.strapi}/api/articles`, { bearer: d.strapi.expired })).status).toBe(401);
      expect((await call(`${out.coolset}/api/accounts/user-config/`, { bearer: d.coolset.admin })).status).toBe(200);
      expect((await call(`${out.built.sandbox}/api/business`, { bearer: d.built.sandbox })).status).toBe(200);
      expect((await call(`${out.built.production}/api/business`, { bearer: d.built.sandbox })).status).toBe(401);
    } finally {
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('rejects an unknown argument with exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'start.ts'), '--bogus'], { cwd: ROOT, stdio: 'ignore' });
    expect(await new Promise((done) => child.once('exit', done))).toBe(2);
  });
});
