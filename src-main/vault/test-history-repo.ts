import { isAuthenticatedOutcome } from '../../src-shared/domain/types';
import type { CredentialSummary, TestOutcome } from '../../src-shared/domain/types';
import { openJson, sealJson } from './cipher';
import { openOrNewer, type RecordContext } from './records';
import type { TestHistoryEntry } from '../../src-shared/ipc/contract';

// One declaration, in the contract the history channel answers with.
export type { TestHistoryEntry };

/**
 * The `test_history` table (each entry sealed, AAD `test_history/<row id>/data`)
 * and the test columns of `credentials` (last tested, last used, outcome).
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
    // The row id is part of the sealed box's identity, so it is known before sealing.
    const row = db.prepare("INSERT INTO test_history (credential_id, at, outcome, data) VALUES (?, ?, ?, x'')").run(c.id, at, outcome);
    const rowId = String(row.lastInsertRowid);
    const data = sealJson(this.ctx.keys().enc, entry, { table: 'test_history', id: rowId, column: 'data' }, this.ctx.random);
    db.prepare('UPDATE test_history SET data = ? WHERE id = ?').run(data, rowId);
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
