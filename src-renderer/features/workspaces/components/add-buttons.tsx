import { useState } from 'react';
import { Button, type ButtonProps } from '../../../components/ui/button';
import { PencilIcon, PlusIcon } from '../../../components/ui/icons';
import { useWorkspacesStore, workspacesSelectors } from '../stores/workspaces-store';
import { AddEnvironmentDialog, AddWorkspaceDialog, EditEnvironmentDialog, EditWorkspaceDialog } from '../../../app/lazy-views';

type Look = Pick<ButtonProps, 'variant' | 'size'> & {
  /** Icon only (the top bar, where room is short); the label stays the accessible name and the tooltip. */
  compact?: boolean;
};

/** "Add workspace", with its dialog. */
export function AddWorkspaceButton({ compact = false, ...look }: Look) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        icon={<PlusIcon />}
        {...look}
        {...(compact ? { className: 'btn-icon', 'aria-label': 'Add workspace', title: 'Add workspace' } : {})}
        onClick={() => setOpen(true)}
      >
        {compact ? null : 'Add workspace'}
      </Button>
      {open ? <AddWorkspaceDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}

/** "Add environment" for the active workspace, with its dialog. */
export function AddEnvironmentButton({ compact = false, ...look }: Look) {
  const [open, setOpen] = useState(false);
  const workspace = useWorkspacesStore(workspacesSelectors.activeWorkspace);
  if (!workspace) return null;
  return (
    <>
      <Button
        icon={<PlusIcon />}
        {...look}
        {...(compact ? { className: 'btn-icon', 'aria-label': 'Add environment', title: 'Add environment' } : {})}
        onClick={() => setOpen(true)}
      >
        {compact ? null : 'Add environment'}
      </Button>
      {open ? <AddEnvironmentDialog workspaceId={workspace.id} workspaceName={workspace.name} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

/** "Edit workspace" (rename, recolour, provider, delete) for the active workspace: an icon button named for screen readers. */
export function EditWorkspaceButton({ compact: _compact, ...look }: Look) {
  const [open, setOpen] = useState(false);
  const workspace = useWorkspacesStore(workspacesSelectors.activeWorkspace);
  if (!workspace) return null;
  return (
    <>
      <Button icon={<PencilIcon />} {...look} className="btn-icon" aria-label="Edit workspace" title="Edit workspace" onClick={() => setOpen(true)} />
      {open ? <EditWorkspaceDialog workspace={workspace} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

/** "Edit environment" (name, base URL, production, delete) for the active environment. */
export function EditEnvironmentButton({ compact: _compact, ...look }: Look) {
  const [open, setOpen] = useState(false);
  const workspace = useWorkspacesStore(workspacesSelectors.activeWorkspace);
  const environment = useWorkspacesStore(workspacesSelectors.activeEnvironment);
  if (!workspace || !environment) return null;
  return (
    <>
      <Button
        icon={<PencilIcon />}
        {...look}
        className="btn-icon"
        aria-label="Edit environment"
        title={`Edit environment · ${environment.baseUrl}`}
        onClick={() => setOpen(true)}
      />
      {open ? <EditEnvironmentDialog workspaceName={workspace.name} environment={environment} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
