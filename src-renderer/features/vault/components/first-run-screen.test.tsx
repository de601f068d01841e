// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { apiError, installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { useVaultStore } from '../stores/vault-store';
import { FirstRunScreen } from './first-run-screen';
import { UnlockScreen } from './unlock-screen';

afterEach(() => {
  cleanup();
  useVaultStore.setState({ status: null, lockReason: null, loadError: null });
  uninstallFakeApi();
});

function describedBy(el: HTMLElement) {
  return (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

describe('first run without a reachable keychain (issue 12)', () => {
  it('says so in one sentence and preselects the passphrase', async () => {
    installFakeApi({ 'vault:keychain-status': () => ({ available: false, reason: 'no Secret Service' }) });
    render(<FirstRunScreen />);
    await waitFor(() => expect((screen.getByRole('radio', { name: 'Master passphrase' }) as HTMLInputElement).checked).toBe(true));
    expect(screen.getByRole('status').textContent).toBe('No OS keychain answered on this computer, so the vault will use a master passphrase.');
    expect(screen.queryByText('Recommended')).toBeNull();
    expect(screen.getByLabelText('Passphrase')).toBeTruthy();
  });

  it('keeps the keychain recommended and selected when it answers', async () => {
    const fake = installFakeApi({ 'vault:keychain-status': () => ({ available: true, reason: null }) });
    render(<FirstRunScreen />);
    await waitFor(() => expect(fake.calls.map((c) => c.channel)).toContain('vault:keychain-status'));
    expect((screen.getByRole('radio', { name: 'OS keychain' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText('Recommended')).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('a keychain failure names the choice to make, without a CLI command, and switching clears it', async () => {
    installFakeApi({
      'vault:keychain-status': () => ({ available: true, reason: null }),
      'vault:create': () => {
        throw apiError('KEYCHAIN_UNAVAILABLE', 'The OS keychain is not available (AccessDenied). Unlock the keychain and try again, or use a master passphrase instead.');
      },
    });
    render(<FirstRunScreen />);
    fireEvent.click(screen.getByRole('button', { name: 'Create vault' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Choose “Master passphrase” instead.');
    expect(alert.textContent).not.toContain('tokenvault');
    fireEvent.click(screen.getByRole('radio', { name: 'Master passphrase' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('first run', () => {
  it('offers the keychain by default, with the trade-off of each choice in one sentence', () => {
    installFakeApi({});
    render(<FirstRunScreen />);
    const keychain = screen.getByRole('radio', { name: 'OS keychain' }) as HTMLInputElement;
    expect(keychain.checked).toBe(true);
    expect(describedBy(keychain)).toMatch(/OS login/);
    expect(describedBy(screen.getByRole('radio', { name: 'Master passphrase' }))).toMatch(/forget it and the vault is gone/);
    expect(screen.queryByLabelText('Passphrase')).toBeNull();
  });

  it('says at the repeat field when the passphrases differ, without calling the API', () => {
    const fake = installFakeApi({});
    render(<FirstRunScreen />);
    fireEvent.click(screen.getByRole('radio', { name: 'Master passphrase' }));
    fireEvent.change(screen.getByLabelText('Passphrase'), { target: { value: 'correct horse battery' } });
    fireEvent.change(screen.getByLabelText('Repeat passphrase'), { target: { value: 'correct horse battery!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create vault' }));
    const repeat = screen.getByLabelText('Repeat passphrase');
    expect(repeat.getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(repeat)).toContain('Repeat passphrase does not match the passphrase.');
    // Only the keychain probe (issue 12) was asked; nothing was created.
    expect(fake.calls.filter((c) => c.channel !== 'vault:keychain-status')).toHaveLength(0);
  });

  it("shows the API's rule at the passphrase field", async () => {
    installFakeApi({
      'vault:create': () => {
        throw apiError('VALIDATION', 'passphrase must be at least 10 characters', [{ path: 'passphrase', message: 'must be at least 10 characters' }]);
      },
    });
    render(<FirstRunScreen />);
    fireEvent.click(screen.getByRole('radio', { name: 'Master passphrase' }));
    fireEvent.change(screen.getByLabelText('Passphrase'), { target: { value: 'short' } });
    fireEvent.change(screen.getByLabelText('Repeat passphrase'), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create vault' }));
    const field = screen.getByLabelText('Passphrase');
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    expect(describedBy(field)).toContain('Passphrase must be at least 10 characters.');
  });
});

describe('unlock', () => {
  it('shows a wrong passphrase, with its wait, at the field', async () => {
    installFakeApi({
      'vault:unlock': () => {
        throw apiError('WRONG_PASSPHRASE', 'That passphrase does not unlock this vault. Wait 4 s before the next try.');
      },
    });
    useVaultStore.setState({ status: { state: 'locked', vaultId: 'vault_1', keySource: 'passphrase' } });
    render(<UnlockScreen />);
    fireEvent.change(screen.getByLabelText('Passphrase'), { target: { value: 'nope nope nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    const field = screen.getByLabelText('Passphrase');
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    expect(describedBy(field)).toContain('That passphrase does not unlock this vault. Wait 4 s before the next try.');
  });

  it('a keychain vault unlocks with one click, no field', async () => {
    const fake = installFakeApi({ 'vault:unlock': () => ({ state: 'unlocked', vaultId: 'vault_1', keySource: 'keychain' }) });
    useVaultStore.setState({ status: { state: 'locked', vaultId: 'vault_1', keySource: 'keychain' } });
    render(<UnlockScreen />);
    expect(screen.queryByLabelText('Passphrase')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await waitFor(() => expect(useVaultStore.getState().status?.state).toBe('unlocked'));
    expect(fake.calls[0]).toEqual({ channel: 'vault:unlock', input: {} });
  });
});
