// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { BackupInspection, ImportPreview } from '../../../../src-shared/domain/transfer-types';
import type { BackupScheduleView } from '../../../../src-shared/domain/backup-schedule';
import { apiError, installFakeApi, uninstallFakeApi, type FakeApi } from '../../../test/fake-api';
import { setDisplayTimeZone } from '../../../lib/format';
import { TransferDialog } from './transfer-dialog';

const WORKSPACES = [
  { id: 'ws_aaaaaaaaaaaaaaaaaaaa', name: 'Acme' },
  { id: 'ws_bbbbbbbbbbbbbbbbbbbb', name: 'Coolset' },
];

const PREVIEW: ImportPreview = {
  format: 'dotenv',
  title: 'app.env',
  workspace: { name: 'Acme', exists: true },
  provider: null,
  environments: [{ name: 'local', baseUrl: 'https://api.acme.example.com', production: false, exists: false, location: 'app.env' }],
  create: [{ environment: 'local', name: 'GITHUB_TOKEN', kind: 'bearer', headerName: null, fingerprint: 'ghp_ab…6789', location: 'line 8, column 1', why: 'its name says token or secret' }],
  skipped: [{ name: 'PORT', location: 'line 2, column 1', reason: 'a setting, not a secret' }],
  existing: [{ environment: 'local', name: 'STRIPE_API_KEY', location: 'line 7, column 1' }],
  unsupported: [],
  warnings: [],
  problems: [],
};

let saved: { name: string; blob: Blob }[];
let fake: FakeApi;

beforeEach(() => {
  saved = [];
  URL.createObjectURL = vi.fn((b: Blob) => {
    saved.push({ name: '', blob: b });
    return 'blob:x';
  }) as typeof URL.createObjectURL;
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved[saved.length - 1]!.name = this.download;
  });
});
afterEach(() => {
  cleanup();
  uninstallFakeApi();
  vi.restoreAllMocks();
});

function pick(label: string, file: File) {
  fireEvent.change(screen.getByLabelText(label), { target: { files: [file] } });
}

describe('TransferDialog', () => {
  it('offers Back up…, Schedule…, Restore…, Import… and Export…', () => {
    installFakeApi({});
    render(<TransferDialog onClose={() => {}} workspaces={WORKSPACES} />);
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Back up…', 'Schedule…', 'Restore…', 'Import…', 'Export…']);
  });

  it('Import…: previews what is created, skipped and already there, then imports', async () => {
    fake = installFakeApi({ 'import:preview': () => PREVIEW, 'import:apply': () => ({ workspaceId: WORKSPACES[0]!.id, created: { environments: 1, credentials: 1, provider: false }, preview: PREVIEW }) });
    render(<TransferDialog onClose={() => {}} workspaces={WORKSPACES} initialTab="import" />);
    pick('File', new File(['PORT=3000\nGITHUB_TOKEN=ghp_x\n'], 'app.env'));
    fireEvent.change(screen.getByLabelText('Environment (optional)'), { target: { value: 'local' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const preview = await screen.findByRole('region', { name: 'Import preview' });
    expect(within(preview).getByText('GITHUB_TOKEN')).toBeTruthy();
    expect(within(preview).getByText('ghp_ab…6789')).toBeTruthy();
    expect(within(preview).getByText(/PORT \(line 2, column 1\): a setting, not a secret/)).toBeTruthy();
    expect(within(preview).getByText('local/STRIPE_API_KEY')).toBeTruthy();
    expect(fake.calls[0]).toEqual({ channel: 'import:preview', input: { fileName: 'app.env', text: 'PORT=3000\nGITHUB_TOKEN=ghp_x\n', format: 'auto', workspace: 'Acme', env: 'local' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    expect((await screen.findByRole('status')).textContent).toBe('Imported 1 tokens and 1 new environments into Acme.');
  });

  it('Import…: a name set twice in a .env file is a warning in the preview, with its lines and which value is imported', async () => {
    const warning = { location: 'lines 3 and 8', message: 'GITHUB_TOKEN is set twice: the value on line 8 is imported (the last one, as dotenv reads a file); line 3 is ignored' };
    installFakeApi({ 'import:preview': () => ({ ...PREVIEW, warnings: [warning] }) });
    render(<TransferDialog onClose={() => {}} workspaces={WORKSPACES} initialTab="import" />);
    pick('File', new File(['GITHUB_TOKEN=a\n'], 'app.env'));
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const preview = await screen.findByRole('region', { name: 'Import preview' });
    const list = within(preview).getByRole('list', { name: 'Warnings' });
    expect(list.textContent).toBe(`${warning.location} ${warning.message}`);
  });

  it('Import…: a Bruno collection folder sends its manifest, auth and environments (not its request files)', async () => {
    fake = installFakeApi({ 'import:preview': () => ({ ...PREVIEW, format: 'bruno', title: 'Regen Therapy' }) });
    render(<TransferDialog onClose={() => {}} workspaces={WORKSPACES} initialTab="import" />);
    const inFolder = (path: string, text: string) => {
      const f = new File([text], path.split('/').pop()!);
      Object.defineProperty(f, 'webkitRelativePath', { value: path });
      return f;
    };
    const picker = screen.getByLabelText('Or a Bruno collection folder');
    expect(picker.hasAttribute('webkitdirectory')).toBe(true);
    fireEvent.change(picker, {
      target: {
        files: [
          inFolder('regen/bruno.json', '{"type":"collection"}'),
          inFolder('regen/collection.bru', 'auth { mode: apikey }'),
          inFolder('regen/environments/Sandbox.bru', 'vars {}'),
          inFolder('regen/orders/List orders.bru', 'meta {}'),
        ],
      },
    });
    expect(screen.getByText(/^regen: 3 files to read/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await screen.findByRole('region', { name: 'Import preview' });
    expect(fake.calls[0]).toEqual({
      channel: 'import:preview',
      input: {
        fileName: 'regen',
        text: '',
        files: [
          { path: 'regen/bruno.json', text: '{"type":"collection"}' },
          { path: 'regen/collection.bru', text: 'auth { mode: apikey }' },
          { path: 'regen/environments/Sandbox.bru', text: 'vars {}' },
        ],
        format: 'auto',
        workspace: 'Acme',
      },
    });
  });

  it('Import…: problems are listed with their locations and the Import button stays off', async () => {
    installFakeApi({ 'import:preview': () => ({ ...PREVIEW, problems: [{ location: 'line 3, column 1', message: 'is not a NAME=value line' }] }) });
    render(<TransferDialog onClose={() => {}} workspaces={WORKSPACES} initialTab="import" />);
    pick('File', new File(['oops'], 'app.env'));
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/1 problem — nothing will be saved/);
    expect(alert.textContent).toMatch(/line 3, column 1 is not a NAME=value line/);
    expect((screen.getByRole('button', { name: 'Import' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('Back up…: asks the passphrase twice and saves the encrypted file', async () => {
    fake = installFakeApi({ 'backup:create': () => ({ fileName: 'tokenvault-2026-11-30.age', base64: btoa('age-encryption.org/v1\n'), workspaces: 2, environments: 3, credentials: 4 }) });
    render(<TransferDialog onClose={() => {}} workspaces={WORKSPACES} />);
    fireEvent.change(screen.getByLabelText('Backup passphrase'), { target: { value: 'long passphrase 1' } });
    fireEvent.change(screen.getByLabelText('Repeat the passphrase'), { target: { value: 'long passphrase 2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Back up' }));
    expect((await screen.findByText('The two passphrases differ.')).textContent).toBeTruthy();
    expect(fake.calls.filter((c) => c.channel === 'backup:create')).toEqual([]);
    fireEvent.change(screen.getByLabelText('Repeat the passphrase'), { target: { value: 'long passphrase 1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Back up' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/Saved tokenvault-2026-11-30\.age: 2 workspaces/);
    expect(saved[0]!.name).toBe('tokenvault-2026-11-30.age');
    expect(new TextDecoder().decode(await saved[0]!.blob.arrayBuffer())).toBe('age-encryption.org/v1\n');
  });

  it('Restore…: lists conflicts, needs a choice for each, and sends them', async () => {
    setDisplayTimeZone('Asia/Tokyo');
    onTestFinished(() => setDisplayTimeZone(null));
    const inspection: BackupInspection = {
      mode: 'merge',
      createdAt: '2026-11-30T12:00:00.000Z',
      counts: { workspaces: 1, environments: 1, credentials: 2, auditEvents: 10, providers: 0 },
      create: { workspaces: 0, environments: 0, credentials: 1, settings: 0, providers: 0 },
      unchanged: 1,
      conflicts: [{ key: 'credential:cred_aaaaaaaaaaaaaaaaaaaa', entity: 'credential', id: 'cred_aaaaaaaaaaaaaaaaaaaa', path: 'Acme/prod/ci', reason: 'same-id', choices: ['mine', 'theirs', 'both'] }],
    };
    fake = installFakeApi({ 'backup:inspect': () => inspection, 'backup:restore': () => ({ mode: 'merge', workspaces: 0, environments: 0, credentials: 1, resolved: 1 }) });
    render(<TransferDialog onClose={() => {}} workspaces={WORKSPACES} initialTab="restore" />);
    pick('Backup file', new File([new Uint8Array([97, 103, 101])], 'vault.age'));
    fireEvent.change(screen.getByLabelText('Backup passphrase'), { target: { value: 'long passphrase 1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check backup' }));
    const restore = await screen.findByRole('button', { name: 'Choose for 1 conflict' });
    expect((restore as HTMLButtonElement).disabled).toBe(true);
    // The backup's date as every other date: in the zone chosen in Settings, with the zone named.
    expect(screen.getByRole('region', { name: 'What the restore will do' }).textContent).toContain('Backup of Nov 30, 2026, 09:00 PM GMT+9:');
    expect(screen.getByRole('row', { name: /Acme\/prod\/ci/ }).textContent).toContain('differs from this vault');
    fireEvent.change(screen.getByLabelText('Choice for Acme/prod/ci'), { target: { value: 'both' } });
    fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    await waitFor(() => expect(fake.calls.map((c) => c.channel)).toEqual(['backup:inspect', 'backup:restore']));
    expect(fake.calls[1]!.input).toEqual({ base64: btoa('age'), passphrase: 'long passphrase 1', choices: { byKey: { 'credential:cred_aaaaaaaaaaaaaaaaaaaa': 'both' } } });
    expect((await screen.findByRole('status')).textContent).toMatch(/1 conflicts resolved/);
  });

  it('Restore…: a wrong passphrase is said in words', async () => {
    installFakeApi({ 'backup:inspect': () => Promise.reject(apiError('WRONG_PASSPHRASE', 'That passphrase does not open this backup.')) });
    render(<TransferDialog onClose={() => {}} workspaces={WORKSPACES} initialTab="restore" />);
    pick('Backup file', new File(['x'], 'vault.age'));
    fireEvent.change(screen.getByLabelText('Backup passphrase'), { target: { value: 'nope nope nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check backup' }));
    expect(await screen.findByText(/does not open this backup/)).toBeTruthy();
  });

  it('Schedule…: shows the last failure in words, saves a schedule, and says when the folder is wrong', async () => {
    const failed: BackupScheduleView = {
      folder: '/backups',
      everyMs: 86_400_000,
      every: '1d',
      keep: 7,
      updatedAt: 1,
      lastAttemptAt: Date.UTC(2026, 10, 30, 3),
      lastSuccessAt: Date.UTC(2026, 10, 29, 3),
      lastOutcome: 'failed',
      lastFile: null,
      lastError: 'The backup folder /backups does not exist. Create it first, or choose another.',
      nextDueAt: Date.UTC(2026, 10, 30, 3, 15),
    };
    let attempt = 0;
    fake = installFakeApi({
      'backup:get-schedule': () => failed,
      'backup:set-schedule': (i) => {
        attempt++;
        if (attempt === 1) throw apiError('VALIDATION', `The backup folder ${i.folder} does not exist. Create it first, or choose another.`, [{ path: 'folder', message: 'does not exist' }]);
        return { ...failed, folder: i.folder, every: i.every, keep: i.keep, lastOutcome: null, lastError: null };
      },
    });
    render(<TransferDialog onClose={() => {}} workspaces={WORKSPACES} initialTab="schedule" />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/The last scheduled backup failed .*: The backup folder \/backups does not exist/);
    expect((screen.getByLabelText('Folder') as HTMLInputElement).value).toBe('/backups');
    fireEvent.change(screen.getByLabelText('Folder'), { target: { value: '/mnt/nope' } });
    fireEvent.change(screen.getByLabelText('Keep the last'), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save schedule' }));
    expect(await screen.findByText(/does not exist/, { selector: '.field-error, [id$="-error"], p' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Folder'), { target: { value: '/mnt/backups' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save schedule' }));
    expect((await screen.findByText(/^Saved: a backup every 1d/)).textContent).toBe('Saved: a backup every 1d to /mnt/backups, keeping the last 3.');
    // The passphrase was left empty: the stored one is kept (not sent).
    expect(fake.calls.filter((c) => c.channel === 'backup:set-schedule').at(-1)!.input).toEqual({ folder: '/mnt/backups', every: '1d', keep: 3 });
  });

  it('Export…: saves the chosen workspace without secrets', async () => {
    fake = installFakeApi({ 'export:workspace': (i) => ({ fileName: 'coolset.tokenvault.json', text: JSON.stringify({ id: i.workspaceId }) }) });
    render(<TransferDialog onClose={() => {}} workspaces={WORKSPACES} initialTab="export" />);
    fireEvent.change(screen.getByLabelText('Workspace'), { target: { value: WORKSPACES[1]!.id } });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/no token values/);
    expect(fake.calls[0]).toEqual({ channel: 'export:workspace', input: { workspaceId: WORKSPACES[1]!.id } });
    expect(saved[0]!.name).toBe('coolset.tokenvault.json');
  });

  it('Back up…: for a passphrase vault, an emergency kit to print, with blank lines and never a passphrase', async () => {
    installFakeApi({ 'vault:get-status': () => ({ state: 'unlocked', vaultId: 'vault_0123', keySource: 'passphrase' }) });
    const print = vi.fn();
    window.print = print;
    render(<TransferDialog onClose={() => {}} workspaces={WORKSPACES} />);
    const kit = await screen.findByRole('region', { name: 'Emergency kit' });
    expect(within(kit).getByText('vault_0123')).toBeTruthy();
    expect(within(kit).getByText('Master passphrase')).toBeTruthy();
    fireEvent.click(within(kit).getByRole('button', { name: 'Print emergency kit' }));
    expect(print).toHaveBeenCalledOnce();
  });

  it('Back up…: no emergency kit for a keychain vault', async () => {
    const fake = installFakeApi({ 'vault:get-status': () => ({ state: 'unlocked', vaultId: 'vault_0123', keySource: 'keychain' }) });
    render(<TransferDialog onClose={() => {}} workspaces={WORKSPACES} />);
    await waitFor(() => expect(fake.calls.map((c) => c.channel)).toContain('vault:get-status'));
    expect(screen.queryByRole('region', { name: 'Emergency kit' })).toBeNull();
  });
});
