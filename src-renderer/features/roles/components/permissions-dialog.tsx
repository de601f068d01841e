import { useEffect, useMemo, useState } from 'react';
import { HTTP_METHODS, type HttpMethod } from '../../../../src-shared/domain/http-method';
import { whoCanCall, type PermissionModel } from '../../../../src-shared/roles';
import { Button } from '../../../components/ui/button';
import { Dialog, DialogBody, DialogFooter } from '../../../components/ui/dialog';
import { Field } from '../../../components/ui/field';
import { useProvider, useProvidersStore } from '../../../lib/providers-store';
import { buildMatrixGrid, filterRows, tokenColumns, tokenEndpoints, withCurrentFirst, type MatrixGrid, type TokenEndpoint } from '../lib/matrix-grid';
import { ExportPanel } from './export-panel';
import { ImportTableDialog } from './import-table-dialog';
import { MatrixTable } from './matrix-table';
import type { TokenContext } from './token-context';
import './roles.css';

/**
 * "What may this token do?" — the provider's documented permission model as
 * a grid (the token's own column highlighted), two one-click questions, and
 * import / export of the table.
 */
export function PermissionsDialog({ context, onClose }: { context: TokenContext; onClose: () => void }) {
  const { credential, workspace } = context;
  const { ensure } = useProvidersStore((s) => s.actions);
  const status = useProvidersStore((s) => s.status);
  const loadError = useProvidersStore((s) => s.error);
  const provider = useProvider(workspace.providerId);
  const model = provider?.definition.roles ?? null;
  const [importing, setImporting] = useState(false);

  useEffect(() => {
    void ensure();
  }, [ensure]);

  const title = provider ? `Permissions — ${provider.definition.name}` : 'Permissions';
  return (
    <Dialog title={title} subtitle={model ? model.label : undefined} size="lg" className="permissions-dialog" onClose={onClose}>
      <DialogBody className="permissions-body">
        {status === 'error' ? (
          <p className="form-error" role="alert">
            {loadError}
          </p>
        ) : !workspace.providerId ? (
          <p className="muted">
            {workspace.name} uses no provider, so no permission model is documented for its tokens. Choose a provider for the workspace, or import a table into one of your own providers.
          </p>
        ) : status !== 'ready' && !provider ? (
          <p className="muted" aria-busy="true">
            Loading…
          </p>
        ) : !model ? (
          <p className="muted">{provider?.definition.name ?? 'This provider'} documents no permission model. You can import a permission table into one of your own providers.</p>
        ) : (
          <ModelView model={model} credential={credential} />
        )}
        {provider && model ? <ExportPanel providerId={provider.definition.id} providerName={provider.definition.name} kind={model.kind} /> : null}
      </DialogBody>
      <DialogFooter start={provider?.source === 'builtin' ? 'Built in: this model comes from the provider’s documents.' : undefined}>
        <Button onClick={() => setImporting(true)}>Import table</Button>
        <Button variant="primary" onClick={onClose}>
          Close
        </Button>
      </DialogFooter>
      {importing ? <ImportTableDialog defaultProviderId={workspace.providerId} onClose={() => setImporting(false)} /> : null}
    </Dialog>
  );
}

function ModelView({ model, credential }: { model: PermissionModel; credential: TokenContext['credential'] }) {
  const current = useMemo(() => tokenColumns(model, credential), [model, credential]);
  // The token's own column first, so it shows without scrolling sideways (Regate has 11 roles).
  const grid = useMemo(() => withCurrentFirst(buildMatrixGrid(model), current), [model, current]);
  const [text, setText] = useState('');
  const [method, setMethod] = useState<HttpMethod | ''>('');
  const rows = useMemo(() => filterRows(grid, { text, method }), [grid, text, method]);
  const held = credential.role ?? (credential.tokenType || credential.scopes.join(', ')) ?? '';

  return (
    <div className="permissions">
      {model.note ? <p className="permissions-note muted">{model.note}</p> : null}
      <p className="permissions-token">
        <strong>{credential.name}</strong>{' '}
        {current.length > 0 ? (
          <>
            holds {grid.columnKind.toLowerCase()} <strong>{current.join(', ')}</strong>: {current.length === 1 ? 'the first column' : `the first ${current.length} columns`} of the table, marked “this token”.
          </>
        ) : held ? (
          <>holds “{held}”, which is not a documented {grid.columnKind.toLowerCase()}: the documents allow it nothing.</>
        ) : (
          <>has no {grid.columnKind.toLowerCase()} recorded: edit the token to say which one it was given.</>
        )}
      </p>
      <Questions model={model} grid={grid} credential={credential} paths={grid.rows.map((r) => r.path)} />
      <div className="matrix-filters">
        <Field label="Filter endpoints" className="matrix-filter-text">
          {(p) => <input {...p} type="search" className="input" placeholder="/sales_invoices" spellCheck={false} value={text} onChange={(e) => setText(e.currentTarget.value)} />}
        </Field>
        <Field label="Method" className="matrix-filter-method">
          {(p) => (
            <select {...p} className="select" value={method} onChange={(e) => setMethod(e.currentTarget.value as HttpMethod | '')}>
              <option value="">Any method</option>
              {HTTP_METHODS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          )}
        </Field>
        <span className="matrix-count muted" role="status">
          {rows.length} of {grid.rows.length} endpoints · {grid.columns.length} {grid.columnKind.toLowerCase()}s
        </span>
      </div>
      <MatrixTable grid={grid} rows={rows} current={current} caption={`${model.label}: endpoints by ${grid.columnKind.toLowerCase()}`} />
    </div>
  );
}

/** The two questions users ask of a model, each answered in one click. */
function Questions({ model, grid, credential, paths }: { model: PermissionModel; grid: MatrixGrid; credential: TokenContext['credential']; paths: string[] }) {
  const [can, setCan] = useState<TokenEndpoint[] | null>(null);
  const [who, setWho] = useState<{ path: string; method: HttpMethod }>({ path: paths[0] ?? '/', method: 'GET' });
  const [asked, setAsked] = useState(false);
  const answer = useMemo(() => (asked ? whoCanCall(model, who.method, who.path.replace(/\{[^}]+\}/g, '1')) : null), [asked, model, who]);
  const allowedCount = can?.filter((e) => e.methods.length > 0).length ?? 0;

  return (
    <div className="questions">
      <section className="question" aria-label="What can this token do">
        <Button onClick={() => setCan(tokenEndpoints(model, grid, credential))}>What can this token do</Button>
        {can !== null ? (
          <>
            <p className="question-answer" role="status">
              {allowedCount === 0
                ? `Nothing: the documented model allows this token none of its ${can.length} endpoints.`
                : `Allowed on ${allowedCount} of ${can.length} documented endpoints:`}
            </p>
            <ul className="question-answer can-list" aria-label="Every endpoint for this token">
              {can.map((a) => (
                <li key={a.path} className={a.methods.length ? 'can-yes' : 'can-no'}>
                  <code>{a.path === '*' ? 'every endpoint' : a.path}</code>
                  {a.includesSubpaths ? <span className="muted"> and below</span> : null}{' '}
                  {a.methods.length ? (
                    <span className="methods">
                      {a.methods.map((m) => (
                        <span key={m} className={`method method-${m.toLowerCase()}`}>
                          {m}
                        </span>
                      ))}
                    </span>
                  ) : (
                    <span className="muted">not allowed</span>
                  )}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <section className="question" aria-label="Who can call this">
        <div className="question-row">
          <Field label="Endpoint" className="question-endpoint">
            {(p) => (
              <select {...p} className="select input-mono" value={who.path} onChange={(e) => setWho({ ...who, path: e.currentTarget.value })}>
                {paths.map((path) => (
                  <option key={path} value={path}>
                    {path}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Call method" className="question-method">
            {(p) => (
              <select {...p} className="select" value={who.method} onChange={(e) => setWho({ ...who, method: e.currentTarget.value as HttpMethod })}>
                {HTTP_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Button onClick={() => setAsked(true)}>Who can call this</Button>
        </div>
        {answer ? (
          <p className="question-answer" role="status" data-testid="who-can-call">
            {!answer.known
              ? `Not documented: ${answer.rule}`
              : answer.allowedBy.length > 0
                ? `${who.method} ${who.path}: allowed for ${answer.allowedBy.join(', ')}.`
                : `${who.method} ${who.path}: no documented grant allows it.`}
          </p>
        ) : null}
      </section>
    </div>
  );
}
