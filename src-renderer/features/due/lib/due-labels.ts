import type { DueKind, DueStatus } from '../../../../src-shared/expiry/due-types';
import type { BadgeTone } from '../../../components/ui/badge';

export const STATUS_LABEL: Record<DueStatus, string> = {
  ok: 'OK',
  due_soon: 'Due soon',
  overdue: 'Overdue',
  expired: 'Expired',
  revoked: 'Revoked',
};

export const STATUS_TONE: Record<DueStatus, BadgeTone> = {
  ok: 'success',
  due_soon: 'warning',
  overdue: 'danger',
  expired: 'danger',
  revoked: 'neutral',
};

/** What falls due, as the list's "What" column says it. */
export const KIND_LABEL: Record<DueKind, string> = {
  expiry: 'Expires',
  rotation: 'Rotation due',
};

/** "in 3 days", "today", "2 days ago", from the calendar days the main process worked out. */
export function daysLeftLabel(daysLeft: number, locale?: string): string {
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(daysLeft, 'day');
}
