import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/app';
import { shotBoth } from './fixtures/screenshots';
import { PASSPHRASE, unlockWithPassphrase } from './fixtures/ui';

/**
 * Issue 12: the audit-log view (filters, Verify chain) and Settings (theme,
 * time zone, reminder lead times, a workspace's default rotation, the
 * passphrase and the key source), by accessible names.
 */

interface Created {
  id: string;
}

async function seed(app: { api<T>(channel: string, input?: unknown): Promise<T> }) {
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  const ws = await app.api<Created>('workspaces:add', { name: 'Acme Holding' });
  const prod = await app.api<Created>('environments:add', { workspaceId: ws.id, name: 'Production', baseUrl: 'https://api.acme.example', production: true });
  const sandbox = await app.api<Created>('environments:add', { workspaceId: ws.id, name: 'Sandbox', baseUrl: 'https://sandbox.acme.example', production: false });
  const ci = await app.api<Created>('credentials:add', { environmentId: prod.id, name: 'CI deploy', kind: 'bearer', secret: { value: 'sk_live_0123456789abcdef0123' } });
  await app.api('credentials:add', { environmentId: sandbox.id, name: 'Local dev', kind: 'bearer', secret: { value: 'sk_test_0123456789abcdef0123' } });
  await app.api('credentials:reveal', { id: ci.id });
  await app.api('vault:lock');
  return { ws, ci };
}

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog.getByLabel('Time zone', { exact: true })).toBeVisible();
  return dialog;
}

test('the audit log: filter by token, event type and dates; Verify chain says intact, then names the first bad event', async ({ app }) => {
  const { page } = app;
  await seed(app);
  await page.reload();
  await unlockWithPassphrase(page);

  await page.getByRole('button', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  const list = page.getByRole('list', { name: 'Audit events' });
  await expect(list.getByRole('listitem').first()).toBeVisible();
  await expect(list.getByRole('listitem', { name: /: Revealed$/ })).toHaveCount(1);
  // The workspace, its two environments and the two tokens.
  await expect(list.getByRole('listitem', { name: /: Added$/ })).toHaveCount(5);

  // By event type.
  await page.getByLabel('Event type', { exact: true }).selectOption({ label: 'Added' });
  await expect(list.getByRole('listitem')).toHaveCount(5);
  await expect(list.getByRole('listitem', { name: /: Added$/ })).toHaveCount(5);

  // By token (its workspace/environment/name), with the type filter still on: its own creation only.
  await page.getByLabel('Token', { exact: true }).fill('Acme Holding/Production/CI deploy');
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list.getByRole('listitem').first()).toContainText('Acme Holding/Production/CI deploy');
  await page.getByLabel('Event type', { exact: true }).selectOption({ label: 'All events' });
  await expect(list.getByRole('listitem', { name: /: Revealed$/ })).toHaveCount(1);
  await expect(list.getByRole('listitem')).toHaveCount(2);

  // By dates: nothing from tomorrow on; today has them all again.
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('From', { exact: true }).fill(day(2));
  await expect(page.getByText('No events match these filters.')).toBeVisible();
  await page.getByLabel('From', { exact: true }).fill(day(-2));
  await page.getByLabel('To', { exact: true }).fill(day(2));
  await expect(list.getByRole('listitem', { name: /: Revealed$/ })).toHaveCount(1);
  await page.getByRole('button', { name: 'Clear filters' }).click();

  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByText(/Chain intact\. \d+ events verified/)).toBeVisible();
  await shotBoth(page, 'audit-log', app.shell);

  // Someone with the file changes the digest of the vault's records (issue 15): Verify chain says the records were changed outside Tokenvault.
  const db = new Database(join(app.home, 'vault.db'));
  db.pragma('busy_timeout = 5000');
  db.prepare('UPDATE vault_meta SET cell_digest = zeroblob(32)').run();
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByText(/Vault records broken\..*outside Tokenvault/)).toBeVisible();

  // Someone with the file edits event 3: Verify chain names it, and shows it.
  db.exec('DROP TRIGGER audit_no_update');
  db.prepare('UPDATE audit SET at = at + 1 WHERE seq = 3').run();
  db.close();
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByText(/Chain broken at event #3\./)).toBeVisible();
  await page.getByRole('button', { name: 'Show event #3' }).click();
  const bad = list.getByRole('listitem', { name: /^Event 3:/ });
  await expect(bad).toContainText('Fails verification');
  await expect(list.getByRole('listitem').first()).toHaveAttribute('aria-label', /^Event 3:/);

  await page.getByRole('button', { name: 'Back to tokens' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeHidden();
});

test('Settings: theme, time zone, reminder lead times and a workspace’s rotation period, saved and applied', async ({ app }) => {
  const { page } = app;
  const { ws } = await seed(app);
  await page.reload();
  await unlockWithPassphrase(page);
  const html = page.locator('html');

  // Theme: applied at once, kept across a reload; System follows the OS.
  let dialog = await openSettings(page);
  await dialog.getByRole('radio', { name: 'Dark' }).check();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.keyboard.press('Escape');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.reload();
  // Browser mode keeps the vault unlocked across a reload; the theme comes back with the page.
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  dialog = await openSettings(page);
  await expect(dialog.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await dialog.getByRole('radio', { name: 'Light' }).check();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await dialog.getByRole('radio', { name: 'System' }).check();
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(html).toHaveAttribute('data-theme', 'light');

  // Time zone, reminders and the workspace's rotation period, with Save.
  await dialog.getByLabel('Time zone', { exact: true }).selectOption('UTC');
  await dialog.getByLabel('Expiry reminders (days before)', { exact: true }).fill('30, 7, 1');
  await dialog.getByLabel('Rotation reminders (days before)', { exact: true }).fill('soon');
  await dialog.getByLabel('Default rotation period (days)', { exact: true }).fill('45');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText(/whole numbers of days, separated by commas/)).toBeVisible();
  await dialog.getByLabel('Rotation reminders (days before)', { exact: true }).fill('10');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  expect(await app.api('settings:get')).toMatchObject({ timeZone: 'UTC', expiryReminderDays: [30, 7, 1], rotationReminderDays: [10], theme: 'system' });
  expect(await app.api('workspaces:rotation-policy', { id: ws.id })).toMatchObject({ rotationDays: 45 });

  // Every date follows the zone: the audit log's times say UTC, then Auckland's offset.
  await page.getByRole('button', { name: 'Audit log' }).click();
  const firstTime = page.getByRole('list', { name: 'Audit events' }).getByRole('listitem').first().locator('time');
  await expect(firstTime).toContainText('UTC');
  dialog = await openSettings(page);
  await expect(dialog.getByLabel('Expiry reminders (days before)', { exact: true })).toHaveValue('30, 7, 1');
  await expect(dialog.getByLabel('Default rotation period (days)', { exact: true })).toHaveValue('45');
  await dialog.getByLabel('Time zone', { exact: true }).selectOption('Pacific/Auckland');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(firstTime).toContainText(/GMT\+1[23]|NZ[DS]T/);

  await page.getByRole('button', { name: 'Back to tokens' }).click();
  await openSettings(page);
  await shotBoth(page, 'settings', app.shell);
});

test('Settings → Vault key: a wrong current passphrase changes nothing; the new one unlocks; moving to the keychain works or says why not', async ({ app }) => {
  const { page } = app;
  await seed(app);
  await page.reload();
  await unlockWithPassphrase(page);
  const NEW = 'a brand new passphrase 2';

  let dialog = await openSettings(page);
  await dialog.getByRole('button', { name: 'Change passphrase…' }).click();
  const form = dialog.getByRole('form', { name: 'Change passphrase' });
  await form.getByLabel('Current passphrase', { exact: true }).fill('not the passphrase');
  await form.getByLabel('New passphrase', { exact: true }).fill(NEW);
  await form.getByLabel('Repeat new passphrase', { exact: true }).fill(NEW);
  await form.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(form.getByText(/not the current master passphrase\. Nothing was changed/)).toBeVisible();
  await form.getByLabel('Current passphrase', { exact: true }).fill(PASSPHRASE);
  await form.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Passphrase changed.' })).toBeVisible();
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText(/does not unlock this vault/)).toBeVisible();
  await unlockWithPassphrase(page, NEW);

  dialog = await openSettings(page);
  await dialog.getByRole('button', { name: 'Move key to the OS keychain…' }).click();
  const move = dialog.getByRole('form', { name: 'Move key to the OS keychain' });
  await move.getByLabel('Current passphrase', { exact: true }).fill(NEW);
  await move.getByRole('button', { name: 'Move key to the OS keychain' }).click();
  // Browser mode here may or may not have a Secret Service: either the key moved, or nothing changed and the page says why.
  const outcome = dialog.getByRole('status').filter({ hasText: 'now in the OS keychain' }).or(move.getByText(/keychain/i).filter({ hasText: /not available|did not keep|Nothing was changed/ }));
  await expect(outcome).toBeVisible();
  const status = await app.api<{ keySource: string }>('vault:get-status');
  if (status.keySource === 'keychain') {
    await expect(dialog.getByRole('button', { name: 'Use a master passphrase instead…' })).toBeVisible();
  } else {
    await expect(move.getByRole('button', { name: 'Move key to the OS keychain' })).toBeVisible();
  }
});
