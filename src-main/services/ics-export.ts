import ical from 'ical-generator';
import { localDateKey } from '../../src-shared/expiry/calendar';
import type { DueContext } from '../../src-shared/expiry/due-status';
import type { DueItem } from '../../src-shared/expiry/due-types';
import type { Vault } from '../vault/vault';
import { listDueItems } from './due-list';

/**
 * The due dates as an iCalendar file, for the user's own calendar app. It is
 * an explicit export, so it names tokens (workspace/env/name); it is built
 * from DueItem, which has no field for a value or a fingerprint, so neither
 * can end up in it.
 *
 * An expiry is a timed event at the instant the token stops working, except
 * a date-only expiry (`--expires 2027-03-01`), which is an all-day event on
 * that date (VALUE=DATE, the same day in every zone); a rotation is an all-day event on its date in the user's zone (a day's task,
 * not a moment). Each UID is stable per token, kind and date: importing the
 * file again updates events instead of duplicating them, and a new date (after
 * a rotation) is a new event.
 */
export function dueCalendar(items: readonly DueItem[], opts: { now: number; timeZone: string }): string {
  const cal = ical({
    name: 'Tokenvault: token expiry and rotation dates',
    prodId: { company: 'Tokenvault', product: 'Tokenvault', language: 'EN' },
  });
  for (const item of items) {
    const at = Date.parse(item.dueAt);
    const where = `${item.ref}${item.production ? ' (production)' : ''}`;
    if (item.kind === 'expiry' && item.dueDate) {
      cal.createEvent({
        id: calendarUid(item, opts.timeZone),
        stamp: new Date(opts.now),
        start: item.dueDate,
        allDay: true,
        summary: `Token expires: ${where}`,
        description: `The token ${item.ref} works until the end of this day. Replace it in Tokenvault before then.`,
      });
    } else if (item.kind === 'expiry') {
      cal.createEvent({
        id: calendarUid(item, opts.timeZone),
        stamp: new Date(opts.now),
        start: new Date(at),
        summary: `Token expires: ${where}`,
        description: `The token ${item.ref} stops working at this time. Replace it in Tokenvault before then.`,
      });
    } else {
      cal.createEvent({
        id: calendarUid(item, opts.timeZone),
        stamp: new Date(opts.now),
        // A date string, not a Date: ical-generator would write a Date's UTC day, which is not the user's day everywhere.
        start: localDateKey(at, opts.timeZone),
        allDay: true,
        summary: `Rotate token: ${where}`,
        description: `The token ${item.ref} is due for rotation today. Rotate it at the provider, then replace it in Tokenvault.`,
      });
    }
  }
  return cal.toString();
}

export function calendarUid(item: Pick<DueItem, 'id' | 'kind' | 'dueAt'> & { dueDate?: string | null }, timeZone: string): string {
  const at = Date.parse(item.dueAt);
  const date = item.dueDate
    ? item.dueDate.replace(/-/g, '')
    : item.kind === 'expiry'
      ? new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
      : localDateKey(at, timeZone).replace(/-/g, '');
  return `${item.id}.${item.kind}.${date}@tokenvault`;
}

/** Every upcoming date (or those within `withinDays`) as .ics, audited as `exported`. */
export function exportDueCalendar(vault: Vault, ctx: DueContext, opts: { withinDays?: number } = {}): { ics: string; count: number } {
  const items = listDueItems(vault, { upcomingOnly: true, ...(opts.withinDays !== undefined ? { withinDays: opts.withinDays } : {}) }, ctx);
  const ics = dueCalendar(items, ctx);
  vault.recordEvent({ type: 'exported', note: `calendar of ${items.length} due date${items.length === 1 ? '' : 's'} (.ics)` });
  return { ics, count: items.length };
}
