import { afterEach, describe, expect, it } from 'vitest';
import { openTempVault, rawDb, type TempVault } from './test-support';

// Found by the several-writer crash test's review (issue 15): a reveal queues
// its audit event for the end of the tick; when another process held the
// write lock past the busy wait, that flush threw BUSY from setImmediate, an
// uncaught exception that ends the app's main process.
let t: TempVault;
afterEach(() => t?.cleanup());

describe('queued audit events under contention', () => {
  it('a flush that meets BUSY at the end of the tick throws nothing, keeps the event and writes it once the lock is free', async () => {
    t = openTempVault({ busyTimeoutMs: 20 });
    await t.vault.init({ keySource: 'keychain' });
    const ws = t.vault.addWorkspace({ name: 'Acme' });
    const env = t.vault.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
    const c = t.vault.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', secret: { value: 'tok_busy_0123456789' } });
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    const holder = rawDb(t.home);
    const count = () => (holder.prepare("SELECT count(*) AS n FROM audit WHERE type = 'revealed'").get() as { n: number }).n;
    try {
      holder.exec('BEGIN IMMEDIATE');
      t.vault.revealCredential(c.id);
      // The end-of-tick flush runs, meets the lock, and must neither throw nor drop the event.
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      expect(uncaught).toEqual([]);
      holder.exec('COMMIT');
      expect(count()).toBe(0);
      // The retry (or any later flush) writes it: wait for the state, not a duration.
      await expect.poll(count, { timeout: 30_000, interval: 20 }).toBe(1);
    } finally {
      process.off('uncaughtException', onUncaught);
      holder.close();
    }
    expect(uncaught).toEqual([]);
    expect(t.vault.verifyAudit().ok).toBe(true);
  });
});
