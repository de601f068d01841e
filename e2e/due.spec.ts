import { readFile } from 'node:fs/promises';
import ICAL from 'ical.js';
import type { Page } from '@playwright/test';
import { expect, test, type AppHandle } from './fixtures/app';
import { saveScreenshot } from './fixtures/screenshots';
import { PASSPHRASE, selectedOption, switchTo, unlockWithPassphrase } from './fixtures/ui';

/**
 * The Due view across workspaces: order, filters, the timeline, the
 * switcher's badge, the calendar export and snooze; and its screenshots
 * (light and dark), kept like the main screens' (see screenshots.spec.ts).
 */

const DAY = 86_400_000;

interface Created {
  id: string;
}

/** Two workspaces; expiry dates 3 days past, and 2, 10, 40 and 200 days ahead; a rotation due in 20 days. */
async function seed(app: AppHandle) {
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  const now = Date.now();
  const acme = await app.api<Created>('workspaces:add', { name: 'Acme Holding', color: '#2f6fed' });
  const acmeProd = await app.api<Created>('environments:add', { workspaceId: acme.id, name: 'Production', baseUrl: 'https://api.acme.example', production: true });
  const acmeSandbox = await app.api<Created>('environments:add', { workspaceId: acme.id, name: 'Sandbox', baseUrl: 'https://sandbox.acme.example', production: false });
  const north = await app.api<Created>('workspaces:add', { name: 'Northwind', color: '#0d9488' });
  const northSandbox = await app.api<Created>('environments:add', { workspaceId: north.id, name: 'Sandbox', baseUrl: 'https://sandbox.northwind.example', production: false });
  const add = (environmentId: string, name: string, extra: Record<string, unknown>) =>
    app.api<Created>('credentials:add', { environmentId, name, kind: 'bearer', secret: { value: `tok_${name.replace(/\W/g, '')}_0123456789abcdef` }, ...extra });
  const ids = {
    old: (await add(acmeProd.id, 'Old integration', { expiresAt: now - 3 * DAY })).id,
    soon: (await add(acmeProd.id, 'Finance export', { expiresAt: now + 2 * DAY + 3_600_000 })).id,
    billing: (await add(northSandbox.id, 'Northwind billing', { expiresAt: now + 10 * DAY })).id,
    reporting: (await add(acmeSandbox.id, 'Reporting', { expiresAt: now + 40 * DAY })).id,
    far: (await add(northSandbox.id, 'Far future', { expiresAt: now + 200 * DAY })).id,
    // A 20-day rotation policy: due in 20 days.
    webhook: (await add(acmeSandbox.id, 'Webhook signer', { rotationDays: 20 })).id,
  };
  await app.api('vault:lock');
  return { acme, north, acmeProd, acmeSandbox, northSandbox, ids };
}

function dueRows(page: Page) {
  return page.getByTestId('due-row');
}

async function rowNames(page: Page): Promise<string[]> {
  return dueRows(page).getByRole('rowheader').allTextContents();
}

test('the Due view: order, filters, timeline, badges, calendar export and snooze', async ({ app }) => {
  const { page } = app;
  const s = await seed(app);
  await page.reload();
  await unlockWithPassphrase(page);
  await switchTo(page, 'Acme Holding', 'Sandbox');

  // Badge: Acme has the expired one and the one due in 2 days; Northwind the one in 10.
  expect(await app.api<Record<string, number>>('due:counts')).toEqual({ [s.acme.id]: 2, [s.north.id]: 1 });
  await expect(page.getByTestId('workspace-due-badge')).toHaveText('2 due');
  await expect(page.getByRole('combobox', { name: 'Workspace', exact: true })).toHaveAccessibleDescription('2 due');
  await switchTo(page, 'Northwind');
  await expect(page.getByTestId('workspace-due-badge')).toHaveText('1 due');

  await page.getByRole('button', { name: 'Due', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Due', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Due', exact: true })).toHaveAttribute('aria-pressed', 'true');

  // Earliest first; the 200-day one is beyond the 90-day window.
  await expect(dueRows(page)).toHaveCount(5);
  expect(await rowNames(page)).toEqual(['Old integration', 'Finance export', 'Northwind billing', 'Webhook signer', 'Reporting']);
  await expect(dueRows(page).filter({ hasText: 'Webhook signer' }).getByRole('cell', { name: 'Rotation due' })).toBeVisible();
  const old = dueRows(page).filter({ hasText: 'Old integration' });
  await expect(old.getByText('Expired', { exact: true })).toBeVisible();
  await expect(old.getByText('Production', { exact: true }).last()).toBeVisible();
  await expect(dueRows(page).filter({ hasText: 'Finance export' }).getByText('Due soon')).toBeVisible();
  await expect(dueRows(page).filter({ hasText: 'Reporting' }).getByText('OK', { exact: true })).toBeVisible();

  // The timeline: a caption, one row per workspace, a mark per date; production ones distinct.
  const timeline = page.getByRole('figure');
  await expect(timeline).toContainText('5 dates in the next 90 days across 2 workspaces; 1 already past; 2 in production.');
  await expect(timeline.locator('.due-timeline-chart .due-mark')).toHaveCount(5);
  await expect(timeline.locator('.due-timeline-chart .due-mark[data-production="true"]')).toHaveCount(2);
  await expect(timeline.locator('.due-timeline-chart .due-mark-rotation')).toHaveCount(1);
  await expect(timeline.locator('.recharts-yAxis .recharts-cartesian-axis-tick')).toHaveCount(2);
  await timeline.locator('.due-timeline-chart .due-mark-rotation').hover();
  await expect(page.locator('.due-tooltip')).toContainText('Webhook signer');

  // Filters.
  await page.getByLabel('Within', { exact: true }).selectOption({ label: 'Next year' });
  await expect(dueRows(page)).toHaveCount(6);
  await page.getByLabel('In workspace', { exact: true }).selectOption({ label: 'Northwind' });
  await expect.poll(() => rowNames(page)).toEqual(['Northwind billing', 'Far future']);
  await page.getByLabel('In workspace', { exact: true }).selectOption({ label: 'Acme Holding' });
  await page.getByLabel('In environment', { exact: true }).selectOption({ label: 'Production (production)' });
  await expect.poll(() => rowNames(page)).toEqual(['Old integration', 'Finance export']);
  await page.getByLabel('In workspace', { exact: true }).selectOption({ label: 'All workspaces' });
  await page.getByLabel('What', { exact: true }).selectOption({ label: 'Rotation due' });
  await expect.poll(() => rowNames(page)).toEqual(['Webhook signer']);
  await page.getByLabel('What', { exact: true }).selectOption({ label: 'Expiring' });
  await expect(dueRows(page)).toHaveCount(5);
  await page.getByLabel('What', { exact: true }).selectOption({ label: 'Expiring and rotation due' });
  await page.getByLabel('Within', { exact: true }).selectOption({ label: 'Next 90 days' });
  await expect(dueRows(page)).toHaveCount(5);

  // The calendar export: a real .ics with one event per upcoming date, each with its UID.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export calendar (.ics)' }).click()]);
  expect(download.suggestedFilename()).toBe('tokenvault-due.ics');
  const ics = await readFile((await download.path())!, 'utf8');
  const events = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
  const uids = events.map((e) => e.uid);
  expect(new Set(uids).size).toBe(uids.length);
  for (const id of [s.ids.soon, s.ids.billing, s.ids.reporting, s.ids.far]) expect(uids).toContain(uids.find((u) => u.startsWith(`${id}.expiry.`)));
  expect(uids.some((u) => u.startsWith(`${s.ids.webhook}.rotation.`))).toBe(true);
  // Past dates are not calendar events.
  expect(uids.some((u) => u.startsWith(s.ids.old))).toBe(false);

  // Snooze.
  const finance = dueRows(page).filter({ hasText: 'Finance export' });
  await finance.getByRole('button', { name: 'Snooze 1 week' }).click();
  await expect(finance.getByText(/^Snoozed until /)).toBeVisible();
  await dueRows(page).filter({ hasText: 'Reporting' }).getByRole('button', { name: 'Snooze 1 day' }).click();
  await expect(dueRows(page).filter({ hasText: 'Reporting' }).getByText(/^Snoozed until /)).toBeVisible();

  // A row opens its token, in its workspace and environment.
  await dueRows(page).getByRole('button', { name: 'Northwind billing' }).click();
  await expect(page.getByRole('heading', { name: 'Northwind billing', level: 2 })).toBeVisible();
  await expect(selectedOption(page, 'Workspace')).toHaveText('Northwind');
  await expect(page.getByRole('button', { name: 'Due', exact: true })).toHaveAttribute('aria-pressed', 'false');

  // The badge follows changes: a new token due tomorrow in Northwind.
  await app.api('credentials:add', { environmentId: s.northSandbox.id, name: 'New one', kind: 'bearer', expiresAt: Date.now() + DAY, secret: { value: 'tok_new_0123456789abcdef01234567' } });
  await expect(page.getByTestId('workspace-due-badge')).toHaveText('2 due');
});

test('Due view keyboard: every control reachable by Tab with a visible focus', async ({ app }) => {
  const { page } = app;
  await seed(app);
  await page.reload();
  await unlockWithPassphrase(page);
  await page.getByRole('button', { name: 'Due', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(dueRows(page)).toHaveCount(5);
  const reached: string[] = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const style = getComputedStyle(el);
      const ring = style.boxShadow !== 'none' || (style.outlineStyle !== 'none' && style.outlineWidth !== '0px');
      const name = el.tagName === 'SELECT' ? (document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '') : (el.textContent?.trim() ?? '');
      return `${name}|${ring}`;
    });
    reached.push(label);
  }
  const text = reached.join('\n');
  for (const name of ['Export calendar (.ics)', 'Back to tokens', 'In workspace', 'What', 'Within', 'Old integration', 'Snooze 1 day']) expect(text).toContain(name);
  expect(reached.filter((r) => !r.endsWith('|true'))).toEqual([]);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshot of the Due view (${scheme})`, async ({ app }) => {
    test.skip(app.shell !== 'browser', 'taken once, in browser mode');
    const { page } = app;
    await seed(app);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.reload();
    await unlockWithPassphrase(page);
    await switchTo(page, 'Acme Holding', 'Sandbox');
    await page.getByRole('button', { name: 'Due', exact: true }).click();
    await expect(page.getByRole('figure').locator('.due-timeline-chart .due-mark')).toHaveCount(5);
    await saveScreenshot(page, 'due', scheme);
  });
}
