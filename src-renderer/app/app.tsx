import { useEffect } from 'react';
import { Button } from '../components/ui/button';
import { EmptyState } from '../components/ui/empty-state';
import { WarningIcon } from '../components/ui/icons';
import { FirstRunScreen } from '../features/vault/components/first-run-screen';
import { UnlockScreen } from '../features/vault/components/unlock-screen';
import { useVaultStore, vaultSelectors } from '../features/vault/stores/vault-store';
import { MainScreen } from './main-screen';
import { startSession } from './session';
import { useSettingsStore } from '../features/settings/stores/settings-store';
import { applyAppearance } from '../lib/appearance';
import './styles/app.css';

/** Routes on the vault's state: first run, locked, or the app itself. */
export function App() {
  const state = useVaultStore(vaultSelectors.state);
  const loadError = useVaultStore(vaultSelectors.loadError);
  const { refresh } = useVaultStore(vaultSelectors.actions);

  useEffect(() => {
    const stop = startSession();
    void refresh();
    return stop;
  }, [refresh]);

  // Theme and time zone from the settings (readable while locked), applied as they change (issue 12).
  useEffect(
    () =>
      useSettingsStore.subscribe((s) => {
        if (s.settings) applyAppearance(s.settings);
      }),
    [],
  );
  useEffect(() => {
    if (state === 'locked' || state === 'unlocked') void useSettingsStore.getState().actions.load().catch(() => undefined);
  }, [state]);

  if (state === null) {
    if (loadError) {
      return (
        <main className="app-fatal">
          <EmptyState icon={<WarningIcon size={22} />} title="Tokenvault cannot be reached" action={<Button onClick={() => void refresh()}>Try again</Button>}>
            <p>{loadError}</p>
          </EmptyState>
        </main>
      );
    }
    return <div className="app-loading" aria-busy="true" />;
  }
  if (state === 'uninitialized') return <FirstRunScreen />;
  if (state === 'locked') return <UnlockScreen />;
  return <MainScreen />;
}
