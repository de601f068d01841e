import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ChannelOutput } from '../../../../src-shared/ipc/contract';
import { RoleMatrixModel } from '../../../../src-shared/roles';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { Field, FormError } from '../../../components/ui/field';
import { call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';
import { plural } from '../../../lib/format';
import { useProvidersStore } from '../../../lib/providers-store';
import { buildMatrixGrid } from '../lib/matrix-grid';
import { MatrixTable } from './matrix-table';

type Parsed = ChannelOutput<'roles:parse-table'>;
type Format = 'auto' | 'markdown' | 'csv';

/**
 * Import a permission table (Markdown or CSV, pasted or from a file): a
 * preview first, every problem with its row and column, then Save into one
 * of the user's own providers. Built-in providers keep their documented
 * model and refuse an import.
 */
export function ImportTableDialog({ defaultProviderId, onClose }: { defaultProviderId: string | null; onClose: () => void }) {
  const providers = useProvidersStore((s) => s.providers);
  const { ensure, put } = useProvidersStore((s) => s.actions);
  const own = useMemo(() => providers.filter((p) => p.source === 'user'), [providers]);
  const builtin = useMemo(() => providers.filter((p) => p.source === 'builtin'), [providers]);
  const [text, setText] = useState('');
  const [format, setFormat] = useState<Format>('auto');
  const [parsed, setParsed] = useState<Parsed | null>(null);
  const [providerId, setProviderId] = useState('');
  const [label, setLabel] = useState('Imported permission table');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void ensure();
  }, [ensure]);
  useEffect(() => {
    if (providerId === '' && own.length > 0) setProviderId(own.find((p) => p.definition.id === defaultProviderId)?.definition.id ?? own[0]!.definition.id);
  }, [own, providerId, defaultProviderId]);

  async function preview() {
    setError(null);
    setSaved(null);
    if (text.trim() === '') {
      setParsed(null);
      setError('Paste a table or choose a file first.');
      return;
    }
    try {
      setParsed(await call('roles:parse-table', { text, format }));
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function readFile(file: File | undefined) {
    if (!file) return;
    if (file.size > 512 * 1024) return setError(`${file.name} is larger than 512 KB; a permission table is much smaller.`);
    const content = await file.text();
    setText(content);
    if (/\.csv$/i.test(file.name)) setFormat('csv');
    else if (/\.(md|markdown)$/i.test(file.name)) setFormat('markdown');
    setParsed(null);
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSaved(null);
    if (!providerId) return setError('Choose one of your own providers to save into.');
    setBusy(true);
    try {
      const info = await call('roles:save-table', { providerId, text, label: label.trim() || 'Imported permission table', format });
      put(info);
      const m = info.definition.roles;
      setSaved(
        `Saved into ${info.definition.name}${m?.kind === 'role_matrix' ? `: ${plural(m.roles.length, 'role', 'roles')} × ${plural(m.endpoints.length, 'endpoint', 'endpoints')}` : ''}.`,
      );
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const previewGrid = useMemo(() => {
    if (!parsed?.ok) return null;
    const model = RoleMatrixModel.safeParse({ kind: 'role_matrix', label: 'Preview', roles: parsed.matrix.roles, endpoints: parsed.matrix.endpoints });
    return model.success ? buildMatrixGrid(model.data) : null;
  }, [parsed]);

  return (
    <Dialog title="Import permission table" subtitle="Markdown or CSV: endpoints in the first column, one column per role, the methods in each cell." size="lg" className="import-dialog" onClose={onClose}>
      <form onSubmit={save} noValidate autoComplete="off">
        <DialogBody>
          <Field label="Permission table" hint="Paste it here, or upload a file below.">
            {(p) => (
              <textarea
                {...p}
                className="textarea input-mono"
                rows={7}
                spellCheck={false}
                value={text}
                onChange={(e) => {
                  setText(e.currentTarget.value);
                  setParsed(null);
                  setSaved(null);
                }}
              />
            )}
          </Field>
          <div className="import-row">
            <Field label="Upload a file">{(p) => <input {...p} type="file" className="file-input" accept=".md,.markdown,.csv,.txt,text/csv,text/markdown,text/plain" onChange={(e) => void readFile(e.currentTarget.files?.[0])} />}</Field>
            <Field label="Format">
              {(p) => (
                <select {...p} className="select" value={format} onChange={(e) => setFormat(e.currentTarget.value as Format)}>
                  <option value="auto">Detect</option>
                  <option value="markdown">Markdown</option>
                  <option value="csv">CSV</option>
                </select>
              )}
            </Field>
            <Button onClick={() => void preview()}>Preview</Button>
          </div>

          {parsed && !parsed.ok ? (
            <div className="import-errors" role="alert">
              <p>
                <strong>
                  {parsed.errors.length === 1 ? '1 problem' : `${parsed.errors.length} problems`} in the table; nothing can be saved until {parsed.errors.length === 1 ? 'it is' : 'they are'} fixed.
                </strong>
              </p>
              <ul>
                {parsed.errors.map((e, i) => (
                  <li key={i}>
                    <span className="import-where">
                      Row {e.row}, column {e.column}:
                    </span>{' '}
                    {e.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {parsed?.ok ? (
            <div className="import-preview">
              <p role="status">
                Preview: {plural(parsed.matrix.roles.length, 'role', 'roles')} × {plural(parsed.matrix.endpoints.length, 'endpoint', 'endpoints')}.
              </p>
              {previewGrid ? <MatrixTable grid={previewGrid} rows={previewGrid.rows} caption="Preview of the imported table" /> : null}
            </div>
          ) : null}

          <div className="import-row">
            <Field
              label="Save into"
              hint={
                own.length === 0
                  ? 'You have no provider of your own yet. Built-in providers keep the model of their documents and refuse an import: add your own provider definition first.'
                  : 'Only your own providers; built-in ones keep the model of their documents.'
              }
            >
              {(p) => (
                <select {...p} className="select" value={providerId} onChange={(e) => setProviderId(e.currentTarget.value)}>
                  {own.length === 0 ? <option value="">No provider of your own</option> : null}
                  {own.map((x) => (
                    <option key={x.definition.id} value={x.definition.id}>
                      {x.definition.name}
                    </option>
                  ))}
                  {builtin.length > 0 ? (
                    <optgroup label="Built in (cannot be changed)">
                      {builtin.map((x) => (
                        <option key={x.definition.id} value={x.definition.id} disabled>
                          {x.definition.name}
                        </option>
                      ))}
                    </optgroup>
                  ) : null}
                </select>
              )}
            </Field>
            <Field label="Label" hint="Starts every rule the checks explain.">
              {(p) => <input {...p} className="input" value={label} onChange={(e) => setLabel(e.currentTarget.value)} />}
            </Field>
          </div>
          <FormError>{error}</FormError>
          {saved ? (
            <p className="detail-message" role="status">
              {saved}
            </p>
          ) : null}
        </DialogBody>
        <DialogFooter>
          <Button onClick={onClose}>Close</Button>
          <Button type="submit" variant="primary" busy={busy} disabled={!parsed?.ok || own.length === 0}>
            Save
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
