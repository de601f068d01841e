import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SearchResult } from '../../src-shared/ipc/contract';
import { ProductionBand } from '../components/ui/production-band';
import { isModKey } from '../lib/keyboard';
import { CredentialsPane } from '../features/credentials/components/credentials-pane';
import { useAppearanceStore } from '../lib/appearance';
import { dueSelectors, useDueStore } from '../features/due/stores/due-store';
import { NoEnvironments, NoWorkspaces } from '../features/workspaces/components/workspace-empty-states';
import { useWorkspacesStore, workspacesSelectors } from '../features/workspaces/stores/workspaces-store';
import { CommandPalette } from './command-palette';
import { jumpTo, jumpToCredential } from './jump';
import { AuditView, DueView, SettingsDialog, TransferDialog } from './lazy-views';
import { lockNow } from './session';
import { pressButton, useSingleKeyShortcuts, type AppAction } from './shortcuts';
import { ShortcutsHelp } from './shortcuts-help';
import { TopBar } from './top-bar';
import { ListTools, tokenTools } from './token-tools';
import { useViewStore } from './view-store';

type Overlay = 'palette' | 'settings' | 'transfer' | 'help' | null;

/** The unlocked app: top bar, the production band when it applies, and the tokens of the active environment. */
export function MainScreen() {
  const { loaded, error, workspaceCount, environmentsLoaded } = useWorkspacesStore(
    useShallow((s) => ({
      loaded: s.loaded,
      error: s.error,
      workspaceCount: s.workspaces.length,
      environmentsLoaded: workspacesSelectors.environmentsLoaded(s),
    })),
  );
  const environments = useWorkspacesStore(workspacesSelectors.environments);
  const allWorkspaces = useWorkspacesStore((s) => s.workspaces);
  const workspace = useWorkspacesStore(workspacesSelectors.activeWorkspace);
  const environment = useWorkspacesStore(workspacesSelectors.activeEnvironment);
  const { load } = useWorkspacesStore(workspacesSelectors.actions);
  const [overlay, setOverlay] = useState<Overlay>(null);
  // Which tab Backup & import opens on: Back up… from the top bar, Schedule… or the kit from Settings.
  const [transferTab, setTransferTab] = useState<'backup' | 'schedule'>('backup');
  const view = useViewStore((s) => s.view);
  const { refreshCounts } = useDueStore(dueSelectors.actions);
  // Dates render in the chosen zone: a new zone redraws the view (issue 12, Settings → Time zone).
  const zoneKey = useAppearanceStore((s) => s.timeZone ?? 'system');

  useEffect(() => {
    void load();
    void refreshCounts();
  }, [load, refreshCounts]);

  // Choosing a workspace or an environment means: show me its tokens.
  useEffect(() => {
    if (workspace?.id || environment?.id) useViewStore.getState().setView('tokens');
  }, [workspace?.id, environment?.id]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isModKey(e) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOverlay((o) => (o === 'palette' ? null : o === null ? 'palette' : o));
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);

  // What the palette runs and single keys start; each presses the button the user would.
  const actions = useMemo<AppAction[]>(
    () => [
      { id: 'copy', label: 'Copy the selected token', keys: 'c', run: () => void pressButton('.detail-pane', 'Copy') },
      { id: 'reveal', label: 'Reveal the selected token', keys: 'r', run: () => void pressButton('.detail-pane', 'Reveal') },
      { id: 'test', label: 'Test the selected token', keys: 't', run: () => void pressButton('.detail-pane', 'Test') },
      { id: 'add', label: 'Add token', keys: 'n', run: () => void pressButton('.list-toolbar', 'Add token') },
      { id: 'due', label: 'Go to Due', keys: 'd', run: () => useViewStore.getState().setView('due') },
      { id: 'lock', label: 'Lock the vault', keys: 'l', run: () => void lockNow() },
      { id: 'help', label: 'Keyboard shortcuts', keys: '?', run: () => setOverlay('help') },
    ],
    [],
  );
  useSingleKeyShortcuts(actions, overlay === null && workspaceCount > 0);

  const production = environment?.production === true;
  const where = workspace && environment ? `${workspace.name} / ${environment.name}` : '';

  function choose(r: SearchResult) {
    setOverlay(null);
    useViewStore.getState().setView('tokens');
    void jumpTo(r);
  }

  let body;
  if (!loaded) body = <div className="app-loading" aria-busy="true" />;
  else if (error && workspaceCount === 0) body = <p className="app-error" role="alert">{error}</p>;
  else if (view === 'audit') body = <AuditView onClose={() => useViewStore.getState().setView('tokens')} />;
  else if (workspaceCount === 0) body = <NoWorkspaces />;
  else if (view === 'due') body = <DueView onOpen={(t) => void jumpToCredential(t)} onClose={() => useViewStore.getState().setView('tokens')} />;
  else if (!environmentsLoaded) body = <div className="app-loading" aria-busy="true" />;
  else if (environments.length === 0) body = <NoEnvironments />;
  else if (workspace && environment)
    body = (
      <CredentialsPane
        scope={{ workspaceId: workspace.id, environmentId: environment.id }}
        providerId={workspace.providerId}
        where={where}
        production={production}
        toolbarExtra={<ListTools workspace={workspace} environment={environment} where={where} />}
        detailTools={tokenTools(workspace, environment)}
        onMoved={(c) => void jumpToCredential({ credentialId: c.id, workspaceId: c.workspaceId, environmentId: c.environmentId })}
      />
    );
  else body = null;

  return (
    <div className={`app${production ? ' is-production' : ''}`}>
      {production && workspace && environment ? <ProductionBand workspace={workspace.name} environment={environment.name} /> : null}
      <TopBar
        hasWorkspaces={workspaceCount > 0}
        hasEnvironments={environments.length > 0}
        onOpenPalette={() => setOverlay('palette')}
        onOpenSettings={() => setOverlay('settings')}
        onOpenTransfer={() => {
          setTransferTab('backup');
          setOverlay('transfer');
        }}
        onLock={() => void lockNow()}
      />
      <main className="app-main" key={zoneKey}>
        {body}
      </main>
      {overlay === 'palette' ? <CommandPalette onChoose={choose} onClose={() => setOverlay(null)} actions={actions} /> : null}
      {overlay === 'help' ? <ShortcutsHelp actions={actions} onClose={() => setOverlay(null)} /> : null}
      {overlay === 'settings' ? (
        <SettingsDialog
          onClose={() => setOverlay(null)}
          onOpenBackups={(tab) => {
            setTransferTab(tab);
            setOverlay('transfer');
          }}
        />
      ) : null}
      {overlay === 'transfer' ? (
        <TransferDialog
          onClose={() => {
            setOverlay(null);
            void load();
          }}
          initialTab={transferTab}
          workspaces={allWorkspaces.flatMap((w) => ('corrupt' in w ? [] : [{ id: w.id, name: w.name }]))}
        />
      ) : null}
    </div>
  );
}
