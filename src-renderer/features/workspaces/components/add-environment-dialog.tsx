import { useState, type FormEvent } from 'react';
import { issuesForForm } from '../../../lib/errors';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { CheckboxField, Field, FormError } from '../../../components/ui/field';
import { useWorkspacesStore, workspacesSelectors } from '../stores/workspaces-store';

const LABELS = { name: 'Name', baseUrl: 'Base URL', production: 'Production' };

/** Names that almost always mean production: the checkbox follows them until the user sets it. */
const LOOKS_LIKE_PRODUCTION = /^(prod|production|live|prd)\b/i;

export function AddEnvironmentDialog({ workspaceId, workspaceName, onClose }: { workspaceId: string; workspaceName: string; onClose: () => void }) {
  const { addEnvironment } = useWorkspacesStore(workspacesSelectors.actions);
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [production, setProduction] = useState(false);
  const [productionTouched, setProductionTouched] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setFormError(null);
    try {
      await addEnvironment({ workspaceId, name, baseUrl, production });
      onClose();
    } catch (err) {
      const r = issuesForForm(err, LABELS);
      setFields(r.fields);
      setFormError(r.form);
      setBusy(false);
    }
  }

  return (
    <Dialog title="Add environment" subtitle={`In ${workspaceName}: one environment per API base URL, such as sandbox and production.`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <DialogBody>
          <Field label={LABELS.name} error={fields.name} hint="For example sandbox, staging or production.">
            {(p) => (
              <input
                {...p}
                className="input"
                autoFocus
                value={name}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setName(v);
                  if (!productionTouched) setProduction(LOOKS_LIKE_PRODUCTION.test(v.trim()));
                }}
              />
            )}
          </Field>
          <Field label={LABELS.baseUrl} error={fields.baseUrl} hint="Where this environment's API lives, such as https://api.example.com.">
            {(p) => (
              <input
                {...p}
                className="input input-mono"
                type="url"
                inputMode="url"
                spellCheck={false}
                autoCapitalize="off"
                placeholder="https://"
                value={baseUrl}
                onChange={(e) => setBaseUrl(e.currentTarget.value)}
              />
            )}
          </Field>
          <CheckboxField
            label={LABELS.production}
            checked={production}
            onChange={(v) => {
              setProduction(v);
              setProductionTouched(true);
            }}
            hint="Live systems and real data. Tokenvault shows a red PRODUCTION band whenever this environment is active."
          />
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
