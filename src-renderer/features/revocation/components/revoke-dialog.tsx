import { useCallback, useEffect, useState } from 'react';
import type { RevocationPlan, RevokeResult } from '../../../../src-shared/domain/revocation-types';
import type { CredentialSummary } from '../../../../src-shared/domain/types';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { FormError } from '../../../components/ui/field';
import { ApiError, call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';
import { OVERRIDE_WARNING, revokeOutcome } from '../lib/words';
import { ConfirmNameField, ManagementSignIn, PortalChecklist, VerificationLine } from './parts';

export interface TokenPlace {
  workspace: string;
  environment: string;
  production: boolean;
  providerName: string;
}

/**
 * Revoke, confirmed: the dialog names the token, its workspace and
 * environment; production asks for the name typed. API mode revokes at the
 * provider and shows the follow-up 401; portal mode guides through the
 * checklist, then verifies "I revoked it".
 */
export function RevokeDialog({ credential: c, place, onClose }: { credential: CredentialSummary; place: TokenPlace; onClose: () => void }) {
  const [plan, setPlan] = useState<RevocationPlan | null>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<RevokeResult | null>(null);
  const [overrideOk, setOverrideOk] = useState(false);
  const [needSignIn, setNeedSignIn] = useState(false);

  const loadPlan = useCallback(async () => {
    try {
      const p = await call('revocation:plan', { credentialId: c.id });
      setPlan(p);
      setNeedSignIn(p.needsManagementSession && !p.hasManagementSession);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [c.id]);

  useEffect(() => {
    void loadPlan();
  }, [loadPlan]);

  const confirmed = !plan?.confirmName || typed === plan.confirmName;
  const apiReady = plan?.mode === 'api' && plan.hasRemoteId;

  async function run(what: 'revoke' | 'confirm' | 'override') {
    setBusy(true);
    setError(null);
    try {
      const r =
        what === 'revoke'
          ? await call('revocation:revoke', { credentialId: c.id, ...(plan?.confirmName ? { confirmName: typed } : {}) })
          : await call('revocation:confirm-manual', { credentialId: c.id, ...(what === 'override' ? { override: true } : {}) });
      setResult(r);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'SIGN_IN_REQUIRED') setNeedSignIn(true);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const done = result !== null && result.revoked;
  return (
    <Dialog
      title="Revoke token"
      subtitle={
        <>
          <strong>{c.name}</strong> in {place.workspace} / {place.environment}
          {place.production ? <span className="rev-prod"> (production)</span> : null}
        </>
      }
      onClose={onClose}
      size="md"
      className="rev-dialog"
    >
      <DialogBody>
        {plan === null ? (
          <p className="muted">{error ? '' : 'Loading…'}</p>
        ) : result ? (
          <ResultView result={result} />
        ) : (
          <>
            <p>
              Whoever holds this token loses access. {plan.irreversible ? `${place.providerName} documents this as final: a revoked token can never be reinstated.` : 'In Tokenvault a revoked token stays revoked.'}
            </p>
            {plan.mode === 'api' && !plan.hasRemoteId ? (
              <p className="rev-note">
                Tokenvault does not know this token's id at {place.providerName}, so it cannot revoke it through the API. Run <strong>Sync with provider</strong> to link it,
                or follow the checklist below.
              </p>
            ) : null}
            {plan.mode === 'api' && apiReady && needSignIn ? (
              <ManagementSignIn environmentId={c.environmentId} providerName={place.providerName} onSignedIn={() => void loadPlan().then(() => setError(null))} />
            ) : null}
            {plan.mode === 'portal' || !apiReady ? <PortalChecklist steps={plan.steps} url={plan.url} portalPage={plan.portalPage} providerName={place.providerName} /> : null}
            {apiReady ? <p>Tokenvault asks {place.providerName} to revoke it, then calls the API with it once to prove it is dead.</p> : <p>Then choose <strong>I revoked it</strong>: Tokenvault calls the API with the token to verify that it is refused.</p>}
            {plan.confirmName ? <ConfirmNameField name={plan.confirmName} value={typed} onChange={setTyped} /> : null}
          </>
        )}
        {result?.stillAccepted ? (
          <div className="rev-override">
            <label className="rev-override-check">
              <input type="checkbox" checked={overrideOk} onChange={(e) => setOverrideOk(e.currentTarget.checked)} /> Mark it revoked anyway
            </label>
            <p className="rev-warning" role="note">
              {OVERRIDE_WARNING}
            </p>
          </div>
        ) : null}
        <FormError>{error}</FormError>
      </DialogBody>
      <DialogFooter>
        {done ? (
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            {result?.stillAccepted ? (
              <>
                <Button busy={busy} onClick={() => void run('confirm')}>
                  Verify again
                </Button>
                <Button variant="danger" busy={busy} disabled={!overrideOk} onClick={() => void run('override')}>
                  Mark revoked anyway
                </Button>
              </>
            ) : plan === null ? null : apiReady ? (
              <Button variant="danger" busy={busy} disabled={!confirmed || needSignIn} onClick={() => void run('revoke')}>
                Revoke
              </Button>
            ) : (
              <Button variant="danger" busy={busy} disabled={!confirmed} onClick={() => void run('confirm')}>
                I revoked it
              </Button>
            )}
          </>
        )}
      </DialogFooter>
    </Dialog>
  );
}

function ResultView({ result: r }: { result: RevokeResult }) {
  const o = revokeOutcome(r);
  return (
    <div className="rev-result" role="status" data-state={o.state}>
      <p className={`rev-headline ${o.tone}`}>{o.headline}</p>
      <p>{o.message}</p>
      <VerificationLine v={r.verification} />
      {o.hint ? <p className="muted">{o.hint}</p> : null}
    </div>
  );
}
