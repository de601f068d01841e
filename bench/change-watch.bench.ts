import { watch } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryKeyStore } from '../src-main/vault/keychain';
import { Vault } from '../src-main/vault/vault';
import { summarize } from './stats';

/**
 * How the open app learns of another process's commit, two ways, measured
 * side by side: polling `PRAGMA data_version` (what Vault.watchOtherProcesses
 * does) and `fs.watch` on the WAL file. For each: the cost of one check
 * (polling) or of being notified, the delay from the other process's commit
 * to the notice, and notices that were not another process's commit (fs.watch
 * also fires on the app's own writes and on checkpoints).
 */
export async function benchChangeWatch(commits = 40, pollMs = 250) {
  const home = mkdtempSync(join(tmpdir(), 'tokenvault-bench-watch-'));
  const keyStore = new MemoryKeyStore();
  const app = Vault.open({ home, keyStore });
  const other = Vault.open({ home, keyStore, lifecycle: 'cli' });
  try {
    await app.init({ keySource: 'keychain' });
    await other.unlock();
    const ws = other.addWorkspace({ name: 'Bench' });

    // One poll: a prepared PRAGMA on the app's connection.
    const stmt = (app as unknown as { db: { prepare(sql: string): { pluck(): { get(): unknown } } } }).db.prepare('PRAGMA data_version').pluck();
    const pollUs: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const t0 = process.hrtime.bigint();
      stmt.get();
      pollUs.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    const poll = summarize(pollUs);

    // Delay from commit to notice, both ways at once.
    const pollDelays: number[] = [];
    const watchDelays: number[] = [];
    let watchEvents = 0;
    let committedAt = 0;
    let pollSeen = true;
    let watchSeen = true;
    app.on('changed', (c) => {
      if (c.entity === 'workspace' && c.id === null && !pollSeen) {
        pollSeen = true;
        pollDelays.push(Number(process.hrtime.bigint()) / 1e6 - committedAt);
      }
    });
    const stop = app.watchOtherProcesses(pollMs);
    const watcher = watch(join(home, 'vault.db-wal'), () => {
      watchEvents++;
      if (!watchSeen) {
        watchSeen = true;
        watchDelays.push(Number(process.hrtime.bigint()) / 1e6 - committedAt);
      }
    });
    for (let i = 0; i < commits; i++) {
      pollSeen = false;
      watchSeen = false;
      committedAt = Number(process.hrtime.bigint()) / 1e6;
      other.updateWorkspace(ws.id, { notes: `edit ${i}` });
      while (!pollSeen || !watchSeen) await new Promise((r) => setTimeout(r, 2));
      // The app's own write: fs.watch reports it as well, polling does not.
      app.updateSettings({ autoLockMinutes: 5 + (i % 3) });
      await new Promise((r) => setTimeout(r, 20));
    }
    stop();
    watcher.close();
    return {
      commits,
      pollIntervalMs: pollMs,
      dataVersionCheckUs: poll,
      /** CPU per hour of polling at this interval, from the median check. */
      pollCpuMsPerHour: Math.round(((3_600_000 / pollMs) * poll.median) / 1000),
      pollNoticeDelayMs: summarize(pollDelays),
      fsWatchNoticeDelayMs: summarize(watchDelays),
      fsWatchEventsPerForeignCommit: Math.round((watchEvents / commits) * 10) / 10,
    };
  } finally {
    other.close();
    app.close();
    rmSync(home, { recursive: true, force: true });
  }
}
