import { EmptyState } from '../../../components/ui/empty-state';
import { FolderIcon, LayersIcon } from '../../../components/ui/icons';
import { useWorkspacesStore, workspacesSelectors } from '../stores/workspaces-store';
import { AddEnvironmentButton, AddWorkspaceButton } from './add-buttons';

export function NoWorkspaces() {
  return (
    <EmptyState
      icon={<FolderIcon size={22} />}
      title="Add your first workspace"
      action={<AddWorkspaceButton variant="primary" size="lg" />}
    >
      <p>A workspace holds the tokens of one client, company or account — for example “Acme Holding”.</p>
      <p>Inside it you add environments such as sandbox and production, and then the tokens for each.</p>
    </EmptyState>
  );
}

export function NoEnvironments() {
  const workspace = useWorkspacesStore(workspacesSelectors.activeWorkspace);
  return (
    <EmptyState
      icon={<LayersIcon size={22} />}
      title={`Add an environment to ${workspace?.name ?? 'this workspace'}`}
      action={<AddEnvironmentButton variant="primary" size="lg" />}
    >
      <p>An environment is one API base URL with its own tokens, such as sandbox or production.</p>
      <p>Mark production environments as such: Tokenvault then shows a red band whenever one is active.</p>
    </EmptyState>
  );
}
