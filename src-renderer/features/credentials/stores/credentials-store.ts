import { create } from 'zustand';
import type { CredentialInput, CredentialPatch } from '../../../../src-shared/domain/schemas';
import type { CredentialSummary } from '../../../../src-shared/domain/types';
import { ApiError, call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';
import {
  DEFAULT_SORT,
  EMPTY_TABLE,
  buildTable,
  filterRows,
  removeFromTable,
  upsertInTable,
  type CredentialTable,
  type FilterResult,
  type SortColumn,
  type SortSpec,
} from '../lib/credential-table';

export interface CredentialScope {
  workspaceId: string;
  environmentId: string;
}

/**
 * The tokens of one workspace/environment: metadata only (no value ever
 * reaches a store), the search text, the sort and the selection. The rows on
 * screen are derived in the actions, not in a selector, so that a keystroke
 * filters once (see credential-table.ts) and every component reads the same
 * result.
 */
export interface CredentialsState {
  scope: CredentialScope | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  table: CredentialTable;
  query: string;
  sort: SortSpec;
  /** The filtered, sorted rows (indexes into table.items). */
  view: FilterResult;
  selectedId: string | null;
  /** A token to select once the list that holds it has loaded (a jump from the palette). */
  pendingSelectId: string | null;
  /** The move dialog to show: which token, and a suggested environment (the 401 diagnosis's "Move to sandbox"). */
  moveRequest: { credentialId: string; environmentId: string | null } | null;
  epoch: number;
  actions: {
    load(scope: CredentialScope): Promise<void>;
    setQuery(query: string): void;
    /** Sorts by a column; the same column again flips the direction. */
    toggleSort(column: SortColumn): void;
    select(id: string | null): void;
    /** Selects `id` now if listed, else as soon as a list holding it loads. */
    selectWhenLoaded(id: string): void;
    /** Throws ApiError for the form to show. */
    add(input: CredentialInput): Promise<CredentialSummary>;
    /** Throws ApiError for the form to show. */
    /** `patch.expectedUpdatedAt`: the token's `updatedAt` when the dialog opened; CONFLICT (ApiError) when it changed since. */
    update(id: string, patch: CredentialPatch & { expectedUpdatedAt: number }): Promise<CredentialSummary>;
    remove(id: string): Promise<void>;
    /** Opens the move dialog for a token, with a suggested target environment. */
    requestMove(credentialId: string, environmentId?: string | null): void;
    closeMove(): void;
    /** Moves a token (the list drops it when it leaves this environment). Throws ApiError for the dialog to show. */
    /** `opts.expectedUpdatedAt`: the token's `updatedAt` when the move dialog opened; CONFLICT when it changed since. */
    move(id: string, environmentId: string, opts: { name?: string; confirmName?: string; expectedUpdatedAt: number }): Promise<CredentialSummary>;
    /** A credential changed elsewhere (the CLI, another window): re-read just that one. */
    refreshOne(id: string): Promise<void>;
    reset(): void;
  };
}

function emptyView(sort: SortSpec): FilterResult {
  return { table: EMPTY_TABLE, query: '', sort, rows: new Uint32Array(0) };
}

const INITIAL = {
  scope: null as CredentialScope | null,
  status: 'idle' as CredentialsState['status'],
  error: null as string | null,
  table: EMPTY_TABLE,
  query: '',
  sort: DEFAULT_SORT,
  view: emptyView(DEFAULT_SORT),
  selectedId: null as string | null,
  pendingSelectId: null as string | null,
  moveRequest: null as CredentialsState['moveRequest'],
};

function sameScope(a: CredentialScope | null, b: CredentialScope | null): boolean {
  return a !== null && b !== null && a.workspaceId === b.workspaceId && a.environmentId === b.environmentId;
}

export const useCredentialsStore = create<CredentialsState>()((set, get) => {
  /** Swaps in a new table and re-derives the rows, keeping query and sort. */
  function withTable(table: CredentialTable): Pick<CredentialsState, 'table' | 'view'> {
    const { query, sort } = get();
    return { table, view: filterRows(table, query, sort) };
  }

  function upsert(c: CredentialSummary) {
    const { scope, table } = get();
    const belongs = scope !== null && c.workspaceId === scope.workspaceId && c.environmentId === scope.environmentId;
    if (belongs) set(withTable(upsertInTable(table, c)));
    else if (table.indexById.has(c.id)) set(withTable(removeFromTable(table, c.id)));
  }

  return {
    ...INITIAL,
    epoch: 0,
    actions: {
      async load(scope) {
        const epoch = get().epoch;
        const refreshing = sameScope(get().scope, scope);
        // Another environment's tokens must never show under this one's name:
        // the old list goes at once, not when the new one arrives.
        set({
          scope,
          status: 'loading',
          error: null,
          ...(refreshing ? {} : { table: EMPTY_TABLE, view: emptyView(get().sort), selectedId: null }),
        });
        try {
          const listed = await call('credentials:list', scope);
          const now = get();
          if (now.epoch !== epoch || !sameScope(now.scope, scope)) return;
          const table = buildTable(listed);
          const pending = now.pendingSelectId !== null && table.indexById.has(now.pendingSelectId) ? now.pendingSelectId : null;
          const keepSelected = now.selectedId !== null && table.indexById.has(now.selectedId) ? now.selectedId : null;
          set({
            ...withTable(table),
            status: 'ready',
            selectedId: pending ?? keepSelected,
            ...(pending ? { pendingSelectId: null } : {}),
          });
        } catch (e) {
          const now = get();
          if (now.epoch === epoch && sameScope(now.scope, scope)) set({ status: 'error', error: errorMessage(e) });
        }
      },

      setQuery(query) {
        const { table, sort, view } = get();
        set({ query, view: filterRows(table, query, sort, view) });
      },

      toggleSort(column) {
        const { sort, table, query } = get();
        const next: SortSpec =
          sort.column === column
            ? { column, direction: sort.direction === 'ascending' ? 'descending' : 'ascending' }
            : { column, direction: 'ascending' };
        set({ sort: next, view: filterRows(table, query, next) });
      },

      select(id) {
        set({ selectedId: id });
      },

      selectWhenLoaded(id) {
        const { table, status } = get();
        if (status === 'ready' && table.indexById.has(id)) set({ selectedId: id, pendingSelectId: null });
        else set({ pendingSelectId: id });
      },

      async add(input) {
        const epoch = get().epoch;
        const created = await call('credentials:add', input);
        if (get().epoch === epoch) {
          upsert(created);
          set({ selectedId: created.id });
        }
        return created;
      },

      async update(id, patch) {
        const epoch = get().epoch;
        // The caller sends the version its dialog opened on (not the row shown now: the
        // data_version poll refreshes that, which would let a stale form overwrite
        // another process's save). The vault answers CONFLICT when they differ.
        const updated = await call('credentials:update', { id, patch });
        if (get().epoch === epoch) upsert(updated);
        return updated;
      },

      async remove(id) {
        const epoch = get().epoch;
        await call('credentials:remove', { id });
        if (get().epoch !== epoch) return;
        set({ ...withTable(removeFromTable(get().table, id)), ...(get().selectedId === id ? { selectedId: null } : {}) });
      },

      requestMove(credentialId, environmentId = null) {
        set({ moveRequest: { credentialId, environmentId } });
      },

      closeMove() {
        set({ moveRequest: null });
      },

      async move(id, environmentId, opts) {
        const epoch = get().epoch;
        const moved = await call('credentials:move', { id, environmentId, ...opts });
        if (get().epoch === epoch) {
          upsert(moved);
          if (get().selectedId === id && !get().table.indexById.has(id)) set({ selectedId: null });
        }
        return moved;
      },

      async refreshOne(id) {
        const epoch = get().epoch;
        try {
          const c = await call('credentials:get', { id });
          if (get().epoch !== epoch) return;
          // Our own saves come back as change events too: skip what we already show.
          // A test changes no field the user edits (so not updatedAt), only when it last ran.
          const i = get().table.indexById.get(id);
          const shown = i === undefined ? undefined : get().table.items[i]!;
          if (shown && shown.updatedAt === c.updatedAt && shown.lastTestedAt === c.lastTestedAt && shown.lastUsedAt === c.lastUsedAt) return;
          upsert(c);
        } catch (e) {
          if (get().epoch !== epoch) return;
          if (e instanceof ApiError && e.code === 'NOT_FOUND') {
            set({ ...withTable(removeFromTable(get().table, id)), ...(get().selectedId === id ? { selectedId: null } : {}) });
          } else if (e instanceof ApiError && e.code === 'CORRUPT') {
            const scope = get().scope;
            if (scope) void get().actions.load(scope);
          }
        }
      },

      reset() {
        set((s) => ({ ...INITIAL, view: emptyView(DEFAULT_SORT), epoch: s.epoch + 1 }));
      },
    },
  };
});

export const credentialsSelectors = {
  status: (s: CredentialsState) => s.status,
  error: (s: CredentialsState) => s.error,
  query: (s: CredentialsState) => s.query,
  sort: (s: CredentialsState) => s.sort,
  view: (s: CredentialsState) => s.view,
  table: (s: CredentialsState) => s.table,
  selectedId: (s: CredentialsState) => s.selectedId,
  selected: (s: CredentialsState): CredentialSummary | null => {
    if (s.selectedId === null) return null;
    const i = s.table.indexById.get(s.selectedId);
    return i === undefined ? null : s.table.items[i]!;
  },
  /** How many tokens the list holds, and how many the search shows. */
  counts: (s: CredentialsState) => ({ total: s.table.items.length, shown: s.view.rows.length, corrupt: s.table.corrupt.length }),
  actions: (s: CredentialsState) => s.actions,
};
