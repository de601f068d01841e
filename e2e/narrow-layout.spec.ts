import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/app';
import { seedDemo } from './fixtures/seed';
import { PASSPHRASE, switchTo, unlockWithPassphrase } from './fixtures/ui';

/**
 * The top bar and the production band at a laptop's width (found by a
 * new-user trial of issue 12): at 1024 px the bar wrapped onto a second row,
 * and the band, with a long workspace name, wrapped and clipped its top line.
 * Now the bar keeps one row with every button on screen, and a long name is
 * cut with an ellipsis on screen while its full text stays in a tooltip and
 * in what a screen reader reads. Light and dark screenshots of each size go
 * to test-results/layout/ (to look at; not committed).
 */

const LONG = 'Holding Lumière Financial Services International — Group Treasury Europe';
const SHOTS = join(__dirname, '..', 'test-results', 'layout');

/** Every control of the top bar: on screen, inside the bar, on one row. */
async function barProblems(page: Page): Promise<string[]> {
  return page.locator('.top-bar').evaluate((bar) => {
    const problems: string[] = [];
    const b = bar.getBoundingClientRect();
    const controls = Array.from(bar.querySelectorAll<HTMLElement>('button, select'));
    for (const el of controls) {
      const r = el.getBoundingClientRect();
      const name = el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName;
      if (r.width === 0 || r.height === 0) problems.push(`${name}: not shown`);
      if (r.left < b.left - 0.5 || r.right > b.right + 0.5 || r.right > window.innerWidth + 0.5) problems.push(`${name}: outside the bar (${Math.round(r.left)}–${Math.round(r.right)} of ${Math.round(b.right)})`);
      if (r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5) problems.push(`${name}: outside the bar vertically`);
    }
    // One row of controls (with the switchers' labels above their selects) is under 60 px; a wrapped bar is over it.
    if (b.height > 60) problems.push(`the bar is ${Math.round(b.height)} px high: wrapped onto a second row`);
    if (bar.scrollWidth > bar.clientWidth + 0.5) problems.push('the bar overflows horizontally');
    return problems;
  });
}

/** Whether the select's chosen name fits its box (text measured in the select's own font against its content width). */
async function readsInFull(page: Page, name: string): Promise<boolean> {
  return page.getByRole('combobox', { name, exact: true }).evaluate((el) => {
    const select = el as HTMLSelectElement;
    const style = getComputedStyle(select);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = select.selectedOptions[0]?.textContent ?? '';
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return ctx.measureText(text).width <= room + 1;
  });
}

for (const [width, height] of [
  [1024, 768],
  [1280, 800],
  [1440, 900],
] as const) {
  test(`at ${width}×${height} the top bar keeps one row and a long workspace name is cut with an ellipsis, its full name in a tooltip and for screen readers`, async ({ app }) => {
    const { page } = app;
    await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
    await seedDemo(app);
    const ws = await app.api<{ id: string }>('workspaces:add', { name: LONG, color: '#c2410c' });
    const envs = await app.api<{ id: string; name: string; production: boolean }[]>('environments:list', { workspaceId: ws.id });
    if (!envs.some((e) => e.production)) await app.api('environments:add', { workspaceId: ws.id, name: 'Production', baseUrl: 'https://api.lumiere.example', production: true });
    await app.api('vault:lock');
    await page.setViewportSize({ width, height });
    await page.reload();
    await unlockWithPassphrase(page);
    await switchTo(page, LONG, 'Production');

    const band = page.getByTestId('production-band');
    await expect(band).toBeVisible();
    // Taken before the checks, so a failure can be looked at.
    if (app.shell === 'browser') {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await page.screenshot({ path: join(SHOTS, `long-name-${width}x${height}-${scheme}.png`), animations: 'disabled', caret: 'hide' });
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    // Screen readers get the whole place (the band is a status region), sighted users a tooltip.
    await expect(band).toContainText(`${LONG} / Production`);
    const where = band.locator('.production-band-where');
    await expect(where).toHaveAttribute('title', `${LONG} / Production`);
    const fit = await where.evaluate((el) => ({
      oneLine: el.getBoundingClientRect().height <= parseFloat(getComputedStyle(el).lineHeight || '20') + 1 || el.getClientRects().length === 1,
      cut: el.scrollWidth > el.clientWidth,
      ellipsis: getComputedStyle(el).textOverflow,
      inBand: el.getBoundingClientRect().top >= el.parentElement!.getBoundingClientRect().top - 0.5 && el.getBoundingClientRect().bottom <= el.parentElement!.getBoundingClientRect().bottom + 0.5,
    }));
    expect(fit).toMatchObject({ oneLine: true, ellipsis: 'ellipsis', inBand: true });

    // The workspace select shows as much of the name as fits, and says all of it on hover; its accessible name stays "Workspace".
    const select = page.getByRole('combobox', { name: 'Workspace', exact: true });
    await expect(select).toHaveAttribute('title', LONG);
    expect(await readsInFull(page, 'Environment')).toBe(true);
    // At 1100 px and below the PRODUCTION badge beside the select gives its room to the name; it stays the select's description.
    const badgeWidth = await page.locator('.top-group-environment .switcher-badge').evaluate((el) => el.getBoundingClientRect().width);
    if (width <= 1100) expect(badgeWidth).toBeLessThanOrEqual(1);
    else expect(badgeWidth).toBeGreaterThan(20);
    await expect(page.getByRole('combobox', { name: 'Environment', exact: true })).toHaveAccessibleDescription('Production');

    await expect.poll(() => barProblems(page), { message: `top bar at ${width} px` }).toEqual([]);
    // Every action stays reachable by its name.
    for (const name of ['Due', 'Audit log', 'Scan a folder', 'Providers', 'Backup & import', 'Settings', 'Lock']) {
      await expect(page.getByRole('banner').getByRole('button', { name, exact: true })).toBeInViewport();
    }
    await expect(page.getByRole('button', { name: 'Edit workspace' })).toBeInViewport();
    await expect(page.getByRole('button', { name: 'Add environment' })).toBeInViewport();

    // A name of ordinary length (with its "3 due" badge) still reads in full, with the bar on one row.
    await switchTo(page, 'Acme Holding', 'Production');
    await expect(page.getByTestId('workspace-due-badge')).toBeVisible();
    await expect.poll(() => readsInFull(page, 'Workspace'), { message: `"Acme Holding" in full at ${width} px` }).toBe(true);
    expect(await readsInFull(page, 'Environment')).toBe(true);
    await expect.poll(() => barProblems(page), { message: `top bar at ${width} px, Acme Holding` }).toEqual([]);
  });
}
