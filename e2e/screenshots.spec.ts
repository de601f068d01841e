import { expect, test } from './fixtures/app';
import { saveScreenshot } from './fixtures/screenshots';
import { seedDemo } from './fixtures/seed';
import { PASSPHRASE, switchTo, tokenRow, unlockWithPassphrase } from './fixtures/ui';

/**
 * The main screens, light and dark. Every run takes them (into
 * test-results/screenshots/, to look at); the committed copies under
 * e2e/screenshots/ (the README shows main-light.png) are written when missing
 * or with TOKENVAULT_UPDATE_SCREENSHOTS=1 — dates and times in them change
 * with every run, and a test run should not leave the work tree dirty.
 * Browser mode only, so the Electron project does not overwrite them.
 */

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots of the main screens (${scheme})`, async ({ app }) => {
    test.skip(app.shell !== 'browser', 'taken once, in browser mode');
    test.setTimeout(300_000);
    const { page } = app;
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const shot = (name: string) => saveScreenshot(page, name, scheme);

    await expect(page.getByRole('heading', { name: 'Create your vault' })).toBeVisible();
    await shot('first-run');

    await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
    await seedDemo(app);
    await app.api('vault:lock');
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Unlock your vault' })).toBeVisible();
    await shot('unlock');

    await unlockWithPassphrase(page);
    await switchTo(page, 'Acme Holding', 'Production');
    await tokenRow(page, 'Finance export (CFO)').click();
    await expect(page.getByRole('heading', { name: 'Finance export (CFO)', level: 2 })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Activity' }).getByText('Added')).toBeVisible();
    await shot('main');

    await tokenRow(page, 'CI deploy key').click();
    await page.getByRole('button', { name: 'Reveal' }).click();
    await expect(page.getByTestId('revealed-value')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Activity' }).getByText('Revealed')).toBeVisible();
    await page.getByRole('timer').evaluate((el) => (el.textContent = 'Hides in 10 s'));
    await shot('token-detail');
    await page.getByRole('button', { name: 'Hide' }).click();

    await page.getByRole('button', { name: 'Add token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add token' });
    await dialog.getByLabel('Name', { exact: true }).fill('Partner portal key');
    await dialog.getByLabel('Kind', { exact: true }).selectOption('api_key');
    await dialog.getByLabel('Token value', { exact: true }).fill('rg_live_0123456789abcdef0123456789abcdef');
    await dialog.getByLabel('Role', { exact: true }).fill('Accountant');
    await dialog.getByLabel('Scopes', { exact: true }).fill('read:sales_invoices, write:sales_invoices');
    await dialog.getByRole('radio', { name: 'After a duration' }).check();
    await dialog.getByLabel('Expires after', { exact: true }).fill('90d');
    await dialog.getByLabel('Rotate every', { exact: true }).fill('90');
    await dialog.locator('.dialog-body').evaluate((el) => el.scrollTo(0, 0));
    await shot('add-token');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // The screens that manage what was set up (issue 12).
    await page.getByRole('button', { name: 'Edit environment' }).click();
    const envDialog = page.getByRole('dialog', { name: 'Edit environment' });
    await envDialog.getByRole('checkbox', { name: 'Production' }).uncheck();
    await shot('edit-environment');
    await page.keyboard.press('Escape');
    await expect(envDialog).toBeHidden();

    await tokenRow(page, 'Finance export (CFO)').click();
    await page.getByRole('button', { name: 'Move…' }).click();
    const moveDialog = page.getByRole('dialog', { name: 'Move “Finance export (CFO)”' });
    await moveDialog.getByLabel('Workspace', { exact: true }).selectOption({ label: 'Northwind — Coolset' });
    await moveDialog.getByLabel('Environment', { exact: true }).selectOption({ label: 'Production (production)' });
    await shot('move-token');
    await page.keyboard.press('Escape');
    await expect(moveDialog).toBeHidden();

    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await shot('shortcuts');
    await page.keyboard.press('Escape');

    // The bar at a laptop's width and a desktop's: the workspace and environment read in full.
    for (const [width, height] of [
      [1024, 720],
      [1440, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      await expect(page.getByRole('combobox', { name: 'Workspace', exact: true })).toBeVisible();
      await shot(`main-${width}`);
    }
  });
}
