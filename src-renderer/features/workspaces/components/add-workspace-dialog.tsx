import { useEffect, useState, type FormEvent } from 'react';
import type { WorkspaceInput } from '../../../../src-shared/domain/schemas';
import type { ProviderInfo } from '../../../../src-shared/ipc/contract';
import { call } from '../../../lib/api';
import { issuesForForm } from '../../../lib/errors';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { Field, FormError } from '../../../components/ui/field';
import { useWorkspacesStore, workspacesSelectors } from '../stores/workspaces-store';
import { ColorSwatches } from './color-swatches';
import { DEFAULT_WORKSPACE_COLOR } from './workspace-colors';

const LABELS = { name: 'Name', providerId: 'Provider', color: 'Colour', notes: 'Notes' };

export function AddWorkspaceDialog({ onClose }: { onClose: () => void }) {
  const { addWorkspace } = useWorkspacesStore(workspacesSelectors.actions);
  const [name, setName] = useState('');
  const [providerId, setProviderId] = useState('');
  const [providers, setProviders] = useState<ProviderInfo[] | null>(null);
  const [color, setColor] = useState<string>(DEFAULT_WORKSPACE_COLOR);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    // Definitions are public data (no secrets); without them the workspace is simply generic.
    call('providers:list', {})
      .then((list) => live && setProviders([...list].sort((a, b) => a.definition.name.localeCompare(b.definition.name))))
      .catch(() => live && setProviders([]));
    return () => {
      live = false;
    };
  }, []);

  const chosen = providers?.find((p) => p.definition.id === providerId) ?? null;
  const presets = chosen?.definition.environments.filter((e) => e.defaultBaseUrl) ?? [];
  const startsWith = presets.map((e) => e.name);
  // The provider's documented environments, each optional (unticked ones are not added).
  const [skipped, setSkipped] = useState<ReadonlySet<string>>(new Set());

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setFormError(null);
    const input: WorkspaceInput = { name, color };
    if (providerId !== '') input.providerId = providerId;
    try {
      await addWorkspace(input, presets.length > 0 ? startsWith.filter((n) => !skipped.has(n)) : undefined);
      onClose();
    } catch (err) {
      const r = issuesForForm(err, LABELS);
      setFields(r.fields);
      setFormError(r.form);
      setBusy(false);
    }
  }

  return (
    <Dialog title="Add workspace" subtitle="A workspace holds the tokens of one client, company or account." onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <DialogBody>
          <Field label={LABELS.name} error={fields.name} hint="For example Acme Holding or Regate — Client B.">
            {(p) => <input {...p} className="input" autoFocus value={name} onChange={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field
            label={LABELS.providerId}
            error={fields.providerId}
            hint={
              startsWith.length > 0
                ? 'Brings its documented roles and test requests, and the environments below.'
                : chosen
                  ? 'Brings its documented roles and test requests; you add the environments with their base URLs.'
                  : 'Optional. A known provider brings its documented environments, roles and test requests.'
            }
          >
            {(p) => (
              <select
                {...p}
                className="select"
                value={providerId}
                onChange={(e) => {
                  setProviderId(e.currentTarget.value);
                  setSkipped(new Set());
                }}
                disabled={providers === null}
              >
                <option value="">None (any API)</option>
                {(providers ?? []).map((pr) => (
                  <option key={pr.definition.id} value={pr.definition.id}>
                    {pr.definition.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {presets.length > 0 ? (
            <fieldset className="fieldset preset-environments">
              <legend>Environments it adds</legend>
              {presets.map((e) => (
                <label key={e.name} className="preset-environment">
                  <input
                    type="checkbox"
                    checked={!skipped.has(e.name)}
                    onChange={(ev) => {
                      const on = ev.currentTarget.checked;
                      setSkipped((prev) => {
                        const next = new Set(prev);
                        if (on) next.delete(e.name);
                        else next.add(e.name);
                        return next;
                      });
                    }}
                  />
                  <span className="preset-environment-name">
                    {e.name}
                    {e.production ? <span className="badge badge-production">Production</span> : null}
                  </span>
                  <code className="preset-environment-url">{e.defaultBaseUrl}</code>
                </label>
              ))}
              <p className="field-hint">You can change a base URL later (Edit environment), or add your own environments.</p>
            </fieldset>
          ) : null}
          <ColorSwatches value={color} onChange={setColor} error={fields.color} legend={LABELS.color} />
          <FormError>{formError}</FormError>
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
