import { Button } from '../components/ui/button';
import { ArchiveIcon, GearIcon, LockIcon, SearchIcon, ShieldIcon } from '../components/ui/icons';
import { MOD_LABEL } from '../lib/keyboard';
import { AddEnvironmentButton, AddWorkspaceButton, EditEnvironmentButton, EditWorkspaceButton } from '../features/workspaces/components/add-buttons';
import { EnvironmentSwitcher } from '../features/workspaces/components/environment-switcher';
import { WorkspaceSwitcher } from '../features/workspaces/components/workspace-switcher';
import { dueSelectors, useDueStore } from '../features/due/stores/due-store';
import { ScanFolderButton } from '../features/scan/components/scan-folder-button';
import { ProvidersButton } from '../features/providers/components/providers-button';
import { jumpToCredential } from './jump';
import { useViewStore } from './view-store';

/**
 * The bar every unlocked screen shares: where you are (workspace,
 * environment), how to get elsewhere (switchers, the palette), and Lock.
 * One row down to 900 px: up to 1600 px the labels marked `top-label` are
 * hidden visually (still each button's accessible name; the title is the
 * tooltip) and a long workspace name is cut with an ellipsis (app.css).
 */
export function TopBar({
  hasWorkspaces,
  hasEnvironments,
  onOpenPalette,
  onOpenSettings,
  onOpenTransfer,
  onLock,
}: {
  hasWorkspaces: boolean;
  hasEnvironments: boolean;
  onOpenPalette: () => void;
  onOpenSettings: () => void;
  /** Back up, restore, import, export (issue 14). */
  onOpenTransfer?: () => void;
  onLock: () => void;
}) {
  const dueCounts = useDueStore(dueSelectors.counts);
  return (
    <header className="top-bar">
      <div className="top-brand" aria-hidden="true">
        <span className="top-logo">
          <ShieldIcon size={15} />
        </span>
      </div>
      {hasWorkspaces ? (
        <div className="top-switchers">
          <div className="top-group">
            <WorkspaceSwitcher dueCounts={dueCounts} />
            <EditWorkspaceButton variant="ghost" size="sm" />
            <AddWorkspaceButton variant="ghost" size="sm" compact />
          </div>
          {hasEnvironments ? (
            <div className="top-group top-group-environment">
              <EnvironmentSwitcher />
              <EditEnvironmentButton variant="ghost" size="sm" />
              <AddEnvironmentButton variant="ghost" size="sm" compact />
            </div>
          ) : null}
        </div>
      ) : (
        <span className="top-title">Tokenvault</span>
      )}
      <div className="top-actions">
        {hasWorkspaces ? <ViewToggle /> : null}
        <AuditToggle />
        {hasWorkspaces ? (
          <button type="button" className="palette-trigger" title={`Jump to… (${MOD_LABEL} K)`} onClick={onOpenPalette}>
            <SearchIcon size={14} />
            <span className="top-label">Jump to…</span>
            <kbd>{MOD_LABEL}</kbd>
            <kbd>K</kbd>
          </button>
        ) : null}
        {hasWorkspaces ? <ScanFolderButton onOpenToken={(id) => void jumpToCredential({ credentialId: id })} /> : null}
        <ProvidersButton />
        {onOpenTransfer ? (
          <Button variant="ghost" icon={<ArchiveIcon />} title="Backup & import" onClick={onOpenTransfer}>
            <span className="top-label">Backup &amp; import</span>
          </Button>
        ) : null}
        <Button variant="ghost" icon={<GearIcon />} title="Settings" onClick={onOpenSettings}>
          <span className="top-label">Settings</span>
        </Button>
        <Button icon={<LockIcon />} onClick={onLock}>
          Lock
        </Button>
      </div>
    </header>
  );
}

/** "Audit log" (issue 12): the vault's events with filters and Verify chain; pressed again, back to the tokens. */
function AuditToggle() {
  const view = useViewStore((s) => s.view);
  const setView = useViewStore((s) => s.setView);
  return (
    <Button variant="ghost" className="view-toggle" aria-pressed={view === 'audit'} onClick={() => setView(view === 'audit' ? 'tokens' : 'audit')}>
      Audit log
    </Button>
  );
}

/** "Due": every expiry and rotation date across all workspaces; pressed again, back to the tokens. */
function ViewToggle() {
  const view = useViewStore((s) => s.view);
  const setView = useViewStore((s) => s.setView);
  return (
    <Button variant="ghost" className="view-toggle" aria-pressed={view === 'due'} onClick={() => setView(view === 'due' ? 'tokens' : 'due')}>
      Due
    </Button>
  );
}
