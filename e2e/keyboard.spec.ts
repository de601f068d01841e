import { expect, test } from './fixtures/app';
import { PASSPHRASE, selectedOption, switchTo, tokenRow } from './fixtures/ui';

interface Created {
  id: string;
}

/** A keyboard user never needs the mouse: several words in the palette, actions, single keys and their help. */
test('palette finds by several words and runs actions; single keys and the ? overlay', async ({ app }) => {
  const { page } = app;
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  for (const name of ['Client A', 'Client B']) {
    const ws = await app.api<Created>('workspaces:add', { name });
    await app.api('environments:add', { workspaceId: ws.id, name: 'sandbox', baseUrl: 'https://sandbox.example.com' });
    const prod = await app.api<Created>('environments:add', { workspaceId: ws.id, name: 'production', baseUrl: 'https://api.example.com', production: true });
    await app.api('credentials:add', { environmentId: prod.id, name: `${name} deploy`, kind: 'bearer', secret: { value: 'tok_abcdefghijklmnopqrstuvwxyz' } });
  }
  await page.reload();
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible();

  await test.step('"client b prod" finds Client B / production', async () => {
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('combobox', { name: 'Jump to' });
    await palette.fill('client b prod');
    await expect(page.getByRole('listbox', { name: 'Results' }).getByRole('option').first()).toContainText('Client B/production');
    await page.keyboard.press('Enter');
    await expect(selectedOption(page, 'Workspace')).toHaveText('Client B');
    await expect(selectedOption(page, 'Environment')).toHaveText('production');
  });

  await test.step('switching workspace keeps production', async () => {
    await switchTo(page, 'Client A');
    await expect(selectedOption(page, 'Environment')).toHaveText('production');
  });

  await test.step('? lists the shortcuts', async () => {
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toContainText('Copy the selected token');
    await expect(help).toContainText('Lock the vault');
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();
  });

  await test.step('n opens Add token with Name focused', async () => {
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog', { name: 'Add token' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel('Name', { exact: true })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });

  await test.step('Tab from the list reaches Reveal past one sort header, not seven', async () => {
    await tokenRow(page, 'Client A deploy').click();
    await expect(page.getByRole('grid')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Name', exact: true })).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('button', { name: 'Kind', exact: true })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('complementary', { name: 'Token details' }).getByRole('button', { name: 'Reveal' })).toBeFocused();
  });

  await test.step('r reveals the selected token; the palette runs "lock"', async () => {
    await tokenRow(page, 'Client A deploy').click();
    await page.keyboard.press('r');
    await expect(page.getByTestId('revealed-value')).toHaveText('tok_abcdefghijklmnopqrstuvwxyz');
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Jump to' }).fill('lock');
    await expect(page.getByRole('listbox', { name: 'Results' }).getByRole('option').first()).toContainText('Lock the vault');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible();
  });
});
