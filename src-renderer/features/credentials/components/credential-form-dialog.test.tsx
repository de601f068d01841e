// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { apiError, FakeApiError, installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { credential } from '../../../test/fixtures';
import { useCredentialsStore } from '../stores/credentials-store';
import { CredentialFormDialog } from './credential-form-dialog';
import { getBuiltinProvider } from '../../../../src-shared/providers';
import { useProvidersStore } from '../../../lib/providers-store';

const target = { mode: 'add' as const, environmentId: 'env_0000000000000000001', where: 'Acme / sandbox', production: false };

afterEach(() => {
  cleanup();
  useCredentialsStore.getState().actions.reset();
  useProvidersStore.setState({ providers: [], status: 'idle', error: null });
  uninstallFakeApi();
});

function errorTextOf(input: HTMLElement): string {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

describe('the add token form', () => {
  it("shows the API's validation issues at their fields, tied with aria-invalid and aria-describedby", async () => {
    const fake = installFakeApi({
      'credentials:add': () => {
        throw apiError('VALIDATION', '3 problems', [
          { path: 'name', message: 'must not be empty' },
          { path: 'secret.value', message: 'must not be empty' },
          { path: 'headerName', message: 'must be a valid HTTP header name such as X-API-Key' },
        ]);
      },
    });
    render(<CredentialFormDialog target={target} onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'api_key' } });
    fireEvent.change(screen.getByLabelText('Header name'), { target: { value: 'X API Key' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    const name = screen.getByLabelText('Name');
    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'));
    expect(errorTextOf(name)).toContain('Name must not be empty.');
    const value = screen.getByLabelText('Token value');
    expect(value.getAttribute('aria-invalid')).toBe('true');
    expect(errorTextOf(value)).toContain('Token value must not be empty.');
    expect(errorTextOf(screen.getByLabelText('Header name'))).toContain('Header name must be a valid HTTP header name such as X-API-Key.');
    // Fields without problems stay unmarked.
    expect(screen.getByLabelText('Role').getAttribute('aria-invalid')).toBeNull();
    // The request carried what the user typed.
    expect(fake.calls.find((c) => c.channel === 'credentials:add')?.input).toMatchObject({ kind: 'api_key', headerName: 'X API Key' });
  });

  it("an API key defaults to the header its workspace's provider documents, and keeps the header the user typed", async () => {
    const regen = getBuiltinProvider('regen-therapy')!;
    // A provider documenting another header than the form's generic default, so the default visibly comes from it.
    const definition = { ...regen, id: 'regen-custom', auth: regen.auth.map((a) => (a.scheme === 'api_key' ? { ...a, headerName: 'X-Regen-Key' } : a)) };
    const fake = installFakeApi({ 'providers:list': () => [{ definition, source: 'user' }], 'credentials:add': () => credential({ name: 'orders' }) });
    render(<CredentialFormDialog target={{ ...target, providerId: 'regen-custom' }} onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'api_key' } });
    await waitFor(() => expect((screen.getByLabelText('Header name') as HTMLInputElement).value).toBe('X-Regen-Key'));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'orders' } });
    fireEvent.change(screen.getByLabelText('Token value'), { target: { value: 'rg_live_0123456789abcdef' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.calls.find((c) => c.channel === 'credentials:add')?.input).toMatchObject({ kind: 'api_key', headerName: 'X-Regen-Key' }));
    cleanup();
    // Overridable: a header the user types stays.
    render(<CredentialFormDialog target={{ ...target, providerId: 'regen-custom' }} onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'api_key' } });
    fireEvent.change(screen.getByLabelText('Header name'), { target: { value: 'X-Mine' } });
    await new Promise((r) => setTimeout(r, 0));
    expect((screen.getByLabelText('Header name') as HTMLInputElement).value).toBe('X-Mine');
  });

  it('checks the expiry duration itself, before calling the API', async () => {
    const fake = installFakeApi({});
    render(<CredentialFormDialog target={target} onClose={() => undefined} />);
    fireEvent.click(screen.getByLabelText('After a duration'));
    fireEvent.change(screen.getByLabelText('Expires after'), { target: { value: 'a while' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const input = screen.getByLabelText('Expires after');
    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(errorTextOf(input)).toContain('Expires after must be a duration such as 30d, 2w, 12h, 6mo or 1y (units: min (minutes), h (hours), d (days), w (weeks), mo (months), y (years)).');
    expect(fake.calls).toHaveLength(0);
  });

  it('sends the converted expiry and closes on success; the new token is selected', async () => {
    let closed = false;
    const created = credential({ name: 'CI' });
    const fake = installFakeApi({ 'credentials:add': () => created });
    useCredentialsStore.setState({ scope: { workspaceId: created.workspaceId, environmentId: created.environmentId } });
    render(<CredentialFormDialog target={{ ...target, environmentId: created.environmentId }} onClose={() => (closed = true)} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'CI' } });
    fireEvent.change(screen.getByLabelText('Token value'), { target: { value: 'tok_abcdefghijklmnop' } });
    fireEvent.click(screen.getByLabelText('After a duration'));
    fireEvent.change(screen.getByLabelText('Expires after'), { target: { value: '30d' } });
    const before = Date.now();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(closed).toBe(true));
    const input = fake.calls[0]!.input as { expiresAt: number };
    expect(input.expiresAt).toBeGreaterThanOrEqual(before + 30 * 86_400_000);
    expect(input.expiresAt).toBeLessThan(before + 30 * 86_400_000 + 60_000);
    expect(useCredentialsStore.getState().selectedId).toBe(created.id);
  });

  it('the edit form never shows or sends the value', () => {
    installFakeApi({});
    render(<CredentialFormDialog target={{ mode: 'edit', credential: credential({ name: 'CI' }), where: 'Acme / sandbox', production: false }} onClose={() => undefined} />);
    expect(screen.queryByLabelText('Token value')).toBeNull();
    expect(document.querySelector('input[type="password"]')).toBeNull();
  });

  it('the add form focuses Name, and edits notes, tags and the remote id (clearing it sends null)', async () => {
    const c = credential({ name: 'CI', notes: 'old note', tags: ['ci'], remoteId: '42' });
    const fake = installFakeApi({ 'credentials:update': (i) => ({ ...c, ...(i as { patch: object }).patch }) });
    useCredentialsStore.setState({ scope: { workspaceId: c.workspaceId, environmentId: c.environmentId } });
    let closed = false;
    render(<CredentialFormDialog target={{ mode: 'edit', credential: c, where: 'Acme / sandbox', production: false }} onClose={() => (closed = true)} />);
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
    expect((screen.getByLabelText('Notes') as HTMLTextAreaElement).value).toBe('old note');
    expect((screen.getByLabelText('Tags') as HTMLInputElement).value).toBe('ci');
    expect((screen.getByLabelText('Remote id') as HTMLInputElement).value).toBe('42');
    fireEvent.change(screen.getByLabelText('Notes'), { target: { value: 'deployed by CI\nask Ana' } });
    fireEvent.change(screen.getByLabelText('Tags'), { target: { value: 'ci, billing, ci' } });
    fireEvent.change(screen.getByLabelText('Remote id'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(closed).toBe(true));
    expect(fake.calls[0]!.input).toMatchObject({ id: c.id, patch: { notes: 'deployed by CI\nask Ana', tags: ['ci', 'billing'], remoteId: null, expectedUpdatedAt: c.updatedAt } });
  });

  it('sends the version the dialog opened on, not the row the list refreshed meanwhile (a CLI edit is a CONFLICT, not overwritten)', async () => {
    const opened = credential({ name: 'CI', notes: 'old note', tags: ['ci'] });
    const cliSaved = { ...opened, notes: 'CLI note v2', description: 'CLI desc', updatedAt: opened.updatedAt + 1_000 };
    const fake = installFakeApi({
      'credentials:update': (i) => {
        const patch = (i as { patch: { expectedUpdatedAt: number } }).patch;
        if (patch.expectedUpdatedAt !== cliSaved.updatedAt) {
          throw new FakeApiError({ code: 'CONFLICT', message: 'This token was changed elsewhere (another window or a tokenvault command) since you opened it.', details: { expectedUpdatedAt: patch.expectedUpdatedAt, updatedAt: cliSaved.updatedAt } });
        }
        return { ...cliSaved, ...patch };
      },
      'credentials:get': () => cliSaved,
    });
    // The table shows the CLI's save already (the data_version poll ran): the old store took the version from there.
    useCredentialsStore.setState({ scope: { workspaceId: opened.workspaceId, environmentId: opened.environmentId } });
    await useCredentialsStore.getState().actions.refreshOne(opened.id);
    expect(useCredentialsStore.getState().table.items.map((x) => x.updatedAt)).toEqual([cliSaved.updatedAt]);
    let closed = false;
    render(<CredentialFormDialog target={{ mode: 'edit', credential: opened, where: 'Acme / sandbox', production: false }} onClose={() => (closed = true)} />);
    fireEvent.change(screen.getByLabelText('Tags'), { target: { value: 'ci, billing' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const notice = await screen.findByTestId('conflict-notice');
    expect(notice.textContent).toContain('changed elsewhere');
    expect(fake.calls.find((x) => x.channel === 'credentials:update')?.input).toMatchObject({ patch: { expectedUpdatedAt: opened.updatedAt } });
    expect(closed).toBe(false);
    // Reload: the form now shows the CLI's notes, and saving again carries the new version.
    fireEvent.click(screen.getByRole('button', { name: /Reload the current version/ }));
    await waitFor(() => expect((screen.getByLabelText('Notes') as HTMLTextAreaElement).value).toBe('CLI note v2'));
    fireEvent.change(screen.getByLabelText('Tags'), { target: { value: 'ci, billing' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(closed).toBe(true));
    expect(fake.calls.filter((x) => x.channel === 'credentials:update').at(-1)?.input).toMatchObject({
      patch: { notes: 'CLI note v2', description: 'CLI desc', tags: ['ci', 'billing'], expectedUpdatedAt: cliSaved.updatedAt },
    });
  });
});
