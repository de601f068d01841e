import { create } from 'zustand';
import type { Settings } from '../../../../src-shared/domain/schemas';
import { call } from '../../../lib/api';

interface SettingsState {
  settings: Settings | null;
  /** Bumped by reset(): an answer that arrives after a lock is dropped, not stored. */
  epoch: number;
  actions: {
    load(): Promise<void>;
    /** Throws ApiError (VALIDATION with field issues) for the form to show. */
    update(patch: Partial<Settings>): Promise<Settings>;
    reset(): void;
  };
}

export const useSettingsStore = create<SettingsState>()((set, get) => ({
  settings: null,
  epoch: 0,
  actions: {
    async load() {
      const mine = get().epoch;
      const settings = await call('settings:get', {});
      if (get().epoch === mine) set({ settings });
    },
    async update(patch) {
      const mine = get().epoch;
      const settings = await call('settings:update', patch);
      if (get().epoch === mine) set({ settings });
      return settings;
    },
    reset() {
      set((s) => ({ settings: null, epoch: s.epoch + 1 }));
    },
  },
}));

export const settingsSelectors = {
  settings: (s: SettingsState) => s.settings,
  actions: (s: SettingsState) => s.actions,
};
