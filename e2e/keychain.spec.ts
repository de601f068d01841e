import { expect, test } from './fixtures/app';
import { addWorkspace, selectedOption } from './fixtures/ui';

/**
 * The OS keychain path (Secret Service on Linux) needs a session bus with a
 * keyring on it. Without one this spec is skipped — unless
 * TOKENVAULT_REQUIRE_KEYCHAIN=1 says the keychain must be tested, and then
 * it fails instead.
 */
const hasSessionBus = !!process.env.DBUS_SESSION_BUS_ADDRESS;
const required = process.env.TOKENVAULT_REQUIRE_KEYCHAIN === '1';

test.describe('OS keychain', () => {
  test.skip(!hasSessionBus && !required, 'no D-Bus session bus (run under dbus-run-session with gnome-keyring to test the keychain)');

  test('creates a vault kept in the OS keychain, and unlocks it with one click, also after a restart', async ({ app }) => {
    expect(hasSessionBus, 'TOKENVAULT_REQUIRE_KEYCHAIN=1 but DBUS_SESSION_BUS_ADDRESS is not set: no keychain to test').toBe(true);
    const { page } = app;
    await expect(page.getByRole('radio', { name: 'OS keychain' })).toBeChecked();
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect(page.getByRole('heading', { name: 'Add your first workspace' })).toBeVisible();
    expect(await app.api<{ keySource: string }>('vault:get-status')).toMatchObject({ state: 'unlocked', keySource: 'keychain' });
    await addWorkspace(page, 'Keychain client');

    await page.getByRole('button', { name: 'Lock' }).click();
    await expect(page.getByRole('heading', { name: 'Unlock your vault' })).toBeVisible();
    await expect(page.getByLabel('Passphrase')).toHaveCount(0);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(selectedOption(page, 'Workspace')).toHaveText('Keychain client');

    await app.restart();
    await app.page.getByRole('button', { name: 'Unlock' }).click();
    await expect(selectedOption(app.page, 'Workspace')).toHaveText('Keychain client');
  });
});
