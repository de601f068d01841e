import { afterEach, describe, expect, it } from 'vitest';
import { openTempVault, rawDb, type TempVault } from '../vault/test-support';
import { AutoLock, type Timers } from './auto-lock';

let t: TempVault | null = null;
afterEach(() => {
  t?.cleanup();
  t = null;
});

const noTimers: Timers = { setTimeout: () => 1, clearTimeout: () => undefined };

describe('auto-lock reads its setting once per change (issue 9: not on every API call)', () => {
  it('a settings change made here, or by another process, applies to the next activity', async () => {
    t = openTempVault();
    await t.vault.init({ keySource: 'keychain' });
    const autoLock = new AutoLock(t.vault, () => undefined, Date.now, noTimers);
    expect(autoLock.activity()).toBe(10 * 60_000);
    t.vault.updateSettings({ autoLockMinutes: 3 });
    expect(autoLock.activity()).toBe(3 * 60_000);
    // Another process's commit, announced by the vault's watch as a `changed` event for settings.
    const other = rawDb(t.home);
    other.prepare("INSERT INTO settings (key, value) VALUES ('autoLockMinutes', '0') ON CONFLICT(key) DO UPDATE SET value = excluded.value").run();
    other.close();
    t.vault.emit('changed', { entity: 'settings', id: null });
    expect(autoLock.activity()).toBeNull();
  });
});
