import { VaultError } from '../../src-shared/errors';
import { fingerprint } from '../../src-shared/domain/fingerprint';
import type { CredentialRef } from '../../src-shared/domain/ref';
import type { CredentialInput, CredentialKind, CredentialPatch, CredentialStatus } from '../../src-shared/domain/schemas';
import type { CredentialSummary, Environment, Listed, TestOutcome } from '../../src-shared/domain/types';
import type { EnvironmentRepository } from './environment-repo';
import { newId } from './ids';
import { byName, cell, conflictOn, expectUnchanged, nameMacOf, openMeta, sealMeta, tryRead, type RecordContext, type SealedCell } from './records';
import type { WorkspaceRepository } from './workspace-repo';

export type ParsedCredentialInput = ReturnType<typeof CredentialInput.parse>;
export type ParsedCredentialPatch = ReturnType<typeof CredentialPatch.parse>;

/** What is sealed in `credentials.meta` (AAD `credentials/<id>/meta`). */
export interface CredentialMeta {
  name: string;
  description: string;
  /** Absent in records written before notes existed. */
  notes?: string;
  headerName: string | null;
  role: string | null;
  scopes: string[];
  tokenType: string | null;
  remoteId: string | null;
  tags: string[];
  fingerprint: string;
  hasRefreshToken: boolean;
  identity?: { account: string | null; company: string | null };
  /** Rotation lineage (absent in records written before rotations existed). */
  supersedes?: string | null;
  supersededBy?: string | null;
}

interface CredentialRow {
  id: string;
  environment_id: string;
  workspace_id: string;
  kind: CredentialKind;
  status: CredentialStatus;
  meta: Buffer;
  meta_gen: number;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  rotated_at: number;
  rotation_days: number | null;
  last_used_at: number | null;
  last_tested_at: number | null;
  last_test_outcome: TestOutcome | null;
  has_value: number;
  expiry_source: string | null;
  expiry_date: string | null;
}

const CRED_COLUMNS =
  'id, environment_id, workspace_id, kind, status, meta, meta_gen, created_at, updated_at, expires_at, rotated_at, rotation_days, last_used_at, last_tested_at, last_test_outcome, (secret IS NOT NULL) AS has_value, ' +
  '(SELECT x.source FROM credential_expiry x WHERE x.credential_id = credentials.id) AS expiry_source, ' +
  "(SELECT CASE WHEN x.source = 'explicit' THEN x.explicit_date END FROM credential_expiry x WHERE x.credential_id = credentials.id) AS expiry_date";

/**
 * The `credentials` table's record side: reading summaries, names, metadata
 * edits, moves and deletes (the value column is SecretRepository's). Reads
 * need the keys; writing methods run inside the caller's write transaction
 * and append their audit event there.
 */
export class CredentialRepository {
  constructor(
    private readonly ctx: RecordContext,
    private readonly workspaces: WorkspaceRepository,
    private readonly environments: EnvironmentRepository,
    /** Seals a new value under a fresh generation (and indexes it); see secret-repo.ts. */
    private readonly sealSecret: (id: string, secret: { value: string; refreshToken?: string | undefined }) => SealedCell,
  ) {}

  /** Tokens of one environment, one workspace, or all, by name (damaged ones as `{ corrupt }`). */
  list(filter: { workspaceId?: string; environmentId?: string } = {}): Listed<CredentialSummary>[] {
    this.ctx.keys();
    const db = this.ctx.db;
    let rows: CredentialRow[];
    if (filter.environmentId) rows = db.prepare(`SELECT ${CRED_COLUMNS} FROM credentials WHERE environment_id = ?`).all(filter.environmentId) as CredentialRow[];
    else if (filter.workspaceId) rows = db.prepare(`SELECT ${CRED_COLUMNS} FROM credentials WHERE workspace_id = ?`).all(filter.workspaceId) as CredentialRow[];
    else rows = db.prepare(`SELECT ${CRED_COLUMNS} FROM credentials`).all() as CredentialRow[];
    return rows.map((r) => tryRead('credentials', r.id, () => this.from(r), this.ctx)).sort(byName);
  }

  /** Errors: LOCKED, NOT_FOUND, CORRUPT. */
  get(id: string): CredentialSummary {
    const keys = this.ctx.keys();
    const load = (): { row: CredentialRow; meta: CredentialMeta } => {
      const row = this.ctx.db.prepare(`SELECT ${CRED_COLUMNS} FROM credentials WHERE id = ?`).get(id) as CredentialRow | undefined;
      if (!row) throw new VaultError('NOT_FOUND', `There is no token with id ${id}.`);
      return { row, meta: openMeta<CredentialMeta>(this.ctx, 'credentials', id, row.meta, row.meta_gen) };
    };
    // The row and its opened metadata are cached, the summary is built each time: its status depends on the time.
    const { row, meta } = this.ctx.cache ? this.ctx.cache.get('credentials', id, keys, load) : load();
    return this.summary(row, meta);
  }

  /** Resolves `workspace/env/name` (names, case-insensitive) or a credential id. Errors: LOCKED, NOT_FOUND. */
  resolve(ref: CredentialRef): CredentialSummary {
    if ('id' in ref) return this.get(ref.id);
    const ws = this.workspaces.find(ref.workspace);
    const env = this.environments.find(ws.id, ref.environment);
    const r = this.ctx.db.prepare('SELECT id FROM credentials WHERE environment_id = ? AND name_mac = ?').get(env.id, nameMacOf(this.ctx, env.id, ref.name.trim())) as
      | { id: string }
      | undefined;
    if (!r) throw new VaultError('NOT_FOUND', `There is no token named "${ref.name}" in ${ws.name}/${env.name}.`);
    return this.get(r.id);
  }

  /** Whether a row with this id exists (no decryption). */
  exists(id: string): boolean {
    return this.ctx.db.prepare('SELECT 1 FROM credentials WHERE id = ?').get(id) !== undefined;
  }

  /** The whole sealed metadata, with the fields summaries leave out. Errors: NOT_FOUND, CORRUPT. */
  readMeta(id: string): CredentialMeta {
    const row = this.ctx.db.prepare('SELECT meta, meta_gen FROM credentials WHERE id = ?').get(id) as { meta: Buffer; meta_gen: number } | undefined;
    if (!row) throw new VaultError('NOT_FOUND', `There is no token with id ${id}.`);
    return openMeta<CredentialMeta>(this.ctx, 'credentials', id, row.meta, row.meta_gen);
  }

  /** Seals metadata for this credential's row under a fresh generation (store both: `meta = ?, meta_gen = ?`). */
  seal(id: string, meta: CredentialMeta): SealedCell {
    return sealMeta(this.ctx, 'credentials', id, meta);
  }

  /** Replaces the sealed metadata (name unchanged) and `updated_at`. In a write transaction. */
  writeMeta(id: string, meta: CredentialMeta): void {
    this.ctx.db.prepare('UPDATE credentials SET meta = ?, meta_gen = ?, updated_at = ? WHERE id = ?').run(...cell(this.seal(id, meta)), this.ctx.now(), id);
  }

  /** Inserts each (value sealed), auditing `auditType` for each; returns the ids. In a write transaction. Errors: NOT_FOUND (environment), CONFLICT. */
  insert(parsed: ParsedCredentialInput[], auditType: 'created' | 'imported'): string[] {
    const envCache = new Map<string, Environment>();
    const ids: string[] = [];
    const now = this.ctx.now();
    const insert = this.ctx.db.prepare(
      `INSERT INTO credentials (id, environment_id, workspace_id, name_mac, kind, status, meta, meta_gen, secret, secret_gen, created_at, updated_at,
         expires_at, rotated_at, rotation_days) VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const c of parsed) {
      let env = envCache.get(c.environmentId);
      if (!env) {
        env = this.environments.get(c.environmentId);
        envCache.set(c.environmentId, env);
      }
      const id = newId('cred', this.ctx.random);
      const fp = fingerprint(c.secret.value);
      const meta: CredentialMeta = {
        name: c.name,
        description: c.description ?? '',
        notes: c.notes ?? '',
        headerName: c.headerName ?? null,
        role: c.role ?? null,
        scopes: c.scopes ?? [],
        tokenType: c.tokenType ?? null,
        remoteId: c.remoteId ?? null,
        tags: c.tags ?? [],
        fingerprint: fp,
        hasRefreshToken: Boolean(c.secret.refreshToken),
      };
      const e = env;
      conflictOn(`A token in ${e.name}`, c.name, () =>
        insert.run(id, e.id, e.workspaceId, nameMacOf(this.ctx, e.id, c.name), c.kind, ...cell(this.seal(id, meta)), ...cell(this.sealSecret(id, c.secret)), now, now, c.expiresAt ?? null, now, c.rotationDays ?? null),
      );
      this.ctx.audit.appendNow({ type: auditType, credentialId: id, fingerprint: fp });
      ids.push(id);
    }
    return ids;
  }

  /** Applies a patch (row read inside the transaction), audited `updated` or `revoked`. Errors: NOT_FOUND, VALIDATION, CONFLICT. */
  update(id: string, p: ParsedCredentialPatch): void {
    conflictOn('A token', p.name ?? '', () => this.updateNow(id, p));
  }

  private updateNow(id: string, p: ParsedCredentialPatch): void {
    const current = this.get(id);
    expectUnchanged('token', current, p.expectedUpdatedAt);
    if (p.headerName !== undefined && current.kind !== 'api_key') {
      throw new VaultError('VALIDATION', 'headerName only applies to API keys', { issues: [{ path: 'headerName', message: 'only applies to API keys' }] });
    }
    if (current.status === 'revoked' && p.status && p.status !== 'revoked') {
      throw new VaultError('VALIDATION', 'A revoked token cannot be reinstated: the provider will never accept it again.', {
        issues: [{ path: 'status', message: 'cannot change a revoked token back' }],
      });
    }
    const meta: CredentialMeta = {
      // Fields no patch edits (identity, rotation lineage) stay as stored.
      ...this.readMeta(id),
      name: p.name ?? current.name,
      description: p.description ?? current.description,
      notes: p.notes ?? current.notes,
      headerName: p.headerName ?? current.headerName,
      role: p.role === undefined ? current.role : p.role,
      scopes: p.scopes ?? current.scopes,
      tokenType: p.tokenType === undefined ? current.tokenType : p.tokenType,
      remoteId: p.remoteId === undefined ? current.remoteId : p.remoteId,
      tags: p.tags ?? current.tags,
      fingerprint: current.fingerprint,
      hasRefreshToken: current.hasRefreshToken,
    };
    const storedStatus = this.ctx.db.prepare('SELECT status FROM credentials WHERE id = ?').get(id) as { status: CredentialStatus };
    this.ctx.db
      .prepare('UPDATE credentials SET name_mac = ?, meta = ?, meta_gen = ?, status = ?, expires_at = ?, rotation_days = ?, updated_at = MAX(?, updated_at + 1) WHERE id = ?')
      .run(
        nameMacOf(this.ctx, current.environmentId, meta.name),
        ...cell(this.seal(id, meta)),
        p.status ?? storedStatus.status,
        p.expiresAt === undefined ? current.expiresAt : p.expiresAt,
        p.rotationDays === undefined ? current.rotationDays : p.rotationDays,
        this.ctx.now(),
        id,
      );
    this.ctx.audit.appendNow({ type: p.status === 'revoked' ? 'revoked' : 'updated', credentialId: id, fingerprint: current.fingerprint });
  }

  /** Keeps a provider's "last used" instant when newer than ours; true if it changed. In a write transaction. */
  noteRemoteUse(id: string, at: number): boolean {
    return this.ctx.db.prepare('UPDATE credentials SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)').run(at, id, at).changes > 0;
  }

  /** Deletes, audited; a record that fails to authenticate is deleted too (noted). In a write transaction. */
  remove(id: string): void {
    let fp: string | null;
    try {
      fp = this.get(id).fingerprint;
    } catch (e) {
      if (!(e instanceof VaultError && e.code === 'CORRUPT')) throw e;
      fp = null;
    }
    this.ctx.db.prepare('DELETE FROM credentials WHERE id = ?').run(id);
    this.ctx.audit.appendNow({ type: 'deleted', credentialId: id, fingerprint: fp, ...(fp === null ? { note: 'record was damaged (failed to authenticate)' } : {}) });
  }

  private from(r: CredentialRow): CredentialSummary {
    return this.summary(r, openMeta<CredentialMeta>(this.ctx, 'credentials', r.id, r.meta, r.meta_gen));
  }

  /** The summary of a row and its opened metadata; arrays and objects are copies, so a caller cannot change a cached record. */
  private summary(r: CredentialRow, m: CredentialMeta): CredentialSummary {
    const now = this.ctx.now();
    return {
      id: r.id,
      workspaceId: r.workspace_id,
      environmentId: r.environment_id,
      name: m.name,
      description: m.description,
      notes: m.notes ?? '',
      kind: r.kind,
      headerName: m.headerName,
      role: m.role,
      scopes: [...m.scopes],
      tokenType: m.tokenType,
      fingerprint: m.fingerprint,
      hasRefreshToken: m.hasRefreshToken,
      // Expiry is a fact of time, not of storage: an active token past its date reads as expired.
      status: r.status === 'active' && r.expires_at !== null && r.expires_at <= now ? 'expired' : r.status,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      expiresAt: r.expires_at,
      ...expiryFields(r),
      rotationDays: r.rotation_days,
      rotatedAt: r.rotated_at,
      lastUsedAt: r.last_used_at,
      lastTestedAt: r.last_tested_at,
      lastTestOutcome: r.last_test_outcome,
      remoteId: m.remoteId,
      tags: [...m.tags],
      identity: m.identity ? { ...m.identity } : null,
      supersedes: m.supersedes ?? null,
      supersededBy: m.supersededBy ?? null,
      hasValue: r.has_value === 1,
    };
  }
}

function expiryFields(r: CredentialRow): Pick<CredentialSummary, 'expirySource' | 'expiresOn'> {
  if (r.expires_at === null) return { expirySource: null, expiresOn: null };
  // Stored before sources were kept: the date was entered by hand.
  return { expirySource: (r.expiry_source as CredentialSummary['expirySource']) ?? 'explicit', expiresOn: r.expiry_date };
}
