import { useState, type ReactNode } from 'react';
import type { CredentialSummary } from '../../../../src-shared/domain/types';
import { Badge } from '../../../components/ui/badge';
import { Button } from '../../../components/ui/button';
import { LayersIcon, PencilIcon, TrashIcon } from '../../../components/ui/icons';
import { dueState, formatDate, formatDateTime, formatRelative, TIME, formatSince } from '../../../lib/format';
import { useNow } from '../../../lib/use-now';
import { kindLabel } from '../lib/labels';
import { describeExpirySource } from '../../../../src-shared/expiry/expiry-sources';
import { formatCalendarDate } from '../../../../src-shared/expiry/format-due';
import { AuditList } from './audit-list';
import { RevealCopy } from './reveal-copy';
import { SameValueWarning } from './same-value-warning';
import { StatusBadge } from './status-badge';

const OUTCOMES: Record<NonNullable<CredentialSummary['lastTestOutcome']>, string> = {
  ok: 'valid',
  unauthorized: 'unauthorized (401)',
  forbidden: 'forbidden (403)',
  not_found: 'not found (404)',
  rate_limited: 'rate-limited (429)',
  client_error: 'rejected by the API',
  server_error: 'server error',
  timeout: 'timed out',
  network: 'network trouble',
  tls: 'TLS trouble',
  redirected: 'redirected: not OK',
};

/** Everything about one token except its value, with Reveal, Copy, Edit and Delete. */
export function CredentialDetail({
  credential: c,
  onEdit,
  onMove,
  onDelete,
  tools,
}: {
  credential: CredentialSummary;
  onEdit: () => void;
  /** Opens the move dialog (another environment or workspace). */
  onMove?: () => void;
  onDelete: () => void;
  /** Test, Request and the other tools of other features. */
  tools?: ReactNode;
}) {
  const now = useNow();
  const [auditVersion, setAuditVersion] = useState(0);
  const rotationDue = c.rotationDays === null ? null : c.rotatedAt + c.rotationDays * TIME.DAY;

  return (
    <article className="detail" aria-labelledby="detail-title">
      <header className="detail-header">
        <div className="detail-title-row">
          <h2 className="detail-title" id="detail-title">
            {c.name}
          </h2>
          <div className="detail-badges">
            <Badge tone="info">{kindLabel(c.kind)}</Badge>
            <StatusBadge credential={c} now={now} />
          </div>
        </div>
        {c.description ? <p className="detail-description">{c.description}</p> : null}
      </header>

      <SameValueWarning credential={c} />

      <RevealCopy key={c.id} credential={c} onAudited={() => setAuditVersion((v) => v + 1)} />

      {tools}

      <dl className="detail-facts">
        {c.kind === 'api_key' ? <Fact label="Header">{c.headerName ? <code>{c.headerName}</code> : '—'}</Fact> : null}
        <Fact label="Role">{c.role ?? <span className="muted">—</span>}</Fact>
        <Fact label="Scopes">
          {c.scopes.length > 0 ? (
            <span className="chips">
              {c.scopes.map((s) => (
                <span key={s} className="chip">
                  {s}
                </span>
              ))}
            </span>
          ) : (
            <span className="muted">—</span>
          )}
        </Fact>
        {c.tokenType ? <Fact label="Token type">{c.tokenType}</Fact> : null}
        <Fact label="Fingerprint">
          <code>{c.fingerprint}</code>
        </Fact>
        <Fact label="Expires">
          {c.expiresAt === null ? (
            'Never'
          ) : (
            <span className={`due-${dueState(c.expiresAt, now)}`} data-testid="expiry">
              {c.expiresOn ? formatCalendarDate(c.expiresOn, navigator.language) : formatDateTime(c.expiresAt)}{' '}
              <span className="muted">({formatRelative(c.expiresAt, now)})</span>
              {c.kind === 'jwt_session' && c.expirySource === 'jwt_exp' && c.expiresAt <= now ? <> · signed out — sign in again</> : null}
              {c.expirySource ? <span className="muted expiry-source"> · from {describeExpirySource(c.expirySource)}</span> : null}
            </span>
          )}
        </Fact>
        <Fact label="Rotation">
          {rotationDue === null ? (
            <span className="muted">No policy</span>
          ) : (
            <span className={`due-${dueState(rotationDue, now)}`}>
              Every {c.rotationDays} days · due {formatDate(rotationDue)} <span className="muted">({formatRelative(rotationDue, now)})</span>
            </span>
          )}
        </Fact>
        {c.hasRefreshToken ? <Fact label="Refresh token">Stored</Fact> : null}
        <Fact label="Last used">{c.lastUsedAt === null ? <span className="muted">Never</span> : <When at={c.lastUsedAt} now={now} />}</Fact>
        <Fact label="Last tested">
          {c.lastTestedAt === null ? (
            <span className="muted">Never</span>
          ) : (
            <>
              <When at={c.lastTestedAt} now={now} />
              {c.lastTestOutcome ? ` · ${OUTCOMES[c.lastTestOutcome]}` : null}
            </>
          )}
        </Fact>
        <Fact label="Added">
          <When at={c.createdAt} now={now} />
        </Fact>
        {c.updatedAt !== c.createdAt ? (
          <Fact label="Edited">
            <When at={c.updatedAt} now={now} />
          </Fact>
        ) : null}
        {c.identity && (c.identity.account || c.identity.company) ? (
          <Fact label="Belongs to">{[c.identity.account, c.identity.company].filter(Boolean).join(' · ')}</Fact>
        ) : null}
        {c.remoteId ? (
          <Fact label="Provider id">
            <code>{c.remoteId}</code>
          </Fact>
        ) : null}
        {c.notes ? (
          <Fact label="Notes">
            <span className="detail-notes">{c.notes}</span>
          </Fact>
        ) : null}
        {c.tags.length > 0 ? (
          <Fact label="Tags">
            <span className="chips">
              {c.tags.map((t) => (
                <span key={t} className="chip">
                  {t}
                </span>
              ))}
            </span>
          </Fact>
        ) : null}
      </dl>

      <div className="detail-manage">
        <Button icon={<PencilIcon />} onClick={onEdit}>
          Edit
        </Button>
        {onMove ? (
          <Button icon={<LayersIcon />} onClick={onMove}>
            Move…
          </Button>
        ) : null}
        <Button icon={<TrashIcon />} variant="ghost" className="btn-delete" onClick={onDelete}>
          Delete
        </Button>
      </div>

      {/* Refetched after a reveal or copy here, an edit, and a test or use (they move lastTestedAt / lastUsedAt, not updatedAt). */}
      <AuditList credentialId={c.id} version={`${auditVersion}:${c.updatedAt}:${c.lastTestedAt}:${c.lastUsedAt}:${c.status}`} />
    </article>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function When({ at, now }: { at: number; now: number }) {
  return (
    <time dateTime={new Date(at).toISOString()} title={formatDateTime(at)}>
      {formatSince(at, now)}
    </time>
  );
}
