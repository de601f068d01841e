import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../src-shared/expiry/calendar';
import { openTempVault, type TempVault } from '../vault/test-support';
import type { Vault } from '../vault/vault';
import { NameBook } from './due-list';
import { ReminderScheduler, type ReminderNotice, type ReminderOptions } from './reminders';

const AMS = 'Europe/Amsterdam';
const iso = (s: string) => Date.parse(s);
const start = iso('2025-03-04T10:00:00+01:00');

let clock = start;
let t: TempVault;
let envId: string;
let sent: ReminderNotice[];

beforeEach(async () => {
  clock = start;
  sent = [];
  t = openTempVault({ now: () => clock });
  await t.vault.init({ keySource: 'keychain' });
  const ws = t.vault.addWorkspace({ name: 'Acme' });
  envId = t.vault.addEnvironment({ workspaceId: ws.id, name: 'production', baseUrl: 'https://api.example.com', production: true }).id;
});

afterEach(() => t.cleanup());

function scheduler(vault: Vault = t.vault, more: Partial<ReminderOptions> = {}) {
  const names = () => new NameBook(vault);
  return new ReminderScheduler({
    store: vault.due,
    nameOf: (id) => names().refOrNull(id),
    notify: (n) => sent.push(n),
    now: () => clock,
    timeZone: () => AMS,
    locale: 'en-GB',
    ...more,
  });
}

function addToken(name: string, over: Record<string, unknown> = {}) {
  return t.vault.addCredential({ environmentId: envId, name, kind: 'bearer', secret: { value: `sk_live_${name}_0123456789` }, ...over });
}

const expiresAt = iso('2025-03-24T09:00:00+01:00'); // 20 days out

describe('reminder thresholds', () => {
  it('fires once per threshold (14, 3, 1 days before, then when it passes), and never twice', () => {
    const c = addToken('orders', { expiresAt });
    const s = scheduler();
    expect(s.tick()).toEqual([]);
    clock = iso('2025-03-09T23:59:00+01:00'); // 15 calendar days before
    expect(s.tick()).toEqual([]);
    clock = iso('2025-03-10T00:00:00+01:00'); // 14
    expect(s.tick()).toEqual([{ credentialId: c.id, title: 'Token expires in 14 days', body: 'Acme/production/orders expires in 14 days, on 24 Mar 2025, 09:00 CET.' }]);
    expect(s.tick()).toEqual([]);
    clock = iso('2025-03-20T12:00:00+01:00'); // 4 days: nothing new
    expect(s.tick()).toEqual([]);
    clock = iso('2025-03-21T08:00:00+01:00'); // 3
    expect(s.tick().map((n) => n.title)).toEqual(['Token expires in 3 days']);
    clock = iso('2025-03-23T00:00:01+01:00'); // 1
    expect(s.tick().map((n) => n.title)).toEqual(['Token expires tomorrow']);
    expect(s.tick()).toEqual([]);
    clock = expiresAt;
    expect(s.tick()).toEqual([{ credentialId: c.id, title: 'Token expired', body: 'Acme/production/orders expired on 24 Mar 2025, 09:00 CET.' }]);
    clock = iso('2025-06-01T00:00:00+02:00');
    expect(s.tick()).toEqual([]);
    expect(sent).toHaveLength(4);
  });

  it('sends one reminder, not one per threshold, when several were crossed while the app was off', () => {
    addToken('orders', { expiresAt });
    clock = iso('2025-03-22T10:00:00+01:00');
    const notices = scheduler().tick();
    expect(notices.map((n) => n.title)).toEqual(['Token expires in 2 days']);
    // 14 and 3 are both done; 1 is still to come.
    clock = iso('2025-03-23T10:00:00+01:00');
    expect(scheduler().tick().map((n) => n.title)).toEqual(['Token expires tomorrow']);
  });

  it('survives a restart without sending anything twice', () => {
    addToken('orders', { expiresAt });
    clock = iso('2025-03-10T09:00:00+01:00');
    expect(scheduler().tick()).toHaveLength(1);
    const reopened = t.reopen();
    const again = scheduler(reopened);
    expect(again.tick()).toEqual([]);
    clock = iso('2025-03-21T09:00:00+01:00');
    expect(again.tick().map((n) => n.title)).toEqual(['Token expires in 3 days']);
    expect(scheduler(t.reopen()).tick()).toEqual([]);
  });

  it('counts thresholds in local calendar days across a DST change', () => {
    // Expires Monday 31 March 09:00 CEST; the 1-day reminder comes at local midnight on Sunday, the 23-hour day.
    addToken('orders', { expiresAt: iso('2025-03-31T09:00:00+02:00') });
    clock = iso('2025-03-21T00:00:00+01:00');
    const s = scheduler();
    s.tick();
    clock = iso('2025-03-28T12:00:00+01:00');
    expect(s.tick().map((n) => n.title)).toEqual(['Token expires in 3 days']);
    clock = iso('2025-03-29T23:59:59+01:00');
    expect(s.tick()).toEqual([]);
    clock = iso('2025-03-30T00:00:00+01:00');
    expect(s.tick().map((n) => n.title)).toEqual(['Token expires tomorrow']);
  });

  it('takes other lead times', () => {
    addToken('orders', { expiresAt });
    clock = iso('2025-03-14T10:00:00+01:00'); // 10 days before
    expect(scheduler(t.vault, { leadDays: [7, 2] }).tick()).toEqual([]);
    expect(scheduler(t.vault, { leadDays: [10] }).tick().map((n) => n.title)).toEqual(['Token expires in 10 days']);
  });

  it('takes each kind its own lead times, read at every tick (the settings, issue 12)', () => {
    addToken('orders', { expiresAt, rotationDays: 15 });
    let leads = { expiry: [7] as number[], rotation: [3] as number[] };
    const s = scheduler(t.vault, { leadDays: () => leads });
    clock = iso('2025-03-14T10:00:00+01:00'); // expiry in 10 days, rotation in 5
    expect(s.tick()).toEqual([]);
    leads = { expiry: [7], rotation: [5] };
    expect(s.tick().map((n) => n.title)).toEqual(['Token rotation due in 5 days']);
    leads = { expiry: [10], rotation: [5] };
    expect(s.tick().map((n) => n.title)).toEqual(['Token expires in 10 days']);
  });

  it('sends nothing for a revoked token', () => {
    const c = addToken('orders', { expiresAt });
    t.vault.updateCredential(c.id, { status: 'revoked' });
    clock = expiresAt + 1;
    expect(scheduler().tick()).toEqual([]);
  });
});

describe('rotation reminders', () => {
  it('fire before the rotation date and re-arm for the new date after a rotation', () => {
    const c = addToken('coolset', { rotationDays: 30 });
    // 30 days after 4 March 10:00 is 3 April 10:00 (CEST).
    clock = iso('2025-03-31T09:00:00+02:00');
    const s = scheduler();
    expect(s.tick()).toEqual([{ credentialId: c.id, title: 'Token rotation due in 3 days', body: 'Acme/production/coolset is due for rotation in 3 days, on 3 Apr 2025, 10:00 CEST.' }]);
    clock = iso('2025-04-03T10:00:00+02:00');
    expect(s.tick().map((n) => n.title)).toEqual(['Token rotation overdue']);
    // Rotated: the period starts again, and so do the reminders.
    clock = iso('2025-04-04T12:00:00+02:00');
    t.vault.replaceSecret(c.id, { value: 'sk_live_coolset_rotated_987654' });
    expect(s.tick()).toEqual([]);
    clock = iso('2025-04-20T00:00:00+02:00'); // 14 days before 4 May
    expect(s.tick().map((n) => n.title)).toEqual(['Token rotation due in 14 days']);
  });

  it('use the workspace default and the provider advice when the token has no period', () => {
    const c = addToken('coolset');
    t.vault.due.setWorkspaceRotationDays(c.workspaceId, { providerRotationDays: 90 });
    clock = addCalendarDays(start, 89, AMS);
    expect(scheduler().tick().map((n) => n.title)).toEqual(['Token rotation due tomorrow']);
    t.vault.setWorkspaceRotationDays(c.workspaceId, 100);
    clock = addCalendarDays(start, 99, AMS);
    expect(scheduler().tick().map((n) => n.title)).toEqual(['Token rotation due tomorrow']);
  });
});

describe('snooze', () => {
  it('silences one token until a time, then sends what came due meanwhile, once', () => {
    const a = addToken('a', { expiresAt });
    const b = addToken('b', { expiresAt });
    clock = iso('2025-03-10T09:00:00+01:00');
    const s = scheduler();
    expect(s.tick()).toHaveLength(2);
    expect(s.snooze(a.id, iso('2025-03-22T09:00:00+01:00'))).toEqual({ credentialId: a.id, untilMs: iso('2025-03-22T09:00:00+01:00') });
    clock = iso('2025-03-21T09:00:00+01:00');
    expect(s.tick().map((n) => n.credentialId)).toEqual([b.id]);
    // Persisted: a restart (which leaves the vault locked) keeps the snooze.
    const after = scheduler(t.reopen());
    clock = iso('2025-03-21T18:00:00+01:00');
    expect(after.tick()).toEqual([]);
    clock = iso('2025-03-22T09:00:00+01:00');
    expect(after.tick()).toEqual([{ credentialId: a.id, title: 'Token expires in 2 days', body: 'A token in your vault expires in 2 days — unlock Tokenvault to see which.' }]);
    expect(after.tick()).toEqual([]);
  });

  it('lifts with a time already past, and refuses an unknown token', () => {
    const a = addToken('a', { expiresAt });
    const s = scheduler();
    s.snooze(a.id, clock + 86_400_000);
    expect(s.snooze(a.id, clock - 1)).toEqual({ credentialId: a.id, untilMs: null });
    expect(t.vault.due.snoozes().size).toBe(0);
    expect(() => s.snooze('cred_00000000000000000000', clock + 1)).toThrow(/no token/);
  });
});

describe('reminder text while locked', () => {
  it('names no token, and says to unlock', () => {
    addToken('very-secret-project', { expiresAt });
    t.vault.lock();
    clock = iso('2025-03-21T09:00:00+01:00');
    const [n] = scheduler().tick();
    expect(n).toMatchObject({ title: 'Token expires in 3 days', body: 'A token in your vault expires in 3 days — unlock Tokenvault to see which.' });
    expect(JSON.stringify(n)).not.toMatch(/very-secret-project|Acme|production/);
  });

  it('words overdue rotations and expiries without names too', () => {
    addToken('x', { expiresAt, rotationDays: 5 });
    t.vault.lock();
    clock = iso('2025-03-25T09:00:00+01:00');
    const texts = scheduler().tick().map((n) => n.body);
    expect(texts).toEqual([
      'A token in your vault is overdue for rotation — unlock Tokenvault to see which.',
      'A token in your vault has expired — unlock Tokenvault to see which.',
    ]);
  });
});

describe('many at once', () => {
  it('become one summary notice instead of a flood, and each is still recorded once', () => {
    for (let i = 0; i < 5; i++) addToken(`t${i}`, { expiresAt: i < 2 ? start - 1 : expiresAt });
    t.vault.lock();
    clock = iso('2025-03-10T09:00:00+01:00');
    const s = scheduler();
    expect(s.tick()).toEqual([
      { credentialId: null, title: '5 tokens need attention', body: '2 expired, 3 expiring soon — unlock Tokenvault to see which.' },
    ]);
    expect(s.tick()).toEqual([]);
  });
});

describe('timers', () => {
  it('ticks at start and every interval on the injected timers, and stops', () => {
    const queue: { fn: () => void; ms: number }[] = [];
    const timers = {
      setTimeout: (fn: () => void, ms: number) => {
        queue.push({ fn, ms });
        return queue.length;
      },
      clearTimeout: () => queue.splice(0),
    };
    addToken('orders', { expiresAt });
    const s = scheduler(t.vault, { timers, intervalMs: 30_000 });
    s.start();
    expect(queue.map((q) => q.ms)).toEqual([0]);
    clock = iso('2025-03-10T09:00:00+01:00');
    queue.shift()!.fn();
    expect(sent).toHaveLength(1);
    expect(queue.map((q) => q.ms)).toEqual([30_000]);
    s.stop();
    expect(queue).toHaveLength(0);
  });

  it('keeps going when a tick fails (a closed database)', () => {
    const queue: (() => void)[] = [];
    const timers = { setTimeout: (fn: () => void) => queue.push(fn), clearTimeout: () => undefined };
    const s = new ReminderScheduler({
      store: { clearSnoozesBefore: () => { throw new TypeError('The database connection is not open'); } } as never,
      nameOf: () => null,
      notify: () => undefined,
      timers,
    });
    s.start();
    queue.shift()!();
    expect(queue).toHaveLength(1);
  });
});
