import type { Page } from '@playwright/test';
import { startAll, seedDemo as seedEmulators, type AllEmulators, type DemoCredentials } from './emulators';
import { expect, test } from './fixtures/app';
import { shotBoth } from './fixtures/screenshots';
import { PASSPHRASE, addEnvironment, addToken, addWorkspace, tokenRow } from './fixtures/ui';

/** The permission matrix, table import/export and live probes, against the Regate emulator. */


let emu: AllEmulators;
let creds: DemoCredentials;

test.beforeEach(async () => {
  emu = await startAll();
  creds = seedEmulators(emu);
});
test.afterEach(async () => {
  await emu.close();
});


async function regateWorkspace(page: Page, url: string) {
  await addWorkspace(page, 'Holding Lumière', { provider: 'Regate' });
  await addEnvironment(page, 'sandbox', url, false);
}

test('the matrix highlights the token’s role and answers who can call an endpoint', async ({ app }) => {
  const { page } = app;
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  await page.reload();
  await regateWorkspace(page, emu.urls.regate);
  await addToken(page, { name: 'Treasury dashboard', value: creds.regate.treasurer, role: 'Treasurer' });
  await tokenRow(page, 'Treasury dashboard').click();
  await page.getByRole('button', { name: 'Permissions', exact: true }).click();

  const dialog = page.getByRole('dialog', { name: 'Permissions — Regate' });
  const table = dialog.getByRole('table');
  await expect(table.getByRole('columnheader', { name: /Treasurer/ })).toHaveAttribute('aria-current', 'true');
  // Issue 12: the token's own column comes first and is on screen at 1280 px, without scrolling sideways.
  await expect(table.getByRole('columnheader').nth(1)).toHaveText(/^TreasurerThis token$/i);
  await expect(table.getByRole('columnheader', { name: /Treasurer/ })).toBeInViewport({ ratio: 1 });
  await expect(dialog).toContainText('holds role Treasurer: the first column of the table, marked “this token”.');
  await expect(table.getByRole('columnheader', { name: 'CFO', exact: true })).not.toHaveAttribute('aria-current', 'true');
  // Eleven role columns, plus the endpoint column.
  await expect(table.getByRole('columnheader')).toHaveCount(12);

  await dialog.getByLabel('Filter endpoints', { exact: true }).fill('customers');
  await expect(table.getByRole('rowheader').first()).toContainText('/customers');
  await dialog.getByLabel('Filter endpoints', { exact: true }).fill('');

  await dialog.getByRole('button', { name: 'What can this token do' }).click();
  // Every endpoint of the matrix, each with what this token may do there.
  const every = dialog.getByRole('list', { name: 'Every endpoint for this token' });
  await expect(every.getByRole('listitem')).toHaveCount(await table.getByRole('rowheader').count());
  await expect(every.getByRole('listitem').filter({ hasText: '/users' })).toContainText('GET');
  await expect(every.getByRole('listitem').filter({ hasText: '/customers' })).toContainText('not allowed');

  await dialog.getByLabel('Endpoint', { exact: true }).selectOption('/customers');
  await dialog.getByLabel('Call method', { exact: true }).selectOption('GET');
  await dialog.getByRole('button', { name: 'Who can call this' }).click();
  await expect(dialog.getByTestId('who-can-call')).toContainText('GET /customers: allowed for');
  await expect(dialog.getByTestId('who-can-call')).toContainText('CFO');
  await expect(dialog.getByTestId('who-can-call')).not.toContainText('Treasurer');

  await shotBoth(page, 'permissions', app.shell);

  await dialog.getByRole('button', { name: 'Export as CSV' }).click();
  await expect(dialog.getByLabel('Exported table (CSV)')).toHaveValue(/Treasurer/);
});

test('import a permission table: errors at their row and column, then a good table saved', async ({ app }) => {
  const { page } = app;
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  // One provider of the user's own, to import into.
  await app.api('providers:add', {
    json: JSON.stringify({
      schemaVersion: 1,
      id: 'acme-internal',
      name: 'Acme internal API',
      auth: [{ scheme: 'bearer' }],
      environments: [{ name: 'Sandbox', defaultBaseUrl: null, production: false }],
      testPresets: [{ id: 'me', label: 'Who am I', method: 'GET', path: '/users', safe: true }],
      lifetimes: { neverExpires: true },
      rotationAdviceDays: null,
      portal: {},
      revocation: { mode: 'portal', steps: ['Revoke it in the admin panel'], verifyWith: 'me' },
    }),
  });
  await page.reload();
  await addWorkspace(page, 'Acme', { provider: 'Acme internal API' });
  await addEnvironment(page, 'sandbox', emu.urls.regate, false);
  await addToken(page, { name: 'Reporter', value: creds.regate.cfo, role: 'Reader' });
  await tokenRow(page, 'Reporter').click();
  await page.getByRole('button', { name: 'Permissions', exact: true }).click();
  const permissions = page.getByRole('dialog', { name: 'Permissions — Acme internal API' });
  await expect(permissions).toContainText('documents no permission model');
  await permissions.getByRole('button', { name: 'Import table' }).click();

  const dialog = page.getByRole('dialog', { name: 'Import permission table' });
  await dialog.getByLabel('Permission table', { exact: true }).fill(['| Endpoint | Reader | Admin |', '|---|---|---|', '| /users | GET | GET, POST |', '| /reports | FETCH | GET |'].join('\n'));
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Row 4, column 2:');
  await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled();

  await dialog.getByLabel('Permission table', { exact: true }).fill(['| Endpoint | Reader | Admin |', '|---|---|---|', '| /users | GET | GET, POST |', '| /reports | GET | GET, DELETE |'].join('\n'));
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Preview' })).toHaveText('Preview: 2 roles × 2 endpoints.');
  await expect(dialog.getByLabel('Save into', { exact: true })).toHaveValue('acme-internal');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Saved' })).toHaveText('Saved into Acme internal API: 2 roles × 2 endpoints.');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The matrix now shows, with the token's role highlighted.
  await expect(permissions.getByRole('columnheader', { name: /Reader/ })).toHaveAttribute('aria-current', 'true');
});

test('a probe shows where the emulator disagrees with the documents', async ({ app }) => {
  const { page } = app;
  emu.regate.state.overrides.push({ role: 'Treasurer', path: '/customers', method: 'GET', allow: true });
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  await page.reload();
  await regateWorkspace(page, emu.urls.regate);
  await addToken(page, { name: 'Treasury dashboard', value: creds.regate.treasurer, role: 'Treasurer' });
  await tokenRow(page, 'Treasury dashboard').click();
  await page.getByRole('button', { name: 'Probe permissions', exact: true }).click();

  const dialog = page.getByRole('dialog', { name: 'Probe permissions' });
  await expect(dialog.getByRole('region', { name: 'Plan' })).toContainText('calls planned');
  await dialog.getByRole('button', { name: 'Start probe' }).click();
  // Wait for the state (the run finished and its report shown), with a
  // deadline for a loaded machine rather than one tuned to a fast one.
  const result = dialog.getByRole('region', { name: 'Probe result' });
  await expect(result.getByRole('status')).toContainText('Finished', { timeout: 150_000 });
  await expect(result).toContainText('1 mismatch with the documents');
  const mismatches = dialog.getByTestId('probe-mismatch');
  await expect(mismatches).toHaveCount(1);
  await expect(mismatches).toContainText('Documented: denied');
  await expect(mismatches).toContainText('allowed 200');
  await expect(dialog.getByRole('row').filter({ has: page.getByTestId('probe-mismatch') })).toContainText('/customers');

  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export CSV' }).click();
  expect((await download).suggestedFilename()).toBe('treasury-dashboard-probe.csv');
});
