import { describe, expect, it } from 'vitest';
import { runCrashRounds } from './crash-harness';

/**
 * The several-writer crash test, 200 rounds: `npm run test:stress`
 * (TOKENVAULT_STRESS=1); TOKENVAULT_STRESS=<n> with n > 1 runs n. Excluded
 * from the normal run by vitest.config.ts; crash.test.ts runs 20 every time.
 */
const setting = process.env.TOKENVAULT_STRESS;
const rounds = setting ? (Number(setting) > 1 ? Math.floor(Number(setting)) : 200) : 0;

describe('crash safety (stress)', () => {
  it.skipIf(!setting)(`keeps every acknowledged write through ${rounds || 200} rounds of 2-4 writers SIGKILLed at random points`, async () => {
    let done = 0;
    const reports = await runCrashRounds({
      rounds,
      onRound: (r) => {
        done++;
        if (done % 25 === 0) console.log(`crash stress: ${done}/${rounds} (last: ${r.writers} writers, ${JSON.stringify(r.acked)} acknowledged)`);
      },
    });
    expect(reports).toHaveLength(rounds);
    const writes = reports.reduce((n, r) => n + Object.values(r.acked).reduce((a, b) => a + b, 0), 0);
    const kills = reports.reduce((n, r) => n + r.writers, 0);
    console.log(`crash stress: ${rounds} rounds, ${kills} kills, ${writes} acknowledged writes, all present`);
  }, 3_600_000);
});
