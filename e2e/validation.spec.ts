import { expect, test } from './fixtures/app';
import { addEnvironment, addWorkspace, createVaultWithPassphrase } from './fixtures/ui';

test('problems are shown at the field that has them', async ({ app }) => {
  const { page } = app;

  await test.step('first run: passphrases that differ, and one too short', async () => {
    await page.getByRole('radio', { name: 'Master passphrase' }).check();
    const passphrase = page.getByLabel('Passphrase', { exact: true });
    const repeat = page.getByLabel('Repeat passphrase', { exact: true });
    await passphrase.fill('one passphrase here');
    await repeat.fill('another passphrase');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect(repeat).toHaveAttribute('aria-invalid', 'true');
    await expect(repeat).toHaveAccessibleDescription('Repeat passphrase does not match the passphrase.');

    await passphrase.fill('short');
    await repeat.fill('short');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect(passphrase).toHaveAttribute('aria-invalid', 'true');
    await expect(passphrase).toHaveAccessibleDescription(/^Passphrase must be at least 10 characters\./);
    await expect(repeat).not.toHaveAttribute('aria-invalid', 'true');
  });

  await createVaultWithPassphrase(page);
  await addWorkspace(page, 'Acme');

  await test.step('an environment with a plain-http URL', async () => {
    await page.getByRole('button', { name: 'Add environment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add environment' });
    await dialog.getByLabel('Name', { exact: true }).fill('production');
    await dialog.getByLabel('Base URL', { exact: true }).fill('http://api.acme.example');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const url = dialog.getByLabel('Base URL', { exact: true });
    await expect(url).toHaveAttribute('aria-invalid', 'true');
    await expect(url).toHaveAccessibleDescription(/^Base URL must use https:\/\//);
    await expect(dialog.getByLabel('Name', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
    // A production-looking name ticks Production by itself.
    await expect(dialog.getByRole('checkbox', { name: 'Production' })).toBeChecked();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  });

  await addEnvironment(page, 'sandbox', 'https://sandbox.acme.example', false);

  await test.step('a token without a name or value, and a header name with spaces', async () => {
    await page.getByRole('button', { name: 'Add token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add token' });
    await dialog.getByLabel('Kind', { exact: true }).selectOption('api_key');
    const header = dialog.getByLabel('Header name', { exact: true });
    await expect(header).toHaveValue('X-API-Key');
    await header.fill('X API Key');
    await dialog.getByRole('button', { name: 'Save' }).click();

    const name = dialog.getByLabel('Name', { exact: true });
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    await expect(name).toHaveAccessibleDescription('Name must not be empty.');
    await expect(name).toBeFocused();
    const value = dialog.getByLabel('Token value', { exact: true });
    await expect(value).toHaveAttribute('aria-invalid', 'true');
    await expect(value).toHaveAccessibleDescription(/^Token value must not be empty\./);
    await expect(header).toHaveAttribute('aria-invalid', 'true');
    await expect(header).toHaveAccessibleDescription(/^Header name must be a valid HTTP header name such as X-API-Key\./);
    await expect(dialog.getByLabel('Role', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');

    // Fixing them saves the token.
    await name.fill('Warehouse key');
    await value.fill('rg_live_77aa88bb99cc00dd11ee22ff33aa44bb');
    await header.fill('X-API-Key');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('heading', { name: 'Warehouse key', level: 2 })).toBeVisible();
  });

  await test.step('settings outside their range', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    const reveal = dialog.getByLabel('Hide revealed values after (seconds)', { exact: true });
    await reveal.fill('1');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(reveal).toHaveAttribute('aria-invalid', 'true');
    await expect(reveal).toHaveAccessibleDescription(/^Hide revealed values after \(seconds\) /);
  });
});
