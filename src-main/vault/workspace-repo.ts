import { VaultError } from '../../src-shared/errors';
import type { WorkspaceInput, WorkspacePatch } from '../../src-shared/domain/schemas';
import type { Listed, Workspace } from '../../src-shared/domain/types';
import type { DueStore } from './due-store';
import { newId } from './ids';
import { byName, cell, conflictOn, expectUnchanged, nameMacOf, openMeta, sealMeta, tryRead, type RecordContext } from './records';

export type ParsedWorkspaceInput = ReturnType<typeof WorkspaceInput.parse>;
export type ParsedWorkspacePatch = ReturnType<typeof WorkspacePatch.parse>;

/** What is sealed in `workspaces.meta` (AAD `workspaces/<id>/meta`). */
interface WorkspaceMeta {
  name: string;
  providerId: string | null;
  color: string | null;
  notes: string;
}

interface WorkspaceRow {
  id: string;
  meta: Buffer;
  meta_gen: number;
  created_at: number;
  updated_at: number;
}

/**
 * The `workspaces` table: its statements and its sealing. Reads need the
 * keys (LOCKED otherwise); the writing methods run inside the caller's write
 * transaction and append their audit event there.
 */
export class WorkspaceRepository {
  constructor(
    private readonly ctx: RecordContext,
    private readonly due: DueStore,
  ) {}

  /** Every workspace by name; one that fails to authenticate is listed as `{ corrupt }`. */
  list(): Listed<Workspace>[] {
    this.ctx.keys();
    const rows = this.ctx.db.prepare('SELECT id, meta, meta_gen, created_at, updated_at FROM workspaces').all() as WorkspaceRow[];
    return rows.map((r) => tryRead('workspaces', r.id, () => this.from(r), this.ctx)).sort(byName);
  }

  /** Errors: LOCKED, NOT_FOUND, CORRUPT. */
  get(id: string): Workspace {
    const keys = this.ctx.keys();
    const load = () => {
      const r = this.ctx.db.prepare('SELECT id, meta, meta_gen, created_at, updated_at FROM workspaces WHERE id = ?').get(id) as WorkspaceRow | undefined;
      if (!r) throw new VaultError('NOT_FOUND', `There is no workspace with id ${id}.`);
      return this.from(r);
    };
    // A copy: the cached record is shared (its fields are all plain values).
    return { ...(this.ctx.cache ? this.ctx.cache.get('workspaces', id, keys, load) : load()) };
  }

  /** By id (`ws_…`) or by name (case-insensitive, via its keyed hash). Errors: LOCKED, NOT_FOUND. */
  find(nameOrId: string): Workspace {
    this.ctx.keys();
    if (nameOrId.startsWith('ws_')) {
      const byId = this.ctx.db.prepare('SELECT 1 FROM workspaces WHERE id = ?').get(nameOrId);
      if (byId) return this.get(nameOrId);
    }
    const r = this.ctx.db.prepare('SELECT id FROM workspaces WHERE name_mac = ?').get(nameMacOf(this.ctx, '', nameOrId.trim())) as { id: string } | undefined;
    if (!r) throw new VaultError('NOT_FOUND', `There is no workspace named "${nameOrId}".`);
    return this.get(r.id);
  }

  /** What deleting a workspace takes with it, counted without decrypting (damaged rows count too). */
  usage(id: string): { environments: number; credentials: number } {
    this.get(id);
    const count = (table: 'environments' | 'credentials') =>
      (this.ctx.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE workspace_id = ?`).get(id) as { n: number }).n;
    return { environments: count('environments'), credentials: count('credentials') };
  }

  /** Inserts and audits `created`; returns the new id. In a write transaction. Errors: CONFLICT (name taken). */
  insert(w: ParsedWorkspaceInput): string {
    const id = newId('ws', this.ctx.random);
    const now = this.ctx.now();
    const meta: WorkspaceMeta = { name: w.name, providerId: w.providerId ?? null, color: w.color ?? null, notes: w.notes ?? '' };
    conflictOn('A workspace', w.name, () =>
      this.ctx.db
        .prepare('INSERT INTO workspaces (id, name_mac, meta, meta_gen, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, nameMacOf(this.ctx, '', w.name), ...cell(sealMeta(this.ctx, 'workspaces', id, meta)), now, now),
    );
    this.ctx.audit.appendNow({ type: 'created', note: `workspace ${w.name}` });
    return id;
  }

  /**
   * Applies a patch and audits `updated`. In a write transaction: the row is
   * read there, so no other process can change it between read and write.
   * Errors: NOT_FOUND, CONFLICT (stale `expectedUpdatedAt`, or name taken).
   */
  update(id: string, p: ParsedWorkspacePatch): void {
    conflictOn('A workspace', p.name ?? '', () => {
      const current = this.get(id);
      expectUnchanged('workspace', current, p.expectedUpdatedAt);
      const meta: WorkspaceMeta = {
        name: p.name ?? current.name,
        providerId: p.providerId ?? current.providerId,
        color: p.color ?? current.color,
        notes: p.notes ?? current.notes,
      };
      this.ctx.db
        .prepare('UPDATE workspaces SET name_mac = ?, meta = ?, meta_gen = ?, updated_at = MAX(?, updated_at + 1) WHERE id = ?')
        .run(nameMacOf(this.ctx, '', meta.name), ...cell(sealMeta(this.ctx, 'workspaces', id, meta)), this.ctx.now(), id);
      this.ctx.audit.appendNow({ type: 'updated', note: `workspace ${meta.name}` });
    });
  }

  /** Deletes it with its environments and tokens (foreign keys cascade), audited. In a write transaction. */
  remove(w: Workspace): void {
    this.ctx.db.prepare('DELETE FROM workspaces WHERE id = ?').run(w.id);
    this.ctx.audit.appendNow({ type: 'deleted', note: `workspace ${w.name} with its environments and tokens` });
  }

  /** Sets (null removes) the default rotation period in days, audited. In a write transaction. */
  setRotationDays(ws: Workspace, rotationDays: number | null): void {
    this.due.setWorkspaceRotationDays(ws.id, { rotationDays });
    this.ctx.audit.appendNow({
      type: 'updated',
      note: `workspace ${ws.name}: ${rotationDays === null ? 'no default rotation period' : `rotate every ${rotationDays} days by default`}`,
    });
  }

  private from(r: WorkspaceRow): Workspace {
    const m = openMeta<WorkspaceMeta>(this.ctx, 'workspaces', r.id, r.meta, r.meta_gen);
    return { id: r.id, ...m, createdAt: r.created_at, updatedAt: r.updated_at };
  }
}
