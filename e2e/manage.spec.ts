import { startAll, seedDemo as seedEmulators, type AllEmulators } from './emulators';
import { expect, test } from './fixtures/app';
import { PASSPHRASE, selectedOption, switchTo, tokenRow } from './fixtures/ui';

/**
 * Nothing a user set up is stuck the way it was first typed: workspaces,
 * environments and tokens are edited, moved and deleted from the UI, each
 * destructive step naming what it takes and asking for the name.
 */

interface Created {
  id: string;
}

test('rename, recolour, fix a base URL, unmark production, edit every token field, move and delete', async ({ app }) => {
  const { page } = app;
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  const a = await app.api<Created>('workspaces:add', { name: 'Client A', color: '#2f6fed' });
  const sandbox = await app.api<Created>('environments:add', { workspaceId: a.id, name: 'sandbox', baseUrl: 'https://sandbox.wrong.example' });
  const prod = await app.api<Created>('environments:add', { workspaceId: a.id, name: 'production', baseUrl: 'https://api.example.com', production: true });
  const b = await app.api<Created>('workspaces:add', { name: 'Client B' });
  await app.api('environments:add', { workspaceId: b.id, name: 'live', baseUrl: 'https://api.b.example', production: true });
  await app.api('credentials:add', { environmentId: prod.id, name: 'deploy', kind: 'bearer', secret: { value: 'tok_abcdefghijklmnopqrstuvwx' } });
  await app.api('credentials:add', { environmentId: sandbox.id, name: 'tester', kind: 'bearer', secret: { value: 'tok_sandbox_abcdefghijklmnop' } });
  await page.reload();
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible();

  await test.step('rename and recolour the workspace', async () => {
    await page.getByRole('button', { name: 'Edit workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit workspace' });
    await dialog.getByLabel('Name', { exact: true }).fill('Client A — Europe');
    await dialog.getByRole('radio', { name: 'Purple' }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await expect(selectedOption(page, 'Workspace')).toHaveText('Client A — Europe');
  });

  await test.step('see and fix the base URL of the sandbox', async () => {
    await switchTo(page, 'Client A — Europe', 'sandbox');
    await page.getByRole('button', { name: 'Edit environment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit environment' });
    await expect(dialog.getByLabel('Base URL', { exact: true })).toHaveValue('https://sandbox.wrong.example');
    await dialog.getByLabel('Base URL', { exact: true }).fill('https://sandbox.example.com');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    const envs = await app.api<{ name: string; baseUrl: string }[]>('environments:list', { workspaceId: a.id });
    expect(envs.find((e) => e.name === 'sandbox')?.baseUrl).toBe('https://sandbox.example.com');
  });

  await test.step('unmarking production asks for the environment name', async () => {
    await switchTo(page, 'Client A — Europe', 'production');
    await expect(page.getByTestId('production-band')).toBeVisible();
    await page.getByRole('button', { name: 'Edit environment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit environment' });
    await dialog.getByRole('checkbox', { name: 'Production' }).uncheck();
    await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled();
    await dialog.getByLabel('Type “production” to remove the production guard').fill('production');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('production-band')).toHaveCount(0);
    // And back: marking production needs no typing.
    await page.getByRole('button', { name: 'Edit environment' }).click();
    await dialog.getByRole('checkbox', { name: 'Production' }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('production-band')).toBeVisible();
  });

  await test.step('edit every field of a token: description, notes, tags, remote id', async () => {
    await tokenRow(page, 'deploy').click();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit deploy' });
    await dialog.getByLabel('Name', { exact: true }).fill('deploy key');
    await dialog.getByLabel('Description', { exact: true }).fill('GitHub Actions deploys');
    await dialog.getByLabel('Notes', { exact: true }).fill('Asked for by Ana.\nRotate with the ops team.');
    await dialog.getByLabel('Tags', { exact: true }).fill('ci, eu');
    await dialog.getByLabel('Remote id', { exact: true }).fill('42');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    const details = page.getByRole('complementary', { name: 'Token details' });
    await expect(details.getByRole('heading', { name: 'deploy key' })).toBeVisible();
    await expect(details).toContainText('Rotate with the ops team.');
    await expect(details).toContainText('eu');
    await expect(details).toContainText('42');
  });

  await test.step('move it to another workspace, typing that workspace name because it is production', async () => {
    await page.getByRole('button', { name: 'Move…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move “deploy key”' });
    await dialog.getByLabel('Workspace', { exact: true }).selectOption({ label: 'Client B' });
    await expect(dialog.getByLabel('Environment', { exact: true })).toHaveValue(/^env_/);
    await expect(dialog.getByRole('button', { name: 'Move' })).toBeDisabled();
    await dialog.getByLabel('Type “Client B” to move it into production').fill('Client B');
    await dialog.getByRole('button', { name: 'Move' }).click();
    await expect(dialog).toBeHidden();
    // The app follows the token to its new place.
    await expect(selectedOption(page, 'Workspace')).toHaveText('Client B');
    await expect(page.getByRole('complementary', { name: 'Token details' }).getByRole('heading', { name: 'deploy key' })).toBeVisible();
    const audit = await app.api<{ type: string; note?: string }[]>('audit:list', {});
    expect(audit.some((e) => e.type === 'moved' && e.note === 'from Client A — Europe/production/deploy key to Client B/live/deploy key')).toBe(true);
  });

  await test.step('delete a workspace: it says what goes with it and asks for its name', async () => {
    await switchTo(page, 'Client A — Europe', 'sandbox');
    await page.getByRole('button', { name: 'Edit workspace' }).click();
    await page.getByRole('dialog', { name: 'Edit workspace' }).getByRole('button', { name: 'Delete workspace…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete workspace “Client A — Europe”?' });
    await expect(dialog).toContainText('Its 2 environments and 1 token are deleted with it.');
    await expect(dialog.getByRole('button', { name: 'Delete workspace' })).toBeDisabled();
    await dialog.getByLabel('Type “Client A — Europe” to confirm').fill('Client A — Europe');
    await dialog.getByRole('button', { name: 'Delete workspace' }).click();
    await expect(dialog).toBeHidden();
    await expect(selectedOption(page, 'Workspace')).toHaveText('Client B');
    await expect(page.getByRole('combobox', { name: 'Workspace', exact: true }).locator('option')).toHaveCount(1);
  });
});

test.describe('the 401 diagnosis fixes a misfiled token', () => {
  let emu: AllEmulators;
  test.beforeEach(async () => {
    emu = await startAll();
  });
  test.afterEach(async () => {
    await emu.close();
  });

  test('"Valid in sandbox, rejected by production" → Move to sandbox', async ({ app }) => {
    const { page } = app;
    const creds = seedEmulators(emu);
    await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
    const ws = await app.api<Created>('workspaces:add', { name: 'Kente', providerId: 'built-accounting' });
    const envs = await app.api<{ id: string; production: boolean }[]>('environments:list', { workspaceId: ws.id });
    for (const e of envs) await app.api('environments:update', { id: e.id, patch: { baseUrl: e.production ? emu.urls.built.production : emu.urls.built.sandbox } });
    const prod = envs.find((e) => e.production)!;
    // A sandbox token, pasted into production by mistake.
    await app.api('credentials:add', { environmentId: prod.id, name: 'ledger sync', kind: 'bearer', secret: { value: creds.built.sandbox } });
    await page.reload();
    await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible();
    await switchTo(page, 'Kente', 'Production');

    await tokenRow(page, 'ledger sync').click();
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const result = page.getByRole('region', { name: 'Test result' });
    await expect(result.getByRole('note')).toContainText('Valid in Sandbox, rejected by Production');
    await result.getByRole('button', { name: 'Move to Sandbox' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move “ledger sync”' });
    await expect(dialog.getByLabel('Environment', { exact: true }).locator('option:checked')).toHaveText('Sandbox');
    await dialog.getByRole('button', { name: 'Move' }).click();
    await expect(dialog).toBeHidden();
    await expect(selectedOption(page, 'Environment')).toHaveText('Sandbox');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Test result' }).getByText('OK', { exact: true })).toBeVisible();
  });
});
