import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ProviderDefinition } from '../../../../src-shared/providers';
import { Badge } from '../../../components/ui/badge';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { CheckboxField, Field, FormError } from '../../../components/ui/field';
import { ApiError, call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';
import { useProvidersStore } from '../../../lib/providers-store';
import { ImportTableDialog } from '../../roles/components/import-table-dialog';
import { emptyForm, fieldOf, formFromDefinition, validateProviderForm, type FieldErrors, type ProviderForm } from '../lib/provider-form';
import './providers.css';

/** What the editor opens on: `review` is a definition made from an imported OpenAPI document, not saved yet (issue 14). */
export type Editing = { mode: 'new' | 'edit' | 'duplicate' | 'review'; base: ProviderDefinition | null; form: ProviderForm } | null;

/**
 * Providers (issue 12): every provider, built-in ones read-only (with
 * "Duplicate as user provider"), the user's own editable, and a permission
 * table import into one of them. Saving goes through providers:add, which
 * validates with the same schema as the form.
 */
export function ProvidersDialog({ onClose }: { onClose: () => void }) {
  const providers = useProvidersStore((s) => s.providers);
  const { ensure, put } = useProvidersStore((s) => s.actions);
  const [editing, setEditing] = useState<Editing>(null);
  const [importInto, setImportInto] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    void ensure();
  }, [ensure]);

  const sorted = useMemo(() => [...providers].sort((a, b) => (a.source === b.source ? a.definition.name.localeCompare(b.definition.name) : a.source === 'user' ? -1 : 1)), [providers]);

  if (importInto) return <ImportTableDialog defaultProviderId={importInto} onClose={() => setImportInto(null)} />;
  if (editing) {
    return (
      <ProviderEditor
        editing={editing}
        takenIds={providers.map((p) => p.definition.id)}
        onCancel={() => setEditing(null)}
        onSaved={(info) => {
          put(info);
          setSaved(`Saved ${info.definition.name}.`);
          setEditing(null);
        }}
      />
    );
  }
  return (
    <Dialog title="Providers" subtitle="How each API authenticates, its environments, test request and permission model." size="lg" onClose={onClose}>
      <DialogBody>
        {saved ? (
          <p className="detail-message" role="status">
            {saved}
          </p>
        ) : null}
        <ul className="provider-list" aria-label="Providers">
          {sorted.map(({ definition: d, source }) => (
            <li key={d.id} className="provider-item">
              <div className="provider-item-text">
                <span className="provider-item-name">{d.name}</span>
                {source === 'builtin' ? <Badge>Built in</Badge> : <Badge tone="info">Yours</Badge>}
                <span className="provider-item-meta">
                  {d.id} · {d.auth.map((a) => a.scheme).join(', ')} · {d.environments.map((e) => e.name).join(', ')}
                  {d.roles ? ` · ${d.roles.kind.replace('_', ' ')}` : ''}
                </span>
              </div>
              <div className="provider-item-actions">
                {source === 'user' ? (
                  <>
                    <Button size="sm" aria-label={`Edit ${d.name}`} onClick={() => setEditing({ mode: 'edit', base: d, form: formFromDefinition(d) })}>
                      Edit
                    </Button>
                    <Button size="sm" aria-label={`Import permission table into ${d.name}`} onClick={() => setImportInto(d.id)}>
                      Import permission table
                    </Button>
                  </>
                ) : (
                  <Button
                    size="sm"
                    aria-label={`Duplicate ${d.name} as user provider`}
                    onClick={() =>
                      setEditing({ mode: 'duplicate', base: d, form: { ...formFromDefinition(d), id: `${d.id}-custom`.slice(0, 63), name: `${d.name} (custom)` } })
                    }
                  >
                    Duplicate as user provider
                  </Button>
                )}
              </div>
            </li>
          ))}
        </ul>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Close</Button>
        <Button variant="primary" onClick={() => setEditing({ mode: 'new', base: null, form: emptyForm() })}>
          New provider
        </Button>
      </DialogFooter>
    </Dialog>
  );
}

/** The provider form in its own dialog: saves through providers:add and hands the saved definition to `onSaved`. */
export function ProviderEditor({
  editing,
  takenIds,
  onCancel,
  onSaved,
}: {
  editing: NonNullable<Editing>;
  takenIds: string[];
  onCancel: () => void;
  onSaved: (info: { definition: ProviderDefinition; source: 'user' }) => void;
}) {
  const [form, setForm] = useState<ProviderForm>(editing.form);
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const isNew = editing.mode !== 'edit';
  const set = <K extends keyof ProviderForm>(k: K, v: ProviderForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const setEnv = (i: number, patch: Partial<ProviderForm['environments'][number]>) =>
    setForm((f) => ({ ...f, environments: f.environments.map((e, j) => (j === i ? { ...e, ...patch } : e)) }));

  async function save(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const checked = validateProviderForm(form, editing.base, { takenIds, isNew });
    if (!checked.ok) {
      setFields(checked.fields);
      setFormError(checked.form ?? 'Some fields need fixing; each says why.');
      return;
    }
    setFields({});
    setBusy(true);
    try {
      const info = await call('providers:add', { json: checked.json });
      onSaved({ definition: info.definition, source: 'user' });
    } catch (err) {
      // The main process validates again with the same schema: its issues go to the same fields.
      if (err instanceof ApiError && err.issues.length > 0) {
        const f: FieldErrors = {};
        const rest: string[] = [];
        for (const i of err.issues) {
          const k = fieldOf(i.path);
          if (k) f[k] ??= i.message;
          else rest.push(`${i.path} ${i.message}`);
        }
        setFields(f);
        setFormError(rest.length ? rest.join('; ') : 'Some fields need fixing; each says why.');
      } else setFormError(errorMessage(err));
      setBusy(false);
    }
  }

  const title =
    editing.mode === 'edit'
      ? `Edit provider ${editing.base?.name ?? ''}`.trim()
      : editing.mode === 'duplicate'
        ? `Duplicate ${editing.base?.name ?? ''}`.trim()
        : editing.mode === 'review'
          ? `Review imported provider ${editing.base?.name ?? ''}`.trim()
          : 'New provider';
  return (
    <Dialog title={title} subtitle="Saved as your own definition file; built-in providers never change." size="lg" className="provider-editor" onClose={onCancel}>
      <form onSubmit={save} noValidate autoComplete="off">
        <DialogBody>
          <div className="provider-row">
            <Field label="Name" error={fields.name}>
              {(p) => <input {...p} className="input" autoFocus value={form.name} onChange={(e) => set('name', e.currentTarget.value)} />}
            </Field>
            <Field
              label="Id"
              error={fields.id}
              hint={
                editing.mode === 'review'
                  ? 'From the imported document; the workspace being imported uses it.'
                  : isNew
                    ? 'Lower case, e.g. acme-api. It names the file and cannot change later.'
                    : 'The id cannot change.'
              }
            >
              {(p) => <input {...p} className="input input-mono" readOnly={!isNew || editing.mode === 'review'} value={form.id} onChange={(e) => set('id', e.currentTarget.value)} />}
            </Field>
          </div>
          <div className="provider-row">
            <Field label="Auth scheme" error={fields.scheme}>
              {(p) => (
                <select {...p} className="select" value={form.scheme} onChange={(e) => set('scheme', e.currentTarget.value as ProviderForm['scheme'])}>
                  <option value="bearer">Bearer token (Authorization: Bearer)</option>
                  <option value="api_key">API key in a header</option>
                </select>
              )}
            </Field>
            {form.scheme === 'api_key' ? (
              <Field label="Header name" error={fields.headerName}>
                {(p) => <input {...p} className="input input-mono" value={form.headerName} onChange={(e) => set('headerName', e.currentTarget.value)} />}
              </Field>
            ) : (
              <div />
            )}
          </div>

          <fieldset className="provider-envs">
            <legend className="field-label">Environments</legend>
            {fields.environments ? <p className="field-error">{fields.environments}</p> : null}
            {form.environments.map((env, i) => (
              <div className="provider-env" key={i} role="group" aria-label={`Environment ${i + 1}`}>
                <Field label="Environment name" error={fields[`env.${i}.name`]}>
                  {(p) => <input {...p} className="input" value={env.name} onChange={(e) => setEnv(i, { name: e.currentTarget.value })} />}
                </Field>
                <Field label="Base URL" error={fields[`env.${i}.baseUrl`]}>
                  {(p) => <input {...p} className="input input-mono" placeholder="https://api.example.com" value={env.baseUrl} onChange={(e) => setEnv(i, { baseUrl: e.currentTarget.value })} />}
                </Field>
                <CheckboxField label="Production" checked={env.production} onChange={(v) => setEnv(i, { production: v })} />
                <Button size="sm" variant="ghost" aria-label={`Remove environment ${i + 1}`} onClick={() => set('environments', form.environments.filter((_, j) => j !== i))}>
                  Remove
                </Button>
              </div>
            ))}
            <Button size="sm" onClick={() => set('environments', [...form.environments, { name: '', baseUrl: '', production: false }])}>
              Add environment
            </Button>
          </fieldset>

          <div className="provider-row provider-row-3">
            <Field label="Test request" error={fields.presetLabel} hint="What a one-click test sends (GET is sent without asking).">
              {(p) => <input {...p} className="input" value={form.presetLabel} onChange={(e) => set('presetLabel', e.currentTarget.value)} />}
            </Field>
            <Field label="Method" error={fields.presetMethod}>
              {(p) => (
                <select {...p} className="select" value={form.presetMethod} onChange={(e) => set('presetMethod', e.currentTarget.value)}>
                  {['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Path" error={fields.presetPath}>
              {(p) => <input {...p} className="input input-mono" placeholder="/api/me" value={form.presetPath} onChange={(e) => set('presetPath', e.currentTarget.value)} />}
            </Field>
          </div>

          <div className="provider-row">
            <Field label="Role model">
              {(p) => (
                <select {...p} className="select" value={form.roleModel} onChange={(e) => set('roleModel', e.currentTarget.value as ProviderForm['roleModel'])}>
                  <option value="none">None</option>
                  <option value="roles">Roles (a permission table decides)</option>
                  <option value="scopes">Scopes (read:…, write:…)</option>
                  {form.roleModel === 'keep' ? <option value="keep">As in the definition ({editing.base?.roles?.kind})</option> : null}
                </select>
              )}
            </Field>
            {form.roleModel === 'roles' || form.roleModel === 'scopes' ? (
              <Field
                label={form.roleModel === 'roles' ? 'Roles' : 'Scopes'}
                error={fields.roleNames}
                hint={form.roleModel === 'roles' ? 'Comma-separated, e.g. Admin, Accountant. Import a permission table afterwards.' : 'Comma-separated, e.g. read:orders, write:orders, read:*.'}
              >
                {(p) => <input {...p} className="input" value={form.roleNames} onChange={(e) => set('roleNames', e.currentTarget.value)} />}
              </Field>
            ) : (
              <div />
            )}
          </div>
          <FormError>{formError}</FormError>
        </DialogBody>
        <DialogFooter>
          <Button onClick={onCancel}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save provider
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
