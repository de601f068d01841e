import { VaultError } from '../../src-shared/errors';
import type { EnvironmentInput, EnvironmentPatch } from '../../src-shared/domain/schemas';
import type { Environment, Listed, Workspace } from '../../src-shared/domain/types';
import { newId } from './ids';
import { byName, cell, conflictOn, expectUnchanged, nameMacOf, openMeta, sealMeta, tryRead, type RecordContext } from './records';
import type { WorkspaceRepository } from './workspace-repo';

export type ParsedEnvironmentInput = ReturnType<typeof EnvironmentInput.parse>;
export type ParsedEnvironmentPatch = ReturnType<typeof EnvironmentPatch.parse>;

/** What is sealed in `environments.meta` (AAD `environments/<id>/meta`). */
interface EnvironmentMeta {
  name: string;
  baseUrl: string;
}

interface EnvironmentRow {
  id: string;
  workspace_id: string;
  production: number;
  meta: Buffer;
  meta_gen: number;
  created_at: number;
  updated_at: number;
}

/**
 * The `environments` table: its statements and its sealing. Reads need the
 * keys (LOCKED otherwise); the writing methods run inside the caller's write
 * transaction and append their audit event there.
 */
export class EnvironmentRepository {
  constructor(
    private readonly ctx: RecordContext,
    private readonly workspaces: WorkspaceRepository,
  ) {}

  /** A workspace's environments by name (damaged ones as `{ corrupt }`). Errors: LOCKED, NOT_FOUND (workspace). */
  list(workspaceId: string): Listed<Environment>[] {
    this.workspaces.get(workspaceId);
    const rows = this.ctx.db.prepare('SELECT * FROM environments WHERE workspace_id = ?').all(workspaceId) as EnvironmentRow[];
    return rows.map((r) => tryRead('environments', r.id, () => this.from(r), this.ctx)).sort(byName);
  }

  /** Every environment of the vault, unsorted (for the search index). */
  listAll(): Listed<Environment>[] {
    this.ctx.keys();
    const rows = this.ctx.db.prepare('SELECT * FROM environments').all() as EnvironmentRow[];
    return rows.map((r) => tryRead('environments', r.id, () => this.from(r), this.ctx));
  }

  /** Errors: LOCKED, NOT_FOUND, CORRUPT. */
  get(id: string): Environment {
    const keys = this.ctx.keys();
    const load = () => {
      const r = this.ctx.db.prepare('SELECT * FROM environments WHERE id = ?').get(id) as EnvironmentRow | undefined;
      if (!r) throw new VaultError('NOT_FOUND', `There is no environment with id ${id}.`);
      return this.from(r);
    };
    // A copy: the cached record is shared (its fields are all plain values).
    return { ...(this.ctx.cache ? this.ctx.cache.get('environments', id, keys, load) : load()) };
  }

  /** By id (`env_…`) or name within a workspace. Errors: LOCKED, NOT_FOUND. */
  find(workspaceId: string, nameOrId: string): Environment {
    this.ctx.keys();
    const db = this.ctx.db;
    const r = (nameOrId.startsWith('env_') ? db.prepare('SELECT id FROM environments WHERE workspace_id = ? AND id = ?').get(workspaceId, nameOrId) : undefined) as
      | { id: string }
      | undefined;
    const byName =
      r ??
      (db.prepare('SELECT id FROM environments WHERE workspace_id = ? AND name_mac = ?').get(workspaceId, nameMacOf(this.ctx, workspaceId, nameOrId.trim())) as
        | { id: string }
        | undefined);
    if (!byName) throw new VaultError('NOT_FOUND', `There is no environment named "${nameOrId}" in this workspace.`);
    return this.get(byName.id);
  }

  /** Inserts into `ws` and audits `created`; returns the new id. In a write transaction. Errors: CONFLICT. */
  insert(ws: Workspace, e: ParsedEnvironmentInput): string {
    const id = newId('env', this.ctx.random);
    const now = this.ctx.now();
    const meta: EnvironmentMeta = { name: e.name, baseUrl: e.baseUrl };
    conflictOn(`An environment in ${ws.name}`, e.name, () =>
      this.ctx.db
        .prepare('INSERT INTO environments (id, workspace_id, name_mac, production, meta, meta_gen, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, e.workspaceId, nameMacOf(this.ctx, e.workspaceId, e.name), e.production ? 1 : 0, ...cell(sealMeta(this.ctx, 'environments', id, meta)), now, now),
    );
    this.ctx.audit.appendNow({ type: 'created', note: `environment ${ws.name}/${e.name}` });
    return id;
  }

  /** Applies a patch (row read inside the transaction) and audits `updated`. Errors: NOT_FOUND, CONFLICT. */
  update(id: string, p: ParsedEnvironmentPatch): void {
    conflictOn('An environment', p.name ?? '', () => {
      const current = this.get(id);
      expectUnchanged('environment', current, p.expectedUpdatedAt);
      const meta: EnvironmentMeta = { name: p.name ?? current.name, baseUrl: p.baseUrl ?? current.baseUrl };
      const production = p.production ?? current.production;
      this.ctx.db
        .prepare('UPDATE environments SET name_mac = ?, production = ?, meta = ?, meta_gen = ?, updated_at = MAX(?, updated_at + 1) WHERE id = ?')
        .run(nameMacOf(this.ctx, current.workspaceId, meta.name), production ? 1 : 0, ...cell(sealMeta(this.ctx, 'environments', id, meta)), this.ctx.now(), id);
      this.ctx.audit.appendNow({ type: 'updated', note: `environment ${meta.name}` });
    });
  }

  /** Deletes it with its tokens, audited. In a write transaction. */
  remove(env: Environment): void {
    this.ctx.db.prepare('DELETE FROM environments WHERE id = ?').run(env.id);
    this.ctx.audit.appendNow({ type: 'deleted', note: `environment ${env.name} with its tokens` });
  }

  private from(r: EnvironmentRow): Environment {
    const m = openMeta<EnvironmentMeta>(this.ctx, 'environments', r.id, r.meta, r.meta_gen);
    return {
      id: r.id,
      workspaceId: r.workspace_id,
      name: m.name,
      baseUrl: m.baseUrl,
      production: r.production === 1,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}
