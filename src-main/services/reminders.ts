import { dueSummary, type DueEvent } from '../../src-shared/expiry/due-status';
import { DEFAULT_REMINDER_LEAD_DAYS, type DueKind } from '../../src-shared/expiry/due-types';
import { formatDaysLeft, formatDueDate, type DateDisplay } from '../../src-shared/expiry/format-due';
import { systemTimeZone } from '../../src-shared/expiry/calendar';
import { VaultError } from '../../src-shared/errors';
import { sentKey, type DueRow, type SentReminder } from '../vault/due-store';
import { unrefTimers, type Timers } from './auto-lock';
import { dueFactsOf } from './due-list';

/**
 * Desktop reminders before a token expires or is due for rotation. Each
 * threshold (by default 14, 3 and 1 calendar days before, and the moment the
 * date passes) fires once per token and due date; what was sent is persisted,
 * so a restart sends nothing twice, and a new due date (after a rotation)
 * arms every threshold again. It reads only plaintext dates, so it runs while
 * the vault is locked; then the text names no token.
 */
export interface ReminderNotice {
  title: string;
  body: string;
  /** The token the notice is about; null for a summary of several. */
  credentialId: string | null;
}

/** What the scheduler needs from storage: DueStore, or a fake in tests. */
export interface ReminderStore {
  rows(filter: { dueBefore?: number }): DueRow[];
  exists(credentialId: string): boolean;
  sentKeys(): Set<string>;
  markSent(reminders: readonly SentReminder[], at: number): void;
  snoozes(): Map<string, number>;
  setSnooze(credentialId: string, until: number | null): void;
  clearSnoozesBefore(at: number): void;
}

export interface ReminderOptions {
  store: ReminderStore;
  /** `workspace/env/name` while unlocked; null while locked, and the text then says "a token". */
  nameOf(credentialId: string): string | null;
  notify(notice: ReminderNotice): void;
  now?: () => number;
  timeZone?: () => string;
  /** For the dates in the text (the sentences themselves are English). */
  locale?: string;
  /**
   * Calendar days before a date; 0 ("passed") is always added. Either one
   * list for both kinds, or a function read at every tick giving each kind's
   * list (the user's settings, issue 12).
   */
  leadDays?: readonly number[] | (() => Record<DueKind, readonly number[]>);
  /** More reminders than this in one tick (the first run on a big vault) become one summary. */
  maxPerTick?: number;
  timers?: Timers;
  intervalMs?: number;
}

interface Pending {
  credentialId: string;
  event: DueEvent;
  thresholds: number[];
}

const DAY_MS = 86_400_000;

export class ReminderScheduler {
  private readonly store: ReminderStore;
  private readonly now: () => number;
  private readonly timeZone: () => string;
  private readonly locale: string;
  private readonly leadSource: () => Record<DueKind, readonly number[]>;
  private readonly maxPerTick: number;
  private readonly timers: Timers;
  private readonly intervalMs: number;
  private handle: unknown = null;

  constructor(private readonly opts: ReminderOptions) {
    this.store = opts.store;
    this.now = opts.now ?? Date.now;
    this.timeZone = opts.timeZone ?? systemTimeZone;
    this.locale = opts.locale ?? 'en-US';
    const fixed = opts.leadDays ?? DEFAULT_REMINDER_LEAD_DAYS;
    this.leadSource = typeof fixed === 'function' ? fixed : () => ({ expiry: fixed, rotation: fixed });
    this.maxPerTick = opts.maxPerTick ?? 3;
    this.timers = opts.timers ?? unrefTimers;
    this.intervalMs = opts.intervalMs ?? 60_000;
  }

  /** Ticks now and then every interval, on timers that never keep the process alive. */
  start(): void {
    if (this.handle !== null) return;
    const loop = () => {
      this.safeTick();
      this.handle = this.timers.setTimeout(loop, this.intervalMs);
    };
    this.handle = this.timers.setTimeout(loop, 0);
  }

  stop(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
  }

  private safeTick(): void {
    try {
      this.tick();
    } catch {
      // A closed or busy database now must not stop the reminders that follow.
    }
  }

  /** Checks every date once; sends what has come due since the last tick. Returns what it sent. */
  tick(): ReminderNotice[] {
    const now = this.now();
    const timeZone = this.timeZone();
    this.store.clearSnoozesBefore(now);
    const snoozes = this.store.snoozes();
    const sent = this.store.sentKeys();
    const source = this.leadSource();
    // Descending, each ≥ 1.
    const leadsOf = (kind: DueKind) => [...new Set(source[kind])].filter((d) => Number.isInteger(d) && d >= 1).sort((a, b) => b - a);
    const leads = { expiry: leadsOf('expiry'), rotation: leadsOf('rotation') };
    const maxLead = Math.max(leads.expiry[0] ?? 0, leads.rotation[0] ?? 0);
    const pending: Pending[] = [];
    // Dates further than the largest lead (plus two days: calendar days and
    // 24-hour days differ by hours, never days) cannot have crossed a threshold.
    for (const row of this.store.rows({ dueBefore: now + (maxLead + 2) * DAY_MS })) {
      // A lapsed sign-in is not something to be reminded of: the next use asks to sign in again.
      if (row.status === 'revoked' || row.sessionLapse || snoozes.has(row.id)) continue;
      for (const event of dueSummary(dueFactsOf(row), { now, timeZone, leadDays: maxLead }).events) {
        const kindLeads = leads[event.kind];
        const crossed = event.dueAt <= now ? [...kindLeads, 0] : kindLeads.filter((t) => event.daysLeft <= t);
        const thresholds = crossed.filter((t) => !sent.has(sentKey({ credentialId: row.id, kind: event.kind, threshold: t, dueAt: event.dueAt })));
        if (thresholds.length > 0) pending.push({ credentialId: row.id, event, thresholds });
      }
    }
    if (pending.length === 0) return [];
    // Recorded before it is shown: after a crash a reminder may be lost, never doubled.
    this.store.markSent(
      pending.flatMap((p) => p.thresholds.map((threshold) => ({ credentialId: p.credentialId, kind: p.event.kind, threshold, dueAt: p.event.dueAt }))),
      now,
    );
    const display = { locale: this.locale, timeZone };
    const notices =
      pending.length > this.maxPerTick
        ? [this.summaryNotice(pending)]
        : pending.sort((a, b) => a.event.dueAt - b.event.dueAt).map((p) => this.notice(p, display));
    for (const n of notices) this.opts.notify(n);
    return notices;
  }

  /** Silences one token's reminders until `until` (a time already past lifts it). Dates crossed meanwhile fire when it ends. */
  snooze(credentialId: string, until: number): { credentialId: string; untilMs: number | null } {
    if (!this.store.exists(credentialId)) throw new VaultError('NOT_FOUND', `There is no token with id ${credentialId}.`);
    const lifted = until <= this.now();
    this.store.setSnooze(credentialId, lifted ? null : until);
    return { credentialId, untilMs: lifted ? null : until };
  }

  private notice(p: Pending, display: DateDisplay): ReminderNotice {
    const name = this.opts.nameOf(p.credentialId);
    return { ...reminderText(p.event, name, display), credentialId: p.credentialId };
  }

  private summaryNotice(pending: Pending[]): ReminderNotice {
    const tokens = new Set(pending.map((p) => p.credentialId));
    const isPast = (p: Pending) => p.event.status === 'expired' || p.event.status === 'overdue';
    const count = (kind: DueKind, passed: boolean) =>
      new Set(pending.filter((p) => p.event.kind === kind && isPast(p) === passed).map((p) => p.credentialId)).size;
    const parts = [
      [count('expiry', true), 'expired'],
      [count('rotation', true), 'overdue for rotation'],
      [count('expiry', false), 'expiring soon'],
      [count('rotation', false), 'due for rotation soon'],
    ]
      .filter(([n]) => (n as number) > 0)
      .map(([n, what]) => `${n} ${what}`);
    const unlocked = this.opts.nameOf(pending[0]!.credentialId) !== null;
    return {
      title: `${tokens.size} tokens need attention`,
      body: `${parts.join(', ')} — ${unlocked ? 'open the due list in Tokenvault' : 'unlock Tokenvault'} to see which.`,
      credentialId: null,
    };
  }
}

/** The words of one reminder. Without a name (vault locked) it says "a token in your vault" and nothing that tells which. */
export function reminderText(event: DueEvent, name: string | null, display: DateDisplay): { title: string; body: string } {
  const passed = event.status === 'expired' || event.status === 'overdue';
  const when = formatDaysLeft(event.daysLeft, 'en');
  const date = formatDueDate(event.dueAt, display, { date: event.date ?? null });
  const anon = 'A token in your vault';
  const unlock = ' — unlock Tokenvault to see which.';
  if (event.kind === 'expiry') {
    if (passed) return { title: 'Token expired', body: name ? `${name} expired on ${date}.` : `${anon} has expired${unlock}` };
    return { title: `Token expires ${when}`, body: name ? `${name} expires ${when}, on ${date}.` : `${anon} expires ${when}${unlock}` };
  }
  if (passed) return { title: 'Token rotation overdue', body: name ? `${name} was due for rotation on ${date}.` : `${anon} is overdue for rotation${unlock}` };
  return {
    title: `Token rotation due ${when}`,
    body: name ? `${name} is due for rotation ${when}, on ${date}.` : `${anon} is due for rotation ${when}${unlock}`,
  };
}
