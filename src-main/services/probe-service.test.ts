import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAll, type AllEmulators } from '../../e2e/emulators';
import { getBuiltinProvider } from '../../src-shared/providers';
import type { Environment } from '../../src-shared/domain/types';
import { MemoryKeyStore } from '../vault/keychain';
import { openTempVault, type TempVault } from '../vault/test-support';
import { createAppServices, type AppServices } from './app-services';
import { PROBE_CONCURRENCY, ProbeService } from './probe-service';

// Probes against emulators that disagree with the documents in chosen cells:
// the probe must find exactly those cells, and nothing else.
let clock = Date.UTC(2026, 10, 23, 9, 0, 0);
const now = () => clock;
// The probe's waits advance the shared clock instead of the wall clock. Two
// workers sleeping at once overlap in time, as real sleeps do: the clock moves
// to the later wake-up, not by the sum.
const sleep = async (ms: number) => {
  const wake = clock + ms;
  await Promise.resolve();
  clock = Math.max(clock, wake);
};
let emu: AllEmulators;
let t: TempVault;
let s: AppServices;
let probes: ProbeService;

beforeAll(async () => {
  emu = await startAll({ now });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  t?.cleanup();
  s?.close();
  t = openTempVault();
  t.vault.close();
  s = createAppServices({ home: t.home, keyStore: new MemoryKeyStore(), shell: 'browser', now });
  await s.vault.init({ keySource: 'keychain' });
  probes = new ProbeService(s.vault, s.requests, s.events, now, sleep);
  emu.regate.state.overrides.length = 0;
});

function env(providerId: string, url: string, production = false): Environment {
  const { workspace } = s.catalog.addWorkspace({ name: `${providerId} ws`, providerId });
  for (const e of s.vault.listEnvironments(workspace.id)) s.vault.removeEnvironment((e as Environment).id);
  return s.vault.addEnvironment({ workspaceId: workspace.id, name: production ? 'live' : 'sandbox', baseUrl: url, production });
}

describe('permission probes', () => {
  it('finds exactly the cells where the Regate API disagrees with its documented matrix', async () => {
    emu.regate.state.overrides.push(
      { role: 'Treasurer', path: '/customers', method: 'GET', allow: true },
      { role: 'Treasurer', path: '/users', method: 'GET', allow: false },
    );
    const e = env('regate', emu.urls.regate);
    const value = emu.regate.state.addToken({ role: 'Treasurer' }).value;
    const c = s.catalog.addCredential({ environmentId: e.id, name: 'treasury', kind: 'bearer', role: 'Treasurer', secret: { value } });
    const plan = probes.plan(c.id);
    expect(plan.notes.join(' ')).toMatch(/Write endpoints are skipped/);
    const run = probes.start(c.id);
    const report = await run.done;
    expect(report.complete).toBe(true);
    const mismatches = report.cells.filter((x) => x.mismatch).map((x) => `${x.method} ${x.endpoint} documented ${x.documented}, observed ${x.observed}`);
    expect(mismatches.sort()).toEqual(['GET /customers documented denied, observed allowed', 'GET /users documented allowed, observed denied']);
    // Writes are never sent without a non-mutating probe request.
    expect(report.cells.filter((x) => x.write).every((x) => x.observed === 'skipped')).toBe(true);
    expect(emu.regate.state.requests.filter((r) => r.method !== 'GET' && r.authorization === `Bearer ${value}`)).toHaveLength(0);
    // Kept with the credential.
    expect(probes.report(c.id)!.cells).toHaveLength(report.cells.length);
  });

  it("probes writes only with the provider's declared non-mutating request", async () => {
    const def = structuredClone(getBuiltinProvider('regate')!) as unknown as Record<string, unknown>;
    def.id = 'regate-probing';
    def.name = 'Regate (probe-enabled)';
    def.probe = { writes: { body: {}, allowedStatuses: [400, 422], deniedStatuses: [403], note: 'The emulator checks the role before the body.' } };
    s.providers.add(JSON.stringify(def));
    emu.regate.state.overrides.push({ role: 'Manager (invoices)', path: '/sales_invoices', method: 'POST', allow: false });
    const e = env('regate-probing', emu.urls.regate);
    const value = emu.regate.state.addToken({ role: 'Manager (invoices)' }).value;
    const c = s.catalog.addCredential({ environmentId: e.id, name: 'manager', kind: 'bearer', role: 'Manager (invoices)', secret: { value } });
    const before = emu.regate.state.records;
    const report = await probes.start(c.id).done;
    const writes = report.cells.filter((x) => x.write);
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((x) => x.observed === 'allowed' || x.observed === 'denied')).toBe(true);
    expect(report.cells.filter((x) => x.mismatch).map((x) => `${x.method} ${x.endpoint}`)).toEqual(['POST /sales_invoices']);
    expect(emu.regate.state.records).toEqual(before);
  });

  it('needs the production environment named, and skips writes there unless armed', async () => {
    const e = env('regate', emu.urls.regate, true);
    const value = emu.regate.state.addToken({ role: 'CFO' }).value;
    const c = s.catalog.addCredential({ environmentId: e.id, name: 'cfo', kind: 'bearer', role: 'CFO', secret: { value } });
    expect(() => probes.start(c.id)).toThrow(/Type the environment name \(live\)/);
    expect(() => probes.start(c.id, { confirmEnvironment: 'production' })).toThrow();
    const report = await probes.start(c.id, { confirmEnvironment: 'live' }).done;
    expect(report.complete).toBe(true);
    expect(report.cells.some((x) => x.observed === 'allowed')).toBe(true);
  });

  it('never exceeds the documented burst (Regen: 10 a minute), and is resumable after a cancel', async () => {
    emu.regen.state.resetRateLimits();
    const e = env('regen-therapy', emu.urls.regen);
    const key = emu.regen.state.addApiKey({ scopes: ['read:*'] }).value;
    const c = s.catalog.addCredential({ environmentId: e.id, name: 'reader', kind: 'api_key', headerName: 'X-API-Key', scopes: ['read:*'], secret: { value: key } });
    const total = probes.plan(c.id).cells.length;
    const first = probes.start(c.id);
    const progress: number[] = [];
    const off = s.events.subscribe((name, p) => {
      if (name === 'probes:progress') {
        progress.push((p as { done: number }).done);
        if (progress.length === 3) probes.cancel(first.runId);
      }
    });
    const partial = await first.done;
    off();
    expect(partial.cancelled).toBe(true);
    expect(partial.complete).toBe(false);
    const sentFirst = emu.regen.state.requests.filter((r) => r.apiKey === key).length;
    const resumed = await probes.start(c.id, { resume: true }).done;
    expect(resumed.complete).toBe(true);
    const sent = emu.regen.state.requests.filter((r) => r.apiKey === key);
    // Resuming sends only what was not answered yet (reads; writes are skipped);
    // a call in flight when the cancel came is sent again, its answer was dropped.
    const reads = resumed.cells.filter((x) => !x.write).length;
    expect(sent.length).toBeGreaterThanOrEqual(reads);
    expect(sent.length).toBeLessThanOrEqual(reads + PROBE_CONCURRENCY);
    expect(sentFirst).toBeLessThan(reads);
    expect(total).toBe(resumed.cells.length);
    // No 60-second window ever holds more than 10 of this key's requests.
    for (const r of sent) expect(sent.filter((x) => x.at >= r.at && x.at < r.at + 60_000).length).toBeLessThanOrEqual(10);
    expect(sent.every((r) => r.status !== 429)).toBe(true);
    expect(resumed.cells.filter((x) => x.mismatch)).toEqual([]);
  });
});

describe('probe pacing', () => {
  it('spaces calls to stay inside the tightest documented window', async () => {
    emu.regen.state.resetRateLimits();
    const def = structuredClone(getBuiltinProvider('regen-therapy')!) as unknown as { id: string; name: string; rateLimits: { tiers: { name: string; limit: number; windowSeconds: number; appliesTo: string }[] } };
    def.id = 'regen-tight';
    def.name = 'Regen (3 a minute)';
    def.rateLimits.tiers = [{ name: 'Burst', limit: 3, windowSeconds: 60, appliesTo: 'all' }];
    s.providers.add(JSON.stringify(def));
    // One worker, so the fake clock cannot jump while a call is in flight.
    const serial = new ProbeService(s.vault, s.requests, s.events, now, sleep, 1);
    const e = env('regen-tight', emu.urls.regen);
    const key = emu.regen.state.addApiKey({ scopes: ['read:*'] }).value;
    const c = s.catalog.addCredential({ environmentId: e.id, name: 'reader', kind: 'api_key', headerName: 'X-API-Key', scopes: ['read:*'], secret: { value: key } });
    const started = clock;
    const report = await serial.start(c.id).done;
    const sent = emu.regen.state.requests.filter((r) => r.apiKey === key);
    expect(sent.length).toBe(report.cells.filter((x) => !x.write).length);
    expect(sent.length).toBeGreaterThan(3);
    for (const r of sent) expect(sent.filter((x) => x.at >= r.at && x.at < r.at + 60_000).length).toBeLessThanOrEqual(3);
    // 7 calls at 3 a minute take at least two full windows.
    expect(clock - started).toBeGreaterThanOrEqual(120_000);
    expect(sent.every((r) => r.status !== 429)).toBe(true);
  });
});
