import { resolve } from 'node:path';
import { expect, test } from './fixtures/app';
import { createVaultWithPassphrase, switchTo, tokenRow } from './fixtures/ui';

const COLLECTION = resolve(__dirname, '..', 'src-main', 'services', 'import', 'fixtures', 'bruno-acme');

test('Import… takes a Bruno collection folder through a folder choice, as the CLI takes the folder', async ({ app }) => {
  const { page } = app;
  await createVaultWithPassphrase(page);

  await test.step('pick the collection folder and preview it', async () => {
    await page.getByRole('button', { name: 'Backup & import' }).click();
    const dialog = page.getByRole('dialog', { name: 'Back up, restore, import, export' });
    await dialog.getByRole('tab', { name: 'Import…' }).click();
    await dialog.getByLabel('Or a Bruno collection folder').setInputFiles(COLLECTION);
    await expect(dialog.getByText(/^bruno-acme: 4 files to read/)).toBeVisible();
    await dialog.getByLabel('Into workspace').fill('Regen');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const preview = dialog.getByRole('region', { name: 'Import preview' });
    await expect(preview).toContainText('Regen Therapy → Regen (new workspace)');
    await expect(preview.getByRole('cell', { name: 'environments/Sandbox.bru: line 3' })).toBeVisible();
    await expect(preview.getByRole('cell', { name: 'environments/Production.bru: line 3' })).toBeVisible();
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(dialog.getByRole('status')).toHaveText('Imported 2 tokens and 2 new environments into Regen.');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  await test.step('the environments and their API keys are in the vault', async () => {
    await switchTo(page, 'Regen', 'Sandbox');
    await expect(tokenRow(page, 'apiKey')).toBeVisible();
  });
});
