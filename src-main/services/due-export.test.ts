import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../src-shared/expiry/calendar';
import { openTempVault, type TempVault } from '../vault/test-support';
import { countDueByWorkspace, listDueItems } from './due-list';
import { calendarUid, dueCalendar, exportDueCalendar } from './ics-export';

const AMS = 'Europe/Amsterdam';
const iso = (s: string) => Date.parse(s);
const start = iso('2025-03-04T10:00:00+01:00');
const SECRET = 'sk_live_4f9c2e7a1b3d5f7092ab4cd6ef8a9b0c';

let clock = start;
let t: TempVault;
let ids: Record<string, string>;
let ws: { acme: string; other: string };
let env: { prod: string; sandbox: string; other: string };

beforeEach(async () => {
  clock = start;
  t = openTempVault({ now: () => clock });
  const v = t.vault;
  await v.init({ keySource: 'keychain' });
  ws = { acme: v.addWorkspace({ name: 'Acme', providerId: 'coolset' }).id, other: v.addWorkspace({ name: 'Globex', providerId: 'strapi' }).id };
  env = {
    prod: v.addEnvironment({ workspaceId: ws.acme, name: 'production', baseUrl: 'https://api.example.com', production: true }).id,
    sandbox: v.addEnvironment({ workspaceId: ws.acme, name: 'sandbox', baseUrl: 'https://sandbox.example.com' }).id,
    other: v.addEnvironment({ workspaceId: ws.other, name: 'production', baseUrl: 'https://cms.example.com', production: true }).id,
  };
  const add = (name: string, environmentId: string, over: Record<string, unknown>) =>
    v.addCredential({ environmentId, name, kind: 'bearer', secret: { value: `${SECRET}${name}` }, ...over }).id;
  ids = {
    soon: add('orders', env.prod, { expiresAt: addCalendarDays(start, 5, AMS) }),
    later: add('cms', env.other, { expiresAt: addCalendarDays(start, 40, AMS) }),
    rotate: add('rotating', env.sandbox, { rotationDays: 30 }),
    past: add('old', env.other, { expiresAt: start - 2 * 86_400_000 }),
    revoked: add('gone', env.prod, { expiresAt: addCalendarDays(start, 1, AMS) }),
    never: add('forever', env.prod, {}),
  };
  v.updateCredential(ids.revoked!, { status: 'revoked' });
});

afterEach(() => t.cleanup());

const ctx = () => ({ now: clock, timeZone: AMS });

describe('the due list', () => {
  it('lists dates within the window, past ones included, earliest first, named', () => {
    const items = listDueItems(t.vault, { withinDays: 30 }, ctx());
    expect(items.map((i) => [i.ref, i.kind, i.daysLeft, i.status])).toEqual([
      ['Globex/production/old', 'expiry', -2, 'expired'],
      ['Acme/production/orders', 'expiry', 5, 'due_soon'],
      ['Acme/sandbox/rotating', 'rotation', 30, 'ok'],
    ]);
    expect(items[1]).toEqual({
      id: ids.soon,
      ref: 'Acme/production/orders',
      workspace: 'Acme',
      environment: 'production',
      name: 'orders',
      kind: 'expiry',
      dueAt: '2025-03-09T09:00:00.000Z',
      dueDate: null,
      daysLeft: 5,
      status: 'due_soon',
      workspaceId: ws.acme,
      environmentId: env.prod,
      production: true,
    });
    expect(JSON.stringify(items)).not.toContain(SECRET);
  });

  it('filters by window, workspace, environment, provider and kind', () => {
    const refs = (q: Parameters<typeof listDueItems>[1]) => listDueItems(t.vault, q, ctx()).map((i) => i.name);
    expect(refs({ withinDays: 60 })).toEqual(['old', 'orders', 'rotating', 'cms']);
    expect(refs({})).toEqual(['old', 'orders', 'rotating', 'cms']);
    expect(refs({ withinDays: 0 })).toEqual(['old']);
    expect(refs({ withinDays: 60, workspaceId: ws.other })).toEqual(['old', 'cms']);
    expect(refs({ withinDays: 60, environmentId: env.sandbox })).toEqual(['rotating']);
    expect(refs({ withinDays: 60, providerId: 'coolset' })).toEqual(['orders', 'rotating']);
    expect(refs({ withinDays: 60, kind: 'rotation' })).toEqual(['rotating']);
    expect(refs({ withinDays: 60, upcomingOnly: true })).toEqual(['orders', 'rotating', 'cms']);
  });

  it("applies the workspace's provider advice to tokens without their own period", () => {
    t.vault.due.setWorkspaceRotationDays(ws.acme, { providerRotationDays: 10 });
    const items = listDueItems(t.vault, { withinDays: 30, kind: 'rotation' }, ctx());
    expect(items.map((i) => [i.name, i.daysLeft])).toEqual([
      // orders expires (day 5) before its rotation (day 10): only its expiry counts.
      ['forever', 10],
      ['rotating', 30],
    ]);
  });

  it('needs the vault unlocked for names; the badge counts do not', () => {
    t.vault.lock();
    expect(() => listDueItems(t.vault, {}, ctx())).toThrow(expect.objectContaining({ code: 'LOCKED' }));
    expect(countDueByWorkspace(t.vault.due, ctx())).toEqual({ [ws.acme]: 1, [ws.other]: 1 });
    clock = addCalendarDays(start, 20, AMS);
    expect(countDueByWorkspace(t.vault.due, ctx())).toEqual({ [ws.acme]: 2, [ws.other]: 1 });
  });
});

function parseEvents(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  return cal.getAllSubcomponents('vevent').map((e) => {
    const ev = new ICAL.Event(e);
    return { uid: ev.uid, summary: ev.summary, start: ev.startDate, description: ev.description };
  });
}

describe('the calendar export', () => {
  it('has one event per upcoming date: timed for an expiry, all-day for a rotation, with stable UIDs', () => {
    const { ics, count } = exportDueCalendar(t.vault, ctx());
    expect(count).toBe(3);
    const events = parseEvents(ics);
    expect(events.map((e) => e.summary)).toEqual([
      'Token expires: Acme/production/orders (production)',
      'Rotate token: Acme/sandbox/rotating',
      'Token expires: Globex/production/cms (production)',
    ]);
    const [expiry, rotation] = events;
    expect(expiry!.start.isDate).toBe(false);
    expect(expiry!.start.toJSDate().getTime()).toBe(addCalendarDays(start, 5, AMS));
    expect(expiry!.uid).toBe(`${ids.soon}.expiry.20250309T090000Z@tokenvault`);
    expect(rotation!.start.isDate).toBe(true);
    expect(rotation!.start.toString()).toBe('2025-04-03');
    expect(rotation!.uid).toBe(`${ids.rotate}.rotation.20250403@tokenvault`);
    // The same dates give the same file (stamps come from the injected clock).
    expect(exportDueCalendar(t.vault, ctx()).ics).toBe(ics);
  });

  it('never holds a value or a fingerprint, and is audited as exported', () => {
    const { ics } = exportDueCalendar(t.vault, ctx());
    for (const c of t.vault.listCredentials()) {
      if ('corrupt' in c) continue;
      expect(ics).not.toContain(c.fingerprint);
      expect(ics).not.toContain(c.fingerprint.slice(0, 8));
    }
    expect(ics).not.toContain(SECRET);
    expect(ics).not.toContain(SECRET.slice(0, 12));
    const [last] = t.vault.listAudit({ limit: 1 });
    expect(last).toMatchObject({ type: 'exported', note: 'calendar of 3 due dates (.ics)' });
  });

  it('gives a rotated token a new UID for its new date', () => {
    const before = parseEvents(exportDueCalendar(t.vault, ctx()).ics).find((e) => e.summary.includes('rotating'))!.uid;
    clock = addCalendarDays(start, 3, AMS);
    t.vault.replaceSecret(ids.rotate!, { value: 'sk_live_rotated_value_0000000000' });
    const after = parseEvents(exportDueCalendar(t.vault, ctx()).ics).find((e) => e.summary.includes('rotating'))!.uid;
    expect(after).toBe(`${ids.rotate}.rotation.20250406@tokenvault`);
    expect(after).not.toBe(before);
  });

  it("puts an all-day rotation on the user's own date, in zones a day apart", () => {
    const item = { ...listDueItems(t.vault, { kind: 'rotation' }, ctx())[0]!, dueAt: '2025-06-01T10:30:00.000Z' };
    const day = (tz: string) => parseEvents(dueCalendar([item], { now: clock, timeZone: tz }))[0]!.start.toString();
    expect(day('Pacific/Kiritimati')).toBe('2025-06-02');
    expect(day('Pacific/Pago_Pago')).toBe('2025-05-31');
    expect(calendarUid(item, 'Pacific/Kiritimati')).not.toBe(calendarUid(item, 'Pacific/Pago_Pago'));
  });
});
