import { useEffect, useState } from 'react';
import type { RevocationPlan } from '../../../../src-shared/domain/revocation-types';
import type { CredentialSummary } from '../../../../src-shared/domain/types';
import type { ProviderInfo } from '../../../../src-shared/ipc/contract';
import { Button } from '../../../components/ui/button';
import { call } from '../../../lib/api';
import { RegenerateDialog, RevokeDialog, RotateWizard, SyncDialog } from '../../../app/lazy-views';
import type { TokenPlace } from './revoke-dialog';
import './revocation.css';

type Open = 'revoke' | 'regenerate' | 'rotate' | 'sync' | null;

/**
 * On a token's details: Rotate, Regenerate (where the provider can), Revoke,
 * Sync with provider (where it lists tokens), and the rotation lineage.
 */
export function RevocationPanel({
  credential: c,
  workspace,
  environment,
  providerId,
  onOpenToken,
}: {
  credential: CredentialSummary;
  workspace: { id: string; name: string };
  environment: { id: string; name: string; production: boolean };
  providerId: string | null;
  onOpenToken: (credentialId: string) => void;
}) {
  const [plan, setPlan] = useState<RevocationPlan | null>(null);
  const [provider, setProvider] = useState<ProviderInfo['definition'] | null>(null);
  const [open, setOpen] = useState<Open>(null);

  useEffect(() => {
    let live = true;
    call('revocation:plan', { credentialId: c.id })
      .then((p) => live && setPlan(p))
      .catch(() => live && setPlan(null));
    return () => {
      live = false;
    };
    // Re-read after any change to the token (revoked, rotated, regenerated).
  }, [c.id, c.updatedAt, c.status]);

  useEffect(() => {
    let live = true;
    if (!providerId) {
      setProvider(null);
      return;
    }
    call('providers:list', {})
      .then((ps) => live && setProvider(ps.find((p) => p.definition.id === providerId)?.definition ?? null))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [providerId]);

  const place: TokenPlace = {
    workspace: workspace.name,
    environment: environment.name,
    production: environment.production,
    providerName: provider?.name ?? 'the provider',
  };
  const revoked = c.status === 'revoked';
  const canList = !!provider?.tokenManagement?.list;
  const canCreate = !!provider?.tokenManagement?.create;

  return (
    <section className="rev-panel" aria-label="Revoke and rotate">
      <Lineage credential={c} onOpenToken={onOpenToken} />
      <div className="rev-actions">
        {revoked ? (
          <p className="rev-revoked-note">Revoked: this token can no longer be used, rotated or regenerated.</p>
        ) : (
          <>
            <Button onClick={() => setOpen('rotate')}>Rotate</Button>
            {plan?.canRegenerate ? <Button onClick={() => setOpen('regenerate')}>Regenerate</Button> : null}
            <Button variant="danger" onClick={() => setOpen('revoke')}>
              Revoke
            </Button>
          </>
        )}
        {canList ? (
          <Button variant="ghost" onClick={() => setOpen('sync')}>
            Sync with provider
          </Button>
        ) : null}
      </div>
      {open === 'revoke' ? <RevokeDialog credential={c} place={place} onClose={() => setOpen(null)} /> : null}
      {open === 'regenerate' && plan ? <RegenerateDialog credential={c} plan={plan} place={place} onClose={() => setOpen(null)} /> : null}
      {open === 'rotate' ? <RotateWizard credential={c} place={place} canCreate={canCreate} onClose={() => setOpen(null)} /> : null}
      {open === 'sync' ? (
        <SyncDialog workspaceId={workspace.id} environmentId={environment.id} where={`${workspace.name} / ${environment.name}`} providerName={place.providerName} onClose={() => setOpen(null)} />
      ) : null}
    </section>
  );
}

/** "Replaces …" / "Replaced by …": the rotation chain, each a way to the other token. */
function Lineage({ credential: c, onOpenToken }: { credential: CredentialSummary; onOpenToken: (id: string) => void }) {
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    let live = true;
    for (const id of [c.supersedes, c.supersededBy]) {
      if (!id) continue;
      call('credentials:get', { id })
        .then((o) => live && setNames((n) => ({ ...n, [id]: o.name })))
        .catch(() => live && setNames((n) => ({ ...n, [id]: 'a token that is no longer in the vault' })));
    }
    return () => {
      live = false;
    };
  }, [c.supersedes, c.supersededBy]);
  if (!c.supersedes && !c.supersededBy) return null;
  const link = (id: string) => (
    <button type="button" className="rev-lineage-link" onClick={() => onOpenToken(id)}>
      {names[id] ?? id}
    </button>
  );
  return (
    <dl className="rev-lineage" data-testid="lineage">
      {c.supersedes ? (
        <div>
          <dt>Supersedes</dt>
          <dd>{link(c.supersedes)}</dd>
        </div>
      ) : null}
      {c.supersededBy ? (
        <div>
          <dt>Superseded by</dt>
          <dd>{link(c.supersededBy)}</dd>
        </div>
      ) : null}
    </dl>
  );
}
