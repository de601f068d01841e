import { expect, test, type AppHandle } from './fixtures/app';
import { startAll, type AllEmulators } from './emulators';
import { PASSPHRASE, switchTo, tokenRow, unlockWithPassphrase } from './fixtures/ui';

/**
 * Revoking against the provider emulators: Coolset has no revoke API (the
 * guided checklist, then "I revoked it" verified by a 401), Strapi has one
 * (an admin sign-in, the name typed for production, the revoke, and its 401).
 */

let emulators: AllEmulators;

test.beforeAll(async () => {
  emulators = await startAll();
});

test.afterAll(async () => {
  await emulators?.close();
});

interface Created {
  id: string;
}

/**
 * The set-up every test here starts from: a passphrase vault with one
 * workspace of `providerId`, one environment at `baseUrl`, and the token
 * `token` (the input of credentials:add without its environment); then
 * locked, reloaded and unlocked through the page, that token selected.
 */
async function selectNewToken(
  app: AppHandle,
  where: { workspace: string; providerId: string; env: string; baseUrl: string; production: boolean },
  token: Record<string, unknown> & { name: string },
) {
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  const ws = await app.api<Created>('workspaces:add', { name: where.workspace, providerId: where.providerId });
  const env = await app.api<Created>('environments:add', { workspaceId: ws.id, name: where.env, baseUrl: where.baseUrl, production: where.production });
  await app.api('credentials:add', { environmentId: env.id, ...token });
  await app.api('vault:lock');
  await app.page.reload();
  await unlockWithPassphrase(app.page);
  await switchTo(app.page, where.workspace, where.env);
  await tokenRow(app.page, token.name).click();
}

test('Coolset: the checklist, "I revoked it", still accepted explained, then verified dead', async ({ app }) => {
  const { page } = app;
  const value = emulators.coolset.state.addToken({ scope: 'Read', value: `sk_live_e2e_${'a1b2c3d4'.repeat(4)}` }).value;
  await selectNewToken(app, { workspace: 'Northwind', providerId: 'coolset', env: 'Emulator', baseUrl: emulators.urls.coolset, production: false }, { name: 'ESG reporting', kind: 'bearer', scopes: ['Read'], secret: { value } });

  await page.getByRole('button', { name: 'Revoke', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke token' });
  await expect(dialog).toContainText('ESG reporting in Northwind / Emulator');
  await expect(dialog.getByRole('list', { name: 'Steps in the portal' }).getByRole('listitem')).toHaveCount(3);
  await expect(dialog.getByRole('checkbox', { name: 'Click Revoke next to the token' })).toBeVisible();
  await expect(dialog).toContainText('Settings → API Tokens');

  // Not revoked at the provider yet: the verification still gets through.
  await dialog.getByRole('button', { name: 'I revoked it' }).click();
  await expect(dialog.getByText('Still accepted', { exact: true })).toBeVisible();
  await expect(dialog).toContainText('Coolset still accepts ESG reporting (GET got 200): it is not revoked yet. Nothing was changed.');
  await expect(dialog.getByTestId('verification')).toContainText('→ 200');
  await expect(dialog.getByRole('button', { name: 'Mark revoked anyway' })).toBeDisabled();
  await dialog.getByRole('checkbox', { name: 'Mark it revoked anyway' }).check();
  await expect(dialog.getByRole('note')).toContainText('audit log');
  await expect(dialog.getByRole('button', { name: 'Mark revoked anyway' })).toBeEnabled();

  // Revoked in the portal now: verifying again proves it dead.
  emulators.coolset.state.revoke(value);
  await dialog.getByRole('button', { name: 'Verify again' }).click();
  await expect(dialog.getByText('Revoked', { exact: true })).toBeVisible();
  await expect(dialog.getByTestId('verification')).toContainText('→ 401: the provider refuses the token: it is dead.');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('button', { name: 'Revoke', exact: true })).toHaveCount(0);
  await expect(page.getByText('Revoked: this token can no longer be used')).toBeVisible();
});

test('Strapi: sign in as admin, type the production name, revoke through the API, 401 proves it', async ({ app }) => {
  const { page } = app;
  const token = emulators.strapi.state.addToken({ type: 'read-only', name: 'Website build', accessKey: 'e2e'.padEnd(256, '7f') });
  await selectNewToken(app, { workspace: 'Acme CMS', providerId: 'strapi', env: 'Live', baseUrl: emulators.urls.strapi, production: true }, { name: 'Website build', kind: 'bearer', tokenType: 'read-only', remoteId: String(token.id), secret: { value: token.accessKey } });
  await expect(page.getByRole('button', { name: 'Regenerate' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sync with provider' })).toBeVisible();

  await page.getByRole('button', { name: 'Revoke', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke token' });
  await expect(dialog).toContainText('Website build in Acme CMS / Live (production)');
  await dialog.getByLabel('Admin email', { exact: true }).fill('admin@example.com');
  await dialog.getByLabel('Admin password', { exact: true }).fill('Admin123!');
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await expect(dialog.getByLabel('Admin email', { exact: true })).toHaveCount(0);

  const revoke = dialog.getByRole('button', { name: 'Revoke', exact: true });
  await expect(revoke).toBeDisabled();
  await dialog.getByLabel("Type the token's name to confirm", { exact: true }).fill('Website buil');
  await expect(revoke).toBeDisabled();
  await dialog.getByLabel("Type the token's name to confirm", { exact: true }).fill('Website build');
  await revoke.click();
  await expect(dialog.getByText('Revoked', { exact: true })).toBeVisible();
  await expect(dialog.getByTestId('verification')).toContainText('→ 401: the provider refuses the token: it is dead.');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByText('Revoked: this token can no longer be used')).toBeVisible();

  // Sync: the admin session's listing against the vault.
  await page.getByRole('button', { name: 'Sync with provider' }).click();
  const sync = page.getByRole('dialog', { name: 'Sync with provider' });
  await expect(sync.getByTestId('sync-report')).toContainText('Not in the vault');
  await sync.getByRole('button', { name: 'Close' }).click();
});

test('Rotate (Coolset, pasted value): new value → test → switch with overlap → revoke old; lineage shown', async ({ app }) => {
  const { page } = app;
  const oldValue = emulators.coolset.state.addToken({ scope: 'Write', value: `sk_live_e2e_${'0a0b0c0d'.repeat(4)}` }).value;
  const newValue = emulators.coolset.state.addToken({ scope: 'Write', value: `sk_live_e2e_${'9f8e7d6c'.repeat(4)}` }).value;
  await selectNewToken(app, { workspace: 'Northwind', providerId: 'coolset', env: 'Emulator', baseUrl: emulators.urls.coolset, production: false }, { name: 'Order feed', kind: 'bearer', scopes: ['Write'], rotationDays: 90, secret: { value: oldValue } });

  await page.getByRole('button', { name: 'Rotate', exact: true }).click();
  const wizard = page.getByRole('dialog', { name: 'Rotate token' });
  await expect(wizard.getByRole('radio', { name: /Create it at Coolset/ })).toBeDisabled();
  await wizard.getByRole('radio', { name: 'Paste a new value from the portal' }).check();
  await wizard.getByRole('button', { name: 'Start rotation' }).click();
  const field = wizard.getByLabel('New token value', { exact: true });
  await expect(field).toHaveAttribute('type', 'password');
  await field.fill(newValue);
  await wizard.getByRole('button', { name: 'Save new value' }).click();
  await expect(wizard.locator('[aria-current="step"]')).toHaveText(/Test/);
  await wizard.getByRole('button', { name: 'Test new token' }).click();
  await expect(wizard.getByText('The new token works.')).toBeVisible();
  await wizard.getByLabel('Overlap (days)', { exact: true }).fill('0');
  await wizard.getByRole('button', { name: 'Switch to new token' }).click();
  await expect(wizard.locator('[aria-current="step"]')).toHaveText(/Revoke old/);
  emulators.coolset.state.revoke(oldValue);
  await wizard.getByRole('button', { name: 'Revoke old token' }).click();
  await expect(wizard.getByText('Old token: Revoked')).toBeVisible();
  await wizard.getByRole('button', { name: 'Done' }).click();
  // The value typed never shows in the page.
  expect(await page.content()).not.toContain(newValue);
  await expect(page.getByTestId('lineage')).toContainText(/Supersedes|Superseded by/);
});

test('Revoke anyway: one state, one message; then Reveal, Copy and Test are off with the reason', async ({ app }) => {
  const { page } = app;
  const value = emulators.coolset.state.addToken({ scope: 'Read', value: `sk_live_e2e_${'5e6f7a8b'.repeat(4)}` }).value;
  await selectNewToken(app, { workspace: 'Northwind', providerId: 'coolset', env: 'Emulator', baseUrl: emulators.urls.coolset, production: false }, { name: 'ESG reporting', kind: 'bearer', scopes: ['Read'], secret: { value } });

  await page.getByRole('button', { name: 'Revoke', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke token' });
  await dialog.getByRole('button', { name: 'I revoked it' }).click();
  await expect(dialog.getByText('Still accepted', { exact: true })).toBeVisible();
  await dialog.getByRole('checkbox', { name: 'Mark it revoked anyway' }).check();
  await dialog.getByRole('button', { name: 'Mark revoked anyway' }).click();

  const result = dialog.getByRole('status').filter({ hasText: 'on your word' });
  await expect(result).toHaveAttribute('data-state', 'overridden');
  await expect(result.getByText('Marked revoked (check overridden)', { exact: true })).toBeVisible();
  // Nothing that contradicts it: no "Still accepted" heading, no "has not marked it revoked", the wipe said once.
  await expect(dialog.getByText('Still accepted', { exact: true })).toHaveCount(0);
  await expect(dialog).not.toContainText('has not marked');
  await expect(dialog.getByText(/wiped/)).toHaveCount(1);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  const details = page.getByRole('complementary', { name: 'Token details' });
  const reason = details.getByTestId('value-unavailable');
  await expect(reason).toHaveText('ESG reporting was revoked and its value wiped from the vault: there is nothing to reveal, copy or test.');
  for (const name of ['Reveal', 'Copy', 'Test', 'Request']) {
    await expect(details.getByRole('button', { name, exact: true })).toBeDisabled();
    await expect(details.getByRole('button', { name, exact: true })).toHaveAccessibleDescription(/nothing to reveal, copy or test/);
  }
  // The main process says the same, typed, whoever asks.
  const c = (await app.api<{ id: string; name: string }[]>('credentials:list', { workspaceId: (await app.api<{ id: string; name: string }[]>('workspaces:list')).find((w) => w.name === 'Northwind')!.id })).find((x) => x.name === 'ESG reporting')!;
  await expect(app.api('credentials:reveal', { id: c.id })).rejects.toThrow(/^credentials:reveal: NOT_FOUND ESG reporting was revoked/);
  await expect(app.api('credentials:test', { id: c.id })).rejects.toThrow(/^credentials:test: NOT_FOUND ESG reporting was revoked/);
});
