import { describe, expect, it } from 'vitest';
import { AuditQuery, dayRangeBounds } from './audit-query';

describe('dayRangeBounds', () => {
  it('a day runs from its local midnight (inclusive) to the next one (exclusive), in the given zone', () => {
    expect(dayRangeBounds({ from: '2026-11-30', to: '2026-11-30' }, 'UTC')).toEqual({ from: Date.UTC(2026, 10, 30), to: Date.UTC(2026, 11, 1) });
    // Auckland is UTC+13 in November: its 30th starts on the 29th at 11:00 UTC.
    expect(dayRangeBounds({ from: '2026-11-30' }, 'Pacific/Auckland')).toEqual({ from: Date.UTC(2026, 10, 29, 11) });
    expect(dayRangeBounds({ to: '2026-11-30' }, 'America/New_York')).toEqual({ to: Date.UTC(2026, 11, 1, 5) });
  });

  it('takes instants with a zone as they are, leaves empty sides open, and refuses anything else', () => {
    expect(dayRangeBounds({ from: '2026-11-30T12:00:00Z', to: '' }, 'UTC')).toEqual({ from: Date.UTC(2026, 10, 30, 12) });
    expect(dayRangeBounds({}, 'UTC')).toEqual({});
    expect(dayRangeBounds({ from: 'last tuesday' }, 'UTC')).toBeNull();
    expect(dayRangeBounds({ to: '2026-02-30' }, 'UTC')).toBeNull();
  });
});

describe('AuditQuery', () => {
  it('accepts known event types and a forward range; refuses unknown types and a backward range', () => {
    expect(AuditQuery.safeParse({ types: ['revealed', 'copied'], from: 1, to: 2 }).success).toBe(true);
    expect(AuditQuery.safeParse({ types: ['teleported'] }).success).toBe(false);
    expect(AuditQuery.safeParse({ from: 2, to: 1 }).success).toBe(false);
    expect(AuditQuery.safeParse({ credentialId: 'not-an-id' }).success).toBe(false);
  });
});
