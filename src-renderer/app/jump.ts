import type { SearchResult } from '../../src-shared/ipc/contract';
import { useCredentialsStore } from '../features/credentials/stores/credentials-store';
import { useWorkspacesStore } from '../features/workspaces/stores/workspaces-store';

/** Goes to what the command palette found: a workspace, an environment, or a token in its environment. */
export async function jumpTo(result: SearchResult): Promise<void> {
  if (result.type === 'credential') {
    const creds = useCredentialsStore.getState().actions;
    // The search box must not hide the token we jump to.
    creds.setQuery('');
    creds.selectWhenLoaded(result.id);
  }
  await useWorkspacesStore.getState().actions.selectWorkspace(result.workspaceId, result.environmentId);
}
