// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DueItem } from '../../../../src-shared/expiry/due-types';
import { apiError, installFakeApi, uninstallFakeApi, type FakeApi } from '../../../test/fake-api';
import { environment, workspace } from '../../../test/fixtures';
import { useDueStore } from '../stores/due-store';
import { DueView } from './due-view';

const DAY = 86_400_000;
const acme = workspace({ name: 'Acme Holding', providerId: 'strapi' });
const north = workspace({ name: 'Northwind', providerId: null });
const prod = environment({ workspaceId: acme.id, name: 'Production', production: true });

function due(over: Partial<DueItem>): DueItem {
  const now = Date.now();
  return {
    id: 'cred_00000000000000000001',
    ref: '',
    workspace: acme.name,
    environment: 'Production',
    name: 'Importer',
    kind: 'expiry',
    dueAt: new Date(now + 3 * DAY).toISOString(),
    daysLeft: 3,
    status: 'due_soon',
    workspaceId: acme.id,
    environmentId: prod.id,
    production: true,
    ...over,
  };
}

const items: DueItem[] = [
  due({ id: 'cred_00000000000000000002', name: 'Old integration', dueAt: new Date(Date.now() - 2 * DAY).toISOString(), daysLeft: -2, status: 'expired' }),
  due({}),
  due({
    id: 'cred_00000000000000000003',
    name: 'Billing',
    kind: 'rotation',
    workspace: north.name,
    workspaceId: north.id,
    environment: 'sandbox',
    environmentId: 'env_x',
    production: false,
    dueAt: new Date(Date.now() + 40 * DAY).toISOString(),
    daysLeft: 40,
    status: 'ok',
  }),
];

let fake: FakeApi;

beforeEach(() => {
  useDueStore.getState().actions.reset();
  fake = installFakeApi({
    'due:list': (i) => items.filter((x) => (!i.workspaceId || x.workspaceId === i.workspaceId) && (!i.kind || x.kind === i.kind)),
    'workspaces:list': () => [acme, north],
    'environments:list': () => [prod],
    'providers:list': () => [{ source: 'builtin', definition: { id: 'strapi', name: 'Strapi' } } as never],
    'due:export-ics': () => ({ ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }),
    'reminders:snooze': (i) => ({ credentialId: i.credentialId, untilMs: i.untilMs }),
  });
});

afterEach(() => {
  cleanup();
  uninstallFakeApi();
  vi.restoreAllMocks();
});

describe('the Due view', () => {
  it('lists every date earliest first, with where, what, status and production marked', async () => {
    render(<DueView onOpen={() => undefined} onClose={() => undefined} />);
    const rows = await screen.findAllByTestId('due-row');
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Old integration', 'Importer', 'Billing']);
    expect(within(rows[0]!).getByText('Expired')).toBeTruthy();
    expect(within(rows[1]!).getByText('Due soon')).toBeTruthy();
    expect(rows[1]!.querySelector('.badge-production')?.textContent).toBe('Production');
    expect(within(rows[2]!).getByText('Rotation due')).toBeTruthy();
    expect(rows[2]!.querySelector('.badge-production')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('3 dates');
  });

  it('draws the timeline with a caption that sums it up', async () => {
    render(<DueView onOpen={() => undefined} onClose={() => undefined} />);
    await screen.findAllByTestId('due-row');
    const figure = screen.getByRole('figure');
    expect(figure.textContent).toContain('3 dates in the next 90 days across 2 workspaces; 1 already past; 2 in production.');
    await waitFor(() => expect(figure.querySelectorAll('.due-timeline-chart .due-mark')).toHaveLength(3));
    expect(figure.querySelectorAll('.due-timeline-chart .due-mark[data-production="true"]')).toHaveLength(2);
    expect(figure.querySelectorAll('.due-timeline-chart .due-mark-rotation')).toHaveLength(1);
  });

  it('filters by workspace and by what is due, through the API', async () => {
    render(<DueView onOpen={() => undefined} onClose={() => undefined} />);
    await screen.findAllByTestId('due-row');
    await screen.findByRole('option', { name: 'Northwind' });
    fireEvent.change(screen.getByLabelText('In workspace'), { target: { value: acme.id } });
    await waitFor(() => expect(screen.getAllByTestId('due-row')).toHaveLength(2));
    expect(fake.calls.filter((c) => c.channel === 'due:list').at(-1)!.input).toEqual({ withinDays: 90, workspaceId: acme.id });
    fireEvent.change(screen.getByLabelText('In workspace'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('What'), { target: { value: 'rotation' } });
    await waitFor(() => expect(screen.getAllByTestId('due-row')).toHaveLength(1));
    expect(screen.getByRole('rowheader').textContent).toBe('Billing');
    expect(screen.getByRole('option', { name: 'Strapi' })).toBeTruthy();
  });

  it('opens a token from its row', async () => {
    const onOpen = vi.fn();
    render(<DueView onOpen={onOpen} onClose={() => undefined} />);
    await screen.findAllByTestId('due-row');
    fireEvent.click(screen.getByRole('button', { name: 'Billing' }));
    expect(onOpen).toHaveBeenCalledWith({ credentialId: 'cred_00000000000000000003', workspaceId: north.id, environmentId: 'env_x' });
  });

  it('snoozes a token for a day or a week and says until when', async () => {
    render(<DueView onOpen={() => undefined} onClose={() => undefined} />);
    const rows = await screen.findAllByTestId('due-row');
    const before = Date.now();
    fireEvent.click(within(rows[1]!).getByRole('button', { name: 'Snooze 1 week' }));
    await within(rows[1]!).findByText(/^Snoozed until/);
    const input = fake.calls.find((c) => c.channel === 'reminders:snooze')!.input as { credentialId: string; untilMs: number };
    expect(input.credentialId).toBe('cred_00000000000000000001');
    expect(input.untilMs - before).toBeGreaterThanOrEqual(7 * DAY);
    expect(input.untilMs - before).toBeLessThan(7 * DAY + 5_000);
  });

  it('says in words when a snooze fails', async () => {
    fake.handlers['reminders:snooze'] = () => {
      throw apiError('LOCKED', 'The vault is locked. Unlock it first.');
    };
    render(<DueView onOpen={() => undefined} onClose={() => undefined} />);
    const rows = await screen.findAllByTestId('due-row');
    fireEvent.click(within(rows[0]!).getByRole('button', { name: 'Snooze 1 day' }));
    expect((await within(rows[0]!).findByRole('alert')).textContent).toBe('The vault is locked. Unlock it first.');
  });

  it('downloads the calendar export as an .ics file', async () => {
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      blobs.push(b);
      return 'blob:due';
    });
    URL.revokeObjectURL = vi.fn();
    const clicks: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this);
    });
    render(<DueView onOpen={() => undefined} onClose={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Export calendar (.ics)' }));
    await waitFor(() => expect(clicks).toHaveLength(1));
    expect(clicks[0]!.download).toBe('tokenvault-due.ics');
    expect(blobs[0]!.type).toBe('text/calendar;charset=utf-8');
    expect(await blobs[0]!.text()).toContain('BEGIN:VCALENDAR');
  });

  it('shows an empty state when nothing is due', async () => {
    fake.handlers['due:list'] = () => [];
    render(<DueView onOpen={() => undefined} onClose={() => undefined} />);
    expect(await screen.findByText('Nothing due')).toBeTruthy();
    expect(screen.getByRole('figure').textContent).toContain('Nothing is due in the next 90 days.');
  });

  it('drops the names it holds when reset (the vault locked)', async () => {
    render(<DueView onOpen={() => undefined} onClose={() => undefined} />);
    await screen.findAllByTestId('due-row');
    act(() => useDueStore.getState().actions.reset());
    expect(JSON.stringify(useDueStore.getState().items)).toBe('[]');
  });
});
