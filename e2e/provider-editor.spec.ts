import { expect, test } from './fixtures/app';
import { shotBoth } from './fixtures/screenshots';
import { PASSPHRASE, addWorkspace } from './fixtures/ui';

/**
 * issue 12: a provider definition from a form, edited later, with a
 * permission table imported into it, all in the app. Built-in providers are
 * read-only and offer "Duplicate as user provider".
 */
test('creates a provider from the form (errors at the field), imports a permission table into it, and edits it', async ({ app }) => {
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  const { page } = app;
  await page.reload();
  await addWorkspace(page, 'Acme Holding');

  await page.getByRole('button', { name: 'Providers' }).click();
  const list = page.getByRole('dialog', { name: 'Providers' });
  // Built in: no Edit, only a duplicate.
  await expect(list.getByRole('button', { name: 'Edit Regate' })).toHaveCount(0);
  await expect(list.getByRole('button', { name: 'Duplicate Regate as user provider' })).toBeVisible();

  await list.getByRole('button', { name: 'New provider' }).click();
  const editor = page.getByRole('dialog', { name: 'New provider' });
  await editor.getByLabel('Name', { exact: true }).fill('Acme API');
  await editor.getByLabel('Id', { exact: true }).fill('acme-api');
  await editor.getByLabel('Auth scheme').selectOption({ label: 'API key in a header' });
  await editor.getByLabel('Header name').fill('X-Acme-Key');
  const sandbox = editor.getByRole('group', { name: 'Environment 1' });
  await sandbox.getByLabel('Base URL').fill('ftp://sandbox.acme.example');
  await editor.getByRole('group', { name: 'Environment 2' }).getByLabel('Base URL').fill('https://api.acme.example');
  await editor.getByLabel('Path', { exact: true }).fill('/api/me');
  await editor.getByLabel('Role model').selectOption({ label: 'Roles (a permission table decides)' });
  await editor.getByLabel('Roles', { exact: true }).fill('Admin, Reader');
  await editor.getByRole('button', { name: 'Save provider' }).click();
  // The schema's reason, at the field it is about.
  await expect(sandbox.getByLabel('Base URL')).toHaveAttribute('aria-invalid', 'true');
  await expect(sandbox.getByText(/https/)).toBeVisible();
  await shotBoth(page, 'provider-editor', app.shell);
  await sandbox.getByLabel('Base URL').fill('https://sandbox.acme.example');
  await editor.getByRole('button', { name: 'Save provider' }).click();
  await expect(editor).toBeHidden();
  await expect(list.getByRole('status')).toHaveText('Saved Acme API.');
  await expect(list.getByRole('listitem').filter({ hasText: 'Acme API' })).toContainText('acme-api · api_key · Sandbox, Production · role matrix');

  // A permission table into the new provider (the CLI was the only way before).
  await list.getByRole('button', { name: 'Import permission table into Acme API' }).click();
  const importer = page.getByRole('dialog', { name: 'Import permission table' });
  await importer.getByLabel('Permission table').fill('| Endpoint | Admin | Reader |\n|---|---|---|\n| /api/orders | GET, POST | GET |\n');
  await importer.getByRole('button', { name: 'Preview' }).click();
  await expect(importer.getByRole('status')).toContainText('2 roles × 1 endpoint');
  await expect(importer.getByLabel('Save into')).toHaveValue('acme-api');
  await importer.getByRole('button', { name: 'Save' }).click();
  await expect(importer.getByText('Saved into Acme API: 2 roles × 1 endpoint.')).toBeVisible();
  await importer.getByRole('button', { name: 'Close' }).click();

  // Edit: the id stays, the rest changes; the imported table stays with the roles.
  await page.getByRole('dialog', { name: 'Providers' }).getByRole('button', { name: 'Edit Acme API' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit provider Acme API' });
  await expect(edit.getByLabel('Id', { exact: true })).toHaveAttribute('readonly', '');
  await edit.getByLabel('Name', { exact: true }).fill('Acme API v2');
  await edit.getByRole('button', { name: 'Save provider' }).click();
  await expect(edit).toBeHidden();
  const providers = await app.api<{ definition: { id: string; name: string; roles?: { endpoints: unknown[] } } }[]>('providers:list');
  const mine = providers.find((p) => p.definition.id === 'acme-api')!;
  expect(mine.definition.name).toBe('Acme API v2');
  expect(mine.definition.roles?.endpoints).toHaveLength(1);

  // A built-in, duplicated as the user's own.
  const again = page.getByRole('dialog', { name: 'Providers' });
  await again.getByRole('button', { name: 'Duplicate Coolset as user provider' }).click();
  const dup = page.getByRole('dialog', { name: 'Duplicate Coolset' });
  await expect(dup.getByLabel('Id', { exact: true })).toHaveValue('coolset-custom');
  await dup.getByRole('button', { name: 'Save provider' }).click();
  await expect(page.getByRole('dialog', { name: 'Providers' }).getByRole('button', { name: 'Edit Coolset (custom)' })).toBeVisible();
});
