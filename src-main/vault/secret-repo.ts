import { VaultError } from '../../src-shared/errors';
import { fingerprint } from '../../src-shared/domain/fingerprint';
import type { SecretInput } from '../../src-shared/domain/schemas';
import type { CredentialSummary } from '../../src-shared/domain/types';
import { openJson, sealJson } from './cipher';
import type { CredentialMeta, CredentialRepository } from './credential-repo';
import type { Db } from './db';
import { cell, newGen, openOrNewer, type RecordContext, type SealedCell } from './records';
import type { SecretIndex } from './secret-index';

export type ParsedSecret = ReturnType<typeof SecretInput.parse>;

/**
 * Reveal's one read: the value and its generation from the covering index of
 * migration 12 (one walk down a small tree instead of the id index and then
 * the ~450-byte rows; issue 15's reveal figure at 100,000 tokens).
 */
export const SECRET_READ_SQL = 'SELECT secret, secret_gen FROM credentials INDEXED BY credentials_secret_by_id WHERE id = ?';

/** A token's value as stored (sealed in `credentials.secret`, AAD `credentials/<id>/secret`). */
export interface SecretValue {
  value: string;
  refreshToken?: string;
}

/**
 * Seals a value for credential `id` under a fresh write generation (store
 * both: `secret = ?, secret_gen = ?`; see cipher.ts) and records its keyed
 * hash in the secret index (issue 12).
 */
export function sealSecretValue(ctx: RecordContext, index: SecretIndex, id: string, secret: { value: string; refreshToken?: string | undefined }): SealedCell {
  index.put(id, secret.value);
  const payload: SecretValue = { value: secret.value };
  if (secret.refreshToken) payload.refreshToken = secret.refreshToken;
  const gen = newGen(ctx.random);
  return { box: sealJson(ctx.keys().enc, payload, { table: 'credentials', id, column: 'secret', gen }, ctx.random), gen };
}

/**
 * The `credentials.secret` column: reading a value, putting a new one in
 * place (rotation, session renewal), revoking and wiping. Writing methods run
 * inside the caller's write transaction and append their audit event there.
 */
export class SecretRepository {
  private stmtSecret: ReturnType<Db['prepare']> | null = null;

  constructor(
    private readonly ctx: RecordContext,
    private readonly index: SecretIndex,
    private readonly credentials: CredentialRepository,
  ) {}

  /** See sealSecretValue. */
  seal(id: string, secret: { value: string; refreshToken?: string | undefined }): SealedCell {
    return sealSecretValue(this.ctx, this.index, id, secret);
  }

  /** The decrypted value. Errors: LOCKED, NOT_FOUND (no token, or its value was wiped), CORRUPT. */
  read(id: string): SecretValue {
    const keys = this.ctx.keys();
    this.stmtSecret ??= this.ctx.db.prepare(SECRET_READ_SQL);
    const r = this.stmtSecret.get(id) as { secret: Buffer | null; secret_gen: number } | undefined;
    if (!r) throw new VaultError('NOT_FOUND', `There is no token with id ${id}.`);
    if (!r.secret) throw new VaultError('NOT_FOUND', `The value of token ${id} was wiped (it was revoked).`);
    const box = r.secret;
    return openOrNewer(this.ctx, () => openJson<SecretValue>(keys.enc, box, { table: 'credentials', id, column: 'secret', gen: r.secret_gen }));
  }

  /** Ids of every token that still has a value, in id order (for the leak scanner). */
  idsWithValue(): string[] {
    return (this.ctx.db.prepare('SELECT id FROM credentials WHERE secret IS NOT NULL ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  }

  /** The metadata after storing `s` as the new value: new fingerprint, refresh flag. */
  metaFor(id: string, s: ParsedSecret): CredentialMeta {
    return { ...this.credentials.readMeta(id), fingerprint: fingerprint(s.value), hasRefreshToken: Boolean(s.refreshToken) };
  }

  /** Rotation: the new value replaces the old, the rotation period restarts; audited `rotated`. In a write transaction. */
  replace(current: CredentialSummary, s: ParsedSecret, meta: CredentialMeta): void {
    const id = current.id;
    const now = this.ctx.now();
    this.ctx.db
      .prepare('UPDATE credentials SET meta = ?, meta_gen = ?, secret = ?, secret_gen = ?, rotated_at = ?, updated_at = ? WHERE id = ?')
      .run(...cell(this.credentials.seal(id, meta)), ...cell(this.seal(id, s)), now, now, id);
    this.ctx.audit.appendNow({ type: 'rotated', credentialId: id, fingerprint: meta.fingerprint, note: `replaces ${current.fingerprint}` });
  }

  /** A JWT session's renewed tokens (not a rotation); a revoked one stays revoked. In a write transaction. */
  renewSession(id: string, s: ParsedSecret, meta: CredentialMeta, expiresAt: number | null): void {
    this.ctx.db
      .prepare("UPDATE credentials SET meta = ?, meta_gen = ?, secret = ?, secret_gen = ?, expires_at = ?, status = CASE status WHEN 'revoked' THEN 'revoked' ELSE 'active' END, updated_at = ? WHERE id = ?")
      .run(...cell(this.credentials.seal(id, meta)), ...cell(this.seal(id, s)), expiresAt, this.ctx.now(), id);
    this.ctx.audit.appendNow({ type: 'updated', credentialId: id, fingerprint: meta.fingerprint, note: 'session tokens renewed' });
  }

  /** Marks revoked (final), wiping the value if asked; audited `revoked` with `note`. In a write transaction. */
  markRevoked(current: CredentialSummary, opts: { wipeSecret: boolean; note: string }): void {
    this.ctx.db
      .prepare(`UPDATE credentials SET status = 'revoked', secret = CASE WHEN ? = 1 THEN NULL ELSE secret END, secret_gen = CASE WHEN ? = 1 THEN ? ELSE secret_gen END, updated_at = ? WHERE id = ?`)
      .run(opts.wipeSecret ? 1 : 0, opts.wipeSecret ? 1 : 0, newGen(this.ctx.random), this.ctx.now(), current.id);
    this.ctx.audit.appendNow({ type: 'revoked', credentialId: current.id, fingerprint: current.fingerprint, note: opts.wipeSecret ? `${opts.note}; value wiped` : opts.note });
  }

  /** Errors: VALIDATION unless `current` is revoked (only a revoked token has a value to wipe). */
  checkWipeable(current: CredentialSummary): void {
    if (current.status !== 'revoked') throw new VaultError('VALIDATION', 'Only a revoked token has a value to wipe: revoke it first.');
  }

  /** Drops a revoked token's kept value (see checkWipeable), audited. In a write transaction. */
  wipe(current: CredentialSummary): void {
    // A new generation with the wipe: the value it had, written back, must not open.
    this.ctx.db.prepare('UPDATE credentials SET secret = NULL, secret_gen = ?, updated_at = ? WHERE id = ?').run(newGen(this.ctx.random), this.ctx.now(), current.id);
    this.ctx.audit.appendNow({ type: 'updated', credentialId: current.id, fingerprint: current.fingerprint, note: 'value wiped' });
  }
}
