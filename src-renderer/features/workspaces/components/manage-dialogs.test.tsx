// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiError, installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
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
    expect(fake.calls.find((c) => c.channel === 'workspaces:update')?.input).toEqual({ id: ws.id, patch: { name: 'Acme Group', color: '#0d9488', expectedUpdatedAt: ws.updatedAt } });
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
    expect(fake.calls[0]!.input).toEqual({ id: env.id, patch: { baseUrl: 'https://api.example.com', production: false, expectedUpdatedAt: env.updatedAt } });
  });
});

/** The CONFLICT the vault answers when the row changed after the dialog opened. */
function staleEdit(updatedAt: number) {
  return new FakeApiError({
    code: 'CONFLICT',
    message: 'This workspace was changed elsewhere (another window or a tokenvault command) since you opened it. Reload it and make your change again.',
    details: { expectedUpdatedAt: 1, updatedAt },
  });
}

describe('an edit dialog and a change saved elsewhere while it is open', () => {
  it('the workspace dialog sends the version it opened on, even after the list refreshed the row', async () => {
    const opened = workspace({ name: 'Acme', notes: 'old' });
    const fake = installFakeApi({ 'providers:list': () => [], 'workspaces:update': (i) => ({ ...opened, ...(i as { patch: object }).patch }) });
    const { rerender } = render(<EditWorkspaceDialog workspace={opened} onClose={() => undefined} />);
    // The data_version poll delivers the CLI's save to the parent, which re-renders the dialog with it.
    rerender(<EditWorkspaceDialog workspace={{ ...opened, notes: 'CLI note', updatedAt: opened.updatedAt + 5 }} onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Acme Group' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.calls.some((c) => c.channel === 'workspaces:update')).toBe(true));
    // Only the name, guarded by the version shown when the dialog opened: the CLI's notes are not overwritten.
    expect(fake.calls.find((c) => c.channel === 'workspaces:update')?.input).toEqual({ id: opened.id, patch: { name: 'Acme Group', expectedUpdatedAt: opened.updatedAt } });
  });

  it('shows a CONFLICT with a Reload that loads the current version into the form', async () => {
    const opened = workspace({ name: 'Acme', notes: 'old' });
    const now = { ...opened, notes: 'CLI note', updatedAt: opened.updatedAt + 5 };
    let closed = false;
    const fake = installFakeApi({
      'providers:list': () => [],
      'workspaces:update': (i) => {
        const patch = (i as { patch: { expectedUpdatedAt: number } }).patch;
        if (patch.expectedUpdatedAt !== now.updatedAt) throw staleEdit(now.updatedAt);
        return { ...now, ...patch };
      },
      'workspaces:list': () => [now],
    });
    render(<EditWorkspaceDialog workspace={opened} onClose={() => (closed = true)} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Acme Group' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const notice = await screen.findByTestId('conflict-notice');
    expect(notice.textContent).toContain('changed elsewhere');
    expect(closed).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: /Reload the current version/ }));
    await waitFor(() => expect((screen.getByLabelText('Notes') as HTMLTextAreaElement).value).toBe('CLI note'));
    expect(screen.queryByTestId('conflict-notice')).toBeNull();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Acme Group' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(closed).toBe(true));
    expect(fake.calls.filter((c) => c.channel === 'workspaces:update').at(-1)?.input).toEqual({ id: opened.id, patch: { name: 'Acme Group', expectedUpdatedAt: now.updatedAt } });
  });

  it('the environment dialog sends the version it opened on and shows a CONFLICT', async () => {
    const env = environment({ name: 'sandbox', baseUrl: 'https://a.example.com' });
    const fake = installFakeApi({
      'environments:update': () => {
        throw staleEdit(env.updatedAt + 5);
      },
    });
    const { rerender } = render(<EditEnvironmentDialog workspaceName="Acme" environment={env} onClose={() => undefined} />);
    rerender(<EditEnvironmentDialog workspaceName="Acme" environment={{ ...env, baseUrl: 'https://cli.example.com', updatedAt: env.updatedAt + 5 }} onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'staging' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByTestId('conflict-notice');
    expect(fake.calls[0]!.input).toEqual({ id: env.id, patch: { name: 'staging', expectedUpdatedAt: env.updatedAt } });
  });
});
