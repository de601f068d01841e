import * as z from 'zod';
import { lazy } from '../domain/lazy';

/** The two kinds of date a credential can be due on. */
export const DUE_KINDS = ['expiry', 'rotation'] as const;
export const DueKind = lazy(() => z.enum(DUE_KINDS));
export type DueKind = z.infer<typeof DueKind>;

/**
 * `overdue` is a rotation past its date (the token still works); `expired` is
 * an expiry past its date (it does not). `revoked` tokens have nothing due.
 */
export const DUE_STATUSES = ['ok', 'due_soon', 'overdue', 'expired', 'revoked'] as const;
export const DueStatus = lazy(() => z.enum(DUE_STATUSES));
export type DueStatus = z.infer<typeof DueStatus>;

/** Inside this many calendar days a date counts as `due_soon`. */
export const DEFAULT_LEAD_DAYS = 14;
/** Reminder thresholds: a notification as each is crossed, and one more when the date passes. */
export const DEFAULT_REMINDER_LEAD_DAYS: readonly number[] = [14, 3, 1];
/** The window `tokenvault due` and the due list show by default. */
export const DEFAULT_WITHIN_DAYS = 30;

export const WithinDays = lazy(() => z.number().int().min(0).max(3650));

/** One due date of one credential, as the due list, the CLI (`--json`) and the calendar export show it. */
export interface DueItem {
  id: string;
  /** `workspace/environment/name`: what `tokenvault token show` accepts. */
  ref: string;
  workspace: string;
  environment: string;
  name: string;
  kind: DueKind;
  /** ISO 8601, UTC. */
  dueAt: string;
  /** For a date-only expiry, its calendar date (`YYYY-MM-DD`), shown as is in every zone; else null. */
  dueDate?: string | null;
  /** Calendar days from today to the due date in the user's zone; negative once past. */
  daysLeft: number;
  status: Exclude<DueStatus, 'revoked'>;
  workspaceId: string;
  environmentId: string;
  production: boolean;
}
