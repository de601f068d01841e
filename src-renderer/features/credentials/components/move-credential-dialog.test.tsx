// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { apiError, FakeApiError, installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { credential, environment, workspace } from '../../../test/fixtures';
import { useCredentialsStore } from '../stores/credentials-store';
import { MoveCredentialDialog } from './move-credential-dialog';

afterEach(() => {
  cleanup();
  useCredentialsStore.getState().actions.reset();
  uninstallFakeApi();
});

const a = workspace({ name: 'Client A' });
const b = workspace({ name: 'Client B' });
const aSandbox = environment({ workspaceId: a.id, name: 'sandbox' });
const aProd = environment({ workspaceId: a.id, name: 'production', production: true });
const bProd = environment({ workspaceId: b.id, name: 'live', production: true });
const c = credential({ workspaceId: a.id, environmentId: aProd.id, name: 'deploy' });

function api(extra = {}) {
  return installFakeApi({
    'workspaces:list': () => [a, b],
    'environments:list': (i) => ((i as { workspaceId: string }).workspaceId === a.id ? [aProd, aSandbox] : [bProd]),
    'credentials:move': (i) => {
      const { environmentId, name } = i as { environmentId: string; name?: string };
      return { ...c, environmentId, workspaceId: environmentId === bProd.id ? b.id : a.id, name: name ?? c.name };
    },
    ...extra,
  });
}

describe('moving a token', () => {
  it('to the suggested sandbox at once, and follows it', async () => {
    const fake = api();
    const moved: string[] = [];
    render(<MoveCredentialDialog credential={c} suggestedEnvironmentId={aSandbox.id} onClose={() => undefined} onMoved={(m) => moved.push(m.environmentId)} />);
    await waitFor(() => expect((screen.getByLabelText('Environment') as HTMLSelectElement).value).toBe(aSandbox.id));
    fireEvent.click(screen.getByRole('button', { name: 'Move' }));
    await waitFor(() => expect(moved).toEqual([aSandbox.id]));
    expect(fake.calls.find((x) => x.channel === 'credentials:move')?.input).toEqual({ id: c.id, environmentId: aSandbox.id, expectedUpdatedAt: c.updatedAt });
  });

  it('into another workspace\'s production only with that workspace\'s name typed', async () => {
    const fake = api();
    render(<MoveCredentialDialog credential={{ ...c, environmentId: aSandbox.id }} suggestedEnvironmentId={null} onClose={() => undefined} />);
    await waitFor(() => expect((screen.getByLabelText('Workspace') as HTMLSelectElement).options.length).toBe(2));
    fireEvent.change(screen.getByLabelText('Workspace'), { target: { value: b.id } });
    await waitFor(() => expect((screen.getByLabelText('Environment') as HTMLSelectElement).value).toBe(bProd.id));
    const move = screen.getByRole('button', { name: 'Move' }) as HTMLButtonElement;
    expect(move.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Type “Client B” to move it into production'), { target: { value: 'Client B' } });
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'deploy-b' } });
    expect(move.disabled).toBe(false);
    fireEvent.click(move);
    await waitFor(() => expect(fake.calls.some((x) => x.channel === 'credentials:move')).toBe(true));
    expect(fake.calls.find((x) => x.channel === 'credentials:move')?.input).toEqual({ id: c.id, environmentId: bProd.id, name: 'deploy-b', confirmName: 'Client B', expectedUpdatedAt: c.updatedAt });
  });

  it('shows a name already taken there at the Name field', async () => {
    api({
      'credentials:move': () => {
        throw apiError('CONFLICT', 'A token named "deploy" already exists.', [{ path: 'name', message: 'is taken there' }]);
      },
    });
    render(<MoveCredentialDialog credential={c} suggestedEnvironmentId={aSandbox.id} onClose={() => undefined} />);
    await waitFor(() => expect((screen.getByLabelText('Environment') as HTMLSelectElement).value).toBe(aSandbox.id));
    fireEvent.click(screen.getByRole('button', { name: 'Move' }));
    await waitFor(() => expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true'));
  });

  it('carries the version it opened on; a token changed elsewhere meanwhile is a CONFLICT with a Reload', async () => {
    const renamed = { ...c, name: 'deploy-cli', updatedAt: c.updatedAt + 5 };
    const fake = api({
      'credentials:move': () => {
        throw new FakeApiError({ code: 'CONFLICT', message: 'This token was changed elsewhere since you opened it.', details: { expectedUpdatedAt: c.updatedAt, updatedAt: renamed.updatedAt } });
      },
      'credentials:get': () => renamed,
    });
    const { rerender } = render(<MoveCredentialDialog credential={c} suggestedEnvironmentId={aSandbox.id} onClose={() => undefined} />);
    rerender(<MoveCredentialDialog credential={renamed} suggestedEnvironmentId={aSandbox.id} onClose={() => undefined} />);
    await waitFor(() => expect((screen.getByLabelText('Environment') as HTMLSelectElement).value).toBe(aSandbox.id));
    fireEvent.click(screen.getByRole('button', { name: 'Move' }));
    await screen.findByTestId('conflict-notice');
    expect(fake.calls.find((x) => x.channel === 'credentials:move')?.input).toMatchObject({ expectedUpdatedAt: c.updatedAt });
    fireEvent.click(screen.getByRole('button', { name: /Reload the current version/ }));
    await waitFor(() => expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('deploy-cli'));
  });
});
