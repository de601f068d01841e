import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditEvent, AuditEventType, AuditVerification } from '../../src-shared/domain/types';
import type { AuditQuery } from '../../src-shared/domain/audit-query';
import { VaultError } from '../../src-shared/errors';
import type { Db } from './db';
import { openJson, sealJson } from './cipher';

export interface AuditInput {
  type: AuditEventType;
  credentialId?: string | null;
  fingerprint?: string | null;
  note?: string | null;
  at?: number;
}

interface AuditRow {
  seq: number;
  at: number;
  type: string;
  credential_id: string | null;
  data: Buffer | null;
  mac: Buffer;
}

interface PendingEvent {
  type: AuditEventType;
  credentialId: string | null;
  fingerprint: string | null;
  note: string | null;
  at: number;
}

const GENESIS = Buffer.alloc(32);

/**
 * The tamper-evident audit log. Each event's MAC covers its own fields and the
 * previous event's MAC, so editing, deleting or reordering any event breaks
 * every link after it; the head kept in vault_meta catches a cut-off tail.
 *
 * Events of writes are appended inside the write's transaction. Events of
 * reads (reveal, copy) are queued and committed together at the end of the
 * tick: a reveal stays as cheap as a read, and the event is on disk before the
 * process does anything else that could be observed as a later event.
 */
export class AuditLog {
  private readonly queue: PendingEvent[] = [];
  /** Events that ride along with the next write, and never cause one (a CLI process's unlock). */
  private deferred: PendingEvent[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly keys: () => { enc: Buffer; audit: Buffer },
    private readonly now: () => number,
  ) {}

  /** Appends now; call inside the transaction of the change it records. */
  appendNow(input: AuditInput): void {
    this.writeQueued();
    this.write(this.normalize(input));
  }

  /** Appends at the end of the current tick (or at the next flush). */
  appendSoon(input: AuditInput): void {
    this.queue.push(this.normalize(input));
    this.scheduleFlush(0);
  }

  /**
   * The end-of-tick flush runs outside any caller, so it must not throw: an
   * exception there would be uncaught and end the process (the app's main
   * process). When another process holds the write lock past the busy wait
   * (BUSY), the events stay queued and the flush is tried again later, with a
   * growing pause (up to 2 s); on any other error they stay queued for the
   * next write or flush, which reports it to its caller.
   */
  private scheduleFlush(delayMs: number): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      try {
        this.flush();
        this.retryMs = 0;
      } catch (e) {
        this.scheduled = false;
        if (e instanceof VaultError && e.code === 'BUSY') {
          this.retryMs = Math.min(2000, Math.max(50, this.retryMs * 2));
          this.scheduleFlush(this.retryMs);
        }
      }
    };
    if (delayMs === 0) setImmediate(run);
    else setTimeout(run, delayMs).unref();
  }
  private retryMs = 0;

  /**
   * Records `input` together with the next event this process writes, in
   * the same transaction, without writing on its own; dropped if the process
   * writes nothing before `dropDeferred` (its lock or exit).
   */
  appendWithNext(input: AuditInput): void {
    this.deferred.push(this.normalize(input));
  }

  dropDeferred(): void {
    this.deferred = [];
  }

  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    this.db.transaction(() => this.writeQueued())();
  }

  private writeQueued(): void {
    if (this.deferred.length > 0) {
      const ride = this.deferred;
      this.deferred = [];
      for (const e of ride) this.write(e);
    }
    while (this.queue.length > 0) this.write(this.queue.shift()!);
  }

  private normalize(input: AuditInput): PendingEvent {
    return {
      type: input.type,
      credentialId: input.credentialId ?? null,
      fingerprint: input.fingerprint ?? null,
      note: input.note ?? null,
      at: input.at ?? this.now(),
    };
  }

  private write(e: PendingEvent): void {
    const head = this.db.prepare('SELECT audit_head_seq AS seq, audit_head_mac AS mac FROM vault_meta WHERE id = 1').get() as {
      seq: number;
      mac: Buffer | null;
    };
    const seq = head.seq + 1;
    const { enc, audit } = this.keys();
    const data =
      e.fingerprint === null && e.note === null
        ? null
        : sealJson(enc, { fingerprint: e.fingerprint, note: e.note }, dataLoc(seq));
    const mac = linkMac(audit, head.mac ?? GENESIS, { seq, at: e.at, type: e.type, credential_id: e.credentialId, data });
    this.db
      .prepare('INSERT INTO audit (seq, at, type, credential_id, data, mac) VALUES (?, ?, ?, ?, ?, ?)')
      .run(seq, e.at, e.type, e.credentialId, data, mac);
    this.db.prepare('UPDATE vault_meta SET audit_head_seq = ?, audit_head_mac = ? WHERE id = 1').run(seq, mac);
  }

  /**
   * Events newest first, `limit` (1–1000, default 100) at a time; page on with
   * `beforeSeq` (the last seq seen). Filters combine: one token, any of
   * `types`, and `from` (inclusive) / `to` (exclusive), both epoch ms (UTC).
   * The IPC channel `audit:list` and `tokenvault audit` both come here.
   */
  list(opts: AuditQuery = {}): AuditEvent[] {
    this.flush();
    const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
    const where: string[] = ['seq < @before'];
    const params: Record<string, unknown> = { before: opts.beforeSeq ?? Number.MAX_SAFE_INTEGER, limit };
    if (opts.credentialId) {
      where.push('credential_id = @credentialId');
      params.credentialId = opts.credentialId;
    }
    if (opts.types && opts.types.length > 0) {
      where.push(`type IN (${opts.types.map((_, i) => `@type${i}`).join(', ')})`);
      opts.types.forEach((t, i) => (params[`type${i}`] = t));
    }
    if (opts.from !== undefined) {
      where.push('at >= @from');
      params.from = opts.from;
    }
    if (opts.to !== undefined) {
      where.push('at < @to');
      params.to = opts.to;
    }
    const rows = this.db.prepare(`SELECT * FROM audit WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT @limit`).all(params) as AuditRow[];
    const { enc } = this.keys();
    return rows.map((r) => {
      const data = r.data ? openJson<{ fingerprint: string | null; note: string | null }>(enc, r.data, dataLoc(r.seq)) : null;
      return {
        seq: r.seq,
        at: r.at,
        type: r.type as AuditEventType,
        credentialId: r.credential_id,
        fingerprint: data?.fingerprint ?? null,
        note: data?.note ?? null,
      };
    });
  }

  /**
   * Walks the chain from its first event: each event's seq follows the last,
   * its MAC matches, and the head in vault_meta names the last one. `onEvent`,
   * when given, sees each event whose link checked out, in seq order, in the
   * same walk (one read of the log for whoever also needs the events).
   */
  verify(onEvent?: (seq: number, data: Buffer | null) => void): AuditVerification {
    this.flush();
    const { audit } = this.keys();
    let prev: Buffer = GENESIS;
    let expectedSeq = 1;
    let checked = 0;
    for (const row of this.db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
      if (row.seq !== expectedSeq) {
        return broken(checked, expectedSeq, `event ${expectedSeq} is missing`);
      }
      const mac = linkMac(audit, prev, row);
      if (!Buffer.isBuffer(row.mac) || row.mac.length !== mac.length || !timingSafeEqual(mac, row.mac)) {
        return broken(checked, row.seq, `event ${row.seq} was changed, or an event before it was`);
      }
      onEvent?.(row.seq, row.data);
      prev = row.mac;
      expectedSeq++;
      checked++;
    }
    const head = this.db.prepare('SELECT audit_head_seq AS seq, audit_head_mac AS mac FROM vault_meta WHERE id = 1').get() as {
      seq: number;
      mac: Buffer | null;
    };
    if (head.seq !== checked || (checked > 0 && (!head.mac || !timingSafeEqual(head.mac, prev)))) {
      return broken(checked, checked + 1, `the log ends at event ${checked} but the vault recorded ${head.seq} events`);
    }
    return { ok: true, checked, firstBrokenSeq: null, reason: null };
  }
}

function broken(checked: number, seq: number, reason: string): AuditVerification {
  return { ok: false, checked, firstBrokenSeq: seq, reason };
}

/** Where an event's sealed data sits (its box's additional data). */
export const dataLoc = (seq: number) => ({ table: 'audit', id: String(seq), column: 'data' });

/** The MAC linking an event to the one before it (`prev`: that event's MAC, or 32 zero bytes for the first). Exported for test-support's chain rewrite. */
export function linkMac(
  key: Buffer,
  prev: Buffer,
  row: { seq: number; at: number; type: string; credential_id: string | null; data: Buffer | null },
): Buffer {
  const h = createHmac('sha256', key);
  h.update(prev);
  const fields = [String(row.seq), String(row.at), row.type, row.credential_id ?? ''];
  for (const f of fields) {
    const b = Buffer.from(f, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    h.update(len).update(b);
  }
  const data = row.data ?? Buffer.alloc(0);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(row.data ? data.length : 0xffffffff);
  h.update(len).update(data);
  return h.digest();
}
