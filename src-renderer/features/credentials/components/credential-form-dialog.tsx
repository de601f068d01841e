import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { call } from '../../../lib/api';
import { ConflictNotice, isConflict } from '../../../components/ui/conflict-notice';
import { CREDENTIAL_KINDS_FOR_FORM } from '../lib/kinds';
import type { CredentialSummary } from '../../../../src-shared/domain/types';
import { issuesForForm } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { Field, FormError } from '../../../components/ui/field';
import { WarningIcon } from '../../../components/ui/icons';
import {
  CREDENTIAL_FIELD_LABELS as LABELS,
  emptyFormValues,
  formValuesFrom,
  toCredentialInput,
  toCredentialPatch,
  type CredentialFormValues,
} from '../lib/credential-form-model';
import { expiryToTimestamp } from '../lib/expiry-input';
import { kindLabel } from '../lib/labels';
import { credentialsSelectors, useCredentialsStore } from '../stores/credentials-store';
import { useProvider, useProvidersStore } from '../../../lib/providers-store';
import { documentedApiKeyHeader } from '../../../../src-shared/providers/lookup';

export type CredentialFormTarget =
  | { mode: 'add'; environmentId: string; where: string; production: boolean; /** The workspace's provider: an API key defaults to the header it documents. */ providerId?: string | null }
  | { mode: 'edit'; credential: CredentialSummary; where: string; production: boolean };

/**
 * Add or edit a token. The value is typed (pasted) once, into a password
 * field, only when adding; editing never shows or changes it. Problems the
 * API finds are shown at their field.
 */
export function CredentialFormDialog({ target, onClose }: { target: CredentialFormTarget; onClose: () => void }) {
  const { add, update } = useCredentialsStore(credentialsSelectors.actions);
  // The version this dialog opened on: its fields are what the form compares
  // against, and its updatedAt goes with the save, so a change saved elsewhere
  // meanwhile (another window, a tokenvault command) is refused, not overwritten.
  const [opened, setOpened] = useState<CredentialSummary | null>(() => (target.mode === 'edit' ? target.credential : null));
  const original = useMemo(() => (opened ? formValuesFrom(opened) : emptyFormValues()), [opened]);
  const [v, setV] = useState<CredentialFormValues>(original);
  // An API key goes in the header its provider documents (Regen Therapy: X-API-Key) unless the user names another.
  const provider = useProvider(target.mode === 'add' ? target.providerId : null);
  const documentedHeader = documentedApiKeyHeader(provider?.definition);
  const headerTouched = useRef(false);
  useEffect(() => {
    if (target.mode === 'add' && target.providerId) void useProvidersStore.getState().actions.ensure();
  }, [target]);
  useEffect(() => {
    if (target.mode === 'add' && documentedHeader && !headerTouched.current) setV((prev) => ({ ...prev, headerName: documentedHeader }));
  }, [target.mode, documentedHeader]);
  const [conflict, setConflict] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const expiryLegend = useId();
  const adding = target.mode === 'add';

  const set = <K extends keyof CredentialFormValues>(key: K, value: CredentialFormValues[K]) => setV((prev) => ({ ...prev, [key]: value }));

  function showErrors(f: Record<string, string>, form: string | null) {
    setFields(f);
    setFormError(form);
    // Move to the first field that needs attention.
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    setConflict(null);
    let save: () => Promise<unknown>;
    if (target.mode === 'add') {
      const built = toCredentialInput(v, target.environmentId);
      if (!built.ok) return showErrors(built.fields, null);
      save = () => add(built.value);
    } else {
      const built = toCredentialPatch(v, original);
      if (!built.ok) return showErrors(built.fields, null);
      const id = target.credential.id;
      const expectedUpdatedAt = (opened ?? target.credential).updatedAt;
      save = () => update(id, { ...built.value, expectedUpdatedAt });
    }
    setBusy(true);
    try {
      await save();
      onClose();
    } catch (err) {
      setBusy(false);
      if (isConflict(err)) return setConflict(err);
      const r = issuesForForm(err, LABELS);
      showErrors(r.fields, r.form);
    }
  }

  /** After a CONFLICT: the form starts again from the version saved now. */
  async function reload() {
    if (target.mode !== 'edit') return;
    const current = await call('credentials:get', { id: target.credential.id });
    setOpened(current);
    setV(formValuesFrom(current));
    setFields({});
    setFormError(null);
    setConflict(null);
  }

  const durationPreview = useMemo(() => {
    if (v.expiryMode !== 'duration' || v.expiryDuration.trim() === '') return null;
    const r = expiryToTimestamp({ mode: 'duration', duration: v.expiryDuration });
    return r.ok && r.expiresAt !== null ? `Expires ${formatDateTime(r.expiresAt)}.` : null;
  }, [v.expiryMode, v.expiryDuration]);

  return (
    <Dialog
      title={adding ? 'Add token' : `Edit ${target.credential.name}`}
      subtitle={adding ? `Paste it right after the provider shows it. It goes into ${target.where}.` : `In ${target.where}. The value itself cannot be changed here.`}
      size="lg"
      onClose={onClose}
      banner={
        target.production ? (
          <div className="dialog-production">
            <WarningIcon size={14} /> <strong>PRODUCTION</strong> {target.where}
          </div>
        ) : null
      }
    >
      <form ref={formRef} onSubmit={submit} noValidate autoComplete="off">
        <DialogBody>
          <div className="form-grid">
            <Field label={LABELS.name!} error={fields.name} className="span-2">
              {(p) => <input {...p} className="input" autoFocus value={v.name} onChange={(e) => set('name', e.currentTarget.value)} />}
            </Field>

            {adding ? (
              <Field label={LABELS.kind!} error={fields.kind}>
                {(p) => (
                  <select {...p} className="select" value={v.kind} onChange={(e) => set('kind', e.currentTarget.value as CredentialFormValues['kind'])}>
                    {CREDENTIAL_KINDS_FOR_FORM.map((k) => (
                      <option key={k.kind} value={k.kind}>
                        {k.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : (
              <div className="field">
                <span className="field-label">Kind</span>
                <span className="field-static">{kindLabel(v.kind)}</span>
              </div>
            )}
            {v.kind === 'api_key' ? (
              <Field label={LABELS.headerName!} error={fields.headerName} hint="The request header that carries the key.">
                {(p) => (
                  <input
                    {...p}
                    className="input input-mono"
                    spellCheck={false}
                    value={v.headerName}
                    onChange={(e) => {
                      headerTouched.current = true;
                      set('headerName', e.currentTarget.value);
                    }}
                  />
                )}
              </Field>
            ) : (
              <div className="field-spacer" />
            )}

            {adding ? (
              <Field
                label={LABELS['secret.value']!}
                error={fields['secret.value']}
                className="span-2"
                hint={
                  v.kind === 'jwt_session'
                    ? 'The access token. Stored encrypted; shown only when you choose Reveal.'
                    : 'Stored encrypted; afterwards only a masked fingerprint is shown unless you choose Reveal.'
                }
              >
                {(p) => (
                  <input
                    {...p}
                    className="input input-mono"
                    type="password"
                    autoComplete="off"
                    spellCheck={false}
                    value={v.value}
                    onChange={(e) => set('value', e.currentTarget.value)}
                  />
                )}
              </Field>
            ) : null}
            {adding && v.kind === 'jwt_session' ? (
              <Field label={LABELS['secret.refreshToken']!} error={fields['secret.refreshToken']} className="span-2" hint="Optional: renews the access token.">
                {(p) => (
                  <input
                    {...p}
                    className="input input-mono"
                    type="password"
                    autoComplete="off"
                    spellCheck={false}
                    value={v.refreshToken}
                    onChange={(e) => set('refreshToken', e.currentTarget.value)}
                  />
                )}
              </Field>
            ) : null}

            <Field label={LABELS.role!} error={fields.role} hint="As the provider names it, e.g. CFO or Admin.">
              {(p) => <input {...p} className="input" value={v.role} onChange={(e) => set('role', e.currentTarget.value)} />}
            </Field>
            <Field label={LABELS.tokenType!} error={fields.tokenType} hint="E.g. read-only, full-access, custom.">
              {(p) => <input {...p} className="input" value={v.tokenType} onChange={(e) => set('tokenType', e.currentTarget.value)} />}
            </Field>
            <Field label={LABELS.scopes!} error={fields.scopes} className="span-2" hint="Comma separated, e.g. read:orders, write:orders.">
              {(p) => (
                <input {...p} className="input input-mono" spellCheck={false} value={v.scopes} onChange={(e) => set('scopes', e.currentTarget.value)} />
              )}
            </Field>

            <fieldset className="fieldset" aria-labelledby={expiryLegend}>
              <legend id={expiryLegend}>Expiry</legend>
              <div className="segmented" role="radiogroup" aria-labelledby={expiryLegend}>
                {(
                  [
                    ['never', 'Never'],
                    ['date', 'On a date'],
                    ['duration', 'After a duration'],
                  ] as const
                ).map(([mode, label]) => (
                  <label key={mode} className={`segment${v.expiryMode === mode ? ' is-checked' : ''}`}>
                    <input type="radio" name="expiry-mode" value={mode} checked={v.expiryMode === mode} onChange={() => set('expiryMode', mode)} />
                    {label}
                  </label>
                ))}
              </div>
              {v.expiryMode === 'date' ? (
                <Field label="Expiry date" error={fields.expiresAt}>
                  {(p) => <input {...p} className="input input-date" type="date" value={v.expiryDate} onChange={(e) => set('expiryDate', e.currentTarget.value)} />}
                </Field>
              ) : null}
              {v.expiryMode === 'duration' ? (
                <Field label="Expires after" error={fields.expiresAt} hint={durationPreview ?? 'Such as 30d, 2w, 12h or 1y, counted from now.'}>
                  {(p) => (
                    <input
                      {...p}
                      className="input input-short"
                      placeholder="30d"
                      spellCheck={false}
                      value={v.expiryDuration}
                      onChange={(e) => set('expiryDuration', e.currentTarget.value)}
                    />
                  )}
                </Field>
              ) : null}
              {v.expiryMode === 'never' && fields.expiresAt ? (
                <p className="field-error">
                  <WarningIcon size={12} className="field-error-icon" />
                  {fields.expiresAt}
                </p>
              ) : null}
            </fieldset>

            <Field label={LABELS.rotationDays!} error={fields.rotationDays} hint="Empty for no rotation policy.">
              {(p) => (
                <div className="input-with-suffix">
                  <input
                    {...p}
                    className="input input-short"
                    inputMode="numeric"
                    value={v.rotationDays}
                    onChange={(e) => set('rotationDays', e.currentTarget.value)}
                  />
                  <span className="input-suffix">days</span>
                </div>
              )}
            </Field>

            <Field label={LABELS.description!} error={fields.description} className="span-2">
              {(p) => <textarea {...p} className="textarea" rows={2} value={v.description} onChange={(e) => set('description', e.currentTarget.value)} />}
            </Field>
            <Field label={LABELS.tags!} error={fields.tags} hint="Comma separated, e.g. ci, billing. Up to 20, 50 characters each.">
              {(p) => <input {...p} className="input" spellCheck={false} value={v.tags} onChange={(e) => set('tags', e.currentTarget.value)} />}
            </Field>
            <Field label={LABELS.remoteId!} error={fields.remoteId} hint="The provider's own id for this token: lets revoke and sync find it. Empty for none.">
              {(p) => <input {...p} className="input input-mono" spellCheck={false} value={v.remoteId} onChange={(e) => set('remoteId', e.currentTarget.value)} />}
            </Field>
            <Field label={LABELS.notes!} error={fields.notes} className="span-2" hint="Anything worth knowing later: who asked for it, where it is deployed.">
              {(p) => <textarea {...p} className="textarea" rows={3} value={v.notes} onChange={(e) => set('notes', e.currentTarget.value)} />}
            </Field>
          </div>
          <FormError>{formError}</FormError>
          {conflict ? <ConflictNotice error={conflict} onReload={reload} /> : null}
        </DialogBody>
        <DialogFooter>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
