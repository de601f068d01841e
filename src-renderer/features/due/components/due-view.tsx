import { useEffect, useId, useMemo, useState } from 'react';
import type { Environment, Listed, Workspace } from '../../../../src-shared/domain/types';
import { isCorrupt } from '../../../../src-shared/domain/types';
import type { DueItem } from '../../../../src-shared/expiry/due-types';
import { Button } from '../../../components/ui/button';
import { EmptyState } from '../../../components/ui/empty-state';
import { CalendarIcon } from './calendar-icon';
import { call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';
import { plural } from '../../../lib/format';
import { useNow } from '../../../lib/use-now';
import { downloadText } from '../lib/download';
import { dueSelectors, useDueStore, type DueFilters } from '../stores/due-store';
import { DueList } from './due-list';
import { DueTimeline } from './due-timeline';
import './due.css';

/** Where a due row leads: the token, in its workspace and environment. */
export interface DueTarget {
  credentialId: string;
  workspaceId: string;
  environmentId: string;
}

const WITHIN: { days: number; label: string }[] = [
  { days: 30, label: 'Next 30 days' },
  { days: 90, label: 'Next 90 days' },
  { days: 365, label: 'Next year' },
];

/**
 * Every expiry and rotation date across all workspaces: filters, the 90-day
 * timeline, the list (earliest first), and the calendar export.
 */
export function DueView({ onOpen, onClose }: { onOpen: (target: DueTarget) => void; onClose: () => void }) {
  const items = useDueStore(dueSelectors.items);
  const status = useDueStore(dueSelectors.status);
  const error = useDueStore(dueSelectors.error);
  const filters = useDueStore(dueSelectors.filters);
  const { load } = useDueStore(dueSelectors.actions);
  const now = useNow();

  useEffect(() => {
    void load();
  }, [load]);

  const open = (credentialId: string) => {
    const item = items.find((i) => i.id === credentialId);
    if (item) onOpen({ credentialId, workspaceId: item.workspaceId, environmentId: item.environmentId });
  };
  const openItem = (item: DueItem) => onOpen({ credentialId: item.id, workspaceId: item.workspaceId, environmentId: item.environmentId });

  return (
    <section className="due-view" aria-labelledby="due-title">
      <header className="due-header">
        <div>
          <h1 id="due-title" className="due-title">
            Due
          </h1>
          <p className="due-subtitle muted">Expiry and rotation dates across every workspace, earliest first.</p>
        </div>
        <div className="due-header-actions">
          <ExportButton withinDays={Math.max(filters.withinDays, 365)} />
          <Button variant="ghost" onClick={onClose}>
            Back to tokens
          </Button>
        </div>
      </header>
      <DueFilterBar filters={filters} />
      {status === 'error' ? (
        <div className="due-error" role="alert">
          {error}{' '}
          <Button size="sm" onClick={() => void load()}>
            Try again
          </Button>
        </div>
      ) : null}
      <DueTimeline items={items} now={now} onOpen={open} />
      <div className="due-list-wrap">
        <p className="due-count" role="status">
          {status === 'loading' && items.length === 0 ? 'Loading…' : plural(items.length, 'date', 'dates')}
        </p>
        {status === 'ready' && items.length === 0 ? (
          <EmptyState icon={<CalendarIcon size={22} />} title="Nothing due">
            <p>No token expires or is due for rotation in this window. Dates already past are always listed.</p>
          </EmptyState>
        ) : items.length > 0 ? (
          <DueList items={items} now={now} onOpen={openItem} />
        ) : null}
      </div>
    </section>
  );
}

function ExportButton({ withinDays }: { withinDays: number }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function exportIcs() {
    setBusy(true);
    setError(null);
    try {
      const { ics } = await call('due:export-ics', { withinDays });
      downloadText(ics, 'tokenvault-due.ics', 'text/calendar;charset=utf-8');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="due-export">
      <Button icon={<CalendarIcon />} busy={busy} onClick={() => void exportIcs()}>
        Export calendar (.ics)
      </Button>
      {error ? (
        <p className="due-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Workspace, environment, provider, what and how far ahead. Names come from the vault, and live only while the view is open. */
function DueFilterBar({ filters }: { filters: DueFilters }) {
  const { setFilters } = useDueStore(dueSelectors.actions);
  const [workspaces, setWorkspaces] = useState<Workspace[]>([]);
  const [environments, setEnvironments] = useState<Environment[]>([]);
  const [providers, setProviders] = useState<{ id: string; name: string }[]>([]);
  const ids = { ws: useId(), env: useId(), provider: useId(), kind: useId(), within: useId() };

  useEffect(() => {
    let live = true;
    void Promise.all([call('workspaces:list', {}), call('providers:list', {})])
      .then(([ws, ps]) => {
        if (!live) return;
        const readable = ws.filter((w): w is Workspace => !isCorrupt(w as Listed<Workspace>)).sort((a, b) => a.name.localeCompare(b.name));
        setWorkspaces(readable);
        const used = new Set(readable.map((w) => w.providerId).filter(Boolean));
        setProviders(ps.filter((p) => used.has(p.definition.id)).map((p) => ({ id: p.definition.id, name: p.definition.name })));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    let live = true;
    if (!filters.workspaceId) {
      setEnvironments([]);
      return;
    }
    void call('environments:list', { workspaceId: filters.workspaceId })
      .then((envs) => {
        if (live) setEnvironments(envs.filter((e): e is Environment => !isCorrupt(e as Listed<Environment>)));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [filters.workspaceId]);

  const envOptions = useMemo(() => [...environments].sort((a, b) => a.name.localeCompare(b.name)), [environments]);

  return (
    <div className="due-filters" role="group" aria-label="Filters">
      <div className="due-filter">
        <label htmlFor={ids.ws}>In workspace</label>
        <select id={ids.ws} className="select" value={filters.workspaceId} onChange={(e) => void setFilters({ workspaceId: e.currentTarget.value })}>
          <option value="">All workspaces</option>
          {workspaces.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </div>
      <div className="due-filter">
        <label htmlFor={ids.env}>In environment</label>
        <select
          id={ids.env}
          className="select"
          value={filters.environmentId}
          disabled={!filters.workspaceId}
          onChange={(e) => void setFilters({ environmentId: e.currentTarget.value })}
        >
          <option value="">{filters.workspaceId ? 'All environments' : 'Choose a workspace first'}</option>
          {envOptions.map((e) => (
            <option key={e.id} value={e.id}>
              {e.production ? `${e.name} (production)` : e.name}
            </option>
          ))}
        </select>
      </div>
      <div className="due-filter">
        <label htmlFor={ids.provider}>Provider</label>
        <select id={ids.provider} className="select" value={filters.providerId} onChange={(e) => void setFilters({ providerId: e.currentTarget.value })}>
          <option value="">All providers</option>
          {providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="due-filter">
        <label htmlFor={ids.kind}>What</label>
        <select id={ids.kind} className="select" value={filters.kind} onChange={(e) => void setFilters({ kind: e.currentTarget.value as DueFilters['kind'] })}>
          <option value="">Expiring and rotation due</option>
          <option value="expiry">Expiring</option>
          <option value="rotation">Rotation due</option>
        </select>
      </div>
      <div className="due-filter">
        <label htmlFor={ids.within}>Within</label>
        <select id={ids.within} className="select" value={filters.withinDays} onChange={(e) => void setFilters({ withinDays: Number(e.currentTarget.value) })}>
          {WITHIN.map((w) => (
            <option key={w.days} value={w.days}>
              {w.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
