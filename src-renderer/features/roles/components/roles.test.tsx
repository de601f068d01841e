// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeReport } from '../../../../src-shared/ipc/contract';
import { getBuiltinProvider } from '../../../../src-shared/providers';
import { installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { credential, environment, workspace } from '../../../test/fixtures';
import { useProvidersStore } from '../../../lib/providers-store';
import { buildMatrixGrid, filterRows, tokenColumns } from '../lib/matrix-grid';
import { probeCsv } from '../lib/probe-report';
import { ImportTableDialog } from './import-table-dialog';
import { PermissionsDialog } from './permissions-dialog';
import { ProbeDialog } from './probe-dialog';
import { ProbeButton } from './roles-actions';

afterEach(() => {
  cleanup();
  uninstallFakeApi();
  useProvidersStore.setState({ providers: [], status: 'idle', error: null });
});

const regate = getBuiltinProvider('regate')!;
const ws = workspace({ name: 'Lumière', providerId: 'regate' });
const env = environment({ name: 'sandbox' });
const treasurer = credential({ name: 'Treasury', role: 'treasurer' });

describe('matrix grid', () => {
  it('lays every kind of model out as endpoints × grants', () => {
    const r = buildMatrixGrid(regate.roles!);
    expect(r.columns).toHaveLength(11);
    expect(r.rows.find((x) => x.path === '/customers')!.cells.CFO).toEqual(['GET', 'POST', 'PATCH']);
    expect(tokenColumns(regate.roles!, treasurer)).toEqual(['Treasurer']);
    expect(filterRows(r, { text: 'cust', method: '' }).map((x) => x.path)).toEqual(['/customers']);
    expect(filterRows(r, { text: '', method: 'PATCH' }).every((x) => Object.values(x.cells).some((m) => m.includes('PATCH')))).toBe(true);
    for (const id of ['regen-therapy', 'strapi', 'coolset']) {
      const model = getBuiltinProvider(id)!.roles!;
      const g = buildMatrixGrid(model);
      expect(g.columns.length).toBeGreaterThan(0);
      expect(g.rows.length).toBeGreaterThan(0);
    }
    const regen = getBuiltinProvider('regen-therapy')!.roles!;
    expect(tokenColumns(regen, credential({ scopes: ['read:orders', 'nonsense'] }))).toEqual(['read:orders']);
  });
});

describe('Permissions', () => {
  it('highlights the token’s column and answers both questions', async () => {
    installFakeApi({ 'providers:list': () => [{ definition: regate, source: 'builtin' }] });
    render(<PermissionsDialog context={{ credential: treasurer, workspace: ws, environment: env }} onClose={() => undefined} />);
    const header = await screen.findByRole('columnheader', { name: /Treasurer/ });
    expect(header.getAttribute('aria-current')).toBe('true');
    expect(screen.getByText(/holds role/).textContent).toContain('Treasurer');

    // Issue 12: the token's column first (right after Endpoint), and the sentence says so.
    const headers = screen.getAllByRole('columnheader');
    expect(headers[1]).toBe(header);
    expect(screen.getByText(/holds role/).textContent).toContain('the first column of the table, marked “this token”');

    fireEvent.click(screen.getByRole('button', { name: 'What can this token do' }));
    // Every documented endpoint, not only the allowed ones; each says what this token may do there.
    const items = within(screen.getByRole('list', { name: 'Every endpoint for this token' })).getAllByRole('listitem');
    const grid = buildMatrixGrid(regate.roles!);
    expect(items.map((li) => li.querySelector('code')!.textContent)).toEqual(grid.rows.map((r) => r.path));
    expect(items.find((li) => li.textContent!.startsWith('/customers'))!.textContent).toContain('not allowed');
    expect(items.find((li) => li.textContent!.startsWith('/users'))!.textContent).toContain('GET');
    const allowed = items.filter((li) => !li.textContent!.includes('not allowed')).length;
    expect(screen.getByText(/^Allowed on \d+ of \d+ documented endpoints:$/).textContent).toBe(`Allowed on ${allowed} of ${grid.rows.length} documented endpoints:`);

    fireEvent.change(screen.getByLabelText('Endpoint'), { target: { value: '/customers' } });
    fireEvent.click(screen.getByRole('button', { name: 'Who can call this' }));
    expect(screen.getByTestId('who-can-call').textContent).toMatch(/^GET \/customers: allowed for .*CFO/);

    fireEvent.change(screen.getByLabelText('Filter endpoints'), { target: { value: 'zzz' } });
    expect(screen.getByText('No endpoint matches the filters.')).toBeTruthy();
  });
});

describe('Import a permission table', () => {
  it('shows each problem at its row and column, then saves a good table into the user’s provider', async () => {
    const own = { ...regate, id: 'acme', name: 'Acme API', roles: undefined };
    const fake = installFakeApi({
      'providers:list': () => [
        { definition: own, source: 'user' },
        { definition: regate, source: 'builtin' },
      ],
      'roles:parse-table': (i) =>
        i.text.includes('FETCH')
          ? { ok: false, errors: [{ row: 4, column: 2, message: '"FETCH" is not an HTTP method' }] }
          : { ok: true, matrix: { roles: ['Reader'], endpoints: [{ path: '/users', allow: { Reader: ['GET'] } }] } },
      'roles:save-table': () => ({ definition: { ...own, roles: { kind: 'role_matrix', label: 'Imported', roles: ['Reader'], endpoints: [{ path: '/users', allow: { Reader: ['GET'] } }], aliases: [] } }, source: 'user' }),
    });
    render(<ImportTableDialog defaultProviderId="acme" onClose={() => undefined} />);
    await waitFor(() => expect((screen.getByLabelText('Save into') as HTMLSelectElement).value).toBe('acme'));
    expect((screen.getByRole('option', { name: 'Regate' }) as HTMLOptionElement).disabled).toBe(true);

    fireEvent.change(screen.getByLabelText('Permission table'), { target: { value: '| Endpoint | Reader |\n|---|---|\n| /users | FETCH |' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Row 4, column 2: "FETCH" is not an HTTP method');
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(screen.getByLabelText('Permission table'), { target: { value: '| Endpoint | Reader |\n|---|---|\n| /users | GET |' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect((await screen.findByText('Preview: 1 role × 1 endpoint.')).textContent).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByText(/^Saved into/)).textContent).toBe('Saved into Acme API: 1 role × 1 endpoint.');
    expect(fake.calls.find((c) => c.channel === 'roles:save-table')?.input).toMatchObject({ providerId: 'acme', format: 'auto' });
    expect(useProvidersStore.getState().providers.find((p) => p.definition.id === 'acme')?.definition.roles?.kind).toBe('role_matrix');
  });
});

describe('Probe permissions', () => {
  const cell = (endpoint: string, documented: 'allowed' | 'denied', observed: 'allowed' | 'denied' | 'skipped' | null, status: number | null) => ({
    method: 'GET',
    endpoint,
    path: endpoint,
    documented,
    write: false,
    observed,
    status,
    note: '',
    mismatch: observed !== null && observed !== 'skipped' && observed !== documented,
  });
  const base: ProbeReport = {
    credentialId: treasurer.id,
    environmentId: env.id,
    environmentName: 'production',
    production: true,
    startedAt: 0,
    finishedAt: null,
    complete: false,
    cancelled: false,
    notes: ['Write endpoints are skipped: Regate documents no request that is refused without changing data.'],
    cells: [cell('/users', 'allowed', null, null), cell('/customers', 'denied', null, null)],
  };

  it('the Probe permissions button is off, with the reason, on a revoked token whose value was wiped', () => {
    const gone = credential({ name: 'Former treasurer', role: 'treasurer', status: 'revoked', hasValue: false });
    render(<ProbeButton context={{ credential: gone, workspace: ws, environment: env }} />);
    const button = screen.getByRole('button', { name: 'Probe permissions' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.title).toMatch(/^Former treasurer was revoked and its value wiped/);
    render(<ProbeButton context={{ credential: treasurer, workspace: ws, environment: env }} />);
    expect((screen.getAllByRole('button', { name: 'Probe permissions' })[1] as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows the plan, asks for the production name, runs with progress and shows mismatches', async () => {
    let report: ProbeReport | null = null;
    const fake = installFakeApi({
      'probes:plan': () => base,
      'probes:report': () => report,
      'probes:start': () => ({ runId: 'p1', total: 2 }),
    });
    render(<ProbeDialog context={{ credential: treasurer, workspace: ws, environment: { ...env, name: 'production', production: true } }} onClose={() => undefined} />);
    expect((await screen.findByRole('region', { name: 'Plan' })).textContent).toContain('Write endpoints are skipped');
    fireEvent.change(screen.getByLabelText('Type the environment name to confirm'), { target: { value: 'production' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start probe' }));
    const bar = await screen.findByRole('progressbar', { name: 'Probe progress' });
    expect(fake.calls.find((c) => c.channel === 'probes:start')?.input).toEqual({ credentialId: treasurer.id, confirmEnvironment: 'production' });
    act(() => fake.emit('probes:progress', { runId: 'p1', credentialId: treasurer.id, done: 1, total: 2, method: 'GET', path: '/users', observed: 'allowed', mismatch: false }));
    expect(bar.getAttribute('aria-valuenow')).toBe('1');
    report = { ...base, complete: true, finishedAt: 1, cells: [cell('/users', 'allowed', 'allowed', 200), cell('/customers', 'denied', 'allowed', 200)] };
    act(() => fake.emit('probes:finished', { runId: 'p1', credentialId: treasurer.id, cancelled: false, mismatches: 1 }));
    const result = await screen.findByRole('region', { name: 'Probe result' });
    expect(result.textContent).toContain('1 mismatch with the documents');
    expect(screen.getAllByTestId('probe-mismatch')).toHaveLength(1);
    expect(screen.getByTestId('probe-mismatch').closest('tr')!.textContent).toContain('/customers');
  });

  it('shows the result of a probe that finished before its start call answered (seen under load)', async () => {
    let report: ProbeReport | null = null;
    const fake = installFakeApi({
      'probes:plan': () => ({ ...base, production: false, environmentName: 'sandbox' }),
      'probes:report': () => report,
      'probes:start': () => {
        // The whole run's events come first, the start call's answer last.
        report = { ...base, production: false, complete: true, finishedAt: 1, cells: [cell('/users', 'allowed', 'allowed', 200), cell('/customers', 'denied', 'allowed', 200)] };
        fake.emit('probes:progress', { runId: 'p3', credentialId: treasurer.id, done: 1, total: 2, method: 'GET', path: '/users', observed: 'allowed', mismatch: false });
        fake.emit('probes:progress', { runId: 'p3', credentialId: treasurer.id, done: 2, total: 2, method: 'GET', path: '/customers', observed: 'allowed', mismatch: true });
        fake.emit('probes:finished', { runId: 'p3', credentialId: treasurer.id, cancelled: false, mismatches: 1 });
        return { runId: 'p3', total: 2 };
      },
    });
    render(<ProbeDialog context={{ credential: treasurer, workspace: ws, environment: env }} onClose={() => undefined} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Start probe' }));
    const result = await screen.findByRole('region', { name: 'Probe result' });
    await waitFor(() => expect(result.textContent).toContain('1 mismatch with the documents'));
    expect(screen.queryByRole('progressbar', { name: 'Probe progress' })).toBeNull();
    expect(fake.listenerCount('probes:finished')).toBe(0);
  });

  it('offers Resume after a cancelled probe', async () => {
    const fake = installFakeApi({
      'probes:plan': () => ({ ...base, production: false, environmentName: 'sandbox' }),
      'probes:report': () => ({ ...base, production: false, cancelled: true, cells: [cell('/users', 'allowed', 'allowed', 200), cell('/customers', 'denied', null, null)] }),
      'probes:start': () => ({ runId: 'p2', total: 1 }),
    });
    render(<ProbeDialog context={{ credential: treasurer, workspace: ws, environment: env }} onClose={() => undefined} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(fake.calls.find((c) => c.channel === 'probes:start')?.input).toEqual({ credentialId: treasurer.id, resume: true }));
  });

  it('exports CSV with formulas defused', () => {
    const csv = probeCsv({ ...base, cells: [{ ...cell('/users', 'allowed', 'allowed', 200), note: '=HYPERLINK("x")' }] });
    expect(csv.split('\r\n')[1]).toBe('/users,GET,/users,allowed,allowed,200,false,false,"=HYPERLINK(""x"")"');
  });
});
