import { createHmac } from 'node:crypto';
import type { Db } from './db';

/**
 * A blind index of token values (migration 6): per credential, an HMAC of its
 * value under the vault's index key, so the vault can tell that two tokens
 * hold the same value without storing or comparing plaintext. Without the
 * vault key the MACs say nothing (not even that two vaults share a value).
 *
 * Rows are written when a value is sealed; a deleted credential's row goes
 * with it (trigger), and a wiped value (revoked) no longer matches because
 * lookups join on credentials whose value is still stored.
 */
export class SecretIndex {
  constructor(
    private readonly db: Db,
    private readonly indexKey: () => Buffer,
  ) {}

  /** HMAC-SHA256 of the exact value (no normalisation: values are case-sensitive), domain-separated from name MACs. */
  mac(value: string): Buffer {
    return createHmac('sha256', this.indexKey()).update('tokenvault secret value v1\u0000').update(value, 'utf8').digest();
  }

  put(credentialId: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO secret_index (credential_id, value_mac) VALUES (?, ?)').run(credentialId, this.mac(value));
  }

  /** Credentials with a stored value but no index row (stored before the index existed). */
  missing(): string[] {
    return (
      this.db
        .prepare('SELECT c.id FROM credentials c LEFT JOIN secret_index s ON s.credential_id = c.id WHERE s.credential_id IS NULL AND c.secret IS NOT NULL')
        .all() as { id: string }[]
    ).map((r) => r.id);
  }

  /** Other credentials, with a value still stored, whose value equals this one's. */
  sameValueAs(credentialId: string): string[] {
    return (
      this.db
        .prepare(
          `SELECT other.credential_id AS id FROM secret_index me
             JOIN secret_index other ON other.value_mac = me.value_mac AND other.credential_id <> me.credential_id
             JOIN credentials c ON c.id = other.credential_id AND c.secret IS NOT NULL
           WHERE me.credential_id = ?`,
        )
        .all(credentialId) as { id: string }[]
    ).map((r) => r.id);
  }
}
