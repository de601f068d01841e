import { VaultError } from '../../src-shared/errors';
import type { CredentialSummary, Environment } from '../../src-shared/domain/types';
import type { CredentialRepository } from './credential-repo';
import { cell, conflictOn, nameMacOf, type RecordContext } from './records';

/**
 * Where a token sits: rotation lineage (which token replaces which, and
 * switching the current one) and moving a token to another environment.
 * Validation reads happen first (`check…`); the writing methods run inside
 * the caller's write transaction and append their audit event there.
 */
export class LineageRepository {
  constructor(
    private readonly ctx: RecordContext,
    private readonly credentials: CredentialRepository,
  ) {}

  /** Errors: VALIDATION unless both tokens are in one environment (`what` says for which operation). */
  checkSameEnvironment(a: CredentialSummary, b: CredentialSummary, message: string): void {
    if (a.environmentId !== b.environmentId) throw new VaultError('VALIDATION', message);
  }

  /** Records that `c` replaces `oldId` (null unlinks), audited. In a write transaction. */
  setSupersedes(c: CredentialSummary, oldId: string | null): void {
    const m = this.credentials.readMeta(c.id);
    this.credentials.writeMeta(c.id, { ...m, supersedes: oldId });
    this.ctx.audit.appendNow({ type: 'updated', credentialId: c.id, fingerprint: c.fingerprint, note: oldId ? `rotation: replaces ${oldId}` : 'rotation: unlinked' });
  }

  /**
   * Swaps the two tokens' names (a rotation's switch, or its undo with
   * `supersededBy` null), audited on the old one. In a write transaction.
   */
  swapNames(old: CredentialSummary, next: CredentialSummary, supersededBy: string | null): void {
    const mo = this.credentials.readMeta(old.id);
    const mn = this.credentials.readMeta(next.id);
    const env = old.environmentId;
    const now = this.ctx.now();
    const db = this.ctx.db;
    const put = db.prepare('UPDATE credentials SET name_mac = ?, meta = ?, meta_gen = ?, updated_at = ? WHERE id = ?');
    // Names are unique per environment: park one under a random mac first.
    db.prepare('UPDATE credentials SET name_mac = ? WHERE id = ?').run(this.ctx.random(32), old.id);
    put.run(nameMacOf(this.ctx, env, mo.name), ...cell(this.credentials.seal(next.id, { ...mn, name: mo.name })), now, next.id);
    put.run(nameMacOf(this.ctx, env, mn.name), ...cell(this.credentials.seal(old.id, { ...mo, name: mn.name, supersededBy })), now, old.id);
    this.ctx.audit.appendNow({
      type: 'updated',
      credentialId: old.id,
      fingerprint: old.fingerprint,
      note: supersededBy ? `rotation: superseded by ${next.id} (${next.fingerprint})` : `rotation undone: current again instead of ${next.id}`,
    });
  }

  /**
   * Moves `c` to environment `to` under `name` (id, value, history and
   * lineage stay), audited `moved` naming both places (`fromPath`,
   * `toPlace` = `workspace/env`). In a write transaction. Errors: CONFLICT.
   */
  move(c: CredentialSummary, to: Environment, name: string, fromPath: string, toPlace: string): void {
    const meta = { ...this.credentials.readMeta(c.id), name };
    conflictOn(`A token in ${toPlace}`, name, () =>
      this.ctx.db
        .prepare('UPDATE credentials SET environment_id = ?, workspace_id = ?, name_mac = ?, meta = ?, meta_gen = ?, updated_at = ? WHERE id = ?')
        .run(to.id, to.workspaceId, nameMacOf(this.ctx, to.id, name), ...cell(this.credentials.seal(c.id, meta)), this.ctx.now(), c.id),
    );
    this.ctx.audit.appendNow({ type: 'moved', credentialId: c.id, fingerprint: c.fingerprint, note: `from ${fromPath} to ${toPlace}/${name}` });
  }
}
