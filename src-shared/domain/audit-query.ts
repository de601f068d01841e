import * as z from 'zod';
import { lazy } from './lazy';
import { endOfLocalDate, isDateKey } from '../expiry/calendar';
import { Id, parseDateInput, Timestamp } from './schemas';
import { AUDIT_EVENT_TYPES } from './types';

/**
 * Which audit events to list (issue 12): one token, some event types, a time
 * range — shared by the `audit:list` channel and `tokenvault audit`, so both
 * filter the same way. `from` is inclusive and `to` exclusive, each epoch
 * milliseconds (UTC); `beforeSeq` pages back from an event's sequence number.
 */
export const AuditQuery = lazy(() => z
  .strictObject({
    credentialId: Id.optional(),
    types: z.array(z.enum(AUDIT_EVENT_TYPES)).max(AUDIT_EVENT_TYPES.length).optional(),
    from: Timestamp.optional(),
    to: Timestamp.optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    beforeSeq: z.number().int().min(1).optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'must be after the start of the range', path: ['to'] }));
export type AuditQuery = z.input<typeof AuditQuery>;

/** An audit event as the audit view lists it: with the token's `workspace/env/name` while it still exists (else null). */
export interface AuditEntry {
  seq: number;
  at: number;
  type: (typeof AUDIT_EVENT_TYPES)[number];
  credentialId: string | null;
  fingerprint: string | null;
  note: string | null;
  ref: string | null;
}

/**
 * The instants a range of calendar days covers in `timeZone`: `from` at the
 * start of its day (inclusive), `to` at the end of its day (exclusive: the
 * next day's start). Either may be absent. Full ISO timestamps with a zone
 * are taken as the instant they name. Returns null for a text that is neither.
 */
export function dayRangeBounds(
  range: { from?: string | undefined; to?: string | undefined },
  timeZone: string,
): { from?: number; to?: number } | null {
  const out: { from?: number; to?: number } = {};
  for (const side of ['from', 'to'] as const) {
    const text = range[side]?.trim();
    if (!text) continue;
    let ms: number | null;
    if (isDateKey(text)) {
      // The end of a day is the next day's start; the start of a day is the previous day's end.
      const day = side === 'to' ? text : new Date(Date.parse(`${text}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      ms = endOfLocalDate(day, timeZone) + 1;
    } else ms = /T/.test(text) ? parseDateInput(text) : null;
    if (ms === null) return null;
    out[side] = ms;
  }
  return out;
}
