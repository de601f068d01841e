import type { CredentialStatus } from '../domain/schemas';
import { calendarDaysBetween, localDateKey } from './calendar';
import { DEFAULT_LEAD_DAYS, type DueKind, type DueStatus } from './due-types';
import { resolveRotationPolicy, rotationDueAt, type RotationPolicySource } from './rotation-policy';

/**
 * What is due for one credential and how urgent it is. Works from the facts
 * that are plaintext in the vault (dates, policy numbers, stored status), so
 * the reminders can run while the vault is locked.
 */
export interface DueFacts {
  status: CredentialStatus;
  /** The effective expiry (see effectiveExpiry), or null for never. */
  expiresAt: number | null;
  /** For a date-only expiry, its calendar date (`YYYY-MM-DD`): days left count to that date in any zone. */
  expiresOn?: string | null;
  /** Last rotation, or creation when never rotated. */
  rotatedAt: number;
  rotationDays: number | null;
  workspaceRotationDays?: number | null;
  providerRotationDays?: number | null;
}

export interface DueContext {
  now: number;
  timeZone: string;
  /** Calendar days before a date when it becomes `due_soon` (default 14); per kind when the settings differ (issue 12). */
  leadDays?: number | { expiry: number; rotation: number };
}

export interface DueEvent {
  kind: DueKind;
  dueAt: number;
  daysLeft: number;
  status: Exclude<DueStatus, 'revoked'>;
  /** For a date-only expiry: its calendar date, the same in every zone. */
  date?: string;
  /** For a rotation: whose policy set the period. */
  policySource?: RotationPolicySource;
  policyDays?: number;
}

export interface DueSummary {
  status: DueStatus;
  /** The earliest event (an overdue one first), or null when nothing is ever due. */
  next: DueEvent | null;
  /** Calendar days to `next` (negative when past), or null. */
  daysLeft: number | null;
  events: DueEvent[];
}

/** The `due_soon` window of one kind of date, in calendar days. */
export function leadDaysFor(kind: DueKind, ctx: Pick<DueContext, 'leadDays'>): number {
  const lead = ctx.leadDays;
  return lead === undefined ? DEFAULT_LEAD_DAYS : typeof lead === 'number' ? lead : lead[kind];
}

/** The widest `due_soon` window of either kind: how far ahead a search for due dates must look. */
export function maxLeadDays(ctx: Pick<DueContext, 'leadDays'>): number {
  return Math.max(leadDaysFor('expiry', ctx), leadDaysFor('rotation', ctx));
}

function eventStatus(kind: DueKind, dueAt: number, daysLeft: number, ctx: DueContext): DueEvent['status'] {
  if (dueAt <= ctx.now) return kind === 'expiry' ? 'expired' : 'overdue';
  return daysLeft <= leadDaysFor(kind, ctx) ? 'due_soon' : 'ok';
}

function event(kind: DueKind, dueAt: number, ctx: DueContext, date?: string | null): DueEvent {
  const daysLeft = date
    ? Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${localDateKey(ctx.now, ctx.timeZone)}T00:00:00Z`)) / 86_400_000)
    : calendarDaysBetween(ctx.now, dueAt, ctx.timeZone);
  return { kind, dueAt, daysLeft, status: eventStatus(kind, dueAt, daysLeft, ctx), ...(date ? { date } : {}) };
}

/**
 * The credential's expiry and rotation dates, earliest first. A rotation due
 * on or after the expiry is left out: the token will be replaced by then anyway.
 */
export function dueEvents(f: DueFacts, ctx: DueContext): DueEvent[] {
  if (f.status === 'revoked') return [];
  const out: DueEvent[] = [];
  if (f.expiresAt !== null) out.push(event('expiry', f.expiresAt, ctx, f.expiresOn));
  const policy = resolveRotationPolicy({
    credentialDays: f.rotationDays,
    workspaceDays: f.workspaceRotationDays ?? null,
    providerDays: f.providerRotationDays ?? null,
  });
  if (policy) {
    const dueAt = rotationDueAt(f.rotatedAt, policy, ctx.timeZone);
    if (f.expiresAt === null || dueAt < f.expiresAt) {
      out.push({ ...event('rotation', dueAt, ctx), policySource: policy.source, policyDays: policy.days });
    }
  }
  return out.sort((a, b) => a.dueAt - b.dueAt);
}

const SEVERITY: Record<DueStatus, number> = { ok: 0, due_soon: 1, overdue: 2, expired: 3, revoked: 4 };

export function worstStatus(statuses: readonly DueStatus[]): DueStatus {
  return statuses.reduce<DueStatus>((w, s) => (SEVERITY[s] > SEVERITY[w] ? s : w), 'ok');
}

/** For one credential: its next event, the days left to it, and its overall status. */
export function dueSummary(f: DueFacts, ctx: DueContext): DueSummary {
  if (f.status === 'revoked') return { status: 'revoked', next: null, daysLeft: null, events: [] };
  const events = dueEvents(f, ctx);
  // A token marked expired by hand (or by a failed test) is expired whatever its dates say.
  const stored: DueStatus[] = f.status === 'expired' ? ['expired'] : [];
  const next = events[0] ?? null;
  return { status: worstStatus([...stored, ...events.map((e) => e.status)]), next, daysLeft: next?.daysLeft ?? null, events };
}

/** A date needs attention: inside the lead time or past. */
export function needsAttention(status: DueStatus): boolean {
  return status === 'due_soon' || status === 'overdue' || status === 'expired';
}
