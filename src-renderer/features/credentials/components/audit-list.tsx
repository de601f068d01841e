import { useEffect, useState } from 'react';
import type { AuditEvent } from '../../../../src-shared/domain/types';
import { call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime, formatSince } from '../../../lib/format';
import { useNow } from '../../../lib/use-now';
import { AUDIT_LABELS } from '../lib/labels';

/** The audit events of one token, newest first. `version` changes whenever the parent knows a new event was written. */
export function AuditList({ credentialId, version }: { credentialId: string; version: string | number }) {
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const now = useNow();

  useEffect(() => {
    let live = true;
    call('audit:list', { credentialId, limit: 50 })
      .then((list) => {
        if (live) {
          setEvents(list);
          setError(null);
        }
      })
      .catch((e: unknown) => {
        if (live) setError(errorMessage(e));
      });
    return () => {
      live = false;
    };
  }, [credentialId, version]);

  return (
    <section className="detail-section" aria-labelledby={`audit-${credentialId}`}>
      <h3 className="detail-section-title" id={`audit-${credentialId}`}>
        Activity
      </h3>
      {error ? <p className="detail-error">{error}</p> : null}
      {events === null && !error ? <p className="muted">Loading…</p> : null}
      {events !== null && events.length === 0 ? <p className="muted">Nothing recorded yet.</p> : null}
      {events !== null && events.length > 0 ? (
        <ol className="audit-list">
          {events.map((e) => (
            <li key={e.seq} className={`audit-item audit-${e.type}`}>
              <span className="audit-dot" aria-hidden="true" />
              <span className="audit-type">{AUDIT_LABELS[e.type] ?? e.type}</span>
              {e.note ? <span className="audit-note">{e.note}</span> : null}
              <time className="audit-time" dateTime={new Date(e.at).toISOString()} title={formatDateTime(e.at)}>
                {formatSince(e.at, now)}
              </time>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
