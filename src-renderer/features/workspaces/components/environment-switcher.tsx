import { useId } from 'react';
import { isCorrupt } from '../../../../src-shared/domain/types';
import { Badge } from '../../../components/ui/badge';
import { useWorkspacesStore, workspacesSelectors } from '../stores/workspaces-store';
import './workspaces.css';

/** The "Environment" select, with a production badge beside it while a production environment is active. */
export function EnvironmentSwitcher() {
  const id = useId();
  const environments = useWorkspacesStore(workspacesSelectors.environments);
  const activeId = useWorkspacesStore(workspacesSelectors.activeEnvironmentId);
  const active = useWorkspacesStore(workspacesSelectors.activeEnvironment);
  const { selectEnvironment } = useWorkspacesStore(workspacesSelectors.actions);
  const production = active?.production === true;
  return (
    <div className={`switcher${production ? ' is-production' : ''}`}>
      <label className="switcher-label" htmlFor={id}>
        Environment
      </label>
      <div className="switcher-control">
        <select
          id={id}
          className="select switcher-select switcher-select-environment"
          value={activeId ?? ''}
          title={active ? `${active.name} · ${active.baseUrl}` : undefined}
          onChange={(e) => selectEnvironment(e.currentTarget.value)}
          aria-describedby={production ? `${id}-production` : undefined}
        >
          {activeId === null ? <option value="">Choose an environment</option> : null}
          {environments.map((e) =>
            isCorrupt(e) ? (
              <option key={e.id} value={e.id} disabled>
                Corrupt record {e.id} — cannot be decrypted
              </option>
            ) : (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ),
          )}
        </select>
        {production ? (
          <span id={`${id}-production`} className="switcher-badge">
            <Badge tone="production">Production</Badge>
          </span>
        ) : null}
      </div>
    </div>
  );
}
