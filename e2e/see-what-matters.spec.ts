import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/app';
import { seedDemo } from './fixtures/seed';
import { PASSPHRASE, switchTo, tokenRow, unlockWithPassphrase } from './fixtures/ui';

/**
 * Issue 12, "See what matters": the token list's columns follow their
 * content, so names and roles read in full at a laptop's width and a
 * desktop's while the other columns have room.
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
