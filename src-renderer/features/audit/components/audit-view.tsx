import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { dayRangeBounds, type AuditEntry, type AuditQuery } from '../../../../src-shared/domain/audit-query';
import { AUDIT_EVENT_TYPES, type AuditEventType, type AuditVerification } from '../../../../src-shared/domain/types';
import { Button } from '../../../components/ui/button';
import { call } from '../../../lib/api';
import { AUDIT_LABELS } from '../../../lib/audit-labels';
import { useAppearanceStore } from '../../../lib/appearance';
import { errorMessage } from '../../../lib/errors';
import { displayTimeZone, formatCount, formatDateTime, plural } from '../../../lib/format';
import './audit.css';

const PAGE = 200;
const ROW_HEIGHT = 36;

interface Filters {
  /** The token chosen from the Token field: its id, and the `workspace/env/name` shown. */
  token: { id: string; path: string } | null;
  type: AuditEventType | '';
  /** Calendar days (`YYYY-MM-DD`) in the display time zone; empty: open-ended. */
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { token: null, type: '', from: '', to: '' };

/**
 * The vault's audit log (issue 12): every event newest first, in pages of 200
 * loaded as the list scrolls (the list is virtualized: 100,000 events cost
 * what 30 do), filtered by token, event type and a range of days in the
 * chosen time zone. "Verify chain" checks every event's MAC link in the main
 * process — the same check as `tokenvault audit --verify` — and says
 * "intact", or names the first event that fails, with a way to show it.
 */
export function AuditView({ onClose, initialToken }: { onClose: () => void; initialToken?: { id: string; path: string } | null }) {
  const [filters, setFilters] = useState<Filters>({ ...NO_FILTERS, token: initialToken ?? null });
  const [events, setEvents] = useState<AuditEntry[]>([]);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  /** Shows the log from this event back (a broken link found by Verify chain); null: from the newest. */
  const [startSeq, setStartSeq] = useState<number | null>(null);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [verifyError, setVerifyError] = useState<string | null>(null);
  const zone = useAppearanceStore((s) => s.timeZone);
  const generation = useRef(0);
  const loadingMore = useRef(false);

  const query = useCallback((): AuditQuery | string => {
    const range = dayRangeBounds({ from: filters.from, to: filters.to }, displayTimeZone());
    if (range === null) return 'Choose the dates with the date fields.';
    if (range.from !== undefined && range.to !== undefined && range.from >= range.to) return '“To” must not be before “From”.';
    return {
      limit: PAGE,
      ...(filters.token ? { credentialId: filters.token.id } : {}),
      ...(filters.type ? { types: [filters.type] } : {}),
      ...range,
    };
    // `zone` is a dependency on purpose: it decides where a day starts, so a new zone is a new query.
  }, [filters, zone]);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    const q = query();
    if (typeof q === 'string') {
      setStatus('error');
      setError(q);
      setEvents([]);
      return;
    }
    setStatus('loading');
    try {
      const list = await call('audit:list', startSeq === null ? q : { ...q, beforeSeq: startSeq + 1 });
      if (mine !== generation.current) return;
      setEvents(list);
      setMore(list.length === PAGE);
      setStatus('ready');
      setError(null);
    } catch (e) {
      if (mine !== generation.current) return;
      setStatus('error');
      setError(errorMessage(e));
    }
  }, [query, startSeq]);

  useEffect(() => {
    void load();
  }, [load]);

  const loadMore = useCallback(async () => {
    const q = query();
    const last = events.at(-1);
    if (!more || loadingMore.current || typeof q === 'string' || !last) return;
    loadingMore.current = true;
    const mine = generation.current;
    try {
      const next = await call('audit:list', { ...q, beforeSeq: last.seq });
      if (mine !== generation.current) return;
      setEvents((prev) => [...prev, ...next]);
      setMore(next.length === PAGE);
    } catch (e) {
      if (mine === generation.current) setError(errorMessage(e));
    } finally {
      loadingMore.current = false;
    }
  }, [events, more, query]);

  async function verify() {
    setVerifying(true);
    setVerifyError(null);
    try {
      setVerification(await call('audit:verify', {}));
    } catch (e) {
      setVerification(null);
      setVerifyError(errorMessage(e));
    } finally {
      setVerifying(false);
    }
  }

  function showEvent(seq: number) {
    setFilters(NO_FILTERS);
    setStartSeq(seq);
  }

  const filtered = filters.token !== null || filters.type !== '' || filters.from !== '' || filters.to !== '' || startSeq !== null;
  const brokenSeq = verification && !verification.ok ? verification.firstBrokenSeq : null;

  return (
    <section className="audit-view" aria-labelledby="audit-title">
      <header className="audit-header">
        <div>
          <h1 id="audit-title" className="audit-title">
            Audit log
          </h1>
          <p className="audit-subtitle muted">What happened in this vault, newest first. Events carry fingerprints, never token values; each one is chained to the one before it.</p>
        </div>
        <div className="audit-header-actions">
          <Button variant="primary" busy={verifying} onClick={() => void verify()}>
            Verify chain
          </Button>
          <Button variant="ghost" onClick={onClose}>
            Back to tokens
          </Button>
        </div>
      </header>

      <div className="audit-verify" role="status" aria-live="polite">
        {verification?.ok ? (
          <p className="audit-verify-ok">
            <strong>Chain intact.</strong> {formatCount(verification.checked)} events verified, from the first to the last.
          </p>
        ) : verification ? (
          <div className="audit-verify-broken">
            {verification.firstBrokenSeq === null ? (
              <p>
                <strong>Vault records broken.</strong> {verification.reason}. The chain's {formatCount(verification.checked)} events verify.
              </p>
            ) : (
              <p>
                <strong>Chain broken at event #{verification.firstBrokenSeq}.</strong> {verification.reason}. {formatCount(verification.checked)} events before it verify.
              </p>
            )}
            {verification.firstBrokenSeq !== null ? (
              <Button size="sm" onClick={() => showEvent(verification.firstBrokenSeq!)}>
                Show event #{verification.firstBrokenSeq}
              </Button>
            ) : null}
          </div>
        ) : verifyError ? (
          <p className="audit-error">{verifyError}</p>
        ) : null}
      </div>

      <AuditFilterBar
        filters={filters}
        onChange={(f) => {
          setStartSeq(null);
          setFilters(f);
        }}
        onClear={filtered ? () => {
          setStartSeq(null);
          setFilters(NO_FILTERS);
        } : null}
      />

      <div className="audit-list-wrap">
        <p className="audit-count" role="status">
          {status === 'loading' && events.length === 0
            ? 'Loading…'
            : status === 'error'
              ? ''
              : `${more ? 'Latest ' : ''}${plural(events.length, 'event', 'events')}${more ? ' (scroll for more)' : ''}${startSeq !== null ? ` from event #${startSeq} back` : ''}`}
        </p>
        {status === 'error' && error ? (
          <p className="audit-error" role="alert">
            {error}
          </p>
        ) : null}
        {status === 'ready' && events.length === 0 ? <p className="audit-empty muted">No events match these filters.</p> : null}
        {events.length > 0 ? <AuditRows events={events} brokenSeq={brokenSeq} onNearEnd={() => void loadMore()} /> : null}
      </div>
    </section>
  );
}

function AuditRows({ events, brokenSeq, onNearEnd }: { events: AuditEntry[]; brokenSeq: number | null; onNearEnd: () => void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: events.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (lastIndex >= events.length - 20) onNearEnd();
  }, [lastIndex, events.length, onNearEnd]);

  return (
    <div className="audit-scroll" ref={scrollRef}>
      <div className="audit-head" aria-hidden="true">
        <span>#</span>
        <span>Time</span>
        <span>Event</span>
        <span>Token</span>
        <span>Note</span>
      </div>
      <div role="list" aria-label="Audit events" aria-rowcount={events.length} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((v) => {
          const e = events[v.index]!;
          const broken = brokenSeq !== null && e.seq === brokenSeq;
          return (
            <div
              key={e.seq}
              role="listitem"
              aria-label={`Event ${e.seq}: ${AUDIT_LABELS[e.type]}`}
              className={`audit-row type-${e.type}${broken ? ' is-broken' : ''}`}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
            >
              <span className="audit-seq">{e.seq}</span>
              <time className="audit-at" dateTime={new Date(e.at).toISOString()}>
                {formatDateTime(e.at)}
              </time>
              <span className="audit-type">{AUDIT_LABELS[e.type]}</span>
              <span className="audit-token" title={e.ref ?? e.fingerprint ?? undefined}>
                {e.ref ?? (e.credentialId ? <span className="muted">{e.fingerprint ?? 'a deleted token'}</span> : <span className="muted">—</span>)}
              </span>
              <span className="audit-note" title={e.note ?? undefined}>
                {broken ? <strong className="audit-broken-mark">Fails verification. </strong> : null}
                {e.note ?? ''}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** Token (found by name as you type), event type, and a range of days. */
function AuditFilterBar({ filters, onChange, onClear }: { filters: Filters; onChange: (f: Filters) => void; onClear: (() => void) | null }) {
  const ids = { token: useId(), list: useId(), type: useId(), from: useId(), to: useId() };
  const [text, setText] = useState(filters.token?.path ?? '');
  const [options, setOptions] = useState<{ id: string; path: string }[]>([]);
  const onChangeRef = useRef(onChange);
  const filtersRef = useRef(filters);
  onChangeRef.current = onChange;
  filtersRef.current = filters;

  useEffect(() => setText(filters.token?.path ?? ''), [filters.token]);

  useEffect(() => {
    const q = text.trim();
    if (q === '' || q === filters.token?.path) return;
    let live = true;
    const timer = setTimeout(() => {
      call('search:query', { query: q.split('/').at(-1) ?? q, limit: 50 })
        .then((found) => {
          if (!live) return;
          const tokens = found.filter((r) => r.type === 'credential').map((r) => ({ id: r.id, path: r.path }));
          setOptions(tokens);
          // A full `workspace/env/name` typed (or pasted) before the suggestions arrived chooses that token.
          const hit = tokens.find((o) => o.path.toLocaleLowerCase() === q.toLocaleLowerCase());
          if (hit) onChangeRef.current({ ...filtersRef.current, token: hit });
        })
        .catch(() => undefined);
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, filters.token]);

  function chooseText(value: string) {
    setText(value);
    const hit = options.find((o) => o.path.toLocaleLowerCase() === value.trim().toLocaleLowerCase());
    if (hit) onChange({ ...filters, token: hit });
    else if (value.trim() === '' && filters.token) onChange({ ...filters, token: null });
  }

  return (
    <div className="audit-filters" role="group" aria-label="Filters">
      <div className="audit-filter audit-filter-token">
        <label htmlFor={ids.token}>Token</label>
        <input
          id={ids.token}
          className="input"
          list={ids.list}
          placeholder="All tokens — type a name"
          value={text}
          onChange={(e) => chooseText(e.currentTarget.value)}
          autoComplete="off"
        />
        <datalist id={ids.list}>
          {options.map((o) => (
            <option key={o.id} value={o.path} />
          ))}
        </datalist>
      </div>
      <div className="audit-filter">
        <label htmlFor={ids.type}>Event type</label>
        <select id={ids.type} className="select" value={filters.type} onChange={(e) => onChange({ ...filters, type: e.currentTarget.value as Filters['type'] })}>
          <option value="">All events</option>
          {AUDIT_EVENT_TYPES.map((t) => (
            <option key={t} value={t}>
              {AUDIT_LABELS[t]}
            </option>
          ))}
        </select>
      </div>
      <div className="audit-filter">
        <label htmlFor={ids.from}>From</label>
        <input id={ids.from} type="date" className="input" value={filters.from} onChange={(e) => onChange({ ...filters, from: e.currentTarget.value })} />
      </div>
      <div className="audit-filter">
        <label htmlFor={ids.to}>To</label>
        <input id={ids.to} type="date" className="input" value={filters.to} onChange={(e) => onChange({ ...filters, to: e.currentTarget.value })} />
      </div>
      {onClear ? (
        <Button variant="ghost" className="audit-clear" onClick={onClear}>
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}
