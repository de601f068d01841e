import { describe, expect, it } from 'vitest';
import { runCrashIterations } from './crash-harness';

/**
 * "No acknowledged write is ever lost": a writer process is SIGKILLed at a
 * random moment 20-300 ms into its writes, ten times; after each kill the vault
 * must open and hold every acknowledged write, decryptable, with a verifying
 * audit chain. crash.stress.test.ts runs the same hundreds of times.
 */
describe('crash safety', () => {
  it('keeps every acknowledged write through 10 SIGKILLs at random points', async () => {
    const reports = await runCrashIterations({ iterations: 10 });
    expect(reports).toHaveLength(10);
    for (const r of reports) {
      expect(r.acked).toBeGreaterThan(0);
      expect(r.killDelayMs).toBeGreaterThanOrEqual(20);
      expect(r.killDelayMs).toBeLessThanOrEqual(300);
    }
    // The vault grew across the kills: each iteration's writes were still there for the next.
    expect(reports.at(-1)!.credentialsInVault).toBeGreaterThanOrEqual(reports.reduce((n, r) => n + r.acked, 0));
  }, 120_000);
});
