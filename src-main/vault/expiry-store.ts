import { EXPIRY_SOURCES, type ExpirySourceKind } from '../../src-shared/expiry/expiry-sources';
import type { Db } from './db';

/**
 * The sources of each credential's expiry (table `credential_expiry`,
 * migration 6): the date each source gave, which one decided, and the
 * calendar date of a date-only expiry. `credentials.expires_at` stays the
 * effective expiry that reminders and the due list read; `save` writes both
 * in one transaction. Plaintext dates and source names only: nothing typed
 * by the user beyond a date, which expires_at already holds in the clear.
 */
export interface ExpiryRecord {
  /** The date entered (`--expires`, the form's date), null when none. */
  explicitAt: number | null;
  /** `YYYY-MM-DD` when the date entered was a calendar date without a time. */
  explicitDate: string | null;
  /** The lifetime chosen at creation (`--duration`, Strapi's 7/30/90 days), as an instant. */
  durationAt: number | null;
  /** The provider's own record (Strapi `expiresAt`), from a sync or a create answer. */
  providerAt: number | null;
  /** A JWT session's end as its documented refresh lifetime says (a JWT refresh token's own exp is read from the value). */
  refreshAt: number | null;
  /** The source that decided the effective expiry; null when nothing gives a date. */
  source: ExpirySourceKind | null;
}

interface Row {
  explicit_at: number | null;
  explicit_date: string | null;
  duration_at: number | null;
  provider_at: number | null;
  refresh_at: number | null;
  source: string | null;
}

export const EMPTY_EXPIRY: ExpiryRecord = { explicitAt: null, explicitDate: null, durationAt: null, providerAt: null, refreshAt: null, source: null };

export class ExpiryStore {
  constructor(
    private readonly db: Db,
    private readonly onChange: (credentialId: string) => void = () => {},
  ) {}

  /** The stored sources, or null for a credential stored before sources were kept (its expires_at counts as entered). */
  get(credentialId: string): ExpiryRecord | null {
    const r = this.db
      .prepare('SELECT explicit_at, explicit_date, duration_at, provider_at, refresh_at, source FROM credential_expiry WHERE credential_id = ?')
      .get(credentialId) as Row | undefined;
    if (!r) return null;
    return {
      explicitAt: r.explicit_at,
      explicitDate: r.explicit_date,
      durationAt: r.duration_at,
      providerAt: r.provider_at,
      refreshAt: r.refresh_at,
      source: (EXPIRY_SOURCES as readonly string[]).includes(r.source ?? '') ? (r.source as ExpirySourceKind) : null,
    };
  }

  /** Stores the sources and the effective expiry (`expiresAt`, epoch ms or null for never) in one transaction. */
  save(credentialId: string, record: ExpiryRecord, expiresAt: number | null): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO credential_expiry (credential_id, explicit_at, explicit_date, duration_at, provider_at, refresh_at, source)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(credential_id) DO UPDATE SET explicit_at = excluded.explicit_at, explicit_date = excluded.explicit_date,
             duration_at = excluded.duration_at, provider_at = excluded.provider_at, refresh_at = excluded.refresh_at, source = excluded.source`,
        )
        .run(credentialId, record.explicitAt, record.explicitDate, record.durationAt, record.providerAt, record.refreshAt, record.source);
      this.db.prepare('UPDATE credentials SET expires_at = ? WHERE id = ?').run(expiresAt, credentialId);
    })();
    this.onChange(credentialId);
  }
}
