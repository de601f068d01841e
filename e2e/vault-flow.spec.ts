import { expect, test } from './fixtures/app';
import {
  PASSPHRASE,
  addEnvironment,
  addToken,
  addWorkspace,
  createVaultWithPassphrase,
  productionBand,
  selectedOption,
  setRevealSeconds,
  switchTo,
  tokenRow,
  unlockWithPassphrase,
} from './fixtures/ui';

const CI_KEY = 'rg_live_4f8a2b9c1d7e6f5a4b3c2d1e0f9a8b7c';
const FINANCE = 'rgt_9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d';

test('a new user keeps tokens for two clients, in sandbox and production, across lock and restart', async ({ app }) => {
  const { page } = app;

  await test.step('create a vault with a master passphrase', async () => {
    await expect(page.getByRole('heading', { name: 'Create your vault' })).toBeVisible();
    await expect(page.getByRole('radio', { name: 'OS keychain' })).toBeChecked();
    await createVaultWithPassphrase(page);
    await expect(page.getByRole('heading', { name: 'Add your first workspace' })).toBeVisible();
  });

  await test.step('add two workspaces, each with sandbox and production', async () => {
    await addWorkspace(page, 'Acme Holding', { provider: 'Regate' });
    await expect(page.getByRole('heading', { name: 'Add an environment to Acme Holding' })).toBeVisible();
    await addEnvironment(page, 'sandbox', 'https://sandbox.regate.example', false);
    await addEnvironment(page, 'production', 'https://api.regate.example', true);
    await addWorkspace(page, 'Northwind');
    await addEnvironment(page, 'sandbox', 'https://sandbox.northwind.example', false);
    await addEnvironment(page, 'production', 'https://api.northwind.example', true);
  });

  await test.step('add tokens', async () => {
    await switchTo(page, 'Acme Holding', 'production');
    await expect(page.getByRole('heading', { name: 'No tokens in Acme Holding / production yet' })).toBeVisible();
    await addToken(page, { name: 'CI deploy key', value: CI_KEY, role: 'Accountant (invoices)', expiresAfter: '30d', rotationDays: '90' });
    await addToken(page, { name: 'Finance export', value: FINANCE, role: 'CFO' });
    await switchTo(page, 'Acme Holding', 'sandbox');
    await addToken(page, { name: 'Sandbox tester', value: 'rgt_sandbox_0011223344556677889900aa' });
    await switchTo(page, 'Northwind', 'production');
    await addToken(page, { name: 'Northwind session', kind: 'jwt_session', value: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', refreshToken: 'rt_0123456789abcdef0123456789abcdef', scopes: 'read:orders, write:orders' });
  });

  await test.step('search filters the list as you type', async () => {
    await switchTo(page, 'Acme Holding', 'production');
    const search = page.getByRole('searchbox', { name: 'Search tokens' });
    await search.pressSequentially('fin');
    await expect(tokenRow(page, 'Finance export')).toBeVisible();
    await expect(tokenRow(page, 'CI deploy key')).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: 'of 2 tokens' })).toHaveText('1 of 2 tokens');
    // Roles are searched too.
    await search.fill('(invoices)');
    await expect(tokenRow(page, 'CI deploy key')).toBeVisible();
    await expect(tokenRow(page, 'Finance export')).toHaveCount(0);
    await search.fill('');
    await expect(page.getByRole('grid')).toHaveAttribute('aria-rowcount', '3');
  });

  await test.step('sort by a column header', async () => {
    const header = page.getByRole('columnheader', { name: /Name/ });
    await expect(header).toHaveAttribute('aria-sort', 'ascending');
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', 'descending');
    await expect(page.getByRole('row').nth(1)).toContainText('Finance export');
    await header.getByRole('button').click();
    await expect(page.getByRole('row').nth(1)).toContainText('CI deploy key');
  });

  await test.step('the list works from the keyboard', async () => {
    await page.getByRole('searchbox', { name: 'Search tokens' }).focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('grid')).toBeFocused();
    await expect(page.getByRole('row', { selected: true })).toContainText('CI deploy key');
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('row', { selected: true })).toContainText('Finance export');
    await expect(page.getByRole('heading', { name: 'Finance export', level: 2 })).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Reveal' })).toBeFocused();
  });

  await test.step('the PRODUCTION band shows in production only, whatever the workspace', async () => {
    await expect(productionBand(page)).toBeVisible();
    await expect(productionBand(page)).toContainText('PRODUCTION');
    await expect(productionBand(page)).toContainText('Acme Holding / production');
    await expect(page.getByRole('combobox', { name: 'Environment', exact: true })).toHaveAccessibleDescription('Production');

    await switchTo(page, 'Acme Holding', 'sandbox');
    await expect(productionBand(page)).toHaveCount(0);
    await expect(tokenRow(page, 'Sandbox tester')).toBeVisible();
    await expect(tokenRow(page, 'CI deploy key')).toHaveCount(0);

    // A workspace opens on a non-production environment.
    await switchTo(page, 'Northwind');
    await expect(selectedOption(page, 'Environment')).toHaveText('sandbox');
    await expect(productionBand(page)).toHaveCount(0);
    await switchTo(page, 'Northwind', 'production');
    await expect(productionBand(page)).toContainText('Northwind / production');
    await expect(tokenRow(page, 'Northwind session')).toBeVisible();
    // Scopes are searched too.
    await page.getByRole('searchbox', { name: 'Search tokens' }).fill('write:orders');
    await expect(tokenRow(page, 'Northwind session')).toBeVisible();
    await page.getByRole('searchbox', { name: 'Search tokens' }).fill('');
  });

  await test.step('reveal shows the value, then hides it after the countdown', async () => {
    await setRevealSeconds(page, 3);
    await switchTo(page, 'Acme Holding', 'production');
    await tokenRow(page, 'CI deploy key').click();
    await expect(page.getByRole('heading', { name: 'CI deploy key', level: 2 })).toBeVisible();
    await expect(page.getByText(CI_KEY)).toHaveCount(0);
    await page.getByRole('button', { name: 'Reveal' }).click();
    await expect(page.getByTestId('revealed-value')).toHaveText(CI_KEY);
    await expect(page.getByRole('timer')).toHaveText(/Hides in [1-3] s/);
    // The state (value hidden again), with room for a busy machine's timers.
    await expect(page.getByTestId('revealed-value')).toHaveCount(0, { timeout: 60_000 });
    await expect(page.getByText(CI_KEY)).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Reveal' })).toBeVisible();
    // The reveal is in the token's activity.
    await expect(page.getByRole('region', { name: 'Activity' }).getByText('Revealed')).toBeVisible();
  });

  await test.step('copy puts the value on the clipboard and says when it clears', async () => {
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect(page.getByText('Copied — clears in 30 s')).toBeVisible();
    expect(await app.readClipboard()).toBe(CI_KEY);
  });

  await test.step("edit a token's details, never its value", async () => {
    await tokenRow(page, 'Finance export').click();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Finance export' });
    await expect(dialog.getByLabel('Token value')).toHaveCount(0);
    await dialog.getByLabel('Role', { exact: true }).fill('Treasurer');
    await dialog.getByLabel('Description', { exact: true }).fill('Monthly export for the accountant.');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await expect(tokenRow(page, 'Finance export')).toContainText('Treasurer');
    await expect(page.getByText('Monthly export for the accountant.')).toBeVisible();
  });

  await test.step('delete asks first, naming the token and what deleting does not do', async () => {
    await switchTo(page, 'Acme Holding', 'sandbox');
    await tokenRow(page, 'Sandbox tester').click();
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete “Sandbox tester”?' });
    await expect(confirm).toContainText('It stays valid at the provider until you revoke it there.');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect(confirm).toBeHidden();
    await expect(tokenRow(page, 'Sandbox tester')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'No tokens in Acme Holding / sandbox yet' })).toBeVisible();
    await switchTo(page, 'Acme Holding', 'production');
  });

  await test.step('lock hides everything; unlock brings it back', async () => {
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Unlock your vault' })).toBeVisible();
    await expect(page.locator('body')).not.toContainText('Acme Holding');
    await expect(page.locator('body')).not.toContainText('CI deploy key');
    // Locking clears a copied token that is still on the clipboard.
    await expect.poll(() => app.readClipboard()).toBe('');
    await unlockWithPassphrase(page);
    await expect(page.getByRole('combobox', { name: 'Workspace', exact: true })).toBeVisible();
  });

  await test.step('after a restart of the process, everything is still there', async () => {
    await app.restart();
    await expect(app.page.getByRole('heading', { name: 'Unlock your vault' })).toBeVisible();
    await unlockWithPassphrase(app.page, PASSPHRASE);
    await switchTo(app.page, 'Acme Holding', 'production');
    await expect(tokenRow(app.page, 'CI deploy key')).toBeVisible();
    await expect(tokenRow(app.page, 'Finance export')).toContainText('Treasurer');
    await tokenRow(app.page, 'CI deploy key').click();
    await expect(app.page.getByRole('region', { name: 'Activity' }).getByText('Copied')).toBeVisible();
    await switchTo(app.page, 'Acme Holding', 'sandbox');
    await expect(app.page.getByRole('heading', { name: 'No tokens in Acme Holding / sandbox yet' })).toBeVisible();
    await switchTo(app.page, 'Northwind', 'production');
    await expect(tokenRow(app.page, 'Northwind session')).toBeVisible();
    // The setting survived too.
    await app.page.getByRole('button', { name: 'Settings' }).click();
    await expect(app.page.getByLabel('Hide revealed values after (seconds)', { exact: true })).toHaveValue('3');
  });
});
