import { openJson, sealJson } from './cipher';
import { openOrNewer, type RecordContext } from './records';

/** The `probe_reports` table: each credential's latest permission probe, sealed (AAD `probe_reports/<credential id>/data`). */
export class ProbeReportRepository {
  constructor(private readonly ctx: RecordContext) {}

  /** Seals a report (it must hold no secret); call before the write transaction, then `put`. Errors: LOCKED. */
  seal(credentialId: string, report: unknown): Buffer {
    return sealJson(this.ctx.keys().enc, report, { table: 'probe_reports', id: credentialId, column: 'data' }, this.ctx.random);
  }

  /** Stores a sealed report in place of the last one. In a write transaction. */
  put(credentialId: string, sealed: Buffer): void {
    this.ctx.db
      .prepare('INSERT INTO probe_reports (credential_id, at, data) VALUES (?, ?, ?) ON CONFLICT(credential_id) DO UPDATE SET at = excluded.at, data = excluded.data')
      .run(credentialId, this.ctx.now(), sealed);
  }

  /** The latest report, or null. Errors: LOCKED, CORRUPT. */
  get<T>(credentialId: string): T | null {
    const keys = this.ctx.keys();
    const row = this.ctx.db.prepare('SELECT data FROM probe_reports WHERE credential_id = ?').get(credentialId) as { data: Buffer } | undefined;
    return row ? openOrNewer(this.ctx, () => openJson<T>(keys.enc, row.data, { table: 'probe_reports', id: credentialId, column: 'data' })) : null;
  }
}
