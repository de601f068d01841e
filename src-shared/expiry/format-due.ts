/**
 * Dates as the user reads them. Locale and zone are always passed in: the
 * shells pass the user's, tests pin their own, and nothing here depends on the
 * machine it runs on.
 *
 * One human format everywhere (CLI, UI, reminders): the date and time in the
 * user's zone with the zone named (`1 Apr 2025, 09:00 CEST`), or the calendar
 * date alone for a date-only expiry (`1 Mar 2027`, the same in every zone).
 * Machine output (`--json`) uses ISO 8601 with the offset (see isoWithOffset).
 */
export interface DateDisplay {
  locale: string;
  timeZone: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function fmt(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formats.get(key);
  if (!f) formats.set(key, (f = make()));
  return f;
}

/**
 * `1 Apr 2025, 09:00 CEST` (en-GB) or `Apr 1, 2025, 03:00 AM EDT` (en-US); the
 * date alone with `withTime: false`; with `date` (a `YYYY-MM-DD` calendar date,
 * for a date-only expiry) that date, whatever the zone.
 */
export function formatDueDate(at: number, display: DateDisplay, opts: { withTime?: boolean; date?: string | null } = {}): string {
  if (opts.date) return formatCalendarDate(opts.date, display.locale);
  if (opts.withTime === false) {
    return fmt(`d:${display.locale}:${display.timeZone}`, () => new Intl.DateTimeFormat(display.locale, { dateStyle: 'medium', timeZone: display.timeZone })).format(at);
  }
  return fmt(
    `dt:${display.locale}:${display.timeZone}`,
    () =>
      new Intl.DateTimeFormat(display.locale, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZoneName: 'short',
        timeZone: display.timeZone,
      }),
  ).format(at);
}

/** A calendar date `YYYY-MM-DD` in the locale's medium style (`1 Mar 2027`): the same day in every zone. */
export function formatCalendarDate(dateKey: string, locale: string): string {
  return fmt(`cd:${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })).format(Date.parse(`${dateKey}T12:00:00Z`));
}

/** `today`, `tomorrow`, `in 3 days`, `2 days ago`, in the locale's words. */
export function formatDaysLeft(daysLeft: number, locale: string): string {
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(daysLeft, 'day');
}
