import { describe, expect, it } from 'vitest';
import { runCrashRounds } from './crash-harness';

/**
 * "No acknowledged write is ever lost", with several writers: each round, two
 * to four processes add, import, edit, rotate and revoke on one vault and are
 * SIGKILLed at random moments 10-150 ms into their writes; after each round
 * the database passes integrity_check, opens, holds every acknowledged write
 * (decryptable) and nothing unacknowledged but the writes in flight, and the
 * audit chain verifies. crash.stress.test.ts runs 200 rounds.
 */
describe('crash safety', () => {
  it('keeps every acknowledged write through 20 rounds of 2-4 writers SIGKILLed at random points', async () => {
    const reports = await runCrashRounds({ rounds: 20 });
    expect(reports).toHaveLength(20);
    for (const r of reports) {
      expect(r.writers).toBeGreaterThanOrEqual(2);
      expect(r.writers).toBeLessThanOrEqual(4);
      expect(Object.values(r.acked).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    }
    // Over 20 rounds every kind of write was acknowledged and then found.
    const total = reports.reduce((n, r) => ({ add: n.add + r.acked.add, import: n.import + r.acked.import, edit: n.edit + r.acked.edit, rotate: n.rotate + r.acked.rotate, revoke: n.revoke + r.acked.revoke }), { add: 0, import: 0, edit: 0, rotate: 0, revoke: 0 });
    for (const op of ['add', 'import', 'edit', 'rotate', 'revoke'] as const) expect(total[op], op).toBeGreaterThan(0);
  }, 600_000);
});
