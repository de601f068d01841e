import * as z from 'zod';
import { Id, Timestamp } from './schemas';
import { AUDIT_EVENT_TYPES } from './types';

/**
 * Which audit events to list (issue 12): one token, some event types, a time
 * range — shared by the `audit:list` channel and `tokenvault audit`, so both
 * filter the same way. `from` is inclusive and `to` exclusive, each epoch
 * milliseconds (UTC); `beforeSeq` pages back from an event's sequence number.
 */
export const AuditQuery = z
  .strictObject({
    credentialId: Id.optional(),
    types: z.array(z.enum(AUDIT_EVENT_TYPES)).max(AUDIT_EVENT_TYPES.length).optional(),
    from: Timestamp.optional(),
    to: Timestamp.optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    beforeSeq: z.number().int().min(1).optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'must be after the start of the range', path: ['to'] });
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
