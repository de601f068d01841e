import type { Db } from './db';

/**
 * Rate-limit holds: when a provider answers 429 or 503 with a time to come
 * back, no process sends with that credential to that environment before
 * then. Kept in the vault (plaintext ids, a status and instants, nothing the
 * user typed) because each `tokenvault test` is a new process and the app,
 * browser mode and the CLI share one vault.
 */
export interface RateLimitHold {
  environmentId: string;
  credentialId: string;
  /** When the provider said it may go again, ms since the epoch (UTC). */
  until: number;
  status: 429 | 503;
  /** `Retry-After`, or a rate-limit reset time when a 429 had no Retry-After. */
  source: 'Retry-After' | 'reset';
  setAt: number;
}

interface Row {
  environment_id: string;
  credential_id: string;
  until_at: number;
  status: 429 | 503;
  source: 'Retry-After' | 'reset';
  set_at: number;
}

export class RateLimitStore {
  constructor(private readonly db: Db) {}

  /** The hold still open at `now` for this credential in this environment, or null. */
  active(environmentId: string, credentialId: string, now: number): RateLimitHold | null {
    const r = this.db
      .prepare('SELECT * FROM rate_limit_holds WHERE environment_id = ? AND credential_id = ? AND until_at > ?')
      .get(environmentId, credentialId, now) as Row | undefined;
    return r
      ? { environmentId: r.environment_id, credentialId: r.credential_id, until: r.until_at, status: r.status, source: r.source, setAt: r.set_at }
      : null;
  }

  /** Opens (or moves) the hold; one short write. */
  hold(h: RateLimitHold): void {
    this.db
      .prepare(
        `INSERT INTO rate_limit_holds (environment_id, credential_id, until_at, status, source, set_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(environment_id, credential_id) DO UPDATE SET until_at = excluded.until_at, status = excluded.status, source = excluded.source, set_at = excluded.set_at`,
      )
      .run(h.environmentId, h.credentialId, h.until, h.status, h.source, h.setAt);
  }

  /** Ends the hold (an answer other than 429/503 came back); writes only when there is one. */
  release(environmentId: string, credentialId: string): void {
    this.db.prepare('DELETE FROM rate_limit_holds WHERE environment_id = ? AND credential_id = ?').run(environmentId, credentialId);
  }
}
