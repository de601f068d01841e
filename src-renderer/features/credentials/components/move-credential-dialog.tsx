import { useEffect, useState, type FormEvent } from 'react';
import type { CredentialSummary, Environment, Workspace } from '../../../../src-shared/domain/types';
import { isCorrupt } from '../../../../src-shared/domain/types';
import { ConflictNotice, isConflict } from '../../../components/ui/conflict-notice';
import { call } from '../../../lib/api';
import { errorMessage, issuesForForm } from '../../../lib/errors';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { Field, FormError } from '../../../components/ui/field';
import { WarningIcon } from '../../../components/ui/icons';
import { credentialsSelectors, useCredentialsStore } from '../stores/credentials-store';

const LABELS = { name: 'Name', confirmName: 'Confirmation' };

/**
 * Moves a token to another environment or workspace: the fix for a token
 * filed under the wrong one. Into production it asks for the workspace name,
 * as arming does; the main process checks it again.
 */
export function MoveCredentialDialog({
  credential: c,
  suggestedEnvironmentId,
  onClose,
  onMoved,
}: {
  credential: CredentialSummary;
  suggestedEnvironmentId: string | null;
  onClose: () => void;
  onMoved?: (moved: CredentialSummary) => void;
}) {
  const { move } = useCredentialsStore(credentialsSelectors.actions);
  const [workspaces, setWorkspaces] = useState<Workspace[] | null>(null);
  const [workspaceId, setWorkspaceId] = useState(c.workspaceId);
  const [envs, setEnvs] = useState<Environment[] | null>(null);
  const [environmentId, setEnvironmentId] = useState<string>(suggestedEnvironmentId ?? '');
  // The version the dialog opened on: the move carries its updatedAt, so a token renamed or
  // edited elsewhere meanwhile is refused (CONFLICT) rather than moved under a stale name.
  const [opened, setOpened] = useState(c);
  const [conflict, setConflict] = useState<unknown>(null);
  const [name, setName] = useState(c.name);
  const [typed, setTyped] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    call('workspaces:list', {})
      .then((l) => live && setWorkspaces(l.filter((w): w is Workspace => !isCorrupt(w))))
      .catch((e) => live && setFormError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    let live = true;
    setEnvs(null);
    call('environments:list', { workspaceId })
      .then((l) => {
        if (!live) return;
        const readable = l.filter((e): e is Environment => !isCorrupt(e));
        setEnvs(readable);
        // Keep the choice when it is here; else the first environment other than the token's own.
        setEnvironmentId((cur) => (readable.some((e) => e.id === cur) ? cur : (readable.find((e) => e.id !== c.environmentId)?.id ?? '')));
      })
      .catch((e) => live && setFormError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [workspaceId, c.environmentId]);

  const target = envs?.find((e) => e.id === environmentId) ?? null;
  const targetWs = workspaces?.find((w) => w.id === workspaceId) ?? null;
  const sameSpot = target?.id === opened.environmentId && name.trim() === opened.name;
  const intoProduction = target !== null && target.production && target.id !== c.environmentId;
  const confirmed = !intoProduction || (targetWs !== null && typed.normalize('NFC').trim() === targetWs.name.normalize('NFC'));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!target || sameSpot || !confirmed) return;
    setBusy(true);
    setFormError(null);
    setConflict(null);
    try {
      const moved = await move(c.id, target.id, {
        ...(name.trim() !== opened.name ? { name } : {}),
        ...(intoProduction && targetWs ? { confirmName: typed } : {}),
        expectedUpdatedAt: opened.updatedAt,
      });
      onClose();
      onMoved?.(moved);
    } catch (err) {
      if (isConflict(err)) {
        setConflict(err);
        setBusy(false);
        return;
      }
      const r = issuesForForm(err, LABELS);
      setFields(r.fields);
      setFormError(r.form);
      setBusy(false);
    }
  }

  /** After a CONFLICT: start again from the token as it is saved now. */
  async function reload() {
    const current = await call('credentials:get', { id: c.id });
    setOpened(current);
    setName(current.name);
    setFields({});
    setConflict(null);
  }

  return (
    <Dialog
      title={`Move “${c.name}”`}
      subtitle="To another environment or workspace. Its value, history and id stay with it."
      onClose={onClose}
      banner={
        intoProduction && targetWs && target ? (
          <div className="dialog-production">
            <WarningIcon size={14} /> <strong>PRODUCTION</strong> {targetWs.name} / {target.name}
          </div>
        ) : null
      }
    >
      <form onSubmit={submit} noValidate>
        <DialogBody>
          <Field label="Workspace">
            {(p) => (
              <select {...p} className="select" value={workspaceId} onChange={(e) => setWorkspaceId(e.currentTarget.value)} disabled={workspaces === null}>
                {(workspaces ?? []).map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Environment" hint={target ? `Its requests will go to ${target.baseUrl}.` : undefined}>
            {(p) => (
              <select {...p} className="select" value={environmentId} autoFocus onChange={(e) => setEnvironmentId(e.currentTarget.value)} disabled={envs === null}>
                {envs?.length === 0 ? <option value="">No environments in this workspace</option> : null}
                {(envs ?? []).map((env) => (
                  <option key={env.id} value={env.id}>
                    {env.name}
                    {env.production ? ' (production)' : ''}
                    {env.id === c.environmentId ? ' — where it is now' : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={LABELS.name} error={fields.name} hint="Its name there; change it if that name is taken.">
            {(p) => <input {...p} className="input" value={name} onChange={(e) => setName(e.currentTarget.value)} />}
          </Field>
          {intoProduction && targetWs ? (
            <Field
              label={`Type “${targetWs.name}” to move it into production`}
              error={fields.confirmName}
              hint="Its requests will then reach live systems and real data."
            >
              {(p) => <input {...p} className="input" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />}
            </Field>
          ) : null}
          <FormError>{formError}</FormError>
          {conflict ? <ConflictNotice error={conflict} onReload={reload} /> : null}
        </DialogBody>
        <DialogFooter>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant={intoProduction ? 'danger' : 'primary'} busy={busy} disabled={!target || sameSpot || !confirmed}>
            Move
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
