// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useDueStore } from '../features/due/stores/due-store';
import { useVaultStore } from '../features/vault/stores/vault-store';
import { installFakeApi, uninstallFakeApi, type FakeApi } from '../test/fake-api';
import { credential, environment, workspace } from '../test/fixtures';
import { stubLayout } from '../test/layout';
import { App } from './app';
import { useViewStore } from './view-store';

const ws = workspace({ name: 'Acme Holding' });
const other = workspace({ name: 'Zeta' });
const sandbox = environment({ workspaceId: ws.id, name: 'sandbox' });
const token = credential({ workspaceId: ws.id, environmentId: sandbox.id, name: 'CI deploy key' });

let fake: FakeApi;
let counts: Record<string, number>;
let unstub: () => void;

beforeEach(() => {
  unstub = stubLayout();
  counts = { [ws.id]: 2, [other.id]: 1 };
  useDueStore.setState({ counts: {} });
  useViewStore.getState().setView('tokens');
  fake = installFakeApi({
    'vault:get-status': () => ({ state: 'unlocked', vaultId: 'vault_1', keySource: 'passphrase' }),
    'workspaces:list': () => [ws, other],
    'environments:list': () => [sandbox],
    'credentials:list': () => [token],
    'credentials:get': () => token,
    'audit:list': () => [],
    'due:counts': () => counts,
    'due:list': () => [],
    'providers:list': () => [],
    'vault:report-activity': () => ({ lockInMs: 600_000 }),
  });
});

afterEach(() => {
  cleanup();
  uninstallFakeApi();
  unstub();
  useVaultStore.setState({ status: null });
});

describe('due badges and the Due view in the app', () => {
  it('shows the active workspace count in the switcher, refreshed on vault:changed and reminders:due', async () => {
    render(<App />);
    const badge = await screen.findByTestId('workspace-due-badge');
    expect(badge.textContent).toBe('2 due');
    expect(screen.getByRole('combobox', { name: 'Workspace' }).getAttribute('aria-describedby')).toBe(badge.id);

    counts = { [ws.id]: 3 };
    act(() => fake.emit('vault:changed', { entity: 'credential', id: token.id }));
    await waitFor(() => expect(screen.getByTestId('workspace-due-badge').textContent).toBe('3 due'));

    counts = {};
    act(() => fake.emit('reminders:due', { credentialId: null, title: 'x', body: 'y' }));
    await waitFor(() => expect(screen.queryByTestId('workspace-due-badge')).toBeNull());
  });

  it('"Due" opens the view, pressed; a row opens the token on the tokens view', async () => {
    fake.handlers['due:list'] = () => [
      {
        id: token.id,
        ref: '',
        workspace: ws.name,
        environment: 'sandbox',
        name: token.name,
        kind: 'rotation',
        dueAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
        daysLeft: 5,
        status: 'due_soon',
        workspaceId: ws.id,
        environmentId: sandbox.id,
        production: false,
      },
    ];
    render(<App />);
    const due = await screen.findByRole('button', { name: 'Due' });
    expect(due.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(due);
    expect(await screen.findByRole('heading', { name: 'Due', level: 1 })).toBeTruthy();
    expect(due.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(await screen.findByRole('button', { name: 'CI deploy key' }));
    expect(await screen.findByRole('heading', { name: 'CI deploy key', level: 2 })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Due' }).getAttribute('aria-pressed')).toBe('false');
  });
});
