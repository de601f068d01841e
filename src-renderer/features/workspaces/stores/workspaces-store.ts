import { create } from 'zustand';
import type { EnvironmentInput, EnvironmentPatch, WorkspaceInput, WorkspacePatch } from '../../../../src-shared/domain/schemas';
import type { Environment, Listed, Workspace } from '../../../../src-shared/domain/types';
import { isCorrupt } from '../../../../src-shared/domain/types';
import { call } from '../../../lib/api';
import { errorMessage } from '../../../lib/errors';

/**
 * Workspaces, their environments, and which ones are active. All of it is
 * decrypted data (names, URLs): reset() drops it when the vault locks, and
 * the epoch makes sure an answer still on its way is dropped too.
 */
export interface WorkspacesState {
  /** Sorted by name; corrupt records (never hidden) last. */
  workspaces: Listed<Workspace>[];
  loaded: boolean;
  error: string | null;
  /** Per workspace id, sorted by name; absent until loaded. */
  environments: Record<string, Listed<Environment>[]>;
  activeWorkspaceId: string | null;
  activeEnvironmentId: string | null;
  epoch: number;
  actions: {
    load(): Promise<void>;
    /**
     * Switches workspace; without an environment id, keeps the kind of the
     * environment active before (production or not) when the new workspace
     * has one, else picks a sandbox before a production one.
     */
    selectWorkspace(id: string, environmentId?: string | null): Promise<void>;
    selectEnvironment(id: string): void;
    /** Throws ApiError for the form to show. `presetEnvironments`: which of the provider's documented environments come with it (all when absent). */
    addWorkspace(input: WorkspaceInput, presetEnvironments?: string[]): Promise<Workspace>;
    /** Throws ApiError for the form to show. */
    addEnvironment(input: EnvironmentInput): Promise<Environment>;
    /** Throws ApiError for the form to show. */
    /** `patch.expectedUpdatedAt`: the workspace's `updatedAt` when the dialog opened; CONFLICT when it changed since. */
    updateWorkspace(id: string, patch: WorkspacePatch & { expectedUpdatedAt: number }): Promise<Workspace>;
    /** Deletes a workspace with its environments and tokens; another one becomes active. */
    removeWorkspace(id: string): Promise<void>;
    /** Throws ApiError for the form to show. */
    /** `patch.expectedUpdatedAt`: the environment's `updatedAt` when the dialog opened; CONFLICT when it changed since. */
    updateEnvironment(id: string, patch: EnvironmentPatch & { expectedUpdatedAt: number }): Promise<Environment>;
    /** Deletes an environment with its tokens; the workspace's default one becomes active. */
    removeEnvironment(id: string): Promise<void>;
    /** Re-reads after a change made elsewhere (the CLI, another window). */
    reload(): Promise<void>;
    reset(): void;
  };
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function byName<T extends { id: string; name: string }>(list: Listed<T>[]): Listed<T>[] {
  return [...list].sort((a, b) => {
    const ac = isCorrupt(a);
    const bc = isCorrupt(b);
    if (ac || bc) return ac === bc ? a.id.localeCompare(b.id) : ac ? 1 : -1;
    return collator.compare(a.name, b.name);
  });
}

/** The environment to open in a workspace: never production by default — switching to it is a deliberate act. */
export function defaultEnvironmentId(envs: Listed<Environment>[]): string | null {
  const readable = envs.filter((e): e is Environment => !isCorrupt(e));
  return (readable.find((e) => !e.production) ?? readable[0])?.id ?? null;
}

const INITIAL = {
  workspaces: [] as Listed<Workspace>[],
  loaded: false,
  error: null as string | null,
  environments: {} as Record<string, Listed<Environment>[]>,
  activeWorkspaceId: null as string | null,
  activeEnvironmentId: null as string | null,
};

export const useWorkspacesStore = create<WorkspacesState>()((set, get) => {
  async function fetchEnvironments(workspaceId: string, epoch: number): Promise<Listed<Environment>[] | null> {
    const envs = byName(await call('environments:list', { workspaceId }));
    if (get().epoch !== epoch) return null;
    set((s) => ({ environments: { ...s.environments, [workspaceId]: envs } }));
    return envs;
  }

  return {
    ...INITIAL,
    epoch: 0,
    actions: {
      async load() {
        const epoch = get().epoch;
        try {
          const workspaces = byName(await call('workspaces:list', {}));
          if (get().epoch !== epoch) return;
          set({ workspaces, loaded: true, error: null });
          const { activeWorkspaceId } = get();
          const stillThere = activeWorkspaceId !== null && workspaces.some((w) => w.id === activeWorkspaceId && !isCorrupt(w));
          const first = workspaces.find((w) => !isCorrupt(w));
          if (stillThere) await get().actions.selectWorkspace(activeWorkspaceId, get().activeEnvironmentId);
          else if (first) await get().actions.selectWorkspace(first.id);
          else set({ activeWorkspaceId: null, activeEnvironmentId: null });
        } catch (e) {
          if (get().epoch === epoch) set({ loaded: true, error: errorMessage(e) });
        }
      },

      async selectWorkspace(id, environmentId) {
        const epoch = get().epoch;
        // Switch at once (the previous workspace's environment must not linger
        // under the new name), then fill in the environment. Re-selecting the
        // active workspace (a reload) keeps its environment meanwhile.
        // The kind of environment you were in carries over: production stays
        // production when the new workspace has one (a deliberate choice made
        // already), else the default.
        const kind = workspacesSelectors.activeEnvironment(get())?.production;
        if (get().activeWorkspaceId !== id) set({ activeWorkspaceId: id, activeEnvironmentId: null });
        try {
          const envs = await fetchEnvironments(id, epoch);
          if (envs === null || get().activeWorkspaceId !== id) return;
          const valid = (envId: string | null | undefined): envId is string => !!envId && envs.some((e) => e.id === envId && !isCorrupt(e));
          // An explicit environment (a jump) wins; else the one already active
          // (a reload, or the user's pick while the list was on its way); else
          // the default.
          const current = get().activeEnvironmentId;
          const sameKind = kind === undefined ? null : (envs.find((e) => !isCorrupt(e) && e.production === kind)?.id ?? null);
          const wanted = valid(environmentId) ? environmentId : valid(current) ? current : (sameKind ?? defaultEnvironmentId(envs));
          if (get().activeEnvironmentId !== wanted) set({ activeEnvironmentId: wanted });
          if (get().error !== null) set({ error: null });
        } catch (e) {
          if (get().epoch === epoch) set({ error: errorMessage(e) });
        }
      },

      selectEnvironment(id) {
        const { activeWorkspaceId, environments } = get();
        if (activeWorkspaceId && environments[activeWorkspaceId]?.some((e) => e.id === id && !isCorrupt(e))) {
          set({ activeEnvironmentId: id });
        }
      },

      async addWorkspace(input, presetEnvironments) {
        const epoch = get().epoch;
        const workspace = await call('workspaces:add', presetEnvironments ? { ...input, presetEnvironments } : input);
        if (get().epoch !== epoch) return workspace;
        set((s) => ({ workspaces: byName([...s.workspaces.filter((w) => w.id !== workspace.id), workspace]) }));
        // A known provider's workspace starts with its documented environments: list them.
        await get().actions.selectWorkspace(workspace.id);
        return workspace;
      },

      async addEnvironment(input) {
        const epoch = get().epoch;
        const env = await call('environments:add', input);
        if (get().epoch !== epoch) return env;
        set((s) => ({
          environments: {
            ...s.environments,
            [env.workspaceId]: byName([...(s.environments[env.workspaceId] ?? []).filter((e) => e.id !== env.id), env]),
          },
          ...(s.activeWorkspaceId === env.workspaceId ? { activeEnvironmentId: env.id } : {}),
        }));
        return env;
      },

      async updateWorkspace(id, patch) {
        const epoch = get().epoch;
        const workspace = await call('workspaces:update', { id, patch });
        if (get().epoch === epoch) set((s) => ({ workspaces: byName(s.workspaces.map((w) => (w.id === id ? workspace : w))) }));
        return workspace;
      },

      async removeWorkspace(id) {
        await call('workspaces:remove', { id });
        const { [id]: _gone, ...environments } = get().environments;
        set((s) => ({ workspaces: s.workspaces.filter((w) => w.id !== id), environments, ...(s.activeWorkspaceId === id ? { activeWorkspaceId: null, activeEnvironmentId: null } : {}) }));
        await get().actions.load();
      },

      async updateEnvironment(id, patch) {
        const epoch = get().epoch;
        const env = await call('environments:update', { id, patch });
        if (get().epoch === epoch) {
          set((s) => ({
            environments: { ...s.environments, [env.workspaceId]: byName((s.environments[env.workspaceId] ?? []).map((e) => (e.id === id ? env : e))) },
          }));
        }
        return env;
      },

      async removeEnvironment(id) {
        await call('environments:remove', { id });
        const { activeWorkspaceId, activeEnvironmentId } = get();
        if (activeEnvironmentId === id) set({ activeEnvironmentId: null });
        if (activeWorkspaceId) await get().actions.selectWorkspace(activeWorkspaceId);
      },

      async reload() {
        await get().actions.load();
      },

      reset() {
        set((s) => ({ ...INITIAL, environments: {}, workspaces: [], epoch: s.epoch + 1 }));
      },
    },
  };
});

const NO_ENVIRONMENTS: Listed<Environment>[] = [];

export const workspacesSelectors = {
  workspaces: (s: WorkspacesState) => s.workspaces,
  loaded: (s: WorkspacesState) => s.loaded,
  error: (s: WorkspacesState) => s.error,
  activeWorkspaceId: (s: WorkspacesState) => s.activeWorkspaceId,
  activeEnvironmentId: (s: WorkspacesState) => s.activeEnvironmentId,
  activeWorkspace: (s: WorkspacesState): Workspace | null => {
    const w = s.workspaces.find((x) => x.id === s.activeWorkspaceId);
    return w && !isCorrupt(w) ? w : null;
  },
  /** The active workspace's environments (a stable array: safe to select without useShallow). */
  environments: (s: WorkspacesState): Listed<Environment>[] =>
    (s.activeWorkspaceId ? s.environments[s.activeWorkspaceId] : undefined) ?? NO_ENVIRONMENTS,
  environmentsLoaded: (s: WorkspacesState) => s.activeWorkspaceId !== null && s.environments[s.activeWorkspaceId] !== undefined,
  activeEnvironment: (s: WorkspacesState): Environment | null => {
    const envs = s.activeWorkspaceId ? s.environments[s.activeWorkspaceId] : undefined;
    const e = envs?.find((x) => x.id === s.activeEnvironmentId);
    return e && !isCorrupt(e) ? e : null;
  },
  /** Workspaces that decrypt (derived array: select with useShallow). */
  readableWorkspaces: (s: WorkspacesState): Workspace[] => s.workspaces.filter((w): w is Workspace => !isCorrupt(w)),
  actions: (s: WorkspacesState) => s.actions,
};
