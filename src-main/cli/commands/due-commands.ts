import { VaultError } from '../../../src-shared/errors';
import { parseDays } from '../../../src-shared/domain/duration';
import { DEFAULT_WITHIN_DAYS, type DueItem } from '../../../src-shared/expiry/due-types';
import { formatDaysLeft, formatDueDate } from '../../../src-shared/expiry/format-due';
import { isoWithOffset, localDateKey } from '../../../src-shared/expiry/calendar';
import { writePrivateFile } from '../../platform/write-private-file';
import { listDueItems } from '../../services/due-list';
import { exportDueCalendar } from '../../services/ics-export';
import type { CommandSpec } from '../args';
import type { Context } from '../context';
import { display, displayZone, safe, table, plural } from '../format';

const MAX_WITHIN_DAYS = 3650;

/** `30d`, `2w` or a bare `30`: whole days. */
function parseWithin(text: string): number {
  const days = /^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : parseDays(text);
  if (days === null || days > MAX_WITHIN_DAYS) {
    throw new VaultError('VALIDATION', '--within must be a number of days such as 30d or 2w.', {
      issues: [{ path: '--within', message: 'must be a number of days such as 30d or 2w' }],
    });
  }
  return days;
}

/**
 * What `--json` prints per date: a stable shape for scripts and CI. `dueAt`
 * is the instant as ISO 8601 with the user's offset; `dueDate` the calendar
 * date (`YYYY-MM-DD`): a date-only expiry's own date, else the local date.
 */
function jsonRow(i: DueItem, timeZone: string) {
  const at = Date.parse(i.dueAt);
  return {
    id: i.id,
    ref: i.ref,
    workspace: i.workspace,
    environment: i.environment,
    name: i.name,
    kind: i.kind,
    dueAt: isoWithOffset(at, timeZone),
    dueDate: i.dueDate ?? localDateKey(at, timeZone),
    daysLeft: i.daysLeft,
    status: i.status,
  };
}

function what(i: DueItem): string {
  if (i.kind === 'expiry') return i.status === 'expired' ? 'expired' : 'expires';
  return i.status === 'overdue' ? 'rotation overdue' : 'rotation due';
}

export const dueCommands: (CommandSpec & { run(ctx: Context): Promise<void> })[] = [
  {
    words: ['due'],
    usage:
      'due [--within 30d] [--include-sessions] [--json] | due --ics FILE [--within DAYS]\n' +
      '  Sign-ins that lapse by themselves (a session without a refresh token, such as a Strapi admin login) are left out unless --include-sessions.',
    summary: 'List coming expiry and rotation dates (exit 1 if any is past); --ics FILE writes a calendar',
    options: { within: { type: 'string', valueName: 'DAYS' }, ics: { type: 'string', valueName: 'FILE' }, 'include-sessions': { type: 'boolean' } },
    positionals: [0, 0],
    async run(ctx) {
      const within = ctx.values.within === undefined ? undefined : parseWithin(String(ctx.values.within));
      const vault = await ctx.unlocked();
      // Days and calendar dates in the zone the app uses (Settings, else TZ), so both list the same days left.
      const timeZone = displayZone();
      const clock = { now: Date.now(), timeZone };

      if (typeof ctx.values.ics === 'string') {
        const file = ctx.values.ics;
        const { ics, count } = exportDueCalendar(vault, clock, within === undefined ? {} : { withinDays: within });
        // Names of tokens and workspaces are the user's private data: owner-only (even over an existing file), via temp file + rename.
        writePrivateFile(file, ics);
        ctx.out.result({ file, events: count }, `Wrote ${count} date${count === 1 ? '' : 's'} to ${file}.`);
        return;
      }

      const days = within ?? DEFAULT_WITHIN_DAYS;
      const items = listDueItems(vault, { withinDays: days, includeSessions: ctx.values['include-sessions'] === true }, clock);
      const shown = display();
      ctx.out.result(items.map((i) => jsonRow(i, timeZone)), () =>
        table(
          ['TOKEN', 'WHAT', 'DATE', 'DAYS LEFT', 'STATUS'],
          items.map((i) => [safe(i.ref), what(i), formatDueDate(Date.parse(i.dueAt), shown, { date: i.dueDate }), formatDaysLeft(i.daysLeft, 'en'), i.status]),
        ) || `Nothing expires or is due for rotation in the next ${plural(days, 'day')}.`,
      );
      // For CI: a pipeline fails while any token is past its date.
      if (items.some((i) => i.status === 'expired' || i.status === 'overdue')) process.exitCode = 1;
    },
  },
];
