import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { CredentialSummary } from '../../../../src-shared/domain/types';
import { useShallow } from 'zustand/react/shallow';
import { Button } from '../../../components/ui/button';
import { EmptyState } from '../../../components/ui/empty-state';
import { KeyIcon, PlusIcon, SearchIcon } from '../../../components/ui/icons';
import { formatCount, plural } from '../../../lib/format';
import { isModKey } from '../../../lib/keyboard';
import { credentialsSelectors, useCredentialsStore, type CredentialScope } from '../stores/credentials-store';
import { CredentialDetail } from './credential-detail';
import { CredentialFormDialog, MoveCredentialDialog } from '../../../app/lazy-views';
import type { CredentialFormTarget } from './credential-form-dialog';
import { CredentialGrid } from './credential-grid';
import { DeleteCredentialDialog } from './delete-credential-dialog';
import './credentials.css';

type OpenDialog = { type: 'form'; target: CredentialFormTarget } | { type: 'delete'; id: string } | null;

/**
 * The tokens of the active workspace and environment: search, the grid and
 * the selected token's details. Loads the list whenever the scope changes.
 *
 * Typing in the search box re-renders the toolbar and the grid only: the
 * pane itself subscribes to nothing that changes per keystroke.
 */
export function CredentialsPane({
  scope,
  where,
  production,
  toolbarExtra,
  detailTools,
  onMoved,
  providerId = null,
}: {
  scope: CredentialScope;
  /** The workspace's provider, for what a new token defaults to (an API key's documented header). */
  providerId?: string | null;
  where: string;
  production: boolean;
  /** Buttons other features add beside "Add token" (Test all, Sign in). */
  toolbarExtra?: ReactNode;
  /** Tools other features add to a token's details (Test, Request, Permissions). */
  detailTools?: (credential: CredentialSummary) => ReactNode;
  /** After a move: the app follows the token to its new place. */
  onMoved?: (moved: CredentialSummary) => void;
}) {
  const status = useCredentialsStore(credentialsSelectors.status);
  const error = useCredentialsStore(credentialsSelectors.error);
  const empty = useCredentialsStore((s) => s.status === 'ready' && s.table.items.length === 0 && s.table.corrupt.length === 0);
  const hasTokens = useCredentialsStore((s) => s.table.items.length > 0);
  const selected = useCredentialsStore(credentialsSelectors.selected);
  const { load, requestMove, closeMove } = useCredentialsStore(credentialsSelectors.actions);
  const moveRequest = useCredentialsStore((s) => s.moveRequest);
  const moving = useCredentialsStore((s) => {
    const i = s.moveRequest ? s.table.indexById.get(s.moveRequest.credentialId) : undefined;
    return i === undefined ? null : s.table.items[i]!;
  });
  const [dialog, setDialog] = useState<OpenDialog>(null);

  const { workspaceId, environmentId } = scope;
  useEffect(() => {
    void load({ workspaceId, environmentId });
  }, [load, workspaceId, environmentId]);

  const openAdd = () => setDialog({ type: 'form', target: { mode: 'add', environmentId, where, production, providerId } });
  const openEdit = (id: string) => {
    const { table } = useCredentialsStore.getState();
    const i = table.indexById.get(id);
    if (i !== undefined) setDialog({ type: 'form', target: { mode: 'edit', credential: table.items[i]!, where, production } });
  };
  // Enter on a row: to the token's first action (Reveal), as a detail pane does in a desktop app.
  const focusDetail = () => requestAnimationFrame(() => document.querySelector<HTMLElement>('.detail-pane .detail-actions button')?.focus());
  const deleting = dialog?.type === 'delete' && selected?.id === dialog.id ? selected : null;

  return (
    <div className="credentials">
      <section className="list-pane" aria-label="Tokens">
        <ListToolbar onAdd={openAdd} extra={toolbarExtra} />
        {status === 'error' ? (
          <div className="list-error" role="alert">
            {error}{' '}
            <Button size="sm" onClick={() => void load({ workspaceId, environmentId })}>
              Try again
            </Button>
          </div>
        ) : empty ? (
          <EmptyState icon={<KeyIcon size={22} />} title={`No tokens in ${where} yet`}>
            <p>
              When a provider's portal shows you a new token, choose <strong>Add token</strong> and paste it right away, with its name, role and expiry.
            </p>
          </EmptyState>
        ) : (
          <>
            <CredentialGrid label={`Tokens in ${where}`} onOpen={focusDetail} onEdit={openEdit} />
            <NoMatch />
          </>
        )}
      </section>

      <aside className="detail-pane" aria-label="Token details">
        {selected ? (
          <CredentialDetail
            key={selected.id}
            credential={selected}
            onEdit={() => openEdit(selected.id)}
            onMove={() => requestMove(selected.id)}
            onDelete={() => setDialog({ type: 'delete', id: selected.id })}
            tools={detailTools?.(selected)}
          />
        ) : (
          <EmptyState title="No token selected">
            <p>Select a token to see its details, reveal or copy it.</p>
            {hasTokens ? (
              <p className="muted">
                Tip: <kbd>↑</kbd> <kbd>↓</kbd> move through the list.
              </p>
            ) : null}
          </EmptyState>
        )}
      </aside>

      {dialog?.type === 'form' ? <CredentialFormDialog target={dialog.target} onClose={() => setDialog(null)} /> : null}
      {deleting ? <DeleteCredentialDialog credential={deleting} onClose={() => setDialog(null)} /> : null}
      {moving ? (
        <MoveCredentialDialog
          key={moving.id}
          credential={moving}
          suggestedEnvironmentId={moveRequest?.environmentId ?? null}
          onClose={closeMove}
          {...(onMoved ? { onMoved } : {})}
        />
      ) : null}
    </div>
  );
}

/** Search, count and "Add token": the part of the pane that changes with every keystroke. */
function ListToolbar({ onAdd, extra }: { onAdd: () => void; extra?: ReactNode }) {
  const query = useCredentialsStore(credentialsSelectors.query);
  const loading = useCredentialsStore((s) => s.status === 'loading');
  const counts = useCredentialsStore(useShallow(credentialsSelectors.counts));
  const { setQuery } = useCredentialsStore(credentialsSelectors.actions);
  const searchRef = useRef<HTMLInputElement>(null);
  const searchId = useId();

  // Ctrl/Cmd+F: to the search box, as in every list-based desktop app.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isModKey(e) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'f' && !document.querySelector('dialog[open]')) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="list-toolbar">
      <div className="search-box">
        <SearchIcon size={14} className="search-icon" />
        <label htmlFor={searchId} className="visually-hidden">
          Search tokens
        </label>
        <input
          ref={searchRef}
          id={searchId}
          type="search"
          className="input search-input"
          placeholder="Search tokens"
          spellCheck={false}
          autoComplete="off"
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              document.querySelector<HTMLElement>('.credentials [role="grid"]')?.focus();
            } else if (e.key === 'Escape' && query !== '') {
              e.preventDefault();
              setQuery('');
            }
          }}
        />
      </div>
      <span className="list-count" role="status">
        {loading && counts.total === 0
          ? 'Loading…'
          : query.trim() !== ''
            ? `${formatCount(counts.shown)} of ${plural(counts.total, 'token', 'tokens')}`
            : plural(counts.total, 'token', 'tokens')}
      </span>
      {extra}
      <Button variant="primary" icon={<PlusIcon />} onClick={onAdd}>
        Add token
      </Button>
    </div>
  );
}

function NoMatch() {
  const query = useCredentialsStore(credentialsSelectors.query);
  const none = useCredentialsStore((s) => s.status === 'ready' && s.view.rows.length === 0 && s.table.items.length > 0);
  return none ? <p className="list-no-match">No tokens match “{query.trim()}”.</p> : null;
}
