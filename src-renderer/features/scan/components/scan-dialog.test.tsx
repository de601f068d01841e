// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScanReport } from '../../../../src-shared/domain/scan-types';
import { installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { ScanDialog } from './scan-dialog';

afterEach(() => {
  cleanup();
  uninstallFakeApi();
});

const flush = () =>
  act(async () => {
    await Promise.resolve();
    await Promise.resolve();
  });

const report: ScanReport = {
  findings: [
    {
      path: '/home/me/app/src/config.js',
      commit: null,
      staged: false,
      line: 3,
      column: 14,
      token: { id: 'cred_00000000000000000001', name: 'sales', workspace: 'Acme', environment: 'production', fingerprint: 'sk_live_abcd…7890', part: 'value' },
    },
  ],
  scanned: { files: 120, bytes: 2_500_000 },
  skipped: { binary: 2, huge: 0, unreadable: 0 },
  unreadableTokens: [],
  tokensSearched: 40,
};

describe('Scan a folder', () => {
  // Browser mode types the path (the server checks it); the Electron app has a picker (last test).
  it('starts a scan, shows progress, then the findings with Reveal and Revoke', async () => {
    const fake = installFakeApi(
      {
        'scan:allow-folder': ({ path }) => ({ folder: 'fld_0123456789abcdef0123', path }),
        'scan:start': () => ({ runId: 'scan_1' }),
        'scan:reveal-file': () => ({ revealed: true }),
        'scan:cancel': () => ({ cancelled: true }),
      },
      'browser',
    );
    const onOpenToken = vi.fn();
    render(<ScanDialog onClose={() => undefined} onOpenToken={onOpenToken} />);
    fireEvent.change(screen.getByLabelText('Folder'), { target: { value: '/home/me/app' } });
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    await flush();
    expect(fake.calls.slice(-2)).toEqual([
      { channel: 'scan:allow-folder', input: { path: '/home/me/app' } },
      { channel: 'scan:start', input: { folder: 'fld_0123456789abcdef0123' } },
    ]);
    act(() => fake.emit('scan:progress', { runId: 'scan_1', files: 64, bytes: 1_000_000, current: 'src/a.js' }));
    expect(screen.getByText('64 files, 1.0 MB scanned — src/a.js')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Cancel scan' })).toBeTruthy();
    // Events of another run are not ours.
    act(() => fake.emit('scan:finished', { runId: 'scan_other', cancelled: false, report: { ...report, findings: [] }, error: null }));
    expect(screen.getByRole('button', { name: 'Cancel scan' })).toBeTruthy();
    act(() => fake.emit('scan:finished', { runId: 'scan_1', cancelled: false, report, error: null }));
    expect(screen.getByText('/home/me/app/src/config.js:3:14')).toBeTruthy();
    expect(screen.getByText(/1 stored token found in 120 files/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reveal in file manager' }));
    await flush();
    expect(fake.calls.at(-1)).toEqual({ channel: 'scan:reveal-file', input: { runId: 'scan_1', path: '/home/me/app/src/config.js' } });
    fireEvent.click(screen.getByRole('button', { name: 'Revoke this token' }));
    expect(onOpenToken).toHaveBeenCalledWith('cred_00000000000000000001');
  });

  it('shows the findings of a scan that ended before scan:start answered', async () => {
    let fake: ReturnType<typeof installFakeApi> | null = null;
    fake = installFakeApi(
      {
        'scan:allow-folder': ({ path }) => ({ folder: 'fld_0123456789abcdef0123', path }),
        'scan:start': () => {
          fake!.emit('scan:finished', { runId: 'scan_fast', cancelled: false, report, error: null });
          return { runId: 'scan_fast' };
        },
      },
      'browser',
    );
    render(<ScanDialog onClose={() => undefined} onOpenToken={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Folder'), { target: { value: '/small' } });
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    await flush();
    expect(screen.getByText('/home/me/app/src/config.js:3:14')).toBeTruthy();
  });

  it('cancels a running scan', async () => {
    const fake = installFakeApi({ 'scan:allow-folder': ({ path }) => ({ folder: 'fld_0123456789abcdef0123', path }), 'scan:start': () => ({ runId: 'scan_2' }), 'scan:cancel': () => ({ cancelled: true }) }, 'browser');
    render(<ScanDialog onClose={() => undefined} onOpenToken={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Folder'), { target: { value: '/big' } });
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    await flush();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel scan' }));
    await flush();
    expect(fake.calls.at(-1)).toEqual({ channel: 'scan:cancel', input: { runId: 'scan_2' } });
    act(() => fake.emit('scan:finished', { runId: 'scan_2', cancelled: true, report: null, error: null }));
    expect(screen.getByText('Scan cancelled.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Scan' })).toBeTruthy();
  });

  it('shows why a scan could not start', async () => {
    const { apiError } = await import('../../../test/fake-api');
    const fake = installFakeApi(
      {
        'scan:allow-folder': () => {
          throw apiError('VALIDATION', 'Give the full path of a folder.');
        },
      },
      'browser',
    );
    render(<ScanDialog onClose={() => undefined} onOpenToken={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Folder'), { target: { value: 'rel' } });
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    await flush();
    expect(screen.getByRole('alert').textContent).toContain('Give the full path of a folder.');
    expect(fake.calls.map((c) => c.channel)).not.toContain('scan:start');
  });

  it('in the Electron app, the folder comes from the main process picker, never from a typed path', async () => {
    const fake = installFakeApi(
      {
        'scan:pick-folder': () => ({ folder: 'fld_00000000000000000000', path: '/home/me/picked' }),
        'scan:start': () => ({ runId: 'scan_3' }),
      },
      'electron',
    );
    render(<ScanDialog onClose={() => undefined} onOpenToken={() => undefined} />);
    expect((screen.getByLabelText('Folder') as HTMLInputElement).readOnly).toBe(true);
    expect((screen.getByRole('button', { name: 'Scan' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Choose folder…' }));
    await flush();
    expect((screen.getByLabelText('Folder') as HTMLInputElement).value).toBe('/home/me/picked');
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    await flush();
    expect(fake.calls.map((c) => c.channel)).toEqual(['scan:pick-folder', 'scan:start']);
    expect(fake.calls.at(-1)!.input).toEqual({ folder: 'fld_00000000000000000000' });
  });
});
