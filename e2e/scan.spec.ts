import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures/app';
import { PASSPHRASE } from './fixtures/ui';
import { seedDemo } from './fixtures/seed';

// issue 12: browser mode scans only inside allowed roots (the home folder, --scan-root,
// TOKENVAULT_SCAN_ROOTS); the folders of this spec are made in the temporary folder.
process.env.TOKENVAULT_SCAN_ROOTS = tmpdir();

// Issue 13 in the app: "Scan a folder" finds a stored value in a real folder
// through the real main process, and "Revoke this token" opens that token,
// where "Use in terminal" shows the lines that use it.
test('Scan a folder finds a leaked token and opens it; Use in terminal shows its exec and proxy lines', async ({ app }) => {
  test.skip(app.shell === 'electron', 'the Electron app chooses the folder in the OS picker, which a test cannot drive');
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  await seedDemo(app);
  const dir = mkdtempSync(join(tmpdir(), 'tokenvault-e2e-scan-'));
  try {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'settings.py'), 'DEBUG = True\nAPI_TOKEN = "tok_sandbox_0011223344556677889900aa"\n');
    writeFileSync(join(dir, 'README.md'), 'nothing here\n');
    await app.page.reload();
    const { page } = app;
    await page.getByRole('button', { name: 'Scan a folder' }).click();
    const dialog = page.getByRole('dialog', { name: 'Scan a folder' });
    await dialog.getByLabel('Folder').fill(dir);
    await dialog.getByRole('button', { name: 'Scan', exact: true }).click();
    const finding = dialog.getByRole('list', { name: 'Findings' }).getByRole('listitem');
    await expect(finding).toHaveCount(1);
    await expect(finding).toContainText(`${join(dir, 'src', 'settings.py')}:2:14`);
    await expect(finding).toContainText('Acme Holding/Sandbox/Sandbox tester');
    await expect(dialog).not.toContainText('tok_sandbox_0011223344556677889900aa');
    await expect(dialog.getByRole('status').first()).toContainText('1 stored token found in 2 files');
    await finding.getByRole('button', { name: 'Revoke this token' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('heading', { name: 'Sandbox tester', level: 2 })).toBeVisible();

    await page.getByRole('button', { name: 'Use in terminal' }).click();
    const terminal = page.getByRole('dialog', { name: 'Use in terminal' });
    await expect(terminal).toContainText("tokenvault exec --map 'ACME_HOLDING_SANDBOX_SANDBOX_TESTER_TOKEN=Acme Holding/Sandbox/Sandbox tester' -- your-command");
    await expect(terminal).toContainText("tokenvault proxy 'Acme Holding/Sandbox/Sandbox tester'");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a raw folder path is refused by scan:start, and a folder outside the allowed roots by the dialog', async ({ app }) => {
  test.skip(app.shell === 'electron', 'browser mode: typed paths');
  await app.api('vault:create', { keySource: 'passphrase', passphrase: PASSPHRASE });
  await seedDemo(app);
  await expect(app.api('scan:start', { path: tmpdir() })).rejects.toThrow(/VALIDATION/);
  await expect(app.api('scan:start', { folder: tmpdir() })).rejects.toThrow(/VALIDATION/);
  await app.page.reload();
  const { page } = app;
  await page.getByRole('button', { name: 'Scan a folder' }).click();
  const dialog = page.getByRole('dialog', { name: 'Scan a folder' });
  await dialog.getByLabel('Folder').fill('/');
  await dialog.getByRole('button', { name: 'Scan', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('is outside the folders browser mode may scan');
  await expect(dialog.getByRole('button', { name: 'Scan', exact: true })).toBeEnabled();
});
