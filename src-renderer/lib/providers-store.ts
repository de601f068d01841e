import { create } from 'zustand';
import type { ProviderInfo } from '../../src-shared/ipc/contract';
import { call } from './api';
import { errorMessage } from './errors';

/**
 * Provider definitions (data, no secrets), loaded once and shared by every
 * feature that needs a provider's presets or permission model. `reload()`
 * after a change (an imported role table).
 */
export interface ProvidersState {
  providers: ProviderInfo[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  actions: {
    ensure(): Promise<void>;
    reload(): Promise<void>;
    /** Replaces one definition (the answer of roles:save-table). */
    put(info: ProviderInfo): void;
  };
}

export const useProvidersStore = create<ProvidersState>()((set, get) => ({
  providers: [],
  status: 'idle',
  error: null,
  actions: {
    async ensure() {
      if (get().status === 'idle' || get().status === 'error') await get().actions.reload();
    },
    async reload() {
      set({ status: 'loading', error: null });
      try {
        set({ providers: await call('providers:list', {}), status: 'ready' });
      } catch (e) {
        set({ status: 'error', error: errorMessage(e) });
      }
    },
    put(info) {
      const rest = get().providers.filter((p) => p.definition.id !== info.definition.id);
      set({ providers: [...rest, info] });
    },
  },
}));

/** The provider with this id, or null (no provider, or not loaded yet). */
export function useProvider(id: string | null | undefined): ProviderInfo | null {
  return useProvidersStore((s) => (id ? (s.providers.find((p) => p.definition.id === id) ?? null) : null));
}
