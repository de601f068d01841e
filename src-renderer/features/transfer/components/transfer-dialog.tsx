import { useState, type FormEvent } from 'react';
import type { BackupInspection, ConflictChoice, ImportFormat, ImportPreview } from '../../../../src-shared/domain/transfer-types';
import type { ProviderDefinition } from '../../../../src-shared/providers';
import { providerOverview } from '../../../../src-shared/providers/overview';
import { call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { Field, FormError } from '../../../components/ui/field';
import { useProvidersStore } from '../../../lib/providers-store';
import { ProviderEditor } from '../../providers/components/providers-dialog';
import { formFromDefinition } from '../../providers/lib/provider-form';
import { base64ToBytes, fileText, fileToBase64, saveFile } from '../lib/files';
import { EmergencyKit } from './emergency-kit';
import { BackupScheduleSection } from './backup-schedule';
import './transfer.css';

export type TransferTab = 'backup' | 'schedule' | 'restore' | 'import' | 'export';

export interface TransferDialogProps {
  onClose: () => void;
  /** The workspaces an export can choose from; the first is the default for imports. */
  workspaces: { id: string; name: string }[];
  initialTab?: TransferTab;
}

const TABS: { id: TransferTab; label: string }[] = [
  { id: 'backup', label: 'Back up…' },
  { id: 'schedule', label: 'Schedule…' },
  { id: 'restore', label: 'Restore…' },
  { id: 'import', label: 'Import…' },
  { id: 'export', label: 'Export…' },
];

/** Back up, restore, import and export: each file is picked and saved by the page; the main process never sees a path from here. */
export function TransferDialog({ onClose, workspaces, initialTab = 'backup' }: TransferDialogProps) {
  const [tab, setTab] = useState<TransferTab>(initialTab);
  return (
    <Dialog title="Back up, restore, import, export" subtitle="Move tokens in and out of the vault." size="lg" onClose={onClose}>
      <div className="transfer-tabs" role="tablist">
        {TABS.map((t) => (
          <Button key={t.id} role="tab" aria-selected={tab === t.id} variant={tab === t.id ? 'primary' : 'ghost'} size="sm" onClick={() => setTab(t.id)}>
            {t.label}
          </Button>
        ))}
      </div>
      {tab === 'backup' ? <BackupPanel onClose={onClose} /> : null}
      {tab === 'schedule' ? <BackupScheduleSection onClose={onClose} /> : null}
      {tab === 'restore' ? <RestorePanel onClose={onClose} /> : null}
      {tab === 'import' ? <ImportPanel onClose={onClose} defaultWorkspace={workspaces[0]?.name ?? ''} /> : null}
      {tab === 'export' ? <ExportPanel onClose={onClose} workspaces={workspaces} /> : null}
    </Dialog>
  );
}

function BackupPanel({ onClose }: { onClose: () => void }) {
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (pass !== again) return setError('The two passphrases differ.');
    setBusy(true);
    setError(null);
    try {
      const r = await call('backup:create', { passphrase: pass });
      saveFile(r.fileName, base64ToBytes(r.base64), 'application/octet-stream');
      setDone(`Saved ${r.fileName}: ${r.workspaces} workspaces, ${r.environments} environments, ${r.credentials} tokens, encrypted with your backup passphrase.`);
      setPass('');
      setAgain('');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <DialogBody>
        <p className="muted">
          The whole vault — workspaces, environments, tokens with their history, your providers, settings and the audit log — in one file encrypted with
          a passphrase (the standard <code>age</code> format: <code>age -d</code> opens it on any machine). Without the passphrase nobody can open it, you
          included.
        </p>
        <Field label="Backup passphrase" hint="At least 10 characters. Write it down somewhere safe.">
          {(p) => <input {...p} className="input" type="password" autoComplete="new-password" value={pass} onChange={(e) => setPass(e.currentTarget.value)} />}
        </Field>
        <Field label="Repeat the passphrase">
          {(p) => <input {...p} className="input" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.currentTarget.value)} />}
        </Field>
        {done ? <p role="status">{done}</p> : null}
        <FormError>{error}</FormError>
        <EmergencyKit />
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Close</Button>
        <Button type="submit" variant="primary" busy={busy} disabled={!pass}>
          Back up
        </Button>
      </DialogFooter>
    </form>
  );
}

const CHOICE_LABELS: Record<ConflictChoice, string> = { mine: 'Keep mine', theirs: 'Take theirs', both: 'Keep both' };

function RestorePanel({ onClose }: { onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [pass, setPass] = useState('');
  const [inspection, setInspection] = useState<BackupInspection | null>(null);
  const [choices, setChoices] = useState<Record<string, ConflictChoice>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = inspection?.conflicts.filter((c) => !choices[c.key]) ?? [];

  async function inspect(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      setInspection(await call('backup:inspect', { base64: await fileToBase64(file), passphrase: pass }));
      setChoices({});
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function restore() {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call('backup:restore', { base64: await fileToBase64(file), passphrase: pass, choices: { byKey: choices } });
      setDone(`Restored: ${r.workspaces} workspaces, ${r.environments} environments and ${r.credentials} tokens added; ${r.resolved} conflicts resolved.`);
      setInspection(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={inspect} noValidate>
      <DialogBody>
        <p className="muted">Merges a backup into this vault. Where the backup and this vault differ, you choose for each: keep mine, take theirs, or keep both.</p>
        <Field label="Backup file">
          {(p) => <input {...p} className="input" type="file" accept=".age,application/octet-stream" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />}
        </Field>
        <Field label="Backup passphrase">
          {(p) => <input {...p} className="input" type="password" autoComplete="off" value={pass} onChange={(e) => setPass(e.currentTarget.value)} />}
        </Field>
        {inspection ? (
          <section aria-label="What the restore will do" className="transfer-summary">
            <p>
              Backup of {formatDateTime(Date.parse(inspection.createdAt))}: {inspection.counts.workspaces} workspaces, {inspection.counts.credentials} tokens.
              {inspection.create ? ` Adds ${inspection.create.workspaces} workspaces, ${inspection.create.environments} environments, ${inspection.create.credentials} tokens; ${inspection.unchanged} identical.` : ''}
            </p>
            {inspection.conflicts.length > 0 ? (
              <table className="transfer-table">
                <caption>Conflicts ({inspection.conflicts.length})</caption>
                <thead>
                  <tr>
                    <th>What</th>
                    <th>Why</th>
                    <th>Choice</th>
                  </tr>
                </thead>
                <tbody>
                  {inspection.conflicts.map((c) => (
                    <tr key={c.key}>
                      <td>{c.path}</td>
                      <td>{c.reason === 'same-id' ? 'differs from this vault' : 'the name is taken here'}</td>
                      <td>
                        <select
                          aria-label={`Choice for ${c.path}`}
                          className="input"
                          value={choices[c.key] ?? ''}
                          onChange={(e) => {
                            const v = e.currentTarget.value as ConflictChoice | '';
                            setChoices((prev) => {
                              const next = { ...prev };
                              if (v) next[c.key] = v;
                              else delete next[c.key];
                              return next;
                            });
                          }}
                        >
                          <option value="">Choose…</option>
                          {c.choices.map((ch) => (
                            <option key={ch} value={ch}>
                              {CHOICE_LABELS[ch]}
                            </option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p>No conflicts.</p>
            )}
          </section>
        ) : null}
        {done ? <p role="status">{done}</p> : null}
        <FormError>{error}</FormError>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Close</Button>
        {inspection ? (
          <Button variant="primary" busy={busy} disabled={open.length > 0} onClick={() => void restore()}>
            {open.length > 0 ? `Choose for ${open.length} conflict${open.length === 1 ? '' : 's'}` : 'Restore'}
          </Button>
        ) : (
          <Button type="submit" variant="primary" busy={busy} disabled={!file || !pass}>
            Check backup
          </Button>
        )}
      </DialogFooter>
    </form>
  );
}

const FORMAT_LABELS: Record<'auto' | ImportFormat, string> = {
  auto: 'Tell from the file',
  dotenv: '.env file',
  postman: 'Postman (environment or collection v2.1)',
  insomnia: 'Insomnia (v4 JSON or v5 YAML)',
  bruno: 'Bruno (a collection folder, or one environment .bru)',
  openapi: 'OpenAPI 3 / Swagger 2 (a new provider)',
  tokenvault: 'Tokenvault export',
};

function ImportPanel({ onClose, defaultWorkspace }: { onClose: () => void; defaultWorkspace: string }) {
  const [file, setFile] = useState<File | null>(null);
  // A Bruno collection folder: its name and the files an import reads (bruno.json, collection.bru, environments/*.bru).
  const [folder, setFolder] = useState<{ name: string; files: File[] } | null>(null);
  const [format, setFormat] = useState<'auto' | ImportFormat>('auto');
  const [workspace, setWorkspace] = useState(defaultWorkspace);
  const [env, setEnv] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // An OpenAPI document's provider, open in the provider editor before anything is saved (issue 14).
  const [reviewing, setReviewing] = useState<ProviderDefinition | null>(null);
  const providers = useProvidersStore((s) => s.providers);
  const { put } = useProvidersStore((s) => s.actions);

  async function input() {
    const common = { format, workspace: workspace.trim(), ...(env.trim() ? { env: env.trim() } : {}) };
    if (folder) {
      const files = await Promise.all(folder.files.map(async (f) => ({ path: relativePath(f), text: await fileText(f) })));
      return { fileName: folder.name, text: '', files, ...common };
    }
    return { fileName: file!.name, text: await fileText(file!), ...common };
  }

  async function showPreview(e?: FormEvent) {
    e?.preventDefault();
    if (!file && !folder) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setPreview(await call('import:preview', await input()));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function apply() {
    setBusy(true);
    setError(null);
    try {
      const r = await call('import:apply', await input());
      setDone(`Imported ${r.created.credentials} tokens and ${r.created.environments} new environments into ${r.preview.workspace.name}.`);
      setPreview(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {/* Beside the form, not in it: the editor's own form must not submit this one. */}
      {reviewing ? (
        <ProviderEditor
          editing={{ mode: 'review', base: reviewing, form: formFromDefinition(reviewing) }}
          takenIds={providers.map((p) => p.definition.id)}
          onCancel={() => setReviewing(null)}
          onSaved={(info) => {
            put(info);
            setReviewing(null);
            // The provider exists now: the preview says so, and Import brings in the environments and tokens.
            void showPreview();
          }}
        />
      ) : null}
      <form onSubmit={showPreview} noValidate>
        <DialogBody>
          <Field label="File" hint=".env, Postman, Insomnia, a Bruno environment, an OpenAPI document, or a Tokenvault export.">
            {(p) => (
              <input
                {...p}
                className="input"
                type="file"
                onChange={(e) => {
                  setFile(e.currentTarget.files?.[0] ?? null);
                  setFolder(null);
                  setPreview(null);
                }}
              />
            )}
          </Field>
          <Field label="Or a Bruno collection folder" hint="The folder that holds bruno.json; its environments/*.bru become environments.">
            {(p) => (
              <input
                {...p}
                {...FOLDER_PICKER}
                className="input"
                type="file"
                onChange={(e) => {
                  setFolder(brunoFolder(Array.from(e.currentTarget.files ?? [])));
                  setFile(null);
                  setPreview(null);
                }}
              />
            )}
          </Field>
          {folder ? (
            <p className="muted">
              {folder.name}: {folder.files.length} file{folder.files.length === 1 ? '' : 's'} to read ({folder.files.map(relativePath).join(', ') || 'no bruno.json'}).
            </p>
          ) : null}
          <Field label="Format">
            {(p) => (
              <select {...p} className="input" value={format} onChange={(e) => setFormat(e.currentTarget.value as 'auto' | ImportFormat)}>
                {(Object.keys(FORMAT_LABELS) as ('auto' | ImportFormat)[]).map((f) => (
                  <option key={f} value={f}>
                    {FORMAT_LABELS[f]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Into workspace" hint="Created when it does not exist.">
            {(p) => <input {...p} className="input" value={workspace} onChange={(e) => setWorkspace(e.currentTarget.value)} />}
          </Field>
          <Field label="Environment (optional)" hint="Names the environment of a single-environment file, or picks one of several.">
            {(p) => <input {...p} className="input" value={env} onChange={(e) => setEnv(e.currentTarget.value)} />}
          </Field>
          {preview ? <ImportPreviewView preview={preview} /> : null}
          {done ? <p role="status">{done}</p> : null}
          <FormError>{error}</FormError>
        </DialogBody>
        <DialogFooter>
          <Button onClick={onClose}>Close</Button>
          {preview?.provider && !preview.provider.exists && preview.problems.length === 0 ? (
            <Button variant="primary" onClick={() => setReviewing(preview.provider!.definition)}>
              Review provider…
            </Button>
          ) : preview ? (
            <Button variant="primary" busy={busy} disabled={preview.problems.length > 0 || (preview.create.length === 0 && !preview.provider && preview.environments.every((e) => e.exists))} onClick={() => void apply()}>
              Import
            </Button>
          ) : (
            <Button type="submit" variant="primary" busy={busy} disabled={(!file && !folder) || !workspace.trim()}>
              Preview
            </Button>
          )}
        </DialogFooter>
      </form>
    </>
  );
}

/** A folder choice: Chromium and Electron pick a folder with `webkitdirectory` (not in React's input types). */
const FOLDER_PICKER = { webkitdirectory: '', directory: '' } as Record<string, string>;

/** A picked file's path inside the picked folder, the folder's own name first (`acme/environments/Sandbox.bru`). */
function relativePath(f: File): string {
  return (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
}

/**
 * What of a picked folder an import reads: bruno.json, collection.bru and
 * environments/*.bru. Request files (a collection has many) stay on disk.
 */
export function brunoFolder(files: File[]): { name: string; files: File[] } | null {
  if (files.length === 0) return null;
  const name = relativePath(files[0]!).split('/')[0] ?? 'folder';
  const wanted = files.filter((f) => {
    const parts = relativePath(f).split('/');
    const base = parts[parts.length - 1] ?? '';
    return base === 'bruno.json' || base === 'collection.bru' || (parts[parts.length - 2] === 'environments' && base.endsWith('.bru'));
  });
  return { name, files: wanted.slice(0, 500) };
}

/** The preview: what will be created, what is skipped and why, which names exist, and every problem at its place. Never a value. */
export function ImportPreviewView({ preview: p }: { preview: ImportPreview }) {
  return (
    <section aria-label="Import preview" className="transfer-summary">
      <p>
        {p.title} → {p.workspace.name} ({p.workspace.exists ? 'exists' : 'new workspace'})
        {p.provider ? `; provider ${p.provider.name} (${p.provider.exists ? 'exists, kept' : 'new'})` : ''}
      </p>
      {p.provider && !p.provider.exists ? <ProviderSummary definition={p.provider.definition} /> : null}
      {p.problems.length > 0 ? (
        <div role="alert">
          <p>
            <strong>{p.problems.length} problem{p.problems.length === 1 ? '' : 's'} — nothing will be saved until fixed:</strong>
          </p>
          <LocatedList items={p.problems} />
        </div>
      ) : null}
      {p.warnings.length > 0 ? (
        <div className="transfer-warnings" role="status">
          <p>
            <strong>Warnings ({p.warnings.length})</strong>
          </p>
          <LocatedList items={p.warnings} label="Warnings" />
        </div>
      ) : null}
      {p.environments.length > 0 ? (
        <ul aria-label="Environments">
          {p.environments.map((e) => (
            <li key={e.name}>
              {e.name} — {e.baseUrl ?? 'no base URL'} {e.production ? '(production)' : ''} {e.exists ? '· exists' : '· new'}
            </li>
          ))}
        </ul>
      ) : null}
      <table className="transfer-table">
        <caption>To create ({p.create.length})</caption>
        <thead>
          <tr>
            <th>Environment</th>
            <th>Name</th>
            <th>Kind</th>
            <th>Value</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          {p.create.map((c) => (
            <tr key={`${c.environment}/${c.name}`}>
              <td>{c.environment}</td>
              <td>{c.name}</td>
              <td>{c.kind === 'api_key' ? `API key (${c.headerName})` : c.kind}</td>
              <td>
                <code>{c.fingerprint}</code>
              </td>
              <td>{c.location}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {p.existing.length > 0 ? (
        <details open>
          <summary>Already in the vault, kept ({p.existing.length})</summary>
          <ul>
            {p.existing.map((e) => (
              <li key={`${e.environment}/${e.name}`}>
                {e.environment}/{e.name}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {p.skipped.length + p.unsupported.length > 0 ? (
        <details>
          <summary>Skipped ({p.skipped.length + p.unsupported.length})</summary>
          <ul>
            {p.skipped.map((s, i) => (
              <li key={`s${i}`}>
                {s.name} ({s.location}): {s.reason}
              </li>
            ))}
            {p.unsupported.map((u, i) => (
              <li key={`u${i}`}>
                {u.location}: {u.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

/** Problems or warnings of an import, each at its place in the source (line and column, JSON path, lines). */
function LocatedList({ items, label }: { items: { location: string; message: string }[]; label?: string }) {
  return (
    <ul aria-label={label}>
      {items.map((q, i) => (
        <li key={i}>
          <code>{q.location}</code> {q.message}
        </li>
      ))}
    </ul>
  );
}

function ExportPanel({ onClose, workspaces }: { onClose: () => void; workspaces: { id: string; name: string }[] }) {
  const [workspaceId, setWorkspaceId] = useState(workspaces[0]?.id ?? '');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await call('export:workspace', { workspaceId });
      saveFile(r.fileName, r.text, 'application/json');
      setDone(`Saved ${r.fileName}: the workspace, its environments and its tokens' details — no token values.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <DialogBody>
        <p className="muted">
          A workspace as JSON to share a setup with a colleague: names, URLs, kinds, roles and dates, without any token value. A plaintext export with values
          exists only on the command line (<code>tokenvault export WORKSPACE FILE --with-secrets</code>), after a warning and a typed confirmation.
        </p>
        <Field label="Workspace">
          {(p) => (
            <select {...p} className="input" value={workspaceId} onChange={(e) => setWorkspaceId(e.currentTarget.value)}>
              {workspaces.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {done ? <p role="status">{done}</p> : null}
        <FormError>{error}</FormError>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Close</Button>
        <Button type="submit" variant="primary" busy={busy} disabled={!workspaceId}>
          Export
        </Button>
      </DialogFooter>
    </form>
  );
}

/**
 * What an imported OpenAPI document makes of a provider: how it
 * authenticates, its test requests and the endpoints of its permission model.
 * Saved only from the provider editor ("Review provider…").
 */
function ProviderSummary({ definition: d }: { definition: ProviderDefinition }) {
  const { authentication, testRequests, endpoints } = providerOverview(d);
  return (
    <section aria-label="Provider from the document" className="transfer-provider">
      <p>
        <strong>New provider {d.name}</strong> ({d.id}) — review it in the provider editor and save it before importing.
      </p>
      <ul>
        <li>Authentication: {authentication.join(', ') || 'none the app supports'}</li>
        <li>Test requests: {testRequests.join(', ') || 'none (a GET without required parameters makes one)'}</li>
        <li>
          Endpoints: {endpoints.length}
          {endpoints.length > 0 ? ` (${endpoints.slice(0, 5).map((e) => e.path).join(', ')}${endpoints.length > 5 ? ', …' : ''})` : ''}
        </li>
      </ul>
    </section>
  );
}
