import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { SearchResult } from '../../src-shared/ipc/contract';
import { call } from '../lib/api';
import { errorMessage } from '../lib/errors';
import { Dialog } from '../components/ui/dialog';
import { FolderIcon, KeyIcon, LayersIcon, SearchIcon } from '../components/ui/icons';
import { actionMatches, type AppAction } from './shortcuts';
import './command-palette.css';

const TYPE_LABEL: Record<SearchResult['type'], string> = { workspace: 'Workspace', environment: 'Environment', credential: 'Token' };
const TYPE_ICON = { workspace: FolderIcon, environment: LayersIcon, credential: KeyIcon };

/**
 * Ctrl/Cmd+K: finds workspaces, environments and tokens by name across the
 * whole vault ('search:query') and jumps there. A combobox over a listbox:
 * arrows move, Enter goes, Escape closes.
 */
export function CommandPalette({
  onChoose,
  onClose,
  actions = [],
}: {
  onChoose: (r: SearchResult) => void;
  onClose: () => void;
  /** Actions the palette also runs ("copy", "lock"…), matched by the words of their label, listed first. */
  actions?: readonly AppAction[];
}) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<SearchResult[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [searched, setSearched] = useState('');
  const listId = useId();
  const inputId = useId();
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    const q = query.trim();
    if (q === '') {
      setResults([]);
      setSearched('');
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      call('search:query', { query: q, limit: 40 })
        .then((r) => {
          if (!live) return;
          setResults(r);
          setActive(0);
          setError(null);
          setSearched(q);
        })
        .catch((e: unknown) => live && setError(errorMessage(e)));
    }, 60);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [query]);

  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const matched = actions.filter((a) => actionMatches(a, query));
  const total = matched.length + results.length;

  function choose(i: number) {
    const action = matched[i];
    if (action) {
      onClose();
      // After the palette has closed (and focus went back), as a key press would.
      requestAnimationFrame(() => action.run());
      return;
    }
    const r = results[i - matched.length];
    if (r) onChoose(r);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (total === 0) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => (a + 1) % total);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (a - 1 + total) % total);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(Math.min(active, total - 1));
    }
  }

  const optionId = (i: number) => `${listId}-option-${i}`;
  const open = total > 0;

  return (
    <Dialog title="Jump to" onClose={onClose} className="palette">
      <div className="palette-search">
        <SearchIcon size={16} />
        <label htmlFor={inputId} className="visually-hidden">
          Jump to
        </label>
        <input
          id={inputId}
          className="palette-input"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open ? optionId(active) : undefined}
          placeholder="Workspace, environment, token or action"
          autoFocus
          spellCheck={false}
          autoComplete="off"
          value={query}
          onChange={(e) => {
            setQuery(e.currentTarget.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <kbd>Esc</kbd>
      </div>
      <ul ref={listRef} id={listId} role="listbox" aria-label="Results" className="palette-results">
        {matched.map((a, i) => (
          <li
            key={`action-${a.id}`}
            id={optionId(i)}
            data-index={i}
            role="option"
            aria-selected={i === active}
            className={`palette-option${i === active ? ' is-active' : ''}`}
            onMouseMove={() => setActive(i)}
            onClick={() => choose(i)}
          >
            <span className="palette-option-name">{a.label}</span>
            <kbd className="palette-option-kbd">{a.keys}</kbd>
            <span className="palette-option-type">Action</span>
          </li>
        ))}
        {results.map((r, j) => {
          const i = j + matched.length;
          const Icon = TYPE_ICON[r.type];
          return (
            <li
              key={`${r.type}-${r.id}`}
              id={optionId(i)}
              data-index={i}
              role="option"
              aria-selected={i === active}
              className={`palette-option${i === active ? ' is-active' : ''}`}
              onMouseMove={() => setActive(i)}
              onClick={() => choose(i)}
            >
              <Icon size={15} className="palette-option-icon" />
              <span className="palette-option-name">{r.name}</span>
              <span className="palette-option-path">{r.path}</span>
              <span className="palette-option-type">{TYPE_LABEL[r.type]}</span>
            </li>
          );
        })}
      </ul>
      <div className="palette-footer" aria-live="polite">
        {error ? (
          <span className="palette-error">{error}</span>
        ) : query.trim() === '' ? (
          <span>Type a name. ↑ ↓ to move, Enter to go.</span>
        ) : searched !== '' && total === 0 ? (
          <span>Nothing is named like “{searched}”.</span>
        ) : total > 0 ? (
          <span>
            {total === 1 ? '1 result' : `${total} results`} · ↑ ↓ to move, Enter to go
          </span>
        ) : null}
      </div>
    </Dialog>
  );
}
