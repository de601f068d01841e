import { create } from 'zustand';
import type { DueKind, DueItem } from '../../../../src-shared/expiry/due-types';
import { call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';

/** What the Due view filters on; empty strings mean "all". */
export interface DueFilters {
  workspaceId: string;
  environmentId: string;
  providerId: string;
  kind: DueKind | '';
  withinDays: number;
}

export const DEFAULT_FILTERS: DueFilters = { workspaceId: '', environmentId: '', providerId: '', kind: '', withinDays: 90 };

/**
 * The due dates across every workspace, and the per-workspace counts the
 * switcher badges show. Items carry decrypted names: reset() drops them when
 * the vault locks; an epoch drops answers that arrive after that. Counts are
 * ids and numbers only (the main process answers them while locked too).
 */
export interface DueState {
  items: DueItem[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  filters: DueFilters;
  /** Workspace id → tokens due soon, overdue or expired. */
  counts: Record<string, number>;
  /** Credential id → snoozed until (this session's snoozes; the list does not say). */
  snoozed: Record<string, number>;
  epoch: number;
  actions: {
    load(): Promise<void>;
    setFilters(patch: Partial<DueFilters>): Promise<void>;
    refreshCounts(): Promise<void>;
    /** Throws ApiError for the row to show. */
    snooze(credentialId: string, untilMs: number): Promise<number | null>;
    reset(): void;
  };
}

function queryOf(f: DueFilters) {
  return {
    withinDays: f.withinDays,
    ...(f.workspaceId ? { workspaceId: f.workspaceId } : {}),
    ...(f.environmentId ? { environmentId: f.environmentId } : {}),
    ...(f.providerId ? { providerId: f.providerId } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
  };
}

export const useDueStore = create<DueState>()((set, get) => {
  let request = 0;
  let countsRequest = 0;
  return {
    items: [],
    status: 'idle',
    error: null,
    filters: DEFAULT_FILTERS,
    counts: {},
    snoozed: {},
    epoch: 0,
    actions: {
      async load() {
        const mine = ++request;
        const epoch = get().epoch;
        set({ status: 'loading', error: null });
        try {
          const items = await call('due:list', queryOf(get().filters));
          if (mine === request && epoch === get().epoch) set({ items, status: 'ready' });
        } catch (e) {
          if (mine === request && epoch === get().epoch) set({ status: 'error', error: errorMessage(e) });
        }
      },
      async setFilters(patch) {
        const filters = { ...get().filters, ...patch };
        // An environment belongs to one workspace: a new workspace clears it.
        if (patch.workspaceId !== undefined && patch.workspaceId !== get().filters.workspaceId && patch.environmentId === undefined) filters.environmentId = '';
        set({ filters });
        await get().actions.load();
      },
      async refreshCounts() {
        const mine = ++countsRequest;
        try {
          const counts = await call('due:counts', {});
          if (mine === countsRequest) set({ counts });
        } catch {
          // Badges are a hint; the next change or reminder tries again.
        }
      },
      async snooze(credentialId, untilMs) {
        const r = await call('reminders:snooze', { credentialId, untilMs });
        set((s) => {
          const snoozed = { ...s.snoozed };
          if (r.untilMs === null) delete snoozed[credentialId];
          else snoozed[credentialId] = r.untilMs;
          return { snoozed };
        });
        return r.untilMs;
      },
      reset() {
        request++;
        set((s) => ({ items: [], status: 'idle', error: null, filters: DEFAULT_FILTERS, snoozed: {}, epoch: s.epoch + 1 }));
      },
    },
  };
});

export const dueSelectors = {
  items: (s: DueState) => s.items,
  status: (s: DueState) => s.status,
  error: (s: DueState) => s.error,
  filters: (s: DueState) => s.filters,
  counts: (s: DueState) => s.counts,
  snoozed: (s: DueState) => s.snoozed,
  actions: (s: DueState) => s.actions,
};
