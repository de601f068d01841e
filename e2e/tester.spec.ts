import { startAll, seedDemo as seedEmulators, type AllEmulators, type DemoCredentials } from './emulators';
import { expect, test } from './fixtures/app';
import { shotBoth } from './fixtures/screenshots';
import { PASSPHRASE, addEnvironment, addToken, addWorkspace, tokenRow } from './fixtures/ui';

/**
 * One-click tests, the request panel and Test all, against the Regate
 * emulator: a workspace with the Regate provider, an environment on the
 * emulator's URL, tokens pasted through the Add token form.
 */


let emu: AllEmulators;
let creds: DemoCredentials;

test.beforeEach(async () => {
  emu = await startAll();
  creds = seedEmulators(emu);
});
test.afterEach(async () => {
  await emu.close();
});


test('test a token, read a 401, send a request the documents deny, test them all', async ({ app }) => {
  const { page } = app;
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  await page.reload();
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible();

  await test.step('a Regate workspace on the emulator, with three pasted tokens', async () => {
    await addWorkspace(page, 'Holding Lumière', { provider: 'Regate' });
    await addEnvironment(page, 'sandbox', emu.urls.regate, false);
    await addToken(page, { name: 'CFO integration', value: creds.regate.cfo, role: 'CFO' });
    await addToken(page, { name: 'Treasury dashboard', value: creds.regate.treasurer, role: 'Treasurer' });
    await addToken(page, { name: 'Old contractor token', value: creds.regate.revoked, role: 'CFO' });
  });

  await test.step('Test → OK, with timings, identity and history', async () => {
    await tokenRow(page, 'CFO integration').click();
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const result = page.getByRole('region', { name: 'Test result' });
    await expect(result).toBeVisible();
    await expect(result.getByText('OK', { exact: true })).toBeVisible();
    await expect(result).toContainText('HTTP 200');
    await expect(result.getByRole('img', { name: /^Total/ })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Test history' })).toContainText('GET /users');
  });

  await test.step('a revoked token → 401 in words', async () => {
    await tokenRow(page, 'Old contractor token').click();
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const result = page.getByRole('region', { name: 'Test result' });
    await expect(result.getByText('Unauthorized', { exact: true })).toBeVisible();
    await expect(result).toContainText('HTTP 401');
    await expect(result.locator('.test-result-explanation')).not.toBeEmpty();
    await page.getByRole('complementary', { name: 'Token details' }).evaluate((el) => el.scrollTo(0, 0));
    await shotBoth(page, 'test-result', app.shell);
  });

  await test.step('the request panel: pre-flight denial, then Send anyway → 403', async () => {
    await tokenRow(page, 'Treasury dashboard').click();
    await page.getByRole('button', { name: 'Request', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Send request' });
    await expect(dialog.getByLabel('Preset', { exact: true })).toHaveValue('list-users');
    await expect(dialog.getByTestId('preflight')).toContainText('Allowed by the documented role');
    await dialog.getByLabel('Path', { exact: true }).fill('/customers?limit=5');
    await expect(dialog.getByTestId('preflight')).toContainText('Denied by the documented model — allowed for:');
    await expect(dialog.getByTestId('preflight')).toContainText('CFO');
    await dialog.getByRole('button', { name: 'Send anyway' }).click();
    const result = dialog.getByRole('region', { name: 'Test result' });
    await expect(result.getByText('Forbidden', { exact: true })).toBeVisible();
    await expect(result).toContainText('HTTP 403');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('Test all: progress, live outcomes, a summary', async () => {
    await page.getByRole('button', { name: 'Test all' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test all' });
    const bar = dialog.getByRole('progressbar', { name: 'Tests done' });
    await expect(bar).toHaveAttribute('aria-valuemax', '3');
    await expect(bar).toHaveAttribute('aria-valuenow', '3');
    await expect(dialog.getByRole('status')).toContainText('3 tokens tested');
    const rows = dialog.getByTestId('test-all-row');
    await expect(rows.filter({ hasText: 'CFO integration' })).toContainText('OK');
    await expect(rows.filter({ hasText: 'Old contractor token' })).toContainText('Unauthorized');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });
});

test('production writes need arming; the engine refuses otherwise and the UI says so', async ({ app }) => {
  const { page } = app;
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  await page.reload();
  await addWorkspace(page, 'Holding Lumière', { provider: 'Regate' });
  await addEnvironment(page, 'production', emu.urls.regate, true);
  await addToken(page, { name: 'CFO integration', value: creds.regate.cfo, role: 'CFO' });
  await tokenRow(page, 'CFO integration').click();
  await page.getByRole('button', { name: 'Request', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Send request' });
  await dialog.getByLabel('Method', { exact: true }).selectOption('POST');
  await dialog.getByLabel('Path', { exact: true }).fill('/customers');
  await dialog.getByLabel('JSON body', { exact: true }).fill('{}');
  await expect(dialog.getByRole('button', { name: 'Arm production' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(dialog.getByRole('alert').filter({ hasText: 'Refused' })).toContainText('production');
  await dialog.getByRole('button', { name: 'Arm production' }).click();
  await dialog.getByLabel('Type the workspace name to arm production').fill('Holding Lumière');
  await dialog.getByRole('button', { name: 'Arm', exact: true }).click();
  await expect(dialog.getByRole('timer')).toHaveText(/^[45]:\d\d$/);
  await dialog.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(dialog.getByRole('region', { name: 'Test result' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Disarm' }).click();
  await expect(dialog.getByRole('button', { name: 'Arm production' })).toBeVisible();
});
