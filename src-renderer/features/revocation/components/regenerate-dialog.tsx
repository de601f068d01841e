import { useState } from 'react';
import type { RegenerateResult, RevocationPlan } from '../../../../src-shared/domain/revocation-types';
import type { CredentialSummary } from '../../../../src-shared/domain/types';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { FormError } from '../../../components/ui/field';
import { ApiError, call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';
import { ConfirmNameField, ManagementSignIn, VerificationLine } from './parts';
import type { TokenPlace } from './revoke-dialog';

/** Regenerate: a new value from the provider straight into the vault (never shown here); the old one dies at once. */
export function RegenerateDialog({ credential: c, plan, place, onClose }: { credential: CredentialSummary; plan: RevocationPlan; place: TokenPlace; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [needSignIn, setNeedSignIn] = useState(plan.needsManagementSession && !plan.hasManagementSession);
  const [result, setResult] = useState<RegenerateResult | null>(null);
  const confirmed = !plan.confirmName || typed === plan.confirmName;

  async function regenerate() {
    setBusy(true);
    setError(null);
    try {
      setResult(await call('revocation:regenerate', { credentialId: c.id, ...(plan.confirmName ? { confirmName: typed } : {}) }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'SIGN_IN_REQUIRED') setNeedSignIn(true);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="Regenerate token"
      subtitle={
        <>
          <strong>{c.name}</strong> in {place.workspace} / {place.environment}
          {place.production ? <span className="rev-prod"> (production)</span> : null}
        </>
      }
      onClose={onClose}
    >
      <DialogBody>
        {result ? (
          <div className="rev-result" role="status">
            <p className="rev-headline is-ok">Regenerated</p>
            <p>{result.message}</p>
            <p>
              Fingerprint <code>{result.previousFingerprint}</code> → <code>{result.fingerprint}</code>
            </p>
            <VerificationLine v={result.verification} />
          </div>
        ) : (
          <>
            <p>
              {place.providerName} issues a new value for this token and the current one stops working at once: everything that uses it must get the new value. Tokenvault stores
              the new value; reveal or copy it afterwards.
            </p>
            {needSignIn ? <ManagementSignIn environmentId={c.environmentId} providerName={place.providerName} onSignedIn={() => (setNeedSignIn(false), setError(null))} /> : null}
            {plan.confirmName ? <ConfirmNameField name={plan.confirmName} value={typed} onChange={setTyped} /> : null}
          </>
        )}
        <FormError>{error}</FormError>
      </DialogBody>
      <DialogFooter>
        {result ? (
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="danger" busy={busy} disabled={!confirmed || needSignIn} onClick={() => void regenerate()}>
              Regenerate
            </Button>
          </>
        )}
      </DialogFooter>
    </Dialog>
  );
}
