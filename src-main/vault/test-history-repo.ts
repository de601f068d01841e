import { VaultError } from '../../src-shared/errors';
import { isAuthenticatedOutcome } from '../../src-shared/domain/types';
import type { CredentialSummary, TestOutcome } from '../../src-shared/domain/types';
import { openJson, sealJson } from './cipher';
import type { Db } from './db';
import { openOrNewer, type RecordContext } from './records';
import type { TestHistoryEntry } from '../../src-shared/ipc/contract';

// One declaration, in the contract the history channel answers with.
export type { TestHistoryEntry };

/**
 * Inserts one history row for `credentialId` tested at `at` (ms since the
 * epoch) and returns its row id; `seal` seals the entry for it. Used by every
 * writer of `test_history` (a test, a merged backup).
 *
 * Why no write generation (issue 15): a history row is never updated once
 * written, so the one older box its cell could be given back is one from
 * another row, whose id is in its additional data (CORRUPT). SQLite's own
 * row ids are max(id) + 1, so the id of the newest rows, once deleted with
 * their token, would be handed out again and their saved boxes would open
 * there. So the id is the test's instant times 2^11 plus 11 random bits
 * (below 2^53 until the year 2109): a later row never gets a deleted row's
 * id, and rows still go in at the end of the table in time order (a random id
 * over the whole range scattered every insert over the table's pages: more
 * pages per commit on the one-click path). An id in use is drawn again.
 */
/** Random low part of a history row id: 11 bits (see insertHistoryRow). */
const ID_RANDOM_SPAN = 2 ** 11;
/** Latest instant a history row may carry: ids stay below 2^53 (exact in JavaScript). */
const MAX_AT = 2 ** 42;

export function insertHistoryRow(
  x: { db: Db; random: RecordContext['random'] },
  credentialId: string,
  at: number,
  outcome: string,
  seal: (rowId: string) => Buffer,
): string {
  // A time from a backup file is not trusted: outside [0, 2^42) ms (the year 2109) the id would pass 2^53.
  if (!Number.isSafeInteger(at) || at < 0 || at >= MAX_AT) {
    throw new VaultError('CORRUPT', `A test history entry has an impossible time (${String(at).slice(0, 40)}): the data it came from is damaged.`);
  }
  const taken = x.db.prepare('SELECT 1 FROM test_history WHERE id = ?');
  const draw = () => at * ID_RANDOM_SPAN + (x.random(2).readUInt16BE(0) % ID_RANDOM_SPAN) + 1;
  let id = draw();
  for (let i = 0; i < 8 && taken.get(id) !== undefined; i++) id = draw();
  // Thousands of rows at one instant (a merged backup): the next free id, a bounded search.
  for (let i = 0; taken.get(id) !== undefined; i++) {
    if (i >= 4 * ID_RANDOM_SPAN) throw new VaultError('CORRUPT', 'Too many test history entries at one instant: the data they came from is damaged.');
    id++;
  }
  const rowId = String(id);
  x.db.prepare('INSERT INTO test_history (id, credential_id, at, outcome, data) VALUES (?, ?, ?, ?, ?)').run(id, credentialId, at, outcome, seal(rowId));
  return rowId;
}

/**
 * The `test_history` table (each entry sealed, AAD `test_history/<row id>/data`,
 * row ids random: see insertHistoryRow) and the test columns of `credentials`
 * (last tested, last used, outcome).
 */
export class TestHistoryRepository {
  constructor(private readonly ctx: RecordContext) {}

  /**
   * Records one test at `at` (ms since epoch): the credential's last-tested
   * columns, a sealed history entry and the `tested` audit event. In a write
   * transaction. `entry` must hold no secret and no body.
   */
  write(c: CredentialSummary, outcome: TestOutcome, entry: TestHistoryEntry, at: number): void {
    const db = this.ctx.db;
    // Every attempt is "last tested"; only an answer that shows the provider knew the token is "last used" (issue 10).
    db.prepare('UPDATE credentials SET last_tested_at = ?, last_test_outcome = ?, last_used_at = CASE WHEN ? = 1 AND (last_used_at IS NULL OR last_used_at < ?) THEN ? ELSE last_used_at END WHERE id = ?')
      .run(at, outcome, isAuthenticatedOutcome(outcome) ? 1 : 0, at, at, c.id);
    // The row id is part of the sealed box's identity, so it is drawn before sealing.
    const enc = this.ctx.keys().enc;
    insertHistoryRow(this.ctx, c.id, at, outcome, (rowId) => sealJson(enc, entry, { table: 'test_history', id: rowId, column: 'data' }, this.ctx.random));
    this.ctx.audit.appendNow({ type: 'tested', credentialId: c.id, fingerprint: c.fingerprint, note: `${entry.method} ${entry.path} → ${entry.status ?? outcome}`, at });
  }

  /** The newest `limit` (1–500) entries of a credential, newest first. Errors: LOCKED, CORRUPT. */
  list(credentialId: string, limit = 50): (TestHistoryEntry & { at: number; outcome: TestOutcome })[] {
    const keys = this.ctx.keys();
    const rows = this.ctx.db
      .prepare('SELECT id, at, outcome, data FROM test_history WHERE credential_id = ? ORDER BY at DESC, id DESC LIMIT ?')
      .all(credentialId, Math.min(Math.max(limit, 1), 500)) as { id: number; at: number; outcome: TestOutcome; data: Buffer }[];
    return rows.map((r) => ({
      ...openOrNewer(this.ctx, () => openJson<TestHistoryEntry>(keys.enc, r.data, { table: 'test_history', id: String(r.id), column: 'data' })),
      at: r.at,
      outcome: r.outcome,
    }));
  }
}
