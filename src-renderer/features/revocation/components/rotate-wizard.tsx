import { useEffect, useState } from 'react';
import type { RevokeResult, RotationFlowView, RotationStartResult, VerificationCall } from '../../../../src-shared/domain/revocation-types';
import type { CredentialSummary } from '../../../../src-shared/domain/types';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { Field, FormError } from '../../../components/ui/field';
import { call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';
import { formatDate } from '../../../lib/format';
import { OVERRIDE_WARNING, revokeOutcome, STILL_ACCEPTED } from '../lib/words';
import { ConfirmNameField, PortalChecklist, VerificationLine } from './parts';
import type { TokenPlace } from './revoke-dialog';

const STEPS = ['New token', 'Test', 'Switch', 'Revoke old'] as const;

function stepIndex(flow: RotationFlowView | null): number {
  if (!flow) return 0;
  switch (flow.next) {
    case 'provide-value':
      return 0;
    case 'test':
      return 1;
    case 'switch':
      return 2;
    case 'finish':
      return 3;
    default:
      return 4;
  }
}

/**
 * Rotation with no downtime: a new token (created at the provider, or
 * pasted from its portal) → tested → made current, the old one kept valid
 * for the overlap → the old one revoked. "Abandon" at any step leaves the old
 * token current and untouched. Closing the dialog keeps the flow: "Rotate"
 * resumes it.
 */
export function RotateWizard({ credential: c, place, canCreate, onClose }: { credential: CredentialSummary; place: TokenPlace; canCreate: boolean; onClose: () => void }) {
  const [flow, setFlow] = useState<RotationFlowView | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [instructions, setInstructions] = useState<RotationStartResult['instructions']>(null);
  const [mode, setMode] = useState<'create' | 'manual'>(canCreate ? 'create' : 'manual');
  const [value, setValue] = useState('');
  const [verification, setVerification] = useState<{ v: VerificationCall; passed: boolean; message: string } | null>(null);
  const [overlap, setOverlap] = useState('7');
  const [typed, setTyped] = useState('');
  const [revocation, setRevocation] = useState<RevokeResult | null>(null);
  const [overrideOk, setOverrideOk] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // A rotation already under way for this token picks up where it stopped.
  useEffect(() => {
    let live = true;
    call('rotation:list', {})
      .then((flows) => {
        if (!live) return;
        const mine = flows.find((f) => f.next !== null && (f.oldCredentialId === c.id || f.newCredentialId === c.id));
        if (mine) setFlow(mine);
        setLoaded(true);
      })
      .catch((e: unknown) => {
        if (live) {
          setError(errorMessage(e));
          setLoaded(true);
        }
      });
    return () => {
      live = false;
    };
  }, [c.id]);

  async function step<T>(fn: () => Promise<T>, after: (r: T) => void) {
    setBusy(true);
    setError(null);
    try {
      after(await fn());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const start = () =>
    step(
      () => call('rotation:start', { credentialId: c.id, mode }),
      (r) => {
        setFlow(r.flow);
        setInstructions(r.instructions);
        setMessage(r.message);
      },
    );
  const provide = () =>
    step(
      () => call('rotation:provide-value', { flowId: flow!.flowId, value }),
      (f) => {
        setValue('');
        setFlow(f);
        setMessage('The new value is stored in the vault next to the old token.');
      },
    );
  const test = () =>
    step(
      () => call('rotation:test', { flowId: flow!.flowId }),
      (r) => {
        setFlow(r.flow);
        setVerification({ v: r.verification, passed: r.passed, message: r.message });
        setMessage(null);
      },
    );
  const overlapDays = /^\d+$/.test(overlap.trim()) ? Number(overlap.trim()) : NaN;
  const doSwitch = () =>
    step(
      () => call('rotation:switch', { flowId: flow!.flowId, overlapDays }),
      (f) => {
        setFlow(f);
        setMessage(
          `The new token is now current${f.newName ? ` as “${f.newName}”` : ''}. The old one keeps working ${f.overlapDays === 0 ? 'until you revoke it' : `for ${f.overlapDays} days`}${f.revokePlannedAt ? ` (revoke planned ${formatDate(f.revokePlannedAt)})` : ''}: move everything that uses it to the new value.`,
        );
      },
    );
  const finish = (override: boolean) =>
    step(
      () => call('rotation:finish', { flowId: flow!.flowId, ...(flow?.confirmName ? { confirmName: typed } : {}), ...(override ? { override: true } : {}) }),
      (r) => {
        setFlow(r.flow);
        setRevocation(r.revocation);
        setMessage(null);
      },
    );
  const abandon = () =>
    step(
      () => call('rotation:abandon', { flowId: flow!.flowId }),
      (r) => {
        setFlow(r.flow);
        setMessage(`Rotation abandoned. ${r.message} The old token is untouched and still current.`);
      },
    );

  const at = stepIndex(flow);
  const over = flow !== null && flow.next === null;
  const abandoned = flow?.step === 'abandoned';

  return (
    <Dialog
      title="Rotate token"
      subtitle={
        <>
          <strong>{c.name}</strong> in {place.workspace} / {place.environment}
          {place.production ? <span className="rev-prod"> (production)</span> : null}
        </>
      }
      onClose={onClose}
      size="lg"
    >
      <DialogBody>
        <ol className="rot-steps" aria-label="Rotation steps">
          {STEPS.map((s, i) => (
            <li key={s} className={i < at ? 'is-done' : i === at && !over ? 'is-current' : ''} aria-current={i === at && !over ? 'step' : undefined}>
              <span className="rot-step-n" aria-hidden="true">
                {i < at ? '✓' : i + 1}
              </span>
              {s}
            </li>
          ))}
        </ol>

        {message ? (
          <p className="rot-message" role="status">
            {message}
          </p>
        ) : null}

        {!loaded ? <p className="muted">Loading…</p> : null}

        {loaded && flow === null ? (
          <fieldset className="rot-modes">
            <legend>How do you get the new token?</legend>
            <label className="rot-mode">
              <input type="radio" name="rot-mode" checked={mode === 'create'} disabled={!canCreate} onChange={() => setMode('create')} /> Create it at {place.providerName}
              {canCreate ? null : <span className="muted"> ({place.providerName} has no API for this)</span>}
            </label>
            <label className="rot-mode">
              <input type="radio" name="rot-mode" checked={mode === 'manual'} onChange={() => setMode('manual')} /> Paste a new value from the portal
            </label>
          </fieldset>
        ) : null}

        {flow?.next === 'provide-value' ? (
          <>
            {instructions ? <PortalChecklist steps={instructions.steps} url={instructions.url} portalPage={instructions.portalPage} providerName={place.providerName} /> : null}
            <Field label="New token value" hint="Paste it as the portal shows it (once). It goes into the vault; it is not shown again here.">
              {(p) => (
                <input {...p} className="input" type="password" autoComplete="off" spellCheck={false} value={value} onChange={(e) => setValue(e.currentTarget.value)} />
              )}
            </Field>
          </>
        ) : null}

        {flow?.next === 'test' ? <p>Tokenvault calls the API once with the new token, to be sure it works before anything switches.</p> : null}
        {verification ? (
          <div className={`rot-test ${verification.passed ? 'is-ok' : 'is-bad'}`} role="status">
            <p>
              <strong>{verification.passed ? 'The new token works.' : 'The new token did not pass.'}</strong> {verification.message}
            </p>
            <VerificationLine v={verification.v} />
          </div>
        ) : null}

        {flow?.next === 'switch' ? (
          <Field label="Overlap (days)" hint="How long the old token keeps working after the switch, for everything that uses it to move over. 0 to 365." error={Number.isNaN(overlapDays) || overlapDays > 365 ? 'Overlap must be a whole number of days from 0 to 365.' : null}>
            {(p) => <input {...p} className="input rot-overlap" inputMode="numeric" value={overlap} onChange={(e) => setOverlap(e.currentTarget.value)} />}
          </Field>
        ) : null}

        {flow?.next === 'finish' && !revocation?.stillAccepted ? (
          <>
            <p>Revoke the old token now{flow.revokePlannedAt ? ` (planned for ${formatDate(flow.revokePlannedAt)})` : ''}. Only do it once nothing uses it any more.</p>
            {flow.confirmName ? <ConfirmNameField name={flow.confirmName} value={typed} onChange={setTyped} /> : null}
          </>
        ) : null}

        {revocation ? (
          <div className="rev-result" role="status">
            <p className={`rev-headline ${revokeOutcome(revocation).tone}`}>Old token: {revokeOutcome(revocation).headline}</p>
            <p>{revocation.message}</p>
            <VerificationLine v={revocation.verification} />
            {revocation.stillAccepted ? (
              <>
                <p className="muted">{STILL_ACCEPTED}</p>
                <label className="rev-override-check">
                  <input type="checkbox" checked={overrideOk} onChange={(e) => setOverrideOk(e.currentTarget.checked)} /> Mark it revoked anyway
                </label>
                <p className="rev-warning">{OVERRIDE_WARNING}</p>
              </>
            ) : null}
          </div>
        ) : null}
        {over && !abandoned && !revocation ? <p role="status">This rotation is complete.</p> : null}
        <FormError>{error}</FormError>
      </DialogBody>
      <DialogFooter
        start={
          flow && !over ? (
            <Button variant="ghost" busy={busy} onClick={() => void abandon()}>
              Abandon rotation
            </Button>
          ) : null
        }
      >
        <Button onClick={onClose}>{over ? 'Done' : 'Close'}</Button>
        {loaded && flow === null ? (
          <Button variant="primary" busy={busy} onClick={() => void start()}>
            Start rotation
          </Button>
        ) : null}
        {flow?.next === 'provide-value' ? (
          <Button variant="primary" busy={busy} disabled={value === ''} onClick={() => void provide()}>
            Save new value
          </Button>
        ) : null}
        {flow?.next === 'test' ? (
          <Button variant="primary" busy={busy} onClick={() => void test()}>
            Test new token
          </Button>
        ) : null}
        {flow?.next === 'switch' ? (
          <Button variant="primary" busy={busy} disabled={Number.isNaN(overlapDays) || overlapDays > 365} onClick={() => void doSwitch()}>
            Switch to new token
          </Button>
        ) : null}
        {flow?.next === 'finish' && revocation?.stillAccepted ? (
          <Button variant="danger" busy={busy} disabled={!overrideOk} onClick={() => void finish(true)}>
            Mark revoked anyway
          </Button>
        ) : null}
        {flow?.next === 'finish' ? (
          <Button variant="danger" busy={busy} disabled={!!flow.confirmName && typed !== flow.confirmName} onClick={() => void finish(false)}>
            {revocation?.stillAccepted ? 'Verify again' : 'Revoke old token'}
          </Button>
        ) : null}
      </DialogFooter>
    </Dialog>
  );
}
