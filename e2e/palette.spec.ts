import { expect, test } from './fixtures/app';
import { PASSPHRASE, productionBand, selectedOption, tokenRow, unlockWithPassphrase } from './fixtures/ui';
import { seedDemo } from './fixtures/seed';

test('Ctrl+K finds a token in another workspace and environment, and jumps there', async ({ app }) => {
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  await seedDemo(app);
  await app.page.reload();
  const { page } = app;
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible();
  await expect(selectedOption(page, 'Workspace')).toHaveText('Acme Holding');
  await expect(selectedOption(page, 'Environment')).toHaveText('Sandbox');

  await test.step('Escape closes the palette', async () => {
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Jump to' });
    await expect(palette).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(palette).toBeHidden();
  });

  await test.step('type, move with the arrows, go with Enter', async () => {
    await page.keyboard.press('Control+k');
    const input = page.getByRole('combobox', { name: 'Jump to' });
    await expect(input).toBeFocused();
    await input.pressSequentially('north');
    const options = page.getByRole('listbox', { name: 'Results' }).getByRole('option');
    // The workspace, then its token(s) by name.
    await expect(options.filter({ hasText: 'Northwind billing' })).toBeVisible();
    await expect(options.first()).toHaveAttribute('aria-selected', 'true');
    const billingIndex = await options.evaluateAll((els) => els.findIndex((e) => e.textContent?.includes('Northwind billing')));
    for (let i = 0; i < billingIndex; i++) await page.keyboard.press('ArrowDown');
    await expect(options.nth(billingIndex)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Jump to' })).toBeHidden();
  });

  await test.step('lands on the token, in its workspace and production environment', async () => {
    await expect(selectedOption(page, 'Workspace')).toHaveText('Northwind — Coolset');
    await expect(selectedOption(page, 'Environment')).toHaveText('Production');
    await expect(productionBand(page)).toBeVisible();
    await expect(tokenRow(page, 'Northwind billing')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('heading', { name: 'Northwind billing', level: 2 })).toBeVisible();
  });

  await test.step('an environment result switches environment', async () => {
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Jump to' }).fill('sandbox');
    const option = page.getByRole('listbox', { name: 'Results' }).getByRole('option').filter({ hasText: 'Built Accounting — Client B/Sandbox' });
    await option.click();
    await expect(selectedOption(page, 'Workspace')).toHaveText('Built Accounting — Client B');
    await expect(selectedOption(page, 'Environment')).toHaveText('Sandbox');
    await expect(productionBand(page)).toHaveCount(0);
  });
});

test('locking from outside the page (tray, auto-lock, another window) clears the screen', async ({ app }) => {
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  await seedDemo(app);
  await app.page.reload();
  const { page } = app;
  await page.getByRole('combobox', { name: 'Workspace', exact: true }).selectOption({ label: 'Acme Holding' });
  await page.getByRole('combobox', { name: 'Environment', exact: true }).selectOption({ label: 'Production' });
  await page.getByRole('searchbox', { name: 'Search tokens' }).fill('ci');
  await tokenRow(page, 'CI deploy key').click();

  await app.api('vault:lock');
  await expect(page.getByRole('heading', { name: 'Unlock your vault' })).toBeVisible();
  for (const text of ['Acme Holding', 'CI deploy key', 'Production', 'ak_live']) {
    await expect(page.locator('body')).not.toContainText(text);
  }

  await unlockWithPassphrase(page);
  // The search text went with the lock, too.
  await page.getByRole('combobox', { name: 'Environment', exact: true }).selectOption({ label: 'Production' });
  await expect(page.getByRole('searchbox', { name: 'Search tokens' })).toHaveValue('');
});
