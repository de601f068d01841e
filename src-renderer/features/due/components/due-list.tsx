import { useState } from 'react';
import type { DueItem } from '../../../../src-shared/expiry/due-types';
import { Badge } from '../../../components/ui/badge';
import { Button } from '../../../components/ui/button';
import { errorMessage } from '../../../lib/errors';
import { formatDate, formatDateTime, TIME } from '../../../lib/format';
import { formatCalendarDate } from '../../../../src-shared/expiry/format-due';
import { daysLeftLabel, KIND_LABEL, STATUS_LABEL, STATUS_TONE } from '../lib/due-labels';
import { dueSelectors, useDueStore } from '../stores/due-store';

/**
 * Every due date, earliest first: the accessible alternative to the
 * timeline, and where a token is snoozed or opened.
 */
export function DueList({ items, now, onOpen }: { items: readonly DueItem[]; now: number; onOpen: (item: DueItem) => void }) {
  const snoozed = useDueStore(dueSelectors.snoozed);
  return (
    <table className="due-table">
      <caption className="visually-hidden">Due dates, earliest first</caption>
      <thead>
        <tr>
          <th scope="col">Token</th>
          <th scope="col">Workspace / environment</th>
          <th scope="col">What</th>
          <th scope="col">Date</th>
          <th scope="col">Days left</th>
          <th scope="col">Status</th>
          <th scope="col">
            <span className="visually-hidden">Reminders</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <DueRow key={`${item.kind}:${item.id}`} item={item} now={now} snoozedUntil={snoozed[item.id] ?? null} onOpen={onOpen} />
        ))}
      </tbody>
    </table>
  );
}

function DueRow({ item, now, snoozedUntil, onOpen }: { item: DueItem; now: number; snoozedUntil: number | null; onOpen: (item: DueItem) => void }) {
  const { snooze } = useDueStore(dueSelectors.actions);
  const [busy, setBusy] = useState<'day' | 'week' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const at = Date.parse(item.dueAt);

  async function doSnooze(span: 'day' | 'week') {
    setBusy(span);
    setError(null);
    try {
      await snooze(item.id, Date.now() + (span === 'day' ? TIME.DAY : 7 * TIME.DAY));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <tr className={`due-row status-${item.status}${item.production ? ' is-production' : ''}`} data-testid="due-row" data-kind={item.kind}>
      <th scope="row" className="due-cell-token">
        <button type="button" className="due-token-link" onClick={() => onOpen(item)}>
          {item.name}
        </button>
      </th>
      <td className="due-cell-where">
        <span>{item.workspace}</span>
        <span className="due-sep"> / </span>
        <span className={item.production ? 'due-env-production' : undefined}>{item.environment}</span>
        {item.production ? (
          <>
            {' '}
            <Badge tone="production">Production</Badge>
          </>
        ) : null}
      </td>
      <td>{KIND_LABEL[item.kind]}</td>
      <td>
        <time dateTime={item.dueAt} title={formatDateTime(at)}>
          {item.dueDate ? formatCalendarDate(item.dueDate, navigator.language) : formatDate(at)}
        </time>
      </td>
      <td className="due-cell-days">{daysLeftLabel(item.daysLeft)}</td>
      <td>
        <Badge tone={STATUS_TONE[item.status]}>{STATUS_LABEL[item.status]}</Badge>
      </td>
      <td className="due-cell-actions">
        {snoozedUntil !== null && snoozedUntil > now ? (
          <span className="due-snoozed" role="status">
            Snoozed until {formatDateTime(snoozedUntil)}
          </span>
        ) : null}
        <Button size="sm" variant="ghost" busy={busy === 'day'} disabled={busy !== null} onClick={() => void doSnooze('day')}>
          Snooze 1 day
        </Button>
        <Button size="sm" variant="ghost" busy={busy === 'week'} disabled={busy !== null} onClick={() => void doSnooze('week')}>
          Snooze 1 week
        </Button>
        {error ? (
          <span className="due-row-error" role="alert">
            {error}
          </span>
        ) : null}
      </td>
    </tr>
  );
}
