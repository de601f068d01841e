// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinProviders } from '../../../../src-shared/providers';
import { installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { workspace } from '../../../test/fixtures';
import { useWorkspacesStore } from '../stores/workspaces-store';
import { AddWorkspaceDialog } from './add-workspace-dialog';

afterEach(() => {
  cleanup();
  useWorkspacesStore.getState().actions.reset();
  uninstallFakeApi();
});

describe('choosing a provider', () => {
  it('shows the environments it adds, with their base URLs, each optional', async () => {
    const fake = installFakeApi({
      'providers:list': () => builtinProviders().map((definition) => ({ definition, source: 'builtin' })),
      'workspaces:add': () => workspace({ name: 'Kente' }),
      'environments:list': () => [],
    });
    let closed = false;
    render(<AddWorkspaceDialog onClose={() => (closed = true)} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Kente' } });
    await waitFor(() => expect((screen.getByLabelText('Provider') as HTMLSelectElement).disabled).toBe(false));
    fireEvent.change(screen.getByLabelText('Provider'), { target: { value: 'built-accounting' } });
    const group = screen.getByRole('group', { name: 'Environments it adds' });
    expect(group.textContent).toContain('https://fxweb.builtaccounting.com');
    expect(group.textContent).toContain('https://web.builtaccounting.com');
    fireEvent.click(screen.getByRole('checkbox', { name: /^Sandbox/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(closed).toBe(true));
    expect(fake.calls.find((c) => c.channel === 'workspaces:add')?.input).toMatchObject({ name: 'Kente', providerId: 'built-accounting', presetEnvironments: ['Production'] });
  });
});
