import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { SyncReport } from '../../../../src-shared/domain/revocation-types';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { FormError } from '../../../components/ui/field';
import { ApiError, call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';
import { formatDate } from '../../../lib/format';
import { ManagementSignIn } from './parts';

/** The provider's token list against the vault: what matched, what is gone there, what the vault does not hold. */
export function SyncDialog({
  workspaceId,
  environmentId,
  where,
  providerName,
  onClose,
}: {
  workspaceId: string;
  environmentId: string;
  where: string;
  providerName: string;
  onClose: () => void;
}) {
  const [report, setReport] = useState<SyncReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [needSignIn, setNeedSignIn] = useState(false);

  const sync = useCallback(
    async (apply: boolean) => {
      setBusy(true);
      setError(null);
      try {
        setReport(await call('revocation:sync', { workspaceId, environmentId, ...(apply ? { apply: true } : {}) }));
        setNeedSignIn(false);
      } catch (e) {
        if (e instanceof ApiError && e.code === 'SIGN_IN_REQUIRED') setNeedSignIn(true);
        setError(errorMessage(e));
      } finally {
        setBusy(false);
      }
    },
    [workspaceId, environmentId],
  );

  useEffect(() => {
    void sync(false);
  }, [sync]);

  const pending = report ? report.missingRemotely.filter((m) => !m.markedRevoked).length : 0;
  return (
    <Dialog title="Sync with provider" subtitle={`${providerName} tokens in ${where}`} onClose={onClose} size="lg">
      <DialogBody>
        {needSignIn ? <ManagementSignIn environmentId={environmentId} providerName={providerName} onSignedIn={() => void sync(false)} /> : null}
        {report ? (
          <div className="rev-sync" role="status" data-testid="sync-report">
            <SyncSection title={`Matched (${report.matched.length})`} empty="No token in the vault matched one at the provider.">
              {report.matched.map((m) => (
                <li key={m.credentialId}>
                  {m.remoteName ?? m.remoteId} — {report.linked.some((l) => l.credentialId === m.credentialId) ? `linked to id ${m.remoteId}, the only token of that name; ` : ''}
                  {m.changed.length > 0 ? `updated ${m.changed.join(', ')}` : 'up to date'}
                  {m.expiresAt ? `, expires ${formatDate(m.expiresAt)}` : ''}
                  {m.problem ? <span className="rev-problem"> ({m.problem})</span> : null}
                </li>
              ))}
            </SyncSection>
            <SyncSection title={`Gone at ${providerName} (${report.missingRemotely.length})`} empty="Every linked token still exists at the provider.">
              {report.missingRemotely.map((m) => (
                <li key={m.credentialId}>
                  {m.name} — {m.markedRevoked ? 'marked revoked' : 'revoked or deleted there; still active here'}
                </li>
              ))}
            </SyncSection>
            <SyncSection title={`Not in the vault (${report.untracked.length})`} empty="The vault holds every token the provider lists.">
              {report.untracked.map((u) => (
                <li key={u.remoteId}>
                  {u.name ?? u.remoteId}
                  {u.tokenType ? ` (${u.tokenType})` : ''} — its value cannot be fetched (shown only once, at creation)
                </li>
              ))}
            </SyncSection>
            <SyncSection title={`Not linked (${report.unlinked.length})`} empty="Every token here is linked to its provider id.">
              {report.unlinked.map((u) => (
                <li key={u.credentialId}>
                  {u.name} —{' '}
                  {u.sameNameRemoteId
                    ? `one token with the same name exists there (id ${u.sameNameRemoteId}); apply the sync to link them`
                    : u.sameNameRemoteIds.length > 1
                      ? `${u.sameNameRemoteIds.length} tokens share this name there (ids ${u.sameNameRemoteIds.join(', ')}); set the right provider id in the token's form`
                      : 'no token with this name at the provider'}
                </li>
              ))}
            </SyncSection>
          </div>
        ) : busy ? (
          <p className="muted">Asking {providerName}…</p>
        ) : null}
        <FormError>{error}</FormError>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Close</Button>
        <Button busy={busy} onClick={() => void sync(false)}>
          Sync again
        </Button>
        {pending > 0 ? (
          <Button variant="danger" busy={busy} onClick={() => void sync(true)}>
            Mark gone tokens revoked
          </Button>
        ) : null}
      </DialogFooter>
    </Dialog>
  );
}

function SyncSection({ title, empty, children }: { title: string; empty: string; children: ReactNode[] }) {
  return (
    <section className="rev-sync-section">
      <h3>{title}</h3>
      {children.length > 0 ? <ul>{children}</ul> : <p className="muted">{empty}</p>}
    </section>
  );
}
