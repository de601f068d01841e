import ICAL from 'ical.js';
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventMap } from '../../src-shared/ipc/contract';
import { addCalendarDays } from '../../src-shared/expiry/calendar';
import { createAppServices, type AppServices } from '../services/app-services';
import { MemoryKeyStore } from '../vault/keychain';
import { tempHome } from '../vault/test-support';
import { dispatch } from './dispatch';
import { createHandlers, type Handlers } from './handlers';

const AMS = 'Europe/Amsterdam';
const start = Date.parse('2025-03-04T10:00:00+01:00');
let clock = start;
let home: string;
let services: AppServices;
let handlers: Handlers;
let reminders: EventMap['reminders:due'][];
let ids: { acme: string; prod: string; orders: string; coolset: string };

beforeEach(async () => {
  clock = start;
  home = tempHome();
  services = createAppServices({
    home,
    keyStore: new MemoryKeyStore(),
    shell: 'browser',
    now: () => clock,
    timeZone: () => AMS,
    locale: 'en-GB',
    // No providerRotationDays: the advice comes from the provider definitions (Coolset: 90 days).
  });
  services.reminders.stop(); // ticked by hand below
  handlers = createHandlers(services);
  reminders = [];
  services.events.subscribe((event, payload) => {
    if (event === 'reminders:due') reminders.push(payload as EventMap['reminders:due']);
  });
  const v = services.vault;
  await v.init({ keySource: 'keychain' });
  const acme = v.addWorkspace({ name: 'Acme', providerId: 'regen-therapy' }).id;
  const cool = v.addWorkspace({ name: 'Cool Co', providerId: 'coolset' }).id;
  const prod = v.addEnvironment({ workspaceId: acme, name: 'production', baseUrl: 'https://api.example.com', production: true }).id;
  const coolEnv = v.addEnvironment({ workspaceId: cool, name: 'production', baseUrl: 'https://developers.coolset.com' }).id;
  const orders = v.addCredential({ environmentId: prod, name: 'orders', kind: 'api_key', headerName: 'X-API-Key', secret: { value: 'rg_live_0123456789abcdef' }, expiresAt: addCalendarDays(start, 3, AMS) }).id;
  const coolset = v.addCredential({ environmentId: coolEnv, name: 'integration', kind: 'bearer', secret: { value: 'sk_live_1234567890abcdef' } }).id;
  ids = { acme, prod, orders, coolset };
});

afterEach(() => {
  services.close();
  rmSync(home, { recursive: true, force: true });
});

async function call(channel: string, input: unknown) {
  return dispatch(handlers, channel, input);
}

describe('due channels', () => {
  it('due:list answers the CLI rows plus ids and the production flag, with the provider advice applied', async () => {
    const r = await call('due:list', { withinDays: 120 });
    expect(r.ok).toBe(true);
    const rows = (r as { value: Record<string, unknown>[] }).value;
    expect(rows.map((x) => [x.ref, x.kind, x.daysLeft, x.status, x.production])).toEqual([
      ['Acme/production/orders', 'expiry', 3, 'due_soon', true],
      // Coolset advises rotation every 90 days; the token has no period of its own.
      ['Cool Co/production/integration', 'rotation', 90, 'ok', false],
    ]);
    expect(rows[0]).toMatchObject({ workspaceId: ids.acme, environmentId: ids.prod, id: ids.orders });
    expect((await call('due:list', {})) as { value: unknown[] }).toMatchObject({ value: [expect.objectContaining({ id: ids.orders })] });
    expect(await call('due:list', { withinDays: 120, providerId: 'coolset', kind: 'rotation' })).toMatchObject({ ok: true, value: [expect.objectContaining({ id: ids.coolset })] });
  });

  it('due:list refuses bad filters and a locked vault with typed errors', async () => {
    expect(await call('due:list', { withinDays: -1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call('due:list', { kind: 'birthday' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call('due:list', { workspaceId: 'ws_00000000000000000000' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('due:list', { extra: true })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    services.vault.lock();
    expect(await call('due:list', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
  });

  it('due:counts works while locked, for badges, and is not user activity', async () => {
    services.vault.lock();
    expect(await call('due:counts', {})).toEqual({ ok: true, value: { [ids.acme]: 1 } });
    let active = 0;
    await dispatch(handlers, 'due:counts', {}, () => active++);
    expect(active).toBe(0);
  });

  it('due:export-ics returns the calendar text and audits the export', async () => {
    const r = (await call('due:export-ics', {})) as { ok: true; value: { ics: string } };
    expect(r.ok).toBe(true);
    const events = new ICAL.Component(ICAL.parse(r.value.ics)).getAllSubcomponents('vevent');
    expect(events).toHaveLength(2);
    expect(r.value.ics).not.toContain('rg_live_0123456789abcdef');
    expect(services.vault.listAudit({ limit: 1 })[0]).toMatchObject({ type: 'exported' });
  });
});

describe('reminders through the services', () => {
  it('emit reminders:due on the bus, naming the token only while unlocked', () => {
    services.reminders.tick();
    expect(reminders).toEqual([
      { credentialId: ids.orders, title: 'Token expires in 3 days', body: 'Acme/production/orders expires in 3 days, on 7 Mar 2025, 10:00 CET.' },
    ]);
    services.vault.lock();
    clock = addCalendarDays(start, 2, AMS);
    services.reminders.tick();
    expect(reminders[1]).toEqual({ credentialId: ids.orders, title: 'Token expires tomorrow', body: 'A token in your vault expires tomorrow — unlock Tokenvault to see which.' });
  });

  it('reminders:snooze silences one token, and refuses unknown or malformed input', async () => {
    const until = addCalendarDays(start, 5, AMS);
    expect(await call('reminders:snooze', { credentialId: ids.orders, untilMs: until })).toEqual({ ok: true, value: { credentialId: ids.orders, untilMs: until } });
    services.reminders.tick();
    expect(reminders).toEqual([]);
    expect(await call('reminders:snooze', { credentialId: 'cred_00000000000000000000', untilMs: until })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('reminders:snooze', { credentialId: ids.orders, untilMs: 'tomorrow' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call('reminders:snooze', { credentialId: ids.orders, untilMs: start - 1 })).toEqual({ ok: true, value: { credentialId: ids.orders, untilMs: null } });
    services.reminders.tick();
    expect(reminders).toHaveLength(1);
  });

  it('follows a workspace moving to another provider', () => {
    expect(services.vault.due.workspaceRotationDays(ids.acme).providerRotationDays).toBeNull();
    services.vault.updateWorkspace(ids.acme, { providerId: 'coolset' });
    expect(services.vault.due.workspaceRotationDays(ids.acme).providerRotationDays).toBe(90);
  });
});
