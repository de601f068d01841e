import type { DueItem, DueKind } from '../../../../src-shared/expiry/due-types';

/**
 * The timeline's picture as plain data: one row per workspace, one mark per
 * due date. Dates already past are pinned to the left edge (the "past due"
 * band), dates beyond the window are counted, not drawn.
 */
export interface TimelineMark {
  id: string;
  /** `kind:credentialId`: a token can have both an expiry and a rotation date. */
  key: string;
  name: string;
  workspace: string;
  environment: string;
  production: boolean;
  kind: DueKind;
  status: DueItem['status'];
  daysLeft: number;
  /** The real date (ms). */
  at: number;
  /** Where it is drawn (ms): `at`, or the left edge when past. */
  x: number;
  /** Row index (0 = top), nudged apart by kind so an expiry and a rotation on one day both show. */
  y: number;
  past: boolean;
}

export interface TimelineRow {
  workspaceId: string;
  name: string;
  count: number;
}

export interface TimelineModel {
  start: number;
  end: number;
  now: number;
  rows: TimelineRow[];
  marks: TimelineMark[];
  /** Dates past today (drawn in the past band). */
  past: number;
  /** Dates after the window (in the list only). */
  later: number;
}

const DAY = 86_400_000;
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function buildTimeline(items: readonly DueItem[], now: number, opts: { days?: number; pastDays?: number } = {}): TimelineModel {
  const days = opts.days ?? 90;
  const pastDays = opts.pastDays ?? 10;
  const start = now - pastDays * DAY;
  const end = now + days * DAY;
  const inWindow = items.filter((i) => Date.parse(i.dueAt) <= end);
  const rowsById = new Map<string, TimelineRow>();
  for (const i of inWindow) {
    const row = rowsById.get(i.workspaceId) ?? { workspaceId: i.workspaceId, name: i.workspace, count: 0 };
    row.count++;
    rowsById.set(i.workspaceId, row);
  }
  const rows = [...rowsById.values()].sort((a, b) => collator.compare(a.name, b.name));
  const index = new Map(rows.map((r, n) => [r.workspaceId, n]));
  let past = 0;
  // Marks that would land on one spot (same row, kind and day, or all past) are fanned out vertically.
  const seen = new Map<string, number>();
  const marks = inWindow.map((i): TimelineMark => {
    const at = Date.parse(i.dueAt);
    const isPast = at <= now;
    if (isPast) past++;
    const spot = `${i.workspaceId}:${i.kind}:${isPast ? 'past' : Math.floor(at / DAY)}`;
    const n = seen.get(spot) ?? 0;
    seen.set(spot, n + 1);
    const fan = n === 0 ? 0 : (n % 2 === 1 ? 1 : -1) * Math.ceil(n / 2) * 0.09;
    return {
      id: i.id,
      key: `${i.kind}:${i.id}`,
      name: i.name,
      workspace: i.workspace,
      environment: i.environment,
      production: i.production,
      kind: i.kind,
      status: i.status,
      daysLeft: i.daysLeft,
      at,
      x: isPast ? start + DAY / 2 : at,
      y: index.get(i.workspaceId)! + (i.kind === 'expiry' ? -0.14 : 0.14) + Math.max(-0.3, Math.min(0.3, fan)),
      past: isPast,
    };
  });
  return { start, end, now, rows, marks, past, later: items.length - inWindow.length };
}

/** Tick positions: the first day of each month inside the window (in the user's zone), plus today. */
export function monthTicks(start: number, end: number): number[] {
  const out: number[] = [];
  const d = new Date(start);
  d.setHours(0, 0, 0, 0);
  d.setDate(1);
  d.setMonth(d.getMonth() + 1);
  while (d.getTime() <= end) {
    out.push(d.getTime());
    d.setMonth(d.getMonth() + 1);
  }
  return out;
}

/** One sentence for the figure's caption: what the picture shows, for anyone who cannot see it. */
export function timelineSummary(m: TimelineModel, days: number): string {
  const drawn = m.marks.length;
  if (drawn === 0) return `Nothing is due in the next ${days} days.`;
  const prod = m.marks.filter((x) => x.production).length;
  const parts = [
    `${drawn} ${drawn === 1 ? 'date' : 'dates'} in the next ${days} days across ${m.rows.length} ${m.rows.length === 1 ? 'workspace' : 'workspaces'}`,
    m.past > 0 ? `${m.past} already past` : null,
    prod > 0 ? `${prod} in production` : null,
  ].filter(Boolean);
  const later = m.later > 0 ? ` ${m.later} later ${m.later === 1 ? 'date is' : 'dates are'} in the list only.` : '';
  return `${parts.join('; ')}. The list below has every date.${later}`;
}
