import { useState } from 'react';
import { Button, type ButtonProps } from '../../../components/ui/button';
import { PlusIcon } from '../../../components/ui/icons';
import { useWorkspacesStore, workspacesSelectors } from '../stores/workspaces-store';
import { AddEnvironmentDialog } from './add-environment-dialog';
import { AddWorkspaceDialog } from './add-workspace-dialog';

type Look = Pick<ButtonProps, 'variant' | 'size'>;

/** "Add workspace", with its dialog. */
export function AddWorkspaceButton(look: Look) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<PlusIcon />} {...look} onClick={() => setOpen(true)}>
        Add workspace
      </Button>
      {open ? <AddWorkspaceDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}

/** "Add environment" for the active workspace, with its dialog. */
export function AddEnvironmentButton(look: Look) {
  const [open, setOpen] = useState(false);
  const workspace = useWorkspacesStore(workspacesSelectors.activeWorkspace);
  if (!workspace) return null;
  return (
    <>
      <Button icon={<PlusIcon />} {...look} onClick={() => setOpen(true)}>
        Add environment
      </Button>
      {open ? <AddEnvironmentDialog workspaceId={workspace.id} workspaceName={workspace.name} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
