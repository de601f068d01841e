import { openJson, sealJson } from './cipher';
import { newGen, openOrNewer, type RecordContext, type SealedCell } from './records';

/**
 * The `probe_reports` table: each credential's latest permission probe,
 * sealed under a fresh write generation each time it is written (AAD
 * `v2/probe_reports/<credential id>/data/<data_gen>`, issue 15: a report is
 * replaced in place, so the one from before a re-probe, written back, must
 * not open; see cipher.ts and migration 14).
 */
export class ProbeReportRepository {
  constructor(private readonly ctx: RecordContext) {}

  /** Seals a report (it must hold no secret) under a fresh generation; call before the write transaction, then `put`. Errors: LOCKED. */
  seal(credentialId: string, report: unknown): SealedCell {
    const gen = newGen(this.ctx.random);
    return { box: sealJson(this.ctx.keys().enc, report, { table: 'probe_reports', id: credentialId, column: 'data', gen }, this.ctx.random), gen };
  }

  /** Stores a sealed report and its generation in place of the last one. In a write transaction. */
  put(credentialId: string, sealed: SealedCell): void {
    this.ctx.db
      .prepare(
        'INSERT INTO probe_reports (credential_id, at, data, data_gen) VALUES (?, ?, ?, ?) ON CONFLICT(credential_id) DO UPDATE SET at = excluded.at, data = excluded.data, data_gen = excluded.data_gen',
      )
      .run(credentialId, this.ctx.now(), sealed.box, sealed.gen);
  }

  /** The latest report, or null. Errors: LOCKED, CORRUPT (a damaged box, or an older one written back). */
  get<T>(credentialId: string): T | null {
    const keys = this.ctx.keys();
    const row = this.ctx.db.prepare('SELECT data, data_gen FROM probe_reports WHERE credential_id = ?').get(credentialId) as { data: Buffer; data_gen: number } | undefined;
    return row ? openOrNewer(this.ctx, () => openJson<T>(keys.enc, row.data, { table: 'probe_reports', id: credentialId, column: 'data', gen: row.data_gen })) : null;
  }
}
