import { useId } from 'react';
import { isCorrupt } from '../../../../src-shared/domain/types';
import { useWorkspacesStore, workspacesSelectors } from '../stores/workspaces-store';
import { DEFAULT_WORKSPACE_COLOR } from './workspace-colors';
import './workspaces.css';

/**
 * The "Workspace" select: every workspace by name; corrupt ones listed (not
 * selectable), never hidden. `dueCounts` (workspace id → tokens due soon,
 * overdue or expired) puts a badge in the box for the active workspace.
 */
export function WorkspaceSwitcher({ dueCounts = {} }: { dueCounts?: Record<string, number> }) {
  const id = useId();
  const workspaces = useWorkspacesStore(workspacesSelectors.workspaces);
  const activeId = useWorkspacesStore(workspacesSelectors.activeWorkspaceId);
  const active = useWorkspacesStore(workspacesSelectors.activeWorkspace);
  const { selectWorkspace } = useWorkspacesStore(workspacesSelectors.actions);
  const due = activeId ? (dueCounts[activeId] ?? 0) : 0;
  return (
    <div className="switcher">
      <label className="switcher-label" htmlFor={id}>
        Workspace
      </label>
      <div className="switcher-control">
        <span className="workspace-dot" aria-hidden="true" style={{ backgroundColor: active?.color ?? DEFAULT_WORKSPACE_COLOR }} />
        <select
          id={id}
          className={`select switcher-select switcher-select-workspace${due > 0 ? ' has-due' : ''}`}
          aria-describedby={due > 0 ? `${id}-due` : undefined}
          value={activeId ?? ''}
          title={active?.name}
          onChange={(e) => {
            const next = e.currentTarget.value;
            if (next !== activeId) void selectWorkspace(next);
          }}
        >
          {activeId === null ? <option value="">Choose a workspace</option> : null}
          {workspaces.map((w) =>
            isCorrupt(w) ? (
              <option key={w.id} value={w.id} disabled>
                Corrupt record {w.id} — cannot be decrypted
              </option>
            ) : (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ),
          )}
        </select>
        {due > 0 ? (
          <span className="badge badge-warning switcher-due" id={`${id}-due`} data-testid="workspace-due-badge">
            {due} due
          </span>
        ) : null}
      </div>
    </div>
  );
}
