import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CredentialSummary } from '../../../../src-shared/domain/types';
import { ArrowDownIcon, ArrowUpIcon, WarningIcon } from '../../../components/ui/icons';
import { dueState, formatDate, formatRelative, formatSince } from '../../../lib/format';
import { useNow } from '../../../lib/use-now';
import { gridIndexOf, gridRowAt, gridRowCount, type CredentialTable, type SortColumn } from '../lib/credential-table';
import { columnCandidates, fitColumns } from '../lib/column-widths';
import { accessText, kindLabel } from '../lib/labels';
import { Badge } from '../../../components/ui/badge';
import { credentialsSelectors, useCredentialsStore } from '../stores/credentials-store';
import { StatusBadge } from './status-badge';

export const ROW_HEIGHT = 34;

const COLUMNS: { column: SortColumn; label: string }[] = [
  { column: 'name', label: 'Name' },
  { column: 'kind', label: 'Kind' },
  { column: 'access', label: 'Role / scopes' },
  { column: 'fingerprint', label: 'Fingerprint' },
  { column: 'status', label: 'Status' },
  { column: 'expiresAt', label: 'Expires' },
  { column: 'lastUsedAt', label: 'Last used' },
];

/**
 * The token list: an ARIA grid whose rows are virtualized, so 100,000 tokens
 * cost what 30 do. The grid element keeps focus and points at the active row
 * with aria-activedescendant (a focused row element would vanish when it
 * scrolls out and is recycled); arrow keys, Page Up/Down, Home and End move
 * the selection; Enter goes to the token's details, a double click edits it.
 */
export function CredentialGrid({ label, onOpen, onEdit }: { label: string; onOpen?: (id: string) => void; onEdit?: (id: string) => void }) {
  const view = useCredentialsStore(credentialsSelectors.view);
  const sort = useCredentialsStore(credentialsSelectors.sort);
  const selectedId = useCredentialsStore(credentialsSelectors.selectedId);
  const { select, toggleSort } = useCredentialsStore(useShallow((s) => ({ select: s.actions.select, toggleSort: s.actions.toggleSort })));
  const { table, rows } = view;
  const count = gridRowCount(table, rows);
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const now = useNow();

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });

  const selectedIndex = useMemo(() => (selectedId === null ? -1 : gridIndexOf(table, rows, selectedId)), [table, rows, selectedId]);
  // The keyboard cursor: usually the selected row, but it may rest on a corrupt row, which cannot be selected.
  const [cursor, setCursor] = useState(-1);
  const activeIndex = cursor >= 0 && cursor < count && (selectedIndex < 0 || cursor === selectedIndex || gridRowAt(table, rows, cursor)?.type === 'corrupt') ? cursor : selectedIndex;

  // Bring the selection into view when it changes from outside (a palette jump, a new token).
  const lastScrolled = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (selectedIndex >= 0 && selectedId !== lastScrolled.current) {
      virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
    }
    lastScrolled.current = selectedId;
  }, [selectedIndex, selectedId, virtualizer]);

  useEffect(() => {
    setCursor(-1);
  }, [table]);

  function moveTo(index: number) {
    if (count === 0) return;
    const i = Math.max(0, Math.min(count - 1, index));
    setCursor(i);
    const row = gridRowAt(table, rows, i);
    if (row?.type === 'credential') select(row.credential.id);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.target !== gridRef.current) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const from = activeIndex;
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(from < 0 ? 0 : from + 1);
        break;
      case 'ArrowUp':
        moveTo(from < 0 ? 0 : from - 1);
        break;
      case 'PageDown':
        moveTo(from + page);
        break;
      case 'PageUp':
        moveTo(from - page);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(count - 1);
        break;
      case 'Enter': {
        const row = gridRowAt(table, rows, from);
        if (row?.type === 'credential') onOpen?.(row.credential.id);
        break;
      }
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  }

  /**
   * The sort headers are one Tab stop (issue 12: reaching Reveal used to pass
   * all seven): only the sorted column's button is in the Tab order, and
   * ← → Home End move between the headers, as in a toolbar.
   */
  function onHeaderKeyDown(e: KeyboardEvent<HTMLButtonElement>) {
    const buttons = Array.from(gridRef.current?.querySelectorAll<HTMLButtonElement>('.grid-header-row button.grid-sort') ?? []);
    const at = buttons.indexOf(e.currentTarget);
    const moves: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 };
    const to = moves[e.key];
    if (to === undefined || at < 0) return;
    e.preventDefault();
    buttons[Math.max(0, Math.min(buttons.length - 1, to))]?.focus();
  }

  const rowId = (index: number) => `credential-row-${index}`;
  const items = virtualizer.getVirtualItems();
  const template = useColumnTemplate(table, scrollRef);

  return (
    <div
      ref={gridRef}
      className="grid"
      style={template.style}
      role="grid"
      aria-label={label}
      aria-rowcount={count + 1}
      aria-colcount={COLUMNS.length}
      tabIndex={0}
      aria-activedescendant={activeIndex >= 0 && items.some((v) => v.index === activeIndex) ? rowId(activeIndex) : undefined}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        if (e.target === gridRef.current && activeIndex < 0 && count > 0) moveTo(0);
      }}
    >
      <div role="rowgroup" className="grid-head">
        <div role="row" aria-rowindex={1} className="grid-row grid-header-row">
          {COLUMNS.map(({ column, label: text }, i) => {
            const sorted = sort.column === column;
            return (
              <div
                key={column}
                role="columnheader"
                aria-colindex={i + 1}
                aria-sort={sorted ? sort.direction : 'none'}
                className={`grid-cell grid-col-${column}`}
              >
                <button
                  type="button"
                  className={`grid-sort${sorted ? ' is-sorted' : ''}`}
                  tabIndex={sorted ? 0 : -1}
                  onKeyDown={onHeaderKeyDown}
                  onClick={() => toggleSort(column)}
                >
                  {text}
                  {sorted ? sort.direction === 'ascending' ? <ArrowUpIcon size={12} /> : <ArrowDownIcon size={12} /> : null}
                </button>
              </div>
            );
          })}
        </div>
      </div>
      {template.measurer}
      <div ref={scrollRef} className="grid-scroll" role="presentation">
        <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => {
            const row = gridRowAt(table, rows, v.index);
            if (!row) return null;
            const common = {
              id: rowId(v.index),
              'aria-rowindex': v.index + 2,
              style: { transform: `translateY(${v.start}px)` },
            };
            if (row.type === 'corrupt') {
              return (
                <div key={v.index} role="row" {...common} className={`grid-row grid-row-corrupt${v.index === activeIndex ? ' is-active' : ''}`} onClick={() => setCursor(v.index)}>
                  <div role="gridcell" aria-colindex={1} aria-colspan={COLUMNS.length} className="grid-cell grid-cell-corrupt">
                    <WarningIcon size={14} />
                    Corrupt record {row.record.id} — cannot be decrypted
                  </div>
                </div>
              );
            }
            const c = row.credential;
            return (
              // Keyed by position, not id: when a keystroke changes which tokens
              // fill the window, React updates ~30 rows' text instead of
              // replacing their DOM.
              <CredentialRow
                key={v.index}
                credential={c}
                rowProps={common}
                selected={c.id === selectedId}
                active={v.index === activeIndex}
                now={now}
                onSelect={() => {
                  setCursor(v.index);
                  select(c.id);
                  gridRef.current?.focus({ preventScroll: true });
                }}
                onEdit={() => onEdit?.(c.id)}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

const ORDER = COLUMNS.map((c) => c.column);
// Cell padding (6 px each side) and the grid's own padding (8 px each side) and gaps (4 px) between the 7 columns.
const CELL_PADDING = 12;
const ROW_CHROME = 16 + 4 * (ORDER.length - 1);
// The header's sort arrow and its gap, so a sorted header is not cut either.
const SORT_ARROW = 16;

/**
 * Sizes the columns to their content (issue 12): a hidden copy of each
 * column's longest texts, styled like the cells, is measured once per list;
 * the widths are then fitted to the list's width whenever it changes. Rows
 * stay virtualized: only these few texts are laid out, whatever the count.
 */
function useColumnTemplate(table: CredentialTable, scrollRef: React.RefObject<HTMLDivElement | null>) {
  const candidates = useMemo(() => columnCandidates(table), [table]);
  const measureRef = useRef<HTMLDivElement>(null);
  const [wanted, setWanted] = useState<Record<SortColumn, number> | null>(null);
  const [width, setWidth] = useState(0);

  useLayoutEffect(() => {
    const root = measureRef.current;
    if (!root) return;
    const out = {} as Record<SortColumn, number>;
    for (const column of ORDER) {
      let max = 0;
      for (const el of root.querySelectorAll<HTMLElement>(`[data-measure="${column}"]`)) {
        const laidOut = el.getBoundingClientRect().width;
        // jsdom lays nothing out: estimate from the characters there. A header's button pads 6 px a side that its negative margin takes back.
        const w = laidOut > 0 ? laidOut - (el.dataset.header ? 12 : 0) : (el.textContent?.length ?? 0) * 7;
        max = Math.max(max, w + (el.dataset.header ? SORT_ARROW : 0));
      }
      out[column] = Math.ceil(max) + CELL_PADDING;
    }
    setWanted(out);
  }, [candidates]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const read = () => setWidth(el.clientWidth);
    read();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => ro.disconnect();
  }, [scrollRef]);

  const style = useMemo(() => {
    if (!wanted || width <= 0) return undefined;
    const widths = fitColumns(wanted, width - ROW_CHROME, ORDER);
    return { '--grid-cols': widths.map((w) => `${w}px`).join(' ') } as React.CSSProperties;
  }, [wanted, width]);

  const measurer = (
    <div ref={measureRef} className="grid-measure" aria-hidden="true">
      {COLUMNS.map(({ column, label }) => (
        <span key={`h-${column}`} className="grid-sort" data-measure={column} data-header="1">
          {label}
        </span>
      ))}
      {candidates.name.map((t, i) => (
        <span key={`n${i}`} className="grid-name" data-measure="name">
          {t}
        </span>
      ))}
      {candidates.kind.map((t, i) => (
        <span key={`k${i}`} className="grid-kind" data-measure="kind">
          {t}
        </span>
      ))}
      {candidates.access.map((t, i) => (
        <span key={`a${i}`} className="grid-ellipsis" data-measure="access">
          {t}
        </span>
      ))}
      {candidates.fingerprint.map((t, i) => (
        <code key={`f${i}`} className="grid-fingerprint" data-measure="fingerprint">
          {t}
        </code>
      ))}
      {candidates.status.map((t, i) => (
        <span key={`s${i}`} data-measure="status">
          <Badge>{t}</Badge>
        </span>
      ))}
      {candidates.expiresAt.map((t, i) => (
        <span key={`e${i}`} className="grid-col-expiresAt due-soon" data-measure="expiresAt">
          {t}
        </span>
      ))}
      {candidates.lastUsedAt.map((t, i) => (
        <span key={`l${i}`} className="grid-col-lastUsedAt" data-measure="lastUsedAt">
          {t}
        </span>
      ))}
    </div>
  );
  return { style, measurer };
}

interface RowProps {
  credential: CredentialSummary;
  rowProps: { id: string; 'aria-rowindex': number; style: { transform: string } };
  selected: boolean;
  active: boolean;
  now: number;
  onSelect: () => void;
  onEdit: () => void;
}

function CredentialRow({ credential: c, rowProps, selected, active, now, onSelect, onEdit }: RowProps) {
  const access = accessText(c);
  const expiry = dueState(c.expiresAt, now);
  return (
    <div
      role="row"
      {...rowProps}
      aria-selected={selected}
      className={`grid-row grid-row-body${selected ? ' is-selected' : ''}${active ? ' is-active' : ''}`}
      onClick={onSelect}
      onDoubleClick={onEdit}
    >
      <div role="gridcell" aria-colindex={1} className="grid-cell grid-col-name">
        <span className="grid-name" title={c.name}>
          {c.name}
        </span>
      </div>
      <div role="gridcell" aria-colindex={2} className="grid-cell grid-col-kind">
        <span className="grid-kind">{kindLabel(c.kind)}</span>
      </div>
      <div role="gridcell" aria-colindex={3} className="grid-cell grid-col-access" title={access || undefined}>
        {access ? <span className="grid-ellipsis">{access}</span> : <span className="grid-none">—</span>}
      </div>
      <div role="gridcell" aria-colindex={4} className="grid-cell grid-col-fingerprint">
        <code className="grid-fingerprint">{c.fingerprint}</code>
      </div>
      <div role="gridcell" aria-colindex={5} className="grid-cell grid-col-status">
        <StatusBadge credential={c} now={now} />
      </div>
      <div
        role="gridcell"
        aria-colindex={6}
        className={`grid-cell grid-col-expiresAt due-${expiry}`}
        title={c.expiresAt === null ? undefined : formatDate(c.expiresAt)}
      >
        {c.expiresAt === null ? <span className="grid-none">Never</span> : formatRelative(c.expiresAt, now)}
      </div>
      <div
        role="gridcell"
        aria-colindex={7}
        className="grid-cell grid-col-lastUsedAt"
        title={c.lastUsedAt === null ? undefined : formatDate(c.lastUsedAt)}
      >
        {c.lastUsedAt === null ? <span className="grid-none">Never</span> : formatSince(c.lastUsedAt, now)}
      </div>
    </div>
  );
}

