import { describe, expect, it } from 'vitest';
import { addCalendarDays } from './calendar';
import { dueEvents, dueSummary, needsAttention, type DueFacts } from './due-status';

const iso = (s: string) => Date.parse(s);
const AMS = 'Europe/Amsterdam';
// An injected clock: Tuesday 4 March 2025, 10:00 in Amsterdam.
const now = iso('2025-03-04T10:00:00+01:00');
const ctx = { now, timeZone: AMS };

const facts = (over: Partial<DueFacts> = {}): DueFacts => ({
  status: 'active',
  expiresAt: null,
  rotatedAt: iso('2025-01-01T09:00:00+01:00'),
  rotationDays: null,
  ...over,
});

describe('due status at the lead-time boundaries (default 14 days)', () => {
  const expiringAt = (at: number) => dueSummary(facts({ expiresAt: at }), ctx);

  it('is ok 15 calendar days out and due_soon from 14 days out, whatever the hour', () => {
    expect(expiringAt(addCalendarDays(now, 15, AMS))).toMatchObject({ status: 'ok', daysLeft: 15 });
    // Early on day 15 is still 15 calendar days away; late on day 14 is 14.
    expect(expiringAt(iso('2025-03-19T00:00:00+01:00'))).toMatchObject({ status: 'ok', daysLeft: 15 });
    expect(expiringAt(iso('2025-03-18T23:59:59+01:00'))).toMatchObject({ status: 'due_soon', daysLeft: 14 });
    expect(expiringAt(addCalendarDays(now, 14, AMS))).toMatchObject({ status: 'due_soon', daysLeft: 14 });
  });

  it('is due_soon until the very instant, then expired', () => {
    expect(expiringAt(now + 1)).toMatchObject({ status: 'due_soon', daysLeft: 0 });
    expect(expiringAt(now)).toMatchObject({ status: 'expired', daysLeft: 0 });
    expect(expiringAt(now - 60_000)).toMatchObject({ status: 'expired', daysLeft: 0 });
    expect(expiringAt(iso('2025-03-01T10:00:00+01:00'))).toMatchObject({ status: 'expired', daysLeft: -3 });
  });

  it('takes another lead time', () => {
    const at = addCalendarDays(now, 20, AMS);
    expect(dueSummary(facts({ expiresAt: at }), { ...ctx, leadDays: 30 }).status).toBe('due_soon');
    expect(dueSummary(facts({ expiresAt: addCalendarDays(now, 1, AMS) }), { ...ctx, leadDays: 0 }).status).toBe('ok');
    expect(dueSummary(facts({ expiresAt: now + 1 }), { ...ctx, leadDays: 0 }).status).toBe('due_soon');
  });

  it('counts the boundary in calendar days across spring-forward', () => {
    // 14 days before 30 March 09:00 CEST is 16 March 09:00 CET: 14 × 24 − 1 hours.
    const at = iso('2025-03-30T09:00:00+02:00');
    const justBefore = { now: iso('2025-03-15T23:59:00+01:00'), timeZone: AMS };
    const onTheDay = { now: iso('2025-03-16T00:00:00+01:00'), timeZone: AMS };
    expect(dueSummary(facts({ expiresAt: at }), justBefore)).toMatchObject({ status: 'ok', daysLeft: 15 });
    expect(dueSummary(facts({ expiresAt: at }), onTheDay)).toMatchObject({ status: 'due_soon', daysLeft: 14 });
  });
});

describe('rotation due', () => {
  it('is overdue (not expired) once past, and due from the last rotation', () => {
    const s = dueSummary(facts({ rotationDays: 60 }), ctx);
    // 1 January 09:00 + 60 days = 2 March 09:00: two days ago.
    expect(s.status).toBe('overdue');
    expect(s.next).toMatchObject({ kind: 'rotation', dueAt: iso('2025-03-02T09:00:00+01:00'), daysLeft: -2, policySource: 'credential', policyDays: 60 });
  });

  it("re-arms after a rotation: the period starts again", () => {
    const s = dueSummary(facts({ rotationDays: 60, rotatedAt: now }), ctx);
    expect(s).toMatchObject({ status: 'ok', daysLeft: 60 });
  });

  it('falls back to the workspace default, then the provider advice', () => {
    expect(dueSummary(facts({ workspaceRotationDays: 90, providerRotationDays: 30 }), ctx).next).toMatchObject({ policySource: 'workspace', policyDays: 90, status: 'ok', daysLeft: 28 });
    expect(dueSummary(facts({ providerRotationDays: 90 }), ctx).next?.policySource).toBe('provider');
    expect(dueSummary(facts(), ctx)).toEqual({ status: 'ok', next: null, daysLeft: null, events: [] });
  });

  it('leaves out a rotation that falls on or after the expiry', () => {
    const expiresAt = iso('2025-03-20T09:00:00+01:00');
    const events = dueEvents(facts({ expiresAt, rotationDays: 90 }), ctx);
    expect(events.map((e) => e.kind)).toEqual(['expiry']);
    const both = dueEvents(facts({ expiresAt: iso('2025-12-01T00:00:00+01:00'), rotationDays: 90 }), ctx);
    expect(both.map((e) => e.kind)).toEqual(['rotation', 'expiry']);
  });
});

describe('overall status', () => {
  it('is the worst of its events; the next event is the earliest', () => {
    const s = dueSummary(facts({ rotationDays: 60, expiresAt: addCalendarDays(now, 5, AMS) }), ctx);
    expect(s.status).toBe('overdue');
    expect(s.next?.kind).toBe('rotation');
    expect(s.events.map((e) => e.status)).toEqual(['overdue', 'due_soon']);
  });

  it('is revoked for a revoked token, with nothing due', () => {
    expect(dueSummary(facts({ status: 'revoked', expiresAt: now - 1, rotationDays: 1 }), ctx)).toEqual({ status: 'revoked', next: null, daysLeft: null, events: [] });
  });

  it('is expired for a token marked expired, whatever its dates', () => {
    expect(dueSummary(facts({ status: 'expired' }), ctx).status).toBe('expired');
  });

  it('names which statuses need attention', () => {
    expect(['ok', 'due_soon', 'overdue', 'expired', 'revoked'].filter((s) => needsAttention(s as never))).toEqual(['due_soon', 'overdue', 'expired']);
  });
});

describe('zones far apart see different days left for the same instants', () => {
  it('Kiritimati (UTC+14) is a day ahead of Pago Pago (UTC−11)', () => {
    const at = iso('2025-06-01T10:30:00Z');
    const clock = iso('2025-06-01T09:00:00Z');
    const f = facts({ expiresAt: at });
    expect(dueSummary(f, { now: clock, timeZone: 'Pacific/Kiritimati' }).daysLeft).toBe(1);
    expect(dueSummary(f, { now: clock, timeZone: 'Pacific/Pago_Pago' }).daysLeft).toBe(0);
    // A rotation counted in each user's own calendar lands on the same wall-clock time there.
    const rot = facts({ rotatedAt: iso('2025-06-01T10:30:00Z'), rotationDays: 7 });
    expect(dueEvents(rot, { now: clock, timeZone: 'Pacific/Kiritimati' })[0]?.dueAt).toBe(iso('2025-06-08T10:30:00Z'));
    expect(dueEvents(rot, { now: clock, timeZone: 'Pacific/Pago_Pago' })[0]?.dueAt).toBe(iso('2025-06-08T10:30:00Z'));
  });
});
