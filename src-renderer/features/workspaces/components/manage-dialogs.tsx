import { useEffect, useState, type FormEvent } from 'react';
import type { EnvironmentPatch, WorkspacePatch } from '../../../../src-shared/domain/schemas';
import { isCorrupt, type Environment, type Workspace } from '../../../../src-shared/domain/types';
import type { ProviderInfo } from '../../../../src-shared/ipc/contract';
import { call } from '../../../lib/api';
import { ConflictNotice, isConflict } from '../../../components/ui/conflict-notice';
import { errorMessage, issuesForForm } from '../../../lib/errors';
import { plural } from '../../../lib/format';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { CheckboxField, Field, FormError } from '../../../components/ui/field';
import { TrashIcon, WarningIcon } from '../../../components/ui/icons';
import { useWorkspacesStore, workspacesSelectors } from '../stores/workspaces-store';
import { ColorSwatches } from './color-swatches';
import { DEFAULT_WORKSPACE_COLOR } from './workspace-colors';

const WS_LABELS = { name: 'Name', providerId: 'Provider', color: 'Colour', notes: 'Notes' };
const ENV_LABELS = { name: 'Name', baseUrl: 'Base URL', production: 'Production' };

/** Names typed to confirm compare as the vault compares them: trimmed, NFC, exact case. */
export function typedMatches(typed: string, name: string): boolean {
  return typed.normalize('NFC').trim() === name.normalize('NFC');
}

function useProviders(): ProviderInfo[] | null {
  const [providers, setProviders] = useState<ProviderInfo[] | null>(null);
  useEffect(() => {
    let live = true;
    call('providers:list', {})
      .then((list) => live && setProviders([...list].sort((a, b) => a.definition.name.localeCompare(b.definition.name))))
      .catch(() => live && setProviders([]));
    return () => {
      live = false;
    };
  }, []);
  return providers;
}

/** Rename, recolour, change provider or notes; and the way to delete the workspace. */
export function EditWorkspaceDialog({ workspace, onClose }: { workspace: Workspace; onClose: () => void }) {
  const { updateWorkspace } = useWorkspacesStore(workspacesSelectors.actions);
  const providers = useProviders();
  // The version the dialog opened on: compared against, and its updatedAt sent, so a change
  // saved elsewhere meanwhile is refused (CONFLICT) rather than overwritten by this form.
  const [opened, setOpened] = useState(workspace);
  const [conflict, setConflict] = useState<unknown>(null);
  const [name, setName] = useState(workspace.name);
  const [providerId, setProviderId] = useState(workspace.providerId ?? '');
  const [color, setColor] = useState(workspace.color ?? DEFAULT_WORKSPACE_COLOR);
  const [notes, setNotes] = useState(workspace.notes);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const patch: WorkspacePatch = {};
    if (name !== opened.name) patch.name = name;
    if (providerId !== '' && providerId !== opened.providerId) patch.providerId = providerId;
    if (color !== opened.color) patch.color = color;
    if (notes !== opened.notes) patch.notes = notes;
    if (Object.keys(patch).length === 0) return onClose();
    setBusy(true);
    setFormError(null);
    setConflict(null);
    try {
      await updateWorkspace(workspace.id, { ...patch, expectedUpdatedAt: opened.updatedAt });
      onClose();
    } catch (err) {
      if (isConflict(err)) {
        setConflict(err);
        setBusy(false);
        return;
      }
      const r = issuesForForm(err, WS_LABELS);
      setFields(r.fields);
      setFormError(r.form);
      setBusy(false);
    }
  }

  async function reload() {
    const current = (await call('workspaces:list', {})).find((w): w is Workspace => w.id === workspace.id && !isCorrupt(w));
    if (!current) throw new Error('gone');
    setOpened(current);
    setName(current.name);
    setProviderId(current.providerId ?? '');
    setColor(current.color ?? DEFAULT_WORKSPACE_COLOR);
    setNotes(current.notes);
    setFields({});
    setConflict(null);
  }

  if (deleting) return <DeleteWorkspaceDialog workspace={workspace} onClose={onClose} onCancel={() => setDeleting(false)} />;

  return (
    <Dialog title="Edit workspace" subtitle={workspace.name} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <DialogBody>
          <Field label={WS_LABELS.name} error={fields.name}>
            {(p) => <input {...p} className="input" autoFocus value={name} onChange={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field
            label={WS_LABELS.providerId}
            error={fields.providerId}
            hint="Decides the documented roles, test requests and revocation steps of its tokens. Its environments stay as they are."
          >
            {(p) => (
              <select {...p} className="select" value={providerId} onChange={(e) => setProviderId(e.currentTarget.value)} disabled={providers === null}>
                {workspace.providerId === null ? <option value="">None (any API)</option> : null}
                {(providers ?? []).map((pr) => (
                  <option key={pr.definition.id} value={pr.definition.id}>
                    {pr.definition.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <ColorSwatches value={color} onChange={setColor} error={fields.color} legend={WS_LABELS.color} />
          <Field label={WS_LABELS.notes} error={fields.notes}>
            {(p) => <textarea {...p} className="textarea" rows={3} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />}
          </Field>
          <FormError>{formError}</FormError>
          {conflict ? <ConflictNotice error={conflict} onReload={reload} /> : null}
        </DialogBody>
        <DialogFooter
          start={
            <Button variant="ghost" className="btn-delete" icon={<TrashIcon />} onClick={() => setDeleting(true)}>
              Delete workspace…
            </Button>
          }
        >
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

/** Deleting a workspace takes every token in it: say how many, and ask for its name. */
export function DeleteWorkspaceDialog({ workspace, onClose, onCancel }: { workspace: Workspace; onClose: () => void; onCancel?: () => void }) {
  const { removeWorkspace } = useWorkspacesStore(workspacesSelectors.actions);
  const [usage, setUsage] = useState<{ environments: number; credentials: number } | null>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call('workspaces:usage', { id: workspace.id })
      .then((u) => live && setUsage(u))
      .catch((e) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [workspace.id]);

  async function confirm(e: FormEvent) {
    e.preventDefault();
    if (!typedMatches(typed, workspace.name)) return;
    setBusy(true);
    try {
      await removeWorkspace(workspace.id);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Delete workspace “${workspace.name}”?`} size="sm" onClose={onClose}>
      <form onSubmit={confirm} noValidate>
        <DialogBody>
          <p data-testid="delete-workspace-usage">
            {usage === null
              ? 'Counting what goes with it…'
              : `Its ${plural(usage.environments, 'environment', 'environments')} and ${plural(usage.credentials, 'token', 'tokens')} are deleted with it.`}{' '}
            <strong>The tokens stay valid at their providers until you revoke them there.</strong>
          </p>
          <Field label={`Type “${workspace.name}” to confirm`}>
            {(p) => <input {...p} className="input" autoFocus autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />}
          </Field>
          <FormError>{error}</FormError>
        </DialogBody>
        <DialogFooter>
          <Button onClick={onCancel ?? onClose}>Cancel</Button>
          <Button type="submit" variant="danger" busy={busy} disabled={!typedMatches(typed, workspace.name)}>
            Delete workspace
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

/**
 * Rename, see and change the base URL, mark or unmark production (unmarking
 * lowers the guard, so it asks for the environment's name), or delete.
 */
export function EditEnvironmentDialog({ workspaceName, environment: env, onClose }: { workspaceName: string; environment: Environment; onClose: () => void }) {
  const { updateEnvironment } = useWorkspacesStore(workspacesSelectors.actions);
  // The version the dialog opened on (see EditWorkspaceDialog).
  const [opened, setOpened] = useState(env);
  const [conflict, setConflict] = useState<unknown>(null);
  const [name, setName] = useState(env.name);
  const [baseUrl, setBaseUrl] = useState(env.baseUrl);
  const [production, setProduction] = useState(env.production);
  const [typed, setTyped] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const unmarking = opened.production && !production;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (unmarking && !typedMatches(typed, env.name)) {
      setFields({ confirm: `Type “${env.name}” to remove the production guard.` });
      return;
    }
    const patch: EnvironmentPatch = {};
    if (name !== opened.name) patch.name = name;
    if (baseUrl !== opened.baseUrl) patch.baseUrl = baseUrl;
    if (production !== opened.production) patch.production = production;
    if (Object.keys(patch).length === 0) return onClose();
    setBusy(true);
    setFormError(null);
    setConflict(null);
    try {
      await updateEnvironment(env.id, { ...patch, expectedUpdatedAt: opened.updatedAt });
      onClose();
    } catch (err) {
      if (isConflict(err)) {
        setConflict(err);
        setBusy(false);
        return;
      }
      const r = issuesForForm(err, ENV_LABELS);
      setFields(r.fields);
      setFormError(r.form);
      setBusy(false);
    }
  }

  async function reload() {
    const current = (await call('environments:list', { workspaceId: env.workspaceId })).find((e): e is Environment => e.id === env.id && !isCorrupt(e));
    if (!current) throw new Error('gone');
    setOpened(current);
    setName(current.name);
    setBaseUrl(current.baseUrl);
    setProduction(current.production);
    setFields({});
    setConflict(null);
  }

  if (deleting) return <DeleteEnvironmentDialog workspaceName={workspaceName} environment={env} onClose={onClose} onCancel={() => setDeleting(false)} />;

  return (
    <Dialog title="Edit environment" subtitle={`${workspaceName} / ${env.name}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <DialogBody>
          <Field label={ENV_LABELS.name} error={fields.name}>
            {(p) => <input {...p} className="input" autoFocus value={name} onChange={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field label={ENV_LABELS.baseUrl} error={fields.baseUrl} hint="Every test and request with this environment's tokens goes here.">
            {(p) => (
              <input
                {...p}
                className="input input-mono"
                type="url"
                inputMode="url"
                spellCheck={false}
                autoCapitalize="off"
                value={baseUrl}
                onChange={(e) => setBaseUrl(e.currentTarget.value)}
              />
            )}
          </Field>
          <CheckboxField
            label={ENV_LABELS.production}
            checked={production}
            onChange={setProduction}
            hint="Live systems and real data: the red PRODUCTION band, and writes only after arming."
          />
          {unmarking ? (
            <Field label={`Type “${env.name}” to remove the production guard`} error={fields.confirm}>
              {(p) => <input {...p} className="input" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />}
            </Field>
          ) : null}
          <FormError>{formError}</FormError>
          {conflict ? <ConflictNotice error={conflict} onReload={reload} /> : null}
        </DialogBody>
        <DialogFooter
          start={
            <Button variant="ghost" className="btn-delete" icon={<TrashIcon />} onClick={() => setDeleting(true)}>
              Delete environment…
            </Button>
          }
        >
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy} disabled={unmarking && !typedMatches(typed, env.name)}>
            Save
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

/** Deleting an environment takes its tokens: say how many; a production one asks for its name. */
export function DeleteEnvironmentDialog({
  workspaceName,
  environment: env,
  onClose,
  onCancel,
}: {
  workspaceName: string;
  environment: Environment;
  onClose: () => void;
  onCancel?: () => void;
}) {
  const { removeEnvironment } = useWorkspacesStore(workspacesSelectors.actions);
  const [count, setCount] = useState<number | null>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ok = !env.production || typedMatches(typed, env.name);

  useEffect(() => {
    let live = true;
    call('credentials:list', { workspaceId: env.workspaceId, environmentId: env.id })
      .then((l) => live && setCount(l.length))
      .catch((e) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [env.workspaceId, env.id]);

  async function confirm(e: FormEvent) {
    e.preventDefault();
    if (!ok) return;
    setBusy(true);
    try {
      await removeEnvironment(env.id);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Delete environment “${env.name}”?`} subtitle={workspaceName} size="sm" onClose={onClose}>
      <form onSubmit={confirm} noValidate>
        <DialogBody>
          <p>
            {count === null ? 'Counting its tokens…' : `Its ${plural(count, 'token', 'tokens')} ${count === 1 ? 'is' : 'are'} deleted with it.`}{' '}
            <strong>Tokens stay valid at their providers until you revoke them there.</strong>
          </p>
          {env.production ? (
            <>
              <p className="muted">
                <WarningIcon size={12} /> This is a PRODUCTION environment.
              </p>
              <Field label={`Type “${env.name}” to confirm`}>
                {(p) => <input {...p} className="input" autoFocus autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />}
              </Field>
            </>
          ) : null}
          <FormError>{error}</FormError>
        </DialogBody>
        <DialogFooter>
          <Button onClick={onCancel ?? onClose} autoFocus={!env.production}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" busy={busy} disabled={!ok}>
            Delete environment
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
