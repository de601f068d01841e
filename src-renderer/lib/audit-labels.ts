import type { AuditEventType } from '../../src-shared/domain/types';

/** How each audit event type reads in the UI: a token's Activity and the audit view. */
export const AUDIT_LABELS: Record<AuditEventType, string> = {
  created: 'Added',
  updated: 'Edited',
  deleted: 'Deleted',
  revealed: 'Revealed',
  copied: 'Copied',
  tested: 'Tested',
  revoked: 'Revoked',
  rotated: 'Rotated',
  imported: 'Imported',
  exported: 'Exported',
  unlocked: 'Vault unlocked',
  locked: 'Vault locked',
  unlock_failed: 'Unlock failed',
  key_source_changed: 'Key source changed',
  moved: 'Moved',
  used: 'Used (exec/proxy)',
};
