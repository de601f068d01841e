// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialSummary, Listed } from '../../../../src-shared/domain/types';
import { installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { credential } from '../../../test/fixtures';
import { stubLayout } from '../../../test/layout';
import { useCredentialsStore } from '../stores/credentials-store';
import { CredentialGrid } from './credential-grid';

const scope = { workspaceId: 'ws_00000000000000000001', environmentId: 'env_0000000000000000001' };
let unstub: () => void;

async function loadList(list: Listed<CredentialSummary>[]) {
  installFakeApi({ 'credentials:list': () => list });
  await useCredentialsStore.getState().actions.load(scope);
}

beforeEach(() => {
  unstub = stubLayout(340);
});

afterEach(() => {
  cleanup();
  unstub();
  useCredentialsStore.getState().actions.reset();
  uninstallFakeApi();
});

describe('the token grid', () => {
  it('renders only the visible window of 100,000 rows, and says how many there are', async () => {
    await loadList(Array.from({ length: 100_000 }, (_, i) => credential({ name: `token ${i}` })));
    render(<CredentialGrid label="Tokens in Acme / sandbox" />);
    const grid = screen.getByRole('grid', { name: 'Tokens in Acme / sandbox' });
    expect(grid.getAttribute('aria-rowcount')).toBe('100001');
    const bodyRows = within(grid).getAllByRole('row').filter((r) => r.getAttribute('aria-rowindex') !== '1');
    expect(bodyRows.length).toBeGreaterThan(5);
    expect(bodyRows.length).toBeLessThan(40);
    // Natural sort: token 0, token 1, token 2 … (not token 0, token 1, token 10).
    expect(bodyRows[2]!.getAttribute('aria-rowindex')).toBe('4');
    expect(within(bodyRows[2]!).getByText('token 2')).toBeTruthy();
  });

  it('sizes its columns to the content: a long name gets the room it needs (issue 12)', async () => {
    const long = 'Finance export for the holding (CFO, quarterly)';
    await loadList([credential({ name: long, role: 'CFO' }), credential({ name: 'b' })]);
    unstub();
    unstub = stubLayout(340, 1100);
    render(<CredentialGrid label="Tokens" />);
    const cols = (screen.getByRole('grid').style.getPropertyValue('--grid-cols') || '').split(' ').map((w) => parseInt(w, 10));
    expect(cols, JSON.stringify(cols)).toHaveLength(7);
    // jsdom estimates 7 px a character: the name column is at least as wide as its longest name.
    expect(cols[0], JSON.stringify(cols)).toBeGreaterThanOrEqual(long.length * 7);
    // The list is 1100 px wide: the columns fill it (less the row's padding and gaps), no more.
    expect(cols.reduce((a, b) => a + b, 0)).toBe(1100 - 40);
  });

  it('sorts from the column headers and says so with aria-sort', async () => {
    await loadList([credential({ name: 'b' }), credential({ name: 'a' }), credential({ name: 'c' })]);
    render(<CredentialGrid label="Tokens" />);
    const nameHeader = screen.getByRole('columnheader', { name: /Name/ });
    expect(nameHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(screen.getByRole('columnheader', { name: /Expires/ }).getAttribute('aria-sort')).toBe('none');
    fireEvent.click(within(nameHeader).getByRole('button', { name: 'Name' }));
    expect(nameHeader.getAttribute('aria-sort')).toBe('descending');
    const first = screen.getAllByRole('row').find((r) => r.getAttribute('aria-rowindex') === '2')!;
    expect(within(first).getByText('c')).toBeTruthy();
  });

  it('puts the seven sort headers in the Tab order once: the sorted one, with ← → between them (issue 12)', async () => {
    await loadList([credential({ name: 'b' }), credential({ name: 'a' })]);
    render(<CredentialGrid label="Tokens" />);
    const buttons = screen.getAllByRole('columnheader').map((h) => within(h).getByRole('button'));
    expect(buttons).toHaveLength(7);
    // One Tab stop: the sorted column (Name); the other six are reached with the arrow keys.
    expect(buttons.filter((b) => b.tabIndex === 0).map((b) => b.textContent)).toEqual(['Name']);
    buttons[0]!.focus();
    fireEvent.keyDown(buttons[0]!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(buttons[1]);
    fireEvent.keyDown(buttons[1]!, { key: 'End' });
    expect(document.activeElement).toBe(buttons[6]);
    fireEvent.keyDown(buttons[6]!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(buttons[6]);
    fireEvent.keyDown(buttons[6]!, { key: 'Home' });
    expect(document.activeElement).toBe(buttons[0]);
    // Sorting by another column moves the Tab stop with it.
    fireEvent.click(buttons[5]!);
    expect(buttons.filter((b) => b.tabIndex === 0).map((b) => b.textContent)).toEqual(['Expires']);
  });

  it('shows a corrupt record as a row of its own, with its id', async () => {
    await loadList([credential({ name: 'fine' }), { corrupt: true, table: 'credentials', id: 'cred_brokenbrokenbroken1' }]);
    render(<CredentialGrid label="Tokens" />);
    expect(screen.getByRole('row', { name: 'Corrupt record cred_brokenbrokenbroken1 — cannot be decrypted' })).toBeTruthy();
    // Never hidden by a search.
    act(() => useCredentialsStore.getState().actions.setQuery('zzz'));
    expect(screen.getByText(/Corrupt record cred_brokenbrokenbroken1/)).toBeTruthy();
  });

  it('filters as the user types in the store, and moves the selection with the arrow keys', async () => {
    const list = [credential({ name: 'alpha' }), credential({ name: 'beta' }), credential({ name: 'gamma' })];
    await loadList(list);
    render(<CredentialGrid label="Tokens" />);
    act(() => useCredentialsStore.getState().actions.setQuery('a'));
    expect(screen.getByRole('grid').getAttribute('aria-rowcount')).toBe('4');
    act(() => useCredentialsStore.getState().actions.setQuery('mm'));
    expect(screen.getByRole('grid').getAttribute('aria-rowcount')).toBe('2');
    act(() => useCredentialsStore.getState().actions.setQuery(''));
    const grid = screen.getByRole('grid');
    act(() => grid.focus());
    expect(useCredentialsStore.getState().selectedId).toBe(list[0]!.id);
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(useCredentialsStore.getState().selectedId).toBe(list[2]!.id);
    expect(grid.getAttribute('aria-activedescendant')).toBe('credential-row-2');
    expect(screen.getByRole('row', { selected: true }).textContent).toContain('gamma');
    fireEvent.keyDown(grid, { key: 'Home' });
    expect(useCredentialsStore.getState().selectedId).toBe(list[0]!.id);
  });
});
