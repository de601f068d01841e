/**
 * Dates as the user reads them. Locale and zone are always passed in: the
 * shells pass the user's, tests pin their own, and nothing here depends on the
 * machine it runs on.
 */
export interface DateDisplay {
  locale: string;
  timeZone: string;
}

/** `1 Apr 2025, 09:00` (en-GB) or `Apr 1, 2025, 9:00 AM` (en-US); the date alone with `withTime: false`. */
export function formatDueDate(at: number, display: DateDisplay, opts: { withTime?: boolean } = {}): string {
  return new Intl.DateTimeFormat(display.locale, {
    dateStyle: 'medium',
    ...(opts.withTime === false ? {} : { timeStyle: 'short' }),
    timeZone: display.timeZone,
  }).format(at);
}

/** `today`, `tomorrow`, `in 3 days`, `2 days ago`, in the locale's words. */
export function formatDaysLeft(daysLeft: number, locale: string): string {
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(daysLeft, 'day');
}
