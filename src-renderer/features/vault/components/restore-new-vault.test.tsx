// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupInspection } from '../../../../src-shared/domain/transfer-types';
import { formatDateTime } from '../../../lib/format';
import { apiError, installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { useVaultStore } from '../stores/vault-store';
import { FirstRunScreen } from './first-run-screen';

afterEach(() => {
  cleanup();
  useVaultStore.setState({ status: null, lockReason: null, loadError: null });
  uninstallFakeApi();
});

const INSPECTION: BackupInspection = {
  mode: 'new',
  createdAt: '2026-11-30T12:00:00.000Z',
  counts: { workspaces: 2, environments: 3, credentials: 5, auditEvents: 40, providers: 1 },
  create: null,
  unchanged: 0,
  conflicts: [],
};

describe('first run: Restore from backup…', () => {
  it('checks the backup, then creates the vault from it under a new master passphrase and opens it', async () => {
    const fake = installFakeApi({
      'backup:inspect': () => INSPECTION,
      'backup:restore': () => ({ mode: 'new', workspaces: 2, environments: 3, credentials: 5, resolved: 0 }),
      'vault:get-status': () => ({ state: 'unlocked', vaultId: 'vault_1', keySource: 'passphrase' }),
    });
    render(<FirstRunScreen />);
    fireEvent.click(screen.getByRole('button', { name: 'Restore from backup…' }));
    // The restore screen loads on demand (app/lazy-views): wait for it.
    expect(await screen.findByRole('heading', { name: 'Restore from a backup' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Backup file'), { target: { files: [new File([new Uint8Array([97, 103, 101])], 'vault.age')] } });
    fireEvent.change(screen.getByLabelText('Backup passphrase'), { target: { value: 'backup passphrase 1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check backup' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/2 workspaces, 3 environments, 5 tokens, 40 audit events, 1 providers/);
    // Dated like every other date of the app (month name, the zone named), not in the browser's own numeric format.
    expect(screen.getByRole('status').textContent).toContain(`Backup of ${formatDateTime(Date.parse(INSPECTION.createdAt))}:`);
    expect(screen.getByRole('status').textContent).toMatch(/Backup of Nov 30, 2026, \d\d:\d\d [AP]M \S+:/);
    fireEvent.click(screen.getByRole('radio', { name: 'Master passphrase' }));
    fireEvent.change(screen.getByLabelText('New master passphrase'), { target: { value: 'new master passphrase' } });
    fireEvent.change(screen.getByLabelText('Repeat the new master passphrase'), { target: { value: 'new master passphrase!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Restore vault' }));
    expect(await screen.findByText('The two master passphrases differ.')).toBeTruthy();
    expect(fake.calls.some((c) => c.channel === 'backup:restore')).toBe(false);
    fireEvent.change(screen.getByLabelText('Repeat the new master passphrase'), { target: { value: 'new master passphrase' } });
    fireEvent.click(screen.getByRole('button', { name: 'Restore vault' }));
    await waitFor(() => expect(useVaultStore.getState().status?.state).toBe('unlocked'));
    expect(fake.calls.find((c) => c.channel === 'backup:restore')!.input).toEqual({
      base64: btoa('age'),
      passphrase: 'backup passphrase 1',
      newVault: { keySource: 'passphrase', passphrase: 'new master passphrase' },
    });
  });

  it('a wrong backup passphrase is said in words and nothing is created; Back returns to the first-run choice', async () => {
    const fake = installFakeApi({ 'backup:inspect': () => Promise.reject(apiError('WRONG_PASSPHRASE', 'That passphrase does not open this backup.')) });
    render(<FirstRunScreen />);
    fireEvent.click(screen.getByRole('button', { name: 'Restore from backup…' }));
    fireEvent.change(await screen.findByLabelText('Backup file'), { target: { files: [new File(['x'], 'vault.age')] } });
    fireEvent.change(screen.getByLabelText('Backup passphrase'), { target: { value: 'wrong passphrase' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check backup' }));
    expect(await screen.findByText(/does not open this backup/)).toBeTruthy();
    // Only the check ran: nothing was created (the first-run screen's keychain probe is a read, left aside).
    expect(fake.calls.map((c) => c.channel).filter((c) => c !== 'vault:keychain-status')).toEqual(['backup:inspect']);
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(screen.getByRole('heading', { name: 'Create your vault' })).toBeTruthy();
  });
});
