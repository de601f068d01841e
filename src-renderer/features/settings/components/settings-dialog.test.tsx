// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SETTINGS_DEFAULTS } from '../../../../src-shared/domain/schemas';
import { installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { useVaultStore } from '../../vault/stores/vault-store';
import { useSettingsStore } from '../stores/settings-store';
import { SettingsDialog } from './settings-dialog';

function vault(keySource: 'passphrase' | 'keychain') {
  useVaultStore.setState({ status: { state: 'unlocked', vaultId: 'vault_x', keySource } });
  installFakeApi({ 'settings:get': () => ({ ...SETTINGS_DEFAULTS }) });
}

afterEach(() => {
  cleanup();
  uninstallFakeApi();
  useVaultStore.setState({ status: null });
  useSettingsStore.setState({ settings: null });
});

describe('Settings → Backups (issue 14: "Settings offer a scheduled backup … and an emergency kit")', () => {
  it('a passphrase vault: Scheduled backup… and Emergency kit… open Backup & import on their tab', () => {
    vault('passphrase');
    const open = vi.fn();
    render(<SettingsDialog onClose={() => undefined} onOpenBackups={open} />);
    const section = screen.getByRole('region', { name: 'Backups' });
    fireEvent.click(within(section).getByRole('button', { name: 'Scheduled backup…' }));
    expect(open).toHaveBeenLastCalledWith('schedule');
    fireEvent.click(within(section).getByRole('button', { name: 'Emergency kit…' }));
    expect(open).toHaveBeenLastCalledWith('backup');
  });

  it('a keychain vault has no emergency kit to offer, only the schedule', () => {
    vault('keychain');
    render(<SettingsDialog onClose={() => undefined} onOpenBackups={() => undefined} />);
    const section = screen.getByRole('region', { name: 'Backups' });
    expect(within(section).getByRole('button', { name: 'Scheduled backup…' })).toBeTruthy();
    expect(within(section).queryByRole('button', { name: 'Emergency kit…' })).toBeNull();
  });
});
