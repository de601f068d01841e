import { create } from 'zustand';

/** Which main view is showing: the active environment's tokens, or what is due across all workspaces. */
export type MainView = 'tokens' | 'due';

export const useViewStore = create<{ view: MainView; setView(view: MainView): void }>()((set) => ({
  view: 'tokens',
  setView: (view) => set({ view }),
}));
