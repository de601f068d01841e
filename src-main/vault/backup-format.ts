import * as z from 'zod';
import { AUDIT_EVENT_TYPES } from '../../src-shared/domain/types';
import { VaultError } from '../../src-shared/errors';

/**
 * The document inside a backup file (docs/backup-format.md describes it for
 * people): every table of the vault with its sealed columns decrypted, the
 * audit log's events, and the user's provider definitions. It is only ever
 * written inside an age file; on its own it is plaintext.
 *
 * `version` is this document's format, independent of the database schema:
 * a reader refuses a higher version (UNSUPPORTED_VERSION) and reads every
 * lower one.
 */
export const BACKUP_FORMAT = 'tokenvault-backup';
export const BACKUP_VERSION = 1;

/** Tables in the order they are restored (parents before children). */
export const BACKUP_TABLES = [
  'settings',
  'workspaces',
  'workspace_policies',
  'environments',
  'credentials',
  'credential_expiry',
  'test_history',
  'probe_reports',
  'reminders_sent',
  'reminder_snoozes',
  'rotation_flows',
] as const;
export type BackupTable = (typeof BACKUP_TABLES)[number];

/** A row: column name → value; sealed columns hold their decrypted JSON, derived columns (name_mac) are left out. */
const Row = z.record(z.string(), z.unknown());

export const BackupAuditEvent = z.strictObject({
  seq: z.number().int().positive(),
  at: z.number().int(),
  type: z.enum(AUDIT_EVENT_TYPES),
  credentialId: z.string().nullable(),
  fingerprint: z.string().nullable(),
  note: z.string().nullable(),
});
export type BackupAuditEvent = z.infer<typeof BackupAuditEvent>;

export const BackupDocument = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.number().int().positive(),
  /** ISO 8601, UTC. */
  createdAt: z.string(),
  /** `tokenvault <version>`. */
  generator: z.string(),
  source: z.strictObject({
    vaultId: z.string(),
    /** `PRAGMA user_version` of the vault that was backed up. */
    schemaVersion: z.number().int().nonnegative(),
    keySource: z.enum(['keychain', 'passphrase']),
  }),
  /** The audit chain's verification when the backup was made (the events below are its content). */
  auditVerified: z.strictObject({ ok: z.boolean(), checked: z.number().int().nonnegative() }),
  // A table added to the schema after a backup was made is absent from it: read as empty.
  tables: z.strictObject(Object.fromEntries(BACKUP_TABLES.map((t) => [t, z.array(Row).default([])])) as Record<BackupTable, z.ZodDefault<z.ZodArray<typeof Row>>>),
  audit: z.array(BackupAuditEvent),
  /** The user's provider definitions (`<home>/providers/*.json`), as parsed JSON. */
  providers: z.array(z.strictObject({ file: z.string().regex(/^[A-Za-z0-9._-]{1,120}\.json$/), definition: z.unknown() })),
});
export type BackupDocument = z.infer<typeof BackupDocument>;

function notABackup(why: string): VaultError {
  return new VaultError('VALIDATION', `This file is not a Tokenvault backup (${why}).`, { details: { reason: 'not_a_backup' } });
}

/**
 * Reads the decrypted JSON of a backup. Throws VALIDATION (`not_a_backup`)
 * for JSON that is not a backup, UNSUPPORTED_VERSION for a newer format, and
 * CORRUPT with the JSON path of the first bad field for a malformed one.
 */
export function parseBackupDocument(text: string): BackupDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw notABackup('its content is not JSON');
  }
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== BACKUP_FORMAT) {
    throw notABackup(`it does not say format "${BACKUP_FORMAT}"`);
  }
  const version = (value as { version?: unknown }).version;
  if (typeof version === 'number' && version > BACKUP_VERSION) {
    throw new VaultError(
      'UNSUPPORTED_VERSION',
      `This backup was written by a newer Tokenvault (backup format ${version}; this version reads up to ${BACKUP_VERSION}). Update Tokenvault to restore it.`,
      { details: { found: version, supported: BACKUP_VERSION } },
    );
  }
  const parsed = BackupDocument.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((i) => ({ path: `$.${i.path.join('.')}`, message: i.message }));
    throw new VaultError('CORRUPT', `The backup's content is malformed at ${issues[0]?.path ?? '$'}: ${issues[0]?.message ?? 'invalid'}.`, {
      issues,
      details: { reason: 'malformed' },
    });
  }
  return parsed.data;
}
