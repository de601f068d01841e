// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useCredentialsStore } from '../features/credentials/stores/credentials-store';
import { useSettingsStore } from '../features/settings/stores/settings-store';
import { useVaultStore } from '../features/vault/stores/vault-store';
import { useWorkspacesStore } from '../features/workspaces/stores/workspaces-store';
import { apiError, installFakeApi, uninstallFakeApi, type FakeApi } from '../test/fake-api';
import { credential, environment, workspace } from '../test/fixtures';
import { stubLayout } from '../test/layout';
import { App } from './app';
import { clearDecryptedState, startSession } from './session';
import { SETTINGS_DEFAULTS } from '../../src-shared/domain/schemas';

const ws = workspace({ name: 'Acme Holding' });
const sandbox = environment({ workspaceId: ws.id, name: 'sandbox' });
const prod = environment({ workspaceId: ws.id, name: 'production', production: true });
const token = credential({ workspaceId: ws.id, environmentId: sandbox.id, name: 'CI deploy key', role: 'CFO' });

function unlockedVault(extra: Parameters<typeof installFakeApi>[0] = {}): FakeApi {
  return installFakeApi({
    'vault:get-status': () => ({ state: 'unlocked', vaultId: 'vault_1', keySource: 'passphrase' }),
    'workspaces:list': () => [ws],
    'environments:list': () => [prod, sandbox],
    'credentials:list': () => [token],
    'settings:get': () => ({ ...SETTINGS_DEFAULTS, autoLockMinutes: 10, clipboardClearSeconds: 30, revealSeconds: 10, keepRevokedSecrets: false, keepCliSessionsOnLock: false }),
    'audit:list': () => [],
    'vault:report-activity': () => ({ lockInMs: 600_000 }),
    ...extra,
  });
}

async function fillStores() {
  await useVaultStore.getState().actions.refresh();
  await useWorkspacesStore.getState().actions.load();
  const { activeWorkspaceId, activeEnvironmentId } = useWorkspacesStore.getState();
  await useCredentialsStore.getState().actions.load({ workspaceId: activeWorkspaceId!, environmentId: activeEnvironmentId! });
  useCredentialsStore.getState().actions.setQuery('deploy');
  useCredentialsStore.getState().actions.select(token.id);
  await useSettingsStore.getState().actions.load();
}

/** Every piece of decrypted data the stores can hold, as text. */
function decryptedStateText(): string {
  const { workspaces, environments, activeWorkspaceId, activeEnvironmentId } = useWorkspacesStore.getState();
  const { table, query, selectedId, scope, view, pendingSelectId } = useCredentialsStore.getState();
  return JSON.stringify({
    workspaces,
    environments,
    activeWorkspaceId,
    activeEnvironmentId,
    items: table.items,
    corrupt: table.corrupt,
    viewRows: Array.from(view.rows),
    query,
    selectedId,
    pendingSelectId,
    scope,
    settings: useSettingsStore.getState().settings,
  });
}

afterEach(() => {
  cleanup();
  clearDecryptedState();
  useVaultStore.setState({ status: null, lockReason: null, loadError: null });
  uninstallFakeApi();
  vi.useRealTimers();
});

describe('locking', () => {
  beforeEach(() => {
    unlockedVault();
  });

  it('the stores really hold decrypted data before the lock (so the test below means something)', async () => {
    await fillStores();
    const text = decryptedStateText();
    expect(text).toContain('Acme Holding');
    expect(text).toContain('production');
    expect(text).toContain('CI deploy key');
    expect(text).toContain('deploy');
  });

  it('a vault:locked event clears every store and routes to the unlock screen', async () => {
    const fake = unlockedVault();
    await fillStores();
    const stop = startSession();
    fake.emit('vault:locked', { reason: 'idle' });
    stop();
    expect(useVaultStore.getState().status?.state).toBe('locked');
    expect(useVaultStore.getState().lockReason).toBe('idle');
    const text = decryptedStateText();
    for (const secretish of ['Acme Holding', 'production', 'sandbox', 'CI deploy key', 'deploy', 'CFO', ws.id, token.id]) {
      expect(text).not.toContain(secretish);
    }
    expect(useCredentialsStore.getState().table.items).toHaveLength(0);
    expect(useSettingsStore.getState().settings).toBeNull();
  });

  it('an answer that arrives after the lock is dropped, not stored', async () => {
    let release!: () => void;
    const fake = unlockedVault({
      'credentials:list': () => new Promise((resolve) => (release = () => resolve([token]))),
    });
    await useWorkspacesStore.getState().actions.load();
    const stop = startSession();
    const loading = useCredentialsStore.getState().actions.load({ workspaceId: ws.id, environmentId: sandbox.id });
    fake.emit('vault:locked', { reason: 'system' });
    release();
    await loading;
    stop();
    expect(useCredentialsStore.getState().table.items).toHaveLength(0);
    expect(decryptedStateText()).not.toContain('CI deploy key');
  });

  it('a LOCKED answer to any call clears the stores too (the event may have been missed)', async () => {
    unlockedVault({ 'credentials:get': () => Promise.reject(apiError('LOCKED', 'The vault is locked.')) });
    await fillStores();
    const stop = startSession();
    await useCredentialsStore.getState().actions.refreshOne(token.id);
    stop();
    expect(useVaultStore.getState().status?.state).toBe('locked');
    expect(decryptedStateText()).not.toContain('Acme Holding');
  });

  it('on screen: the app goes from the token list to the unlock screen and no name stays in the page', async () => {
    const fake = unlockedVault();
    const unstub = stubLayout();
    render(<App />);
    expect(await screen.findByRole('row', { name: /CI deploy key/ })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Workspace' })).toBeTruthy();
    act(() => fake.emit('vault:locked', { reason: 'user' }));
    expect(await screen.findByRole('button', { name: 'Unlock' })).toBeTruthy();
    expect(document.body.textContent).not.toContain('Acme Holding');
    expect(document.body.textContent).not.toContain('CI deploy key');
    unstub();
  });
});

describe('activity reporting', () => {
  it('reports user input at most once per 30 seconds, and only while unlocked', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const fake = unlockedVault();
    await useVaultStore.getState().actions.refresh();
    const stop = startSession();
    const reports = () => fake.calls.filter((c) => c.channel === 'vault:report-activity').length;
    fireEvent.keyDown(window, { key: 'a' });
    fireEvent.pointerDown(window);
    expect(reports()).toBe(1);
    vi.setSystemTime(1_000_000 + 29_000);
    fireEvent.keyDown(window, { key: 'b' });
    expect(reports()).toBe(1);
    vi.setSystemTime(1_000_000 + 30_000);
    fireEvent.pointerDown(window);
    expect(reports()).toBe(2);
    useVaultStore.getState().actions.markLocked('user');
    vi.setSystemTime(1_000_000 + 90_000);
    fireEvent.keyDown(window, { key: 'c' });
    expect(reports()).toBe(2);
    stop();
  });
});
