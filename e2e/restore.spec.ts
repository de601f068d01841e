import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from './fixtures/app';
import { switchTo, tokenRow, unlockWithPassphrase } from './fixtures/ui';

const CLI = resolve(__dirname, '..', 'bin', 'tokenvault.cjs');
const BACKUP_PASSPHRASE = 'old machine backup passphrase';
const NEW_MASTER = 'new machine master passphrase';

/** A backup made on "the old machine": a vault of its own, built with the CLI in another data folder. */
function backupFromOldMachine(dir: string): string {
  const home = join(dir, 'old');
  writeFileSync(join(dir, 'master.txt'), 'old machine master passphrase\n', { mode: 0o600 });
  writeFileSync(join(dir, 'backup.txt'), `${BACKUP_PASSPHRASE}\n`, { mode: 0o600 });
  const env = { ...process.env, TOKENVAULT_PASSPHRASE_FILE: join(dir, 'master.txt'), TOKENVAULT_BACKUP_PASSPHRASE_FILE: join(dir, 'backup.txt') };
  const tv = (args: string[], input = '') => execFileSync(process.execPath, [CLI, ...args, '--home', home], { env, input });
  tv(['init', '--passphrase']);
  tv(['workspace', 'add', 'Acme Holding']);
  tv(['env', 'add', 'Acme Holding', 'production', '--base-url', 'https://api.acme.example', '--production']);
  tv(['token', 'add', 'Acme Holding/production/CI deploy key', '--kind', 'bearer'], 'rg_live_restored_0123456789abcdef\n');
  const file = join(dir, 'vault.age');
  tv(['backup', file]);
  return file;
}

test('a new machine restores its vault from a backup on the first-run screen', async ({ app }) => {
  const { page } = app;
  const dir = mkdtempSync(join(tmpdir(), 'tokenvault-restore-e2e-'));
  try {
    const file = backupFromOldMachine(dir);

    await test.step('"Restore from backup…" checks the file with its passphrase', async () => {
      await expect(page.getByRole('heading', { name: 'Create your vault' })).toBeVisible();
      await page.getByRole('button', { name: 'Restore from backup…' }).click();
      await expect(page.getByRole('heading', { name: 'Restore from a backup' })).toBeVisible();
      await page.getByLabel('Backup file').setInputFiles(file);
      await page.getByLabel('Backup passphrase').fill('not the passphrase');
      await page.getByRole('button', { name: 'Check backup' }).click();
      await expect(page.getByText(/does not open this backup/)).toBeVisible();
      await page.getByLabel('Backup passphrase').fill(BACKUP_PASSPHRASE);
      await page.getByRole('button', { name: 'Check backup' }).click();
      await expect(page.getByRole('status')).toContainText('1 workspaces, 1 environments, 1 tokens');
    });

    await test.step('restores into a new vault under a new master passphrase and opens it', async () => {
      await page.getByRole('radio', { name: 'Master passphrase' }).check();
      await page.getByLabel('New master passphrase', { exact: true }).fill(NEW_MASTER);
      await page.getByLabel('Repeat the new master passphrase', { exact: true }).fill(NEW_MASTER);
      await page.getByRole('button', { name: 'Restore vault' }).click();
      await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible();
      await switchTo(page, 'Acme Holding', 'production');
      await expect(tokenRow(page, 'CI deploy key')).toBeVisible();
    });

    await test.step('after a restart, the new master passphrase opens the restored vault', async () => {
      await app.restart();
      await unlockWithPassphrase(app.page, NEW_MASTER);
      await switchTo(app.page, 'Acme Holding', 'production');
      await expect(tokenRow(app.page, 'CI deploy key')).toBeVisible();
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
