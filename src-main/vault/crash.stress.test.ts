import { describe, expect, it } from 'vitest';
import { runCrashIterations } from './crash-harness';

/**
 * The crash test, hundreds of times: `npm run test:stress` (TOKENVAULT_STRESS=1)
 * runs 300 iterations; TOKENVAULT_STRESS=<n> with n > 1 runs n. Excluded from
 * the normal run by vitest.config.ts; crash.test.ts runs 10 every time.
 */
const setting = process.env.TOKENVAULT_STRESS;
const iterations = setting ? (Number(setting) > 1 ? Math.floor(Number(setting)) : 300) : 0;

describe('crash safety (stress)', () => {
  it.skipIf(!setting)(`keeps every acknowledged write through ${iterations || 300} SIGKILLs at random points`, async () => {
    let done = 0;
    const reports = await runCrashIterations({
      iterations,
      onIteration: (r) => {
        done++;
        if (done % 25 === 0) console.log(`crash stress: ${done}/${iterations} (last: ${r.acked} ACKs, killed after ${r.killDelayMs} ms)`);
      },
    });
    expect(reports).toHaveLength(iterations);
    expect(reports.every((r) => r.acked > 0)).toBe(true);
    const acks = reports.reduce((n, r) => n + r.acked, 0);
    console.log(`crash stress: ${iterations} kills, ${acks} acknowledged adds, all present`);
  }, 3_600_000);
});
