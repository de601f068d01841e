import type { EventMap } from '../../src-shared/ipc/contract';
import { call, getApi, onLockedError } from '../lib/api';
import { clearPendingClipboard } from '../lib/clipboard';
import { leadingThrottle } from '../lib/throttle';
import { useCredentialsStore } from '../features/credentials/stores/credentials-store';
import { useSettingsStore } from '../features/settings/stores/settings-store';
import { useVaultStore, type LockReason } from '../features/vault/stores/vault-store';
import { useWorkspacesStore } from '../features/workspaces/stores/workspaces-store';

/**
 * The session: what ties the features to the vault's lifecycle. Features do
 * not know each other; this module (in app/, which composes them) clears
 * them all on lock and routes change events to the one that cares.
 */

/** Drops every piece of decrypted data from every store: names, URLs, token metadata, the search text. */
export function clearDecryptedState(): void {
  useCredentialsStore.getState().actions.reset();
  useWorkspacesStore.getState().actions.reset();
  useSettingsStore.getState().actions.reset();
  void clearPendingClipboard();
}

function locked(reason: LockReason | null): void {
  // Route away first, so no screen renders the emptied stores in between.
  useVaultStore.getState().actions.markLocked(reason);
  clearDecryptedState();
}

/** The Lock button: clear at once, whatever the main process answers. */
export async function lockNow(): Promise<void> {
  locked('user');
  await useVaultStore.getState().actions.lock();
}

function onChanged(change: EventMap['vault:changed']): void {
  if (useVaultStore.getState().status?.state !== 'unlocked') return;
  switch (change.entity) {
    case 'workspace':
    case 'environment':
      void useWorkspacesStore.getState().actions.reload();
      break;
    case 'credential': {
      const creds = useCredentialsStore.getState();
      if (change.id) void creds.actions.refreshOne(change.id);
      else if (creds.scope) void creds.actions.load(creds.scope);
      break;
    }
    case 'settings':
      if (useSettingsStore.getState().settings) void useSettingsStore.getState().actions.load().catch(() => undefined);
      break;
  }
}

export const ACTIVITY_INTERVAL_MS = 30_000;
const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel'] as const;

/**
 * Subscribes to the vault's events and reports user activity (throttled to
 * once per 30 s) so auto-lock measures real idleness. Returns the unsubscribe.
 */
export function startSession(): () => void {
  const api = getApi();
  const offs = [
    api.on('vault:locked', (p) => locked(p.reason)),
    api.on('vault:unlocked', () => void useVaultStore.getState().actions.refresh()),
    api.on('vault:changed', onChanged),
    onLockedError(() => {
      if (useVaultStore.getState().status?.state === 'unlocked') locked(null);
    }),
  ];

  const report = leadingThrottle(() => {
    if (useVaultStore.getState().status?.state === 'unlocked') void call('vault:report-activity', {}).catch(() => undefined);
  }, ACTIVITY_INTERVAL_MS);
  for (const type of ACTIVITY_EVENTS) window.addEventListener(type, report, { capture: true, passive: true });

  return () => {
    for (const off of offs) off();
    for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, report, { capture: true });
  };
}
