// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { environment, workspace } from '../../../test/fixtures';
import { useWorkspacesStore } from '../stores/workspaces-store';
import { EditEnvironmentDialog, EditWorkspaceDialog } from './manage-dialogs';

afterEach(() => {
  cleanup();
  useWorkspacesStore.getState().actions.reset();
  uninstallFakeApi();
});

describe('managing a workspace', () => {
  it('renames and recolours it, sending only what changed', async () => {
    const ws = workspace({ name: 'Acme', color: '#2f6fed' });
    const fake = installFakeApi({ 'providers:list': () => [], 'workspaces:update': (i) => ({ ...ws, ...(i as { patch: object }).patch }) });
    let closed = false;
    render(<EditWorkspaceDialog workspace={ws} onClose={() => (closed = true)} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Acme Group' } });
    fireEvent.click(screen.getByLabelText('Teal'));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(closed).toBe(true));
    expect(fake.calls.find((c) => c.channel === 'workspaces:update')?.input).toEqual({ id: ws.id, patch: { name: 'Acme Group', color: '#0d9488' } });
  });

  it('deletes it only after its name is typed, saying how many tokens go with it', async () => {
    const ws = workspace({ name: 'Acme' });
    const fake = installFakeApi({
      'providers:list': () => [],
      'workspaces:usage': () => ({ environments: 2, credentials: 5 }),
      'workspaces:remove': () => ({ removed: ws.id }),
      'workspaces:list': () => [],
    });
    render(<EditWorkspaceDialog workspace={ws} onClose={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Delete workspace…' }));
    await screen.findByTestId('delete-workspace-usage');
    await waitFor(() => expect(screen.getByTestId('delete-workspace-usage').textContent).toContain('2 environments and 5 tokens'));
    const del = screen.getByRole('button', { name: 'Delete workspace' }) as HTMLButtonElement;
    expect(del.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Type “Acme” to confirm'), { target: { value: 'acme' } });
    expect(del.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Type “Acme” to confirm'), { target: { value: 'Acme' } });
    expect(del.disabled).toBe(false);
    fireEvent.click(del);
    await waitFor(() => expect(fake.calls.some((c) => c.channel === 'workspaces:remove')).toBe(true));
  });
});

describe('managing an environment', () => {
  it('shows and edits the base URL; unmarking production needs its name', async () => {
    const env = environment({ name: 'production', production: true, baseUrl: 'https://developers.coolset.com' });
    const fake = installFakeApi({ 'environments:update': (i) => ({ ...env, ...(i as { patch: object }).patch }) });
    let closed = false;
    render(<EditEnvironmentDialog workspaceName="Acme" environment={env} onClose={() => (closed = true)} />);
    const url = screen.getByLabelText('Base URL') as HTMLInputElement;
    expect(url.value).toBe('https://developers.coolset.com');
    fireEvent.change(url, { target: { value: 'https://api.example.com' } });
    fireEvent.click(screen.getByLabelText('Production'));
    const save = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Type “production” to remove the production guard'), { target: { value: 'production' } });
    fireEvent.click(save);
    await waitFor(() => expect(closed).toBe(true));
    expect(fake.calls[0]!.input).toEqual({ id: env.id, patch: { baseUrl: 'https://api.example.com', production: false } });
  });
});
