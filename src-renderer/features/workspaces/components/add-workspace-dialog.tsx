import { useState, type FormEvent } from 'react';
import type { WorkspaceInput } from '../../../../src-shared/domain/schemas';
import { issuesForForm } from '../../../lib/errors';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { Field, FormError } from '../../../components/ui/field';
import { WarningIcon } from '../../../components/ui/icons';
import { useWorkspacesStore, workspacesSelectors } from '../stores/workspaces-store';
import { DEFAULT_WORKSPACE_COLOR, WORKSPACE_COLORS } from './workspace-colors';

const LABELS = { name: 'Name', providerId: 'Provider', color: 'Colour', notes: 'Notes' };

export function AddWorkspaceDialog({ onClose }: { onClose: () => void }) {
  const { addWorkspace } = useWorkspacesStore(workspacesSelectors.actions);
  const [name, setName] = useState('');
  const [providerId, setProviderId] = useState('');
  const [color, setColor] = useState<string>(DEFAULT_WORKSPACE_COLOR);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setFormError(null);
    const input: WorkspaceInput = { name, color };
    if (providerId.trim() !== '') input.providerId = providerId.trim();
    try {
      await addWorkspace(input);
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
          <Field label={LABELS.providerId} error={fields.providerId} hint="Optional: the provider's id, such as regate, strapi or coolset.">
            {(p) => (
              <input
                {...p}
                className="input"
                value={providerId}
                spellCheck={false}
                autoCapitalize="off"
                onChange={(e) => setProviderId(e.currentTarget.value)}
              />
            )}
          </Field>
          <fieldset className="fieldset" aria-describedby={fields.color ? 'workspace-color-error' : undefined}>
            <legend>{LABELS.color}</legend>
            <div className="color-swatches">
              {WORKSPACE_COLORS.map((c) => (
                <label key={c.value} className="color-swatch" title={c.name}>
                  <input type="radio" name="workspace-color" value={c.value} checked={color === c.value} onChange={() => setColor(c.value)} />
                  <span className="color-swatch-dot" style={{ backgroundColor: c.value }} aria-hidden="true" />
                  <span className="visually-hidden">{c.name}</span>
                </label>
              ))}
            </div>
            {fields.color ? (
              <p className="field-error" id="workspace-color-error">
                <WarningIcon size={12} className="field-error-icon" />
                {fields.color}
              </p>
            ) : null}
          </fieldset>
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
