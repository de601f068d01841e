import type { CredentialKind, CredentialStatus } from '../../src-shared/domain/schemas';
import type { DueKind } from '../../src-shared/expiry/due-types';
import type { Db } from './db';

/**
 * The plaintext side of due dates: credential dates and policy numbers, the
 * reminders already shown, snoozes. All of it is readable and writable while
 * the vault is locked (reminders must keep working then) and none of it is
 * something the user typed: no names, no values.
 */
export interface DueRow {
  id: string;
  workspaceId: string;
  environmentId: string;
  production: boolean;
  kind: CredentialKind;
  status: CredentialStatus;
  createdAt: number;
  expiresAt: number | null;
  rotatedAt: number;
  rotationDays: number | null;
  workspaceRotationDays: number | null;
  providerRotationDays: number | null;
  /** The calendar date of a date-only expiry (`YYYY-MM-DD`), shown as is in every zone. */
  expiresOn: string | null;
  /**
   * A JWT session that ends with its access token (no refresh token): its
   * expiry is a sign-in that lapses, not a token to act on, so the due list and
   * reminders leave it out unless asked.
   */
  sessionLapse: boolean;
}

export interface SentReminder {
  credentialId: string;
  kind: DueKind;
  /** Days before the due date; 0 is "the date has passed". */
  threshold: number;
  dueAt: number;
}

interface RawDueRow {
  id: string;
  workspace_id: string;
  environment_id: string;
  production: number;
  kind: CredentialKind;
  status: CredentialStatus;
  created_at: number;
  expires_at: number | null;
  rotated_at: number;
  rotation_days: number | null;
  ws_rotation_days: number | null;
  provider_rotation_days: number | null;
  expiry_source: string | null;
  expiry_date: string | null;
}

export function sentKey(r: SentReminder): string {
  return `${r.credentialId}|${r.kind}|${r.threshold}|${r.dueAt}`;
}

export class DueStore {
  constructor(private readonly db: Db) {}

  /**
   * Credentials' dates, with their workspace's rotation defaults; no keys
   * needed. `dueBefore` keeps only rows with a date that may fall before it:
   * expiry, or last rotation + period counted as 24-hour days (callers add a
   * margin of a couple of days for the calendar), and tokens marked expired.
   * Each branch is an index lookup (see migration 3), so the reminders' tick
   * reads the few rows near a date, not the whole vault.
   */
  rows(filter: { credentialId?: string; dueBefore?: number } = {}): DueRow[] {
    const columns = `c.id, c.workspace_id, c.environment_id, e.production, c.kind, c.status, c.created_at, c.expires_at,
        c.rotated_at, c.rotation_days, p.rotation_days AS ws_rotation_days, p.provider_rotation_days,
        (SELECT x.source FROM credential_expiry x WHERE x.credential_id = c.id) AS expiry_source,
        (SELECT x.explicit_date FROM credential_expiry x WHERE x.credential_id = c.id AND x.source = 'explicit') AS expiry_date`;
    const select = `SELECT ${columns} FROM credentials c
      JOIN environments e ON e.id = c.environment_id
      LEFT JOIN workspace_policies p ON p.workspace_id = c.workspace_id`;
    let raw: RawDueRow[];
    if (filter.credentialId) {
      raw = this.db.prepare(`${select} WHERE c.id = ?`).all(filter.credentialId) as RawDueRow[];
    } else if (filter.dueBefore !== undefined) {
      // UNION ALL, not UNION: a UNION merges in id order and gives up the indexes.
      const hits = this.db
        .prepare(
          `${select} WHERE c.expires_at <= :h
           UNION ALL ${select} WHERE c.rotated_at + c.rotation_days * 86400000 <= :h
           UNION ALL SELECT ${columns} FROM workspace_policies p
             CROSS JOIN credentials c ON c.workspace_id = p.workspace_id
             JOIN environments e ON e.id = c.environment_id
             WHERE c.rotation_days IS NULL AND c.rotated_at + COALESCE(p.rotation_days, p.provider_rotation_days) * 86400000 <= :h
           UNION ALL ${select} WHERE c.status = 'expired'`,
        )
        .all({ h: filter.dueBefore }) as RawDueRow[];
      const seen = new Set<string>();
      raw = hits.filter((r) => !seen.has(r.id) && Boolean(seen.add(r.id)));
    } else {
      raw = this.db.prepare(select).all() as RawDueRow[];
    }
    return raw.map((r) => ({
      id: r.id,
      workspaceId: r.workspace_id,
      environmentId: r.environment_id,
      production: r.production === 1,
      kind: r.kind,
      status: r.status,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      rotatedAt: r.rotated_at,
      rotationDays: r.rotation_days,
      workspaceRotationDays: r.ws_rotation_days,
      providerRotationDays: r.provider_rotation_days,
      expiresOn: r.expiry_date,
      sessionLapse: r.kind === 'jwt_session' && r.expiry_source === 'jwt_exp',
    }));
  }

  workspaceExists(workspaceId: string): boolean {
    return this.db.prepare('SELECT 1 FROM workspaces WHERE id = ?').get(workspaceId) !== undefined;
  }

  exists(credentialId: string): boolean {
    return this.db.prepare('SELECT 1 FROM credentials WHERE id = ?').get(credentialId) !== undefined;
  }

  /** Keys (see sentKey) of every reminder already shown. */
  sentKeys(): Set<string> {
    const rows = this.db.prepare('SELECT credential_id, kind, threshold, due_at FROM reminders_sent').all() as {
      credential_id: string;
      kind: DueKind;
      threshold: number;
      due_at: number;
    }[];
    return new Set(rows.map((r) => sentKey({ credentialId: r.credential_id, kind: r.kind, threshold: r.threshold, dueAt: r.due_at })));
  }

  /**
   * Records reminders as shown, in one transaction, and forgets those of older
   * due dates of the same credential and kind: they can never fire again.
   */
  markSent(reminders: readonly SentReminder[], at: number): void {
    if (reminders.length === 0) return;
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO reminders_sent (credential_id, kind, threshold, due_at, sent_at) VALUES (?, ?, ?, ?, ?)',
    );
    const prune = this.db.prepare('DELETE FROM reminders_sent WHERE credential_id = ? AND kind = ? AND due_at <> ?');
    this.db.transaction(() => {
      for (const r of reminders) {
        prune.run(r.credentialId, r.kind, r.dueAt);
        insert.run(r.credentialId, r.kind, r.threshold, r.dueAt, at);
      }
    })();
  }

  snoozes(): Map<string, number> {
    const rows = this.db.prepare('SELECT credential_id, until FROM reminder_snoozes').all() as { credential_id: string; until: number }[];
    return new Map(rows.map((r) => [r.credential_id, r.until]));
  }

  /** Silences one credential's reminders until `until`; null (or a time already past) lifts the snooze. */
  setSnooze(credentialId: string, until: number | null): void {
    if (until === null) this.db.prepare('DELETE FROM reminder_snoozes WHERE credential_id = ?').run(credentialId);
    else
      this.db
        .prepare('INSERT INTO reminder_snoozes (credential_id, until) VALUES (?, ?) ON CONFLICT(credential_id) DO UPDATE SET until = excluded.until')
        .run(credentialId, until);
  }

  clearSnoozesBefore(at: number): void {
    this.db.prepare('DELETE FROM reminder_snoozes WHERE until <= ?').run(at);
  }

  workspaceRotationDays(workspaceId: string): { rotationDays: number | null; providerRotationDays: number | null } {
    const r = this.db.prepare('SELECT rotation_days, provider_rotation_days FROM workspace_policies WHERE workspace_id = ?').get(workspaceId) as
      | { rotation_days: number | null; provider_rotation_days: number | null }
      | undefined;
    return { rotationDays: r?.rotation_days ?? null, providerRotationDays: r?.provider_rotation_days ?? null };
  }

  /** Sets one or both defaults of a workspace; a field left undefined keeps its value. */
  setWorkspaceRotationDays(workspaceId: string, patch: { rotationDays?: number | null; providerRotationDays?: number | null }): void {
    const current = this.workspaceRotationDays(workspaceId);
    const next = {
      rotationDays: patch.rotationDays === undefined ? current.rotationDays : patch.rotationDays,
      providerRotationDays: patch.providerRotationDays === undefined ? current.providerRotationDays : patch.providerRotationDays,
    };
    if (next.rotationDays === current.rotationDays && next.providerRotationDays === current.providerRotationDays) return;
    this.db
      .prepare(
        `INSERT INTO workspace_policies (workspace_id, rotation_days, provider_rotation_days) VALUES (?, ?, ?)
         ON CONFLICT(workspace_id) DO UPDATE SET rotation_days = excluded.rotation_days, provider_rotation_days = excluded.provider_rotation_days`,
      )
      .run(workspaceId, next.rotationDays, next.providerRotationDays);
  }
}
