import type { SearchResult } from '../../src-shared/ipc/contract';
import { useCredentialsStore } from '../features/credentials/stores/credentials-store';
import { useWorkspacesStore } from '../features/workspaces/stores/workspaces-store';
import { call } from '../lib/api';
import { useViewStore } from './view-store';

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

/** Opens one token by id (from the Due view or a notification): its workspace, environment and details, on the tokens view. */
export async function jumpToCredential(target: { credentialId: string; workspaceId?: string; environmentId?: string }): Promise<void> {
  let { workspaceId, environmentId } = target;
  if (!workspaceId || !environmentId) {
    const c = await call('credentials:get', { id: target.credentialId });
    workspaceId = c.workspaceId;
    environmentId = c.environmentId;
  }
  useViewStore.getState().setView('tokens');
  await jumpTo({ type: 'credential', id: target.credentialId, name: '', path: '', workspaceId, environmentId });
}
