import type { Page } from '@playwright/test';
import { startAll, seedDemo as seedEmulators, type AllEmulators, type DemoCredentials } from './emulators';
import { expect, test } from './fixtures/app';
import { shotBoth } from './fixtures/screenshots';
import { seedDemo } from './fixtures/seed';
import { PASSPHRASE, addEnvironment, addToken, addWorkspace, switchTo, tokenRow, unlockWithPassphrase } from './fixtures/ui';

/**
 * Issue 12, "See what matters": the token list's columns follow their
 * content, so names and roles read in full at a laptop's width and a
 * desktop's while the other columns have room; test results say a 403's
 * reason once, keep every past result, show a held-back call's last 429,
 * and give the exact request as curl without the token.
 */

/** The texts of name and role cells on screen that do not fit their cell. */
async function cutCells(page: Page): Promise<string[]> {
  return page
    .getByRole('grid')
    .locator('.grid-row-body .grid-name, .grid-row-body .grid-ellipsis')
    .evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 0.5).map((el) => el.textContent ?? ''));
}

test('columns size to content: names and roles are not cut off at 1024 and 1440 px', async ({ app }) => {
  const { page } = app;
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  const demo = await seedDemo(app);
  const acme = demo.workspaces[0]!;
  await app.api('credentials:add', {
    environmentId: acme.production,
    name: 'Quarterly finance export (CFO)',
    kind: 'bearer',
    role: 'Certified accountant',
    secret: { value: 'tok_long_name_0123456789abcdef0123' },
  });
  await app.api('vault:lock');
  await page.reload();
  await unlockWithPassphrase(page);
  await switchTo(page, 'Acme Holding', 'Production');
  await expect(tokenRow(page, 'Quarterly finance export (CFO)')).toBeVisible();

  for (const [width, height] of [
    [1024, 720],
    [1440, 900],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expect(page.getByRole('grid')).toHaveAttribute('style', /--grid-cols/);
    await expect
      .poll(async () => ({ cut: await cutCells(page), cols: await page.getByRole('grid').evaluate((el) => el.style.getPropertyValue('--grid-cols')) }), { message: `cut-off names or roles at ${width} px` })
      .toMatchObject({ cut: [] });
    // The kind and the header labels read in full too ("JWT session", "Last used").
    const cutHeaders = await page.getByRole('columnheader').evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 0.5).map((el) => el.textContent));
    expect(cutHeaders, `cut-off headers at ${width} px`).toEqual([]);
    await expect(tokenRow(page, 'Mobile app session').getByRole('gridcell', { name: 'JWT session', exact: true })).toBeVisible();
    const kindCut = await tokenRow(page, 'Mobile app session').locator('.grid-kind').evaluate((el) => el.parentElement!.scrollWidth > el.parentElement!.clientWidth + 0.5);
    expect(kindCut).toBe(false);
  }
});

test.describe('test results', () => {
  let emu: AllEmulators;
  let creds: DemoCredentials;
  test.beforeEach(async () => {
    // One call a window at Regen: the second one gets the 429 (Retry-After 600 s), the third is held back.
    emu = await startAll({ regen: { rateLimits: { burst: { limit: 1, windowMs: 600_000 } } } });
    creds = seedEmulators(emu);
  });
  test.afterEach(async () => {
    await emu.close();
  });

  test('a 403 says its reason once; Copy as curl; every past result opens; Test all shows each diagnosis; a held-back call shows its last 429', async ({ app }) => {
    const { page } = app;
    await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
    await page.reload();
    await addWorkspace(page, 'Holding Lumière', { provider: 'Regate' });
    await addEnvironment(page, 'sandbox', emu.urls.regate, false);
    await addToken(page, { name: 'Treasury dashboard', value: creds.regate.treasurer, role: 'Treasurer' });
    await addToken(page, { name: 'Old contractor token', value: creds.regate.revoked, role: 'CFO' });
    const details = page.getByRole('complementary', { name: 'Token details' });

    await test.step('a denied 403 says its reason once', async () => {
      await tokenRow(page, 'Treasury dashboard').click();
      await details.getByRole('button', { name: 'Request', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Send request' });
      await dialog.getByLabel('Path', { exact: true }).fill('/customers?limit=5');
      await expect(dialog.getByTestId('preflight')).toContainText('Denied by the documented model');
      await dialog.getByRole('button', { name: 'Send anyway' }).click();
      const result = dialog.getByRole('region', { name: 'Test result' });
      await expect(result).toContainText('HTTP 403');
      await expect(result.getByTestId('result-reason')).toHaveText("403 from Regate: the token's role does not allow this call: Regate matrix: Treasurer × /customers does not allow GET (it allows nothing there)");
      // Said once in the whole dialog: no warning repeating it, no pre-flight box repeating it.
      await expect(dialog.getByText(/does not allow GET/)).toHaveCount(1);
      await expect(dialog.getByTestId('preflight')).toHaveCount(0);
      await dialog.getByRole('button', { name: 'Close' }).click();
    });

    await test.step('Copy as curl: the exact request, the token as $TOKEN, and the exec line', async () => {
      await details.getByRole('button', { name: 'Test', exact: true }).click();
      const result = details.getByRole('region', { name: 'Test result' });
      await expect(result).toContainText('HTTP 200');
      await result.getByRole('button', { name: 'Copy as curl' }).click();
      const dialog = page.getByRole('dialog', { name: 'Copy as curl' });
      const curl = dialog.getByRole('region', { name: 'curl', exact: true });
      await expect(curl.locator('pre')).toHaveText(
        [`curl --request GET '${emu.urls.regate}/users' \\`, `  --header 'user-agent: Tokenvault' \\`, `  --header 'accept: application/json, */*;q=0.5' \\`, `  --header 'Authorization: Bearer '"$TOKEN"`]
          .join('\n'),
      );
      await expect(dialog.getByRole('region', { name: 'tokenvault exec' })).toContainText(`tokenvault exec --map 'TOKEN=Holding Lumière/sandbox/Treasury dashboard' -- sh -c 'curl --request GET`);
      if (app.shell === 'browser') expect(await app.readClipboard()).toContain(`--header 'Authorization: Bearer '"$TOKEN"`);
      expect(await page.content()).not.toContain(creds.regate.treasurer);
      await shotBoth(page, 'copy-as-curl', app.shell);
      await dialog.getByRole('button', { name: 'Close' }).click();
    });

    await test.step('the test history opens each past result in full', async () => {
      const history = details.getByRole('region', { name: 'Test history' });
      await history.getByRole('button', { name: /Forbidden GET \/customers\?limit=5/ }).click();
      const past = page.getByRole('dialog', { name: 'Past test' });
      const result = past.getByRole('region', { name: 'Past test result' });
      await expect(result).toContainText('HTTP 403');
      await expect(result.getByTestId('result-reason')).toContainText('Treasurer × /customers does not allow GET');
      await expect(result).toContainText(`${emu.urls.regate}/customers?limit=5`);
      await expect(result.getByRole('img', { name: /^Total/ })).toBeVisible();
      await expect(result).toContainText('The history keeps no response headers or body.');
      await past.getByRole('button', { name: 'Close' }).click();
    });

    await test.step('Test all shows each diagnosis in full', async () => {
      await page.getByRole('button', { name: 'Test all' }).click();
      const dialog = page.getByRole('dialog', { name: 'Test all' });
      await expect(dialog.getByRole('status')).toContainText('2 tokens tested');
      const row = dialog.getByTestId('test-all-row').filter({ hasText: 'Old contractor token' });
      const diagnosis = row.getByRole('note');
      await expect(diagnosis).toContainText('invalid, or was revoked at the provider');
      expect(await diagnosis.evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight + 1)).toBe(true);
      await shotBoth(page, 'test-all', app.shell);
      await dialog.getByRole('button', { name: 'Close' }).click();
    });

    await test.step('a held-back call shows the last real 429 beside the countdown', async () => {
      const ws = await app.api<{ id: string }>('workspaces:add', { name: 'Clinics', providerId: 'regen-therapy' });
      const env = await app.api<{ id: string }>('environments:add', { workspaceId: ws.id, name: 'emulator', baseUrl: emu.urls.regen, production: false });
      await app.api('credentials:add', { environmentId: env.id, name: 'Orders key', kind: 'api_key', headerName: 'X-API-Key', scopes: ['read:orders'], secret: { value: creds.regen.orders } });
      await switchTo(page, 'Clinics', 'emulator');
      await tokenRow(page, 'Orders key').click();
      const test1 = details.getByRole('button', { name: 'Test', exact: true });
      await test1.click();
      await expect(details.getByRole('region', { name: 'Test result' })).toContainText('HTTP 200');
      await test1.click();
      await expect(details.getByRole('region', { name: 'Test result' })).toContainText('HTTP 429');
      await test1.click();
      const held = details.getByRole('alert').filter({ hasText: 'Held back' });
      await expect(held).toContainText(/You can test again in \d+ s\./);
      const last = held.getByRole('region', { name: 'Last rate-limited answer' });
      await expect(last).toContainText('HTTP 429');
      await expect(last).toContainText('Rate-limited');
      await expect(last.getByRole('meter', { name: 'Requests left' })).toHaveAttribute('aria-valuenow', '0');
      await shotBoth(page, 'held-back', app.shell);
    });
  });
});
