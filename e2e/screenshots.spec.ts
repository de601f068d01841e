import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures/app';
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
const COMMITTED = join(__dirname, 'screenshots');
const LATEST = join(__dirname, '..', 'test-results', 'screenshots');
const UPDATE = process.env.TOKENVAULT_UPDATE_SCREENSHOTS === '1';

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots of the main screens (${scheme})`, async ({ app }) => {
    test.skip(app.shell !== 'browser', 'taken once, in browser mode');
    const { page } = app;
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const shot = async (name: string) => {
      // No blinking caret or half-finished transition in a committed image.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const file = `${name}-${scheme}.png`;
      const png = await page.screenshot({ path: join(LATEST, file), animations: 'disabled', caret: 'hide' });
      if (UPDATE || !existsSync(join(COMMITTED, file))) await writeFile(join(COMMITTED, file), png);
    };

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
  });
}
