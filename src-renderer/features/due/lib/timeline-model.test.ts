import { describe, expect, it } from 'vitest';
import type { DueItem } from '../../../../src-shared/expiry/due-types';
import { buildTimeline, monthTicks, timelineSummary } from './timeline-model';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 10, 12);

function item(over: Partial<DueItem>): DueItem {
  return {
    id: 'cred_1',
    ref: 'A/sandbox/T',
    workspace: 'A',
    environment: 'sandbox',
    name: 'T',
    kind: 'expiry',
    dueAt: new Date(NOW + 5 * DAY).toISOString(),
    daysLeft: 5,
    status: 'due_soon',
    workspaceId: 'ws_a',
    environmentId: 'env_a',
    production: false,
    ...over,
  };
}

describe('the due timeline', () => {
  it('draws one row per workspace, by name, and one mark per date', () => {
    const m = buildTimeline(
      [
        item({ id: 'c1', workspace: 'Zeta', workspaceId: 'ws_z' }),
        item({ id: 'c2', workspace: 'Alpha', workspaceId: 'ws_a', kind: 'rotation', production: true }),
        item({ id: 'c3', workspace: 'Alpha', workspaceId: 'ws_a' }),
      ],
      NOW,
    );
    expect(m.rows.map((r) => [r.name, r.count])).toEqual([
      ['Alpha', 2],
      ['Zeta', 1],
    ]);
    expect(m.marks).toHaveLength(3);
    const rotation = m.marks.find((x) => x.id === 'c2')!;
    expect(rotation.kind).toBe('rotation');
    expect(rotation.production).toBe(true);
    expect(Math.round(rotation.y)).toBe(0);
    expect(Math.round(m.marks.find((x) => x.id === 'c1')!.y)).toBe(1);
  });

  it('pins past dates to the past band and leaves dates after 90 days to the list', () => {
    const m = buildTimeline(
      [
        item({ id: 'old', dueAt: new Date(NOW - 40 * DAY).toISOString(), daysLeft: -40, status: 'expired' }),
        item({ id: 'far', dueAt: new Date(NOW + 200 * DAY).toISOString(), daysLeft: 200, status: 'ok' }),
        item({ id: 'soon' }),
      ],
      NOW,
    );
    expect(m.marks.map((x) => x.id)).toEqual(['old', 'soon']);
    const old = m.marks[0]!;
    expect(old.past).toBe(true);
    expect(old.x).toBeGreaterThanOrEqual(m.start);
    expect(old.x).toBeLessThan(NOW);
    expect(m.past).toBe(1);
    expect(m.later).toBe(1);
    expect(timelineSummary(m, 90)).toBe('2 dates in the next 90 days across 1 workspace; 1 already past. The list below has every date. 1 later date is in the list only.');
  });

  it('fans out marks that would cover each other', () => {
    const m = buildTimeline([item({ id: 'a' }), item({ id: 'b' }), item({ id: 'c' })], NOW);
    expect(new Set(m.marks.map((x) => x.y)).size).toBe(3);
  });

  it('says when nothing is due, and ticks on month starts', () => {
    expect(timelineSummary(buildTimeline([], NOW), 90)).toBe('Nothing is due in the next 90 days.');
    const ticks = monthTicks(NOW, NOW + 90 * DAY);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    for (const t of ticks) expect(new Date(t).getDate()).toBe(1);
  });
});
