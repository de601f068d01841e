import { VaultError } from '../../src-shared/errors';
import type { Db } from './db';

export const ROTATION_STEPS = ['started', 'value_provided', 'tested', 'switched', 'finished', 'abandoned'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];
export type RotationMode = 'create' | 'manual';

/** A rotation in progress, as stored: ids, steps and instants only (the tokens are ordinary sealed credentials). */
export interface RotationFlowRecord {
  id: string;
  oldCredentialId: string;
  newCredentialId: string | null;
  mode: RotationMode;
  step: RotationStep;
  /** Tokenvault created the new token at the provider, so abandoning deletes it there. */
  createdRemotely: boolean;
  overlapDays: number | null;
  revokePlannedAt: number | null;
  startedAt: number;
  updatedAt: number;
}

interface Row {
  id: string;
  old_credential_id: string;
  new_credential_id: string | null;
  mode: RotationMode;
  step: RotationStep;
  created_remotely: number;
  overlap_days: number | null;
  revoke_planned_at: number | null;
  started_at: number;
  updated_at: number;
}

const fromRow = (r: Row): RotationFlowRecord => ({
  id: r.id,
  oldCredentialId: r.old_credential_id,
  newCredentialId: r.new_credential_id,
  mode: r.mode,
  step: r.step,
  createdRemotely: r.created_remotely === 1,
  overlapDays: r.overlap_days,
  revokePlannedAt: r.revoke_planned_at,
  startedAt: r.started_at,
  updatedAt: r.updated_at,
});

/**
 * Persistence of rotation flows (migration 5), so a flow survives a restart.
 * Nothing here is secret or typed by the user; the vault's keys are not needed.
 */
export class RotationStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  create(flow: { id: string; oldCredentialId: string; mode: RotationMode }): RotationFlowRecord {
    const at = this.now();
    try {
      this.db
        .prepare(`INSERT INTO rotation_flows (id, old_credential_id, mode, step, started_at, updated_at) VALUES (?, ?, ?, 'started', ?, ?)`)
        .run(flow.id, flow.oldCredentialId, flow.mode, at, at);
    } catch (e) {
      if (e instanceof Error && /UNIQUE constraint failed/.test(e.message)) {
        throw new VaultError('CONFLICT', 'This token already has a rotation in progress: continue it or abandon it first.', {
          details: { flowId: this.openFor(flow.oldCredentialId)?.id ?? null },
        });
      }
      throw e;
    }
    return this.get(flow.id);
  }

  get(id: string): RotationFlowRecord {
    const r = this.db.prepare('SELECT * FROM rotation_flows WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw new VaultError('NOT_FOUND', `There is no rotation ${id}.`);
    return fromRow(r);
  }

  openFor(oldCredentialId: string): RotationFlowRecord | null {
    const r = this.db
      .prepare("SELECT * FROM rotation_flows WHERE old_credential_id = ? AND step NOT IN ('finished', 'abandoned')")
      .get(oldCredentialId) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  listOpen(): RotationFlowRecord[] {
    const rows = this.db.prepare("SELECT * FROM rotation_flows WHERE step NOT IN ('finished', 'abandoned') ORDER BY started_at, id").all() as Row[];
    return rows.map(fromRow);
  }

  update(
    id: string,
    patch: Partial<Pick<RotationFlowRecord, 'newCredentialId' | 'step' | 'createdRemotely' | 'overlapDays' | 'revokePlannedAt'>>,
  ): RotationFlowRecord {
    const cur = this.get(id);
    const next = { ...cur, ...patch };
    this.db
      .prepare(
        `UPDATE rotation_flows SET new_credential_id = ?, step = ?, created_remotely = ?, overlap_days = ?, revoke_planned_at = ?, updated_at = ? WHERE id = ?`,
      )
      .run(next.newCredentialId, next.step, next.createdRemotely ? 1 : 0, next.overlapDays, next.revokePlannedAt, this.now(), id);
    return this.get(id);
  }
}
