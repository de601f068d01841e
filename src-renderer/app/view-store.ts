import { create } from 'zustand';

/** Which main view is showing: the active environment's tokens, what is due across all workspaces, or the audit log (issue 12). */
export type MainView = 'tokens' | 'due' | 'audit';

export const useViewStore = create<{ view: MainView; setView(view: MainView): void }>()((set) => ({
  view: 'tokens',
  setView: (view) => set({ view }),
}));
