import * as z from 'zod';
import type { ErrorPayload, Result } from '../errors';
import { CHANNEL_NAMES, EVENT_NAMES, type ChannelName, type EventName } from './channel-names';
import {
  CredentialPatch,
  EnvironmentPatch,
  Id,
  KeySource,
  ProviderId,
  SettingsPatch,
  Timestamp,
  WorkspacePatch,
  type Settings,
} from '../domain/schemas';
import type { RateLimitState } from '../http/rate-limit';
import type { RedirectVerdict } from '../http/redirect-verdict';
import type { ScanReport } from '../domain/scan-types';
import { AuditQuery, type AuditEntry } from '../domain/audit-query';
import {
  CONFLICT_CHOICES,
  IMPORT_FORMATS,
  type BackupInspection,
  type ConflictChoice,
  type ImportFormat,
  type ImportPreview,
  type ImportResult,
} from '../domain/transfer-types';
import type { ProviderDefinition } from '../providers';
import { MAX_BACKUP_KEEP, type BackupScheduleView } from '../domain/backup-schedule';
import type { CheckResult } from '../roles';
import { DueKind, WithinDays, type DueItem } from '../expiry/due-types';
import type {
  RegenerateResult,
  RevocationPlan,
  RevokeResult,
  RotationAbandonResult,
  RotationFinishResult,
  RotationFlowView,
  RotationStartResult,
  RotationTestResult,
  SyncReport,
} from '../domain/revocation-types';
import type {
  TestOutcome,
  AuditVerification,
  CredentialSummary,
  Environment,
  Listed,
  VaultStatus,
  Workspace,
} from '../domain/types';

/**
 * The one IPC contract. Every channel names its input schema (checked in the
 * main process before any handler runs) and its result type. The preload,
 * browser mode and the renderer's client are all derived from this object:
 * adding a channel is one entry here plus one handler in src-main/ipc.
 *
 * Channels are `<domain>:<verb-noun>`. Only `credentials:reveal` and
 * `credentials:copy` ever answer with a secret value.
 */

// The schemas say only what the boundary needs: shape and size. The vault
// re-parses with the domain schemas, which own the rules (names, URLs…).
const Empty = z.strictObject({});
const Any = z.unknown();
const Text = (max: number) => z.string().max(max);
type KeyChangeInput = { keySource: KeySource; passphrase?: string; currentPassphrase?: string };
/** issue 12: an opaque folder handle handed out by the main process (scan:pick-folder, scan:allow-folder). */
const FolderHandle = z.string().regex(/^fld_[0-9a-f]{20}$/, 'must be a folder chosen with scan:pick-folder or scan:allow-folder');
const FlowId = z.string().regex(/^rot_[0-9a-v]{20}$/, 'must be a rotation id such as rot_0123456789abcdefghij');

/**
 * Phantom type carrier: the output exists only for the compiler. Inputs are
 * annotated `z.ZodType<X, X>` (output and input), so callers' payloads are
 * type-checked too, not only the handlers'.
 */
// issue 14: inputs of the backup and import channels.
/** A file's bytes as base64; browser mode's request limit (1 MiB) is the smaller bound there. */
const Base64 = z.string().max(256 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const ConflictChoiceSchema = z.enum(CONFLICT_CHOICES);
type RestoreInput = {
  base64: string;
  passphrase: string;
  choices?: { all?: ConflictChoice; byKey?: Record<string, ConflictChoice> };
  newVault?: { keySource: KeySource; passphrase?: string };
};
type ScheduleInput = { folder: string; every: string; keep: number; passphrase?: string };
/** `files`: a picked folder (a Bruno collection) as its files' paths and texts; `fileName` is then the folder's name and `text` is ignored. */
type ImportInput = { fileName: string; text: string; format: 'auto' | ImportFormat; workspace: string; env?: string; files?: { path: string; text: string }[] };
const ImportInputSchema = z.strictObject({
  fileName: Text(255),
  text: Text(10 * 1024 * 1024),
  format: z.enum(['auto', ...IMPORT_FORMATS]),
  workspace: Text(100).min(1),
  env: Text(100).optional(),
  files: z.array(z.strictObject({ path: Text(1024).min(1), text: Text(1024 * 1024) })).max(500).optional(),
});

function channel<I extends z.ZodType, O>(input: I): { input: I; output: O } {
  return { input, output: undefined as unknown as O };
}

export const contract = {
  'vault:get-status': channel<typeof Empty, VaultStatus>(Empty),
  'vault:create': channel<z.ZodType<{ keySource: KeySource; passphrase?: string }, { keySource: KeySource; passphrase?: string }>, VaultStatus>(
    z.strictObject({ keySource: KeySource, passphrase: Text(2048).optional() }),
  ),
  'vault:unlock': channel<z.ZodType<{ passphrase?: string }, { passphrase?: string }>, VaultStatus>(z.strictObject({ passphrase: Text(2048).optional() })),
  'vault:lock': channel<typeof Empty, VaultStatus>(Empty),
  /**
   * Re-wraps the vault key (records untouched): a new passphrase, or keychain ↔ passphrase.
   * `currentPassphrase` is required while the key is behind a passphrase (issue 12);
   * WRONG_PASSPHRASE or KEYCHAIN_UNAVAILABLE change nothing.
   */
  'vault:change-key-source': channel<z.ZodType<KeyChangeInput, KeyChangeInput>, VaultStatus>(
    z.strictObject({ keySource: KeySource, passphrase: Text(2048).optional(), currentPassphrase: Text(2048).optional() }),
  ),
  /** The renderer reports user activity (throttled) so auto-lock measures real idleness. */
  'vault:report-activity': channel<typeof Empty, { lockInMs: number | null }>(Empty),

  'settings:get': channel<typeof Empty, Settings>(Empty),
  'settings:update': channel<typeof SettingsPatch, Settings>(SettingsPatch),

  'workspaces:list': channel<typeof Empty, Listed<Workspace>[]>(Empty),
  'workspaces:add': channel<typeof Any, Workspace>(Any),
  'workspaces:update': channel<z.ZodType<{ id: string; patch: z.input<typeof WorkspacePatch> }, { id: string; patch: z.input<typeof WorkspacePatch> }>, Workspace>(
    z.strictObject({ id: Id, patch: WorkspacePatch }),
  ),
  'workspaces:remove': channel<z.ZodType<{ id: string }, { id: string }>, { removed: string }>(z.strictObject({ id: Id })),

  'environments:list': channel<z.ZodType<{ workspaceId: string }, { workspaceId: string }>, Listed<Environment>[]>(z.strictObject({ workspaceId: Id })),
  'environments:add': channel<typeof Any, Environment>(Any),
  'environments:update': channel<z.ZodType<{ id: string; patch: z.input<typeof EnvironmentPatch> }, { id: string; patch: z.input<typeof EnvironmentPatch> }>, Environment>(
    z.strictObject({ id: Id, patch: EnvironmentPatch }),
  ),
  'environments:remove': channel<z.ZodType<{ id: string }, { id: string }>, { removed: string }>(z.strictObject({ id: Id })),

  'credentials:list': channel<z.ZodType<{ workspaceId: string; environmentId?: string }, { workspaceId: string; environmentId?: string }>, Listed<CredentialSummary>[]>(
    z.strictObject({ workspaceId: Id, environmentId: Id.optional() }),
  ),
  'credentials:get': channel<z.ZodType<{ id: string }, { id: string }>, CredentialSummary>(z.strictObject({ id: Id })),
  'credentials:add': channel<typeof Any, CredentialSummary>(Any),
  'credentials:update': channel<z.ZodType<{ id: string; patch: z.input<typeof CredentialPatch> }, { id: string; patch: z.input<typeof CredentialPatch> }>, CredentialSummary>(
    z.strictObject({ id: Id, patch: CredentialPatch }),
  ),
  'credentials:remove': channel<z.ZodType<{ id: string }, { id: string }>, { removed: string }>(z.strictObject({ id: Id })),
  /** Shows the value: audited as `revealed`. The renderer must not keep it in state. */
  'credentials:reveal': channel<z.ZodType<{ id: string }, { id: string }>, { value: string; refreshToken?: string; hideAfterSeconds: number }>(
    z.strictObject({ id: Id }),
  ),
  /**
   * Copies the value: audited as `copied`. In Electron the main process writes
   * the clipboard and `value` is absent; in browser mode the page must write
   * it, so `value` is present and the page clears it after `clearAfterSeconds`.
   */
  'credentials:copy': channel<z.ZodType<{ id: string }, { id: string }>, { value?: string; clearAfterSeconds: number }>(z.strictObject({ id: Id })),

  /** Newest first; filters by token, event types and a time range (issue 12's audit view; `tokenvault audit` filters the same way). */
  'audit:list': channel<z.ZodType<AuditQuery, AuditQuery>, AuditEntry[]>(AuditQuery),
  'audit:verify': channel<typeof Empty, AuditVerification>(Empty),

  'search:query': channel<z.ZodType<{ query: string; limit?: number }, { query: string; limit?: number }>, SearchResult[]>(
    z.strictObject({ query: Text(200), limit: z.number().int().min(1).max(200).optional() }),
  ),

  /** Provider definitions are data without secrets: the renderer gets them whole. */
  'providers:list': channel<typeof Empty, ProviderInfo[]>(Empty),
  /** A user's own definition, as the text of its JSON file. */
  'providers:add': channel<z.ZodType<{ json: string }, { json: string }>, ProviderInfo>(z.strictObject({ json: Text(512 * 1024) })),

  /** Production is read-only until armed by typing the workspace name; arming lasts a few minutes. */
  'environments:arm': channel<z.ZodType<{ environmentId: string; confirmName: string }, { environmentId: string; confirmName: string }>, { armedUntil: number }>(
    z.strictObject({ environmentId: Id, confirmName: Text(200) }),
  ),
  'environments:disarm': channel<z.ZodType<{ environmentId: string }, { environmentId: string }>, { armedUntil: null }>(z.strictObject({ environmentId: Id })),
  'environments:arm-status': channel<z.ZodType<{ environmentId: string }, { environmentId: string }>, { armedUntil: number | null }>(z.strictObject({ environmentId: Id })),

  /** One click: the provider's safe preset (or a chosen one) with this token. */
  /** issue-9: `force` sends despite an open rate-limit hold (audited). */
  'credentials:test': channel<z.ZodType<{ id: string; presetId?: string; force?: boolean }, { id: string; presetId?: string; force?: boolean }>, TestResult>(
    z.strictObject({ id: Id, presetId: Text(100).optional(), force: z.boolean().optional() }),
  ),
  /** Tests every token of a workspace (or one environment); progress comes as `tests:progress` events. */
  'credentials:test-all': channel<z.ZodType<{ workspaceId: string; environmentId?: string }, { workspaceId: string; environmentId?: string }>, { runId: string; total: number }>(
    z.strictObject({ workspaceId: Id, environmentId: Id.optional() }),
  ),
  /** Signs in to a provider's JWT session; the password is used once and not stored. */
  'credentials:login': channel<z.ZodType<{ environmentId: string; name: string; email: string; password: string }, { environmentId: string; name: string; email: string; password: string }>, CredentialSummary>(
    z.strictObject({ environmentId: Id, name: Text(200), email: Text(320), password: Text(1024) }),
  ),
  'tests:cancel': channel<z.ZodType<{ runId: string }, { runId: string }>, { cancelled: boolean }>(z.strictObject({ runId: Text(100) })),
  'tests:history': channel<z.ZodType<{ credentialId: string; limit?: number }, { credentialId: string; limit?: number }>, TestHistoryItem[]>(
    z.strictObject({ credentialId: Id, limit: z.number().int().min(1).max(500).optional() }),
  ),
  /** The request panel: any method, path, headers and body, sent with the token by the main process. issue-9: `force` as above. */
  'requests:send': channel<
    z.ZodType<
      { credentialId: string; method: string; path: string; headers?: Record<string, string>; body?: string; force?: boolean },
      { credentialId: string; method: string; path: string; headers?: Record<string, string>; body?: string; force?: boolean }
    >,
    TestResult
  >(
    z.strictObject({
      credentialId: Id,
      method: z.string().regex(/^[A-Za-z]{3,10}$/, 'must be an HTTP method'),
      path: Text(2048),
      headers: z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'must be a header name'), Text(4096)).optional(),
      body: z.string().max(256 * 1024).optional(),
      force: z.boolean().optional(),
    }),
  ),
  /** Pre-flight: does the documented role/scope model allow this call? */
  'checks:check': channel<z.ZodType<{ credentialId: string; method: string; path: string }, { credentialId: string; method: string; path: string }>, CheckResult | null>(
    z.strictObject({ credentialId: Id, method: z.string().regex(/^[A-Za-z]{3,10}$/), path: Text(2048) }),
  ),

  /** Expiry and rotation dates within `withinDays` (default 30; past ones always), earliest first. Needs the vault unlocked. */
  'due:list': channel<z.ZodType<DueListInput, DueListInput>, DueItem[]>(
    z.strictObject({
      withinDays: WithinDays.optional(),
      workspaceId: Id.optional(),
      environmentId: Id.optional(),
      providerId: ProviderId.optional(),
      kind: DueKind.optional(),
    }),
  ),
  /** Workspace id → tokens due soon, overdue or expired: badges. Works while locked (ids and dates only). */
  'due:counts': channel<typeof Empty, Record<string, number>>(Empty),
  /** Every upcoming date as iCalendar text (the page saves it); audited as `exported`. */
  'due:export-ics': channel<z.ZodType<{ withinDays?: number }, { withinDays?: number }>, { ics: string }>(z.strictObject({ withinDays: WithinDays.optional() })),
  /** Silences one token's reminders until `untilMs`; a time already past lifts the snooze (`untilMs: null`). */
  'reminders:snooze': channel<z.ZodType<{ credentialId: string; untilMs: number }, { credentialId: string; untilMs: number }>, { credentialId: string; untilMs: number | null }>(
    z.strictObject({ credentialId: Id, untilMs: Timestamp }),
  ),

  /** What a permission probe would send, with the documented answer for each cell; nothing is sent. */
  'probes:plan': channel<z.ZodType<{ credentialId: string; contentTypes?: string[] }, { credentialId: string; contentTypes?: string[] }>, ProbeReport>(
    z.strictObject({ credentialId: Id, contentTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,62}$/)).max(50).optional() }),
  ),
  /** Runs the probe; production needs the environment's name typed. Progress comes as `probes:progress`. */
  'probes:start': channel<
    z.ZodType<{ credentialId: string; confirmEnvironment?: string; resume?: boolean; contentTypes?: string[] }, { credentialId: string; confirmEnvironment?: string; resume?: boolean; contentTypes?: string[] }>,
    { runId: string; total: number }
  >(
    z.strictObject({
      credentialId: Id,
      confirmEnvironment: Text(200).optional(),
      resume: z.boolean().optional(),
      contentTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,62}$/)).max(50).optional(),
    }),
  ),
  'probes:cancel': channel<z.ZodType<{ runId: string }, { runId: string }>, { cancelled: boolean }>(z.strictObject({ runId: Text(100) })),
  /** The last probe of a credential (kept with it), or null. */
  'probes:report': channel<z.ZodType<{ credentialId: string }, { credentialId: string }>, ProbeReport | null>(z.strictObject({ credentialId: Id })),

  /** Parses a Markdown or CSV permission table for preview; nothing is saved. */
  'roles:parse-table': channel<
    z.ZodType<{ text: string; format?: 'markdown' | 'csv' | 'auto' }, { text: string; format?: 'markdown' | 'csv' | 'auto' }>,
    { ok: true; matrix: { roles: string[]; endpoints: { path: string; allow: Record<string, string[]> }[] } } | { ok: false; errors: { row: number; column: number; message: string }[] }
  >(z.strictObject({ text: Text(512 * 1024), format: z.enum(['markdown', 'csv', 'auto']).optional() })),
  /** Saves a parsed table as the role matrix of one of the user's providers; a malformed table saves nothing. */
  'roles:save-table': channel<z.ZodType<{ providerId: string; text: string; label: string; format?: 'markdown' | 'csv' | 'auto' }, { providerId: string; text: string; label: string; format?: 'markdown' | 'csv' | 'auto' }>, ProviderInfo>(
    z.strictObject({ providerId: Text(63), text: Text(512 * 1024), label: Text(200), format: z.enum(['markdown', 'csv', 'auto']).optional() }),
  ),
  /** A provider's role matrix as Markdown or CSV. */
  'roles:export': channel<z.ZodType<{ providerId: string; format: 'markdown' | 'csv' }, { providerId: string; format: 'markdown' | 'csv' }>, { text: string }>(
    z.strictObject({ providerId: Text(63), format: z.enum(['markdown', 'csv']) }),
  ),

  /** How this token is revoked: through the API (Strapi) or a checklist in the portal, and what that needs. */
  'revocation:plan': channel<z.ZodType<{ credentialId: string }, { credentialId: string }>, RevocationPlan>(z.strictObject({ credentialId: Id })),
  /**
   * API mode: revokes at the provider, marks it revoked (final), wipes its value
   * (unless settings.keepRevokedSecrets) and proves it dead with a test call.
   * Production tokens need `confirmName` = the token's name. Fails with
   * SIGN_IN_REQUIRED when no management session is signed in; any failure changes nothing.
   */
  'revocation:revoke': channel<z.ZodType<{ credentialId: string; confirmName?: string }, { credentialId: string; confirmName?: string }>, RevokeResult>(
    z.strictObject({ credentialId: Id, confirmName: Text(200).optional() }),
  ),
  /** "I revoked it" after the checklist: marked revoked only when the verification call gets 401, or with `override` (audited). */
  'revocation:confirm-manual': channel<z.ZodType<{ credentialId: string; override?: boolean }, { credentialId: string; override?: boolean }>, RevokeResult>(
    z.strictObject({ credentialId: Id, override: z.boolean().optional() }),
  ),
  /** A new value from the provider (the old dies at once) straight into the vault, then tested. Never answers the value. */
  'revocation:regenerate': channel<z.ZodType<{ credentialId: string; confirmName?: string }, { credentialId: string; confirmName?: string }>, RegenerateResult>(
    z.strictObject({ credentialId: Id, confirmName: Text(200).optional() }),
  ),
  /** The provider's token list against the vault; `apply` marks tokens gone remotely as revoked. */
  'revocation:sync': channel<z.ZodType<{ workspaceId: string; environmentId: string; apply?: boolean }, { workspaceId: string; environmentId: string; apply?: boolean }>, SyncReport>(
    z.strictObject({ workspaceId: Id, environmentId: Id, apply: z.boolean().optional() }),
  ),

  /** Starts a no-downtime rotation: `create` makes the new token through the provider's API, `manual` returns the portal steps. */
  'rotation:start': channel<z.ZodType<{ credentialId: string; mode: 'create' | 'manual' }, { credentialId: string; mode: 'create' | 'manual' }>, RotationStartResult>(
    z.strictObject({ credentialId: Id, mode: z.enum(['create', 'manual']) }),
  ),
  /** Manual mode: the new token's value, pasted; stored as a new credential linked to the old. */
  'rotation:provide-value': channel<z.ZodType<{ flowId: string; value: string }, { flowId: string; value: string }>, RotationFlowView>(
    z.strictObject({ flowId: FlowId, value: Text(16_384) }),
  ),
  /** Tests the new token; `passed` (ok) lets the flow switch. */
  'rotation:test': channel<z.ZodType<{ flowId: string }, { flowId: string }>, RotationTestResult>(z.strictObject({ flowId: FlowId })),
  /** The new token becomes current (the two swap names); the old stays valid `overlapDays` (0–365), its revoke planned then. */
  'rotation:switch': channel<z.ZodType<{ flowId: string; overlapDays: number }, { flowId: string; overlapDays: number }>, RotationFlowView>(
    z.strictObject({ flowId: FlowId, overlapDays: z.number().int().min(0).max(365) }),
  ),
  /** Revokes the old token (API: `confirmName` in production; portal: the verification decides, or `override`). */
  'rotation:finish': channel<z.ZodType<{ flowId: string; confirmName?: string; override?: boolean }, { flowId: string; confirmName?: string; override?: boolean }>, RotationFinishResult>(
    z.strictObject({ flowId: FlowId, confirmName: Text(200).optional(), override: z.boolean().optional() }),
  ),
  /** Stops at any step: the old token stays untouched and current; a token created by the API is deleted there when possible. */
  'rotation:abandon': channel<z.ZodType<{ flowId: string }, { flowId: string }>, RotationAbandonResult>(z.strictObject({ flowId: FlowId })),
  /** Rotations in progress. */
  'rotation:list': channel<typeof Empty, RotationFlowView[]>(Empty),

  // issue-12: manage what you created.
  /**
   * Moves a token to another environment (any workspace), optionally renamed.
   * Into production it needs `confirmName` = the target workspace's name, else PRODUCTION_LOCKED.
   */
  'credentials:move': channel<
    z.ZodType<
      { id: string; environmentId: string; name?: string; confirmName?: string; expectedUpdatedAt?: number },
      { id: string; environmentId: string; name?: string; confirmName?: string; expectedUpdatedAt?: number }
    >,
    CredentialSummary
  >(
    z.strictObject({
      id: Id,
      environmentId: Id,
      name: Text(200).optional(),
      confirmName: Text(200).optional(),
      // The token's updatedAt when the move dialog opened: CONFLICT when it changed since (fix: stale edits).
      expectedUpdatedAt: z.number().int().min(0).optional(),
    }),
  ),
  /** What deleting a workspace takes with it. */
  'workspaces:usage': channel<z.ZodType<{ id: string }, { id: string }>, { environments: number; credentials: number }>(z.strictObject({ id: Id })),
  /** Other tokens holding this one's value in an environment of the other kind (sandbox vs production); compared by blind index. */
  'credentials:value-warnings': channel<
    z.ZodType<{ id: string }, { id: string }>,
    { credentialId: string; where: string; production: boolean; message: string }[]
  >(z.strictObject({ id: Id })),
  // ---- issue 12 (12b): Settings. A workspace's default rotation period (tokens without their own).
  'workspaces:rotation-policy': channel<z.ZodType<{ id: string }, { id: string }>, { rotationDays: number | null; providerRotationDays: number | null }>(
    z.strictObject({ id: Id }),
  ),
  /** Sets (or with null removes) the workspace's default rotation period in days (1–3,650); audited. */
  'workspaces:set-rotation-days': channel<
    z.ZodType<{ id: string; rotationDays: number | null }, { id: string; rotationDays: number | null }>,
    { rotationDays: number | null; providerRotationDays: number | null }
  >(z.strictObject({ id: Id, rotationDays: z.number().int().min(1).max(3650).nullable() })),
  // ---- issue 12 (12a): "Copy as curl" — the exact request with the token as $TOKEN, built by the main process without reading the value.
  'requests:curl': channel<
    z.ZodType<
      { credentialId: string; presetId?: string; method?: string; path?: string; headers?: Record<string, string>; body?: string },
      { credentialId: string; presetId?: string; method?: string; path?: string; headers?: Record<string, string>; body?: string }
    >,
    CurlCommand
  >(
    z.strictObject({
      credentialId: Id,
      presetId: Text(100).optional(),
      method: z.string().regex(/^[A-Za-z]{3,10}$/, 'must be an HTTP method').optional(),
      path: Text(2048).optional(),
      headers: z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'must be a header name'), Text(4096)).optional(),
      body: z.string().max(256 * 1024).optional(),
    }),
  ),
  // ---- end issue 12 (12a)
  // ---- issue 13: "Scan a folder" (the leak scanner); progress as `scan:progress`, the report in `scan:finished`.
  /** issue 12: `folder` is a handle from scan:pick-folder / scan:allow-folder, never a path from the page. */
  'scan:start': channel<z.ZodType<{ folder: string; noIgnore?: boolean }, { folder: string; noIgnore?: boolean }>, { runId: string }>(
    z.strictObject({ folder: FolderHandle, noIgnore: z.boolean().optional() }),
  ),
  'scan:cancel': channel<z.ZodType<{ runId: string }, { runId: string }>, { cancelled: boolean }>(z.strictObject({ runId: Text(100) })),
  /** Shows a file of that run's findings in the file manager (no other path is accepted). */
  'scan:reveal-file': channel<z.ZodType<{ runId: string; path: string }, { runId: string; path: string }>, { revealed: boolean }>(
    z.strictObject({ runId: Text(100), path: Text(4096) }),
  ),
  // ---- issue 12 (12c): the folder to scan is chosen in the main process (folder-grants.ts says why); the keychain probe.
  /** Electron: the OS folder picker; null when cancelled. Browser mode refuses (it has no picker). */
  'scan:pick-folder': channel<typeof Empty, { folder: string; path: string } | null>(Empty),
  /** Browser mode: a typed path, allowed inside the roots fixed when the server started. The Electron app refuses. */
  'scan:allow-folder': channel<z.ZodType<{ path: string }, { path: string }>, { folder: string; path: string }>(z.strictObject({ path: Text(4096).min(1) })),
  /** First run: does the OS keychain answer? Probed in the main process with a short bound (about 2 s); `reason` says why not. */
  'vault:keychain-status': channel<typeof Empty, { available: boolean; reason: string | null }>(Empty),
  // ---- issue 14: backup, restore, import, export. Files travel as their content (the page picks and
  // saves them), never as paths; no channel here returns a token value.
  /** An encrypted backup (age, scrypt passphrase) of the whole vault, base64, for the page to save; audited. */
  'backup:create': channel<z.ZodType<{ passphrase: string }, { passphrase: string }>, { fileName: string; base64: string; workspaces: number; environments: number; credentials: number }>(
    z.strictObject({ passphrase: Text(1024) }),
  ),
  /** What restoring a backup would do (new vault, or a merge with its conflicts); writes nothing. */
  'backup:inspect': channel<z.ZodType<{ base64: string; passphrase: string }, { base64: string; passphrase: string }>, BackupInspection>(
    z.strictObject({ base64: Base64, passphrase: Text(1024) }),
  ),
  /** Restores into a new vault (`newVault`) where there is none, else merges; a conflict without a choice is refused (CONFLICT). */
  'backup:restore': channel<z.ZodType<RestoreInput, RestoreInput>, { mode: 'new' | 'merge'; workspaces: number; environments: number; credentials: number; resolved: number }>(
    z.strictObject({
      base64: Base64,
      passphrase: Text(1024),
      choices: z.strictObject({ all: ConflictChoiceSchema.optional(), byKey: z.record(z.string().max(200), ConflictChoiceSchema).optional() }).optional(),
      newVault: z.strictObject({ keySource: KeySource, passphrase: Text(2048).optional() }).optional(),
    }),
  ),
  /** What importing a file would create, skip and keep, and its problems with their locations; writes nothing. */
  'import:preview': channel<z.ZodType<ImportInput, ImportInput>, ImportPreview>(ImportInputSchema),
  /** Imports in one transaction; any problem refuses it (VALIDATION, each location an issue path) and nothing is saved. */
  'import:apply': channel<z.ZodType<ImportInput, ImportInput>, ImportResult & { preview: ImportPreview }>(ImportInputSchema),
  /** A workspace as provider-neutral JSON without secrets; audited. Plaintext exports are the CLI's, never a channel's. */
  'export:workspace': channel<z.ZodType<{ workspaceId: string }, { workspaceId: string }>, { fileName: string; text: string }>(z.strictObject({ workspaceId: Id })),
  // ---- issue 14: scheduled backups to a folder of this machine (keep the last N). The folder is a path
  // on the machine the main process runs on; the passphrase is sealed under the vault key, never returned.
  /** The schedule and its last run (success or failure); null when none is set. */
  'backup:get-schedule': channel<typeof Empty, BackupScheduleView | null>(Empty),
  /** Sets the schedule after checking the folder (absolute, existing, writable); `passphrase` may be left out to keep the stored one. */
  'backup:set-schedule': channel<z.ZodType<ScheduleInput, ScheduleInput>, BackupScheduleView>(
    z.strictObject({ folder: Text(4096).min(1), every: Text(20).min(1), keep: z.number().int().min(1).max(MAX_BACKUP_KEEP), passphrase: Text(1024).optional() }),
  ),
  /** Turns the schedule off; files already written stay. */
  'backup:clear-schedule': channel<typeof Empty, { cleared: boolean }>(Empty),
  /** Runs the scheduled backup now ("Back up now"), whether due or not; a failure is recorded and answered as an error. */
  'backup:run-scheduled': channel<typeof Empty, { file: string | null; removed: number; schedule: BackupScheduleView }>(Empty),
} as const;

export interface ProbeCellReport {
  method: string;
  endpoint: string;
  path: string;
  documented: 'allowed' | 'denied';
  write: boolean;
  observed: 'allowed' | 'denied' | 'skipped' | 'error' | null;
  status: number | null;
  note: string;
  mismatch: boolean;
}

export interface ProbeReport {
  credentialId: string;
  environmentId: string;
  environmentName: string;
  production: boolean;
  startedAt: number;
  finishedAt: number | null;
  complete: boolean;
  cancelled: boolean;
  notes: string[];
  cells: ProbeCellReport[];
}

export interface ProviderInfo {
  definition: ProviderDefinition;
  source: 'builtin' | 'user';
}

/** What a test history entry keeps (sealed in `test_history`): enough to read back what happened, never a value, headers or a body. */
export interface TestHistoryEntry {
  method: string;
  path: string;
  status: number | null;
  explanation: string;
  totalMs: number;
  rateLimitRemaining: number | null;
  /** issue 12: the rest of the result (absent in entries older than it; built by services/test-history-detail.ts). */
  detail?: TestHistoryDetail;
}

/** A history entry as `tests:history` lists it: with when it ran and its outcome. */
export interface TestHistoryItem extends TestHistoryEntry {
  at: number;
  outcome: TestOutcome;
}

// --- issue 12 (12a): the full past result, and "Copy as curl" ---
/** What a history entry keeps of a result beyond its summary: every field but the response headers and body. */
export type TestHistoryDetail = Pick<
  TestResult,
  'url' | 'presetId' | 'timings' | 'rateLimit' | 'preflight' | 'diagnosis' | 'identity' | 'warnings' | 'redirect' | 'redirects' | 'notes' | 'contentType' | 'bodyBytes'
>;

/** The exact request as shell lines: the token is `$TOKEN`, never its value. */
export interface CurlCommand {
  curl: string;
  /** The same request through `tokenvault exec`, which puts the token in `$TOKEN` for the command only. */
  exec: string;
}
// --- end issue 12 (12a) ---

/** What a test or request answers; never the token, and the body preview has any echoed token redacted. */
export interface TestResult {
  credentialId: string;
  presetId: string | null;
  method: string;
  url: string;
  status: number | null;
  classification: TestOutcome;
  explanation: string;
  timings: { dnsMs: number | null; connectMs: number | null; tlsMs: number | null; firstByteMs: number | null; totalMs: number };
  headers: Record<string, string>;
  bodyPreview: string;
  bodyBytes: number;
  bodyTruncated: boolean;
  contentType: string | null;
  rateLimit: RateLimitState | null;
  redirects: { status: number; location: string; credentialSent: boolean }[];
  credentialSent: boolean;
  at: number;
  preflight: CheckResult | null;
  /** For `other_environment`, `environment` names where the token is valid (the "Move to …" fix). */
  diagnosis: { cause: 'expired' | 'revoked' | 'other_environment' | 'format' | 'invalid'; message: string; environment?: { id: string; name: string; production: boolean } } | null;
  identity: { account: string | null; company: string | null } | null;
  warnings: string[];
  // --- issue-9: redirect verdicts and reading notes (one block) ---
  /** Set when the outcome is `redirected`: the chain of requests, why the engine stopped, in words. */
  redirect: RedirectVerdict | null;
  /** How the answer was read: content decoding, charset, a rate-limit header that made no sense. */
  notes: string[];
  // --- end issue-9 ---
}

export interface DueListInput {
  withinDays?: number;
  workspaceId?: string;
  environmentId?: string;
  providerId?: string;
  kind?: DueKind;
}

export interface SearchResult {
  type: 'workspace' | 'environment' | 'credential';
  id: string;
  name: string;
  path: string;
  workspaceId: string;
  environmentId: string | null;
}

export type Contract = typeof contract;
export type Channel = keyof Contract;

// Both directions: a channel missing from CHANNEL_NAMES, or a name without a contract entry, fails to compile.
type Missing = Exclude<Channel, ChannelName> | Exclude<ChannelName, Channel>;
const _namesMatchContract: [Missing] extends [never] ? true : Missing = true;
void _namesMatchContract;
/** What a caller passes (before parsing). */
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
/** What a handler receives (after parsing). */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = Contract[C]['output'];
export type ChannelResult<C extends Channel> = Result<ChannelOutput<C>>;

export const CHANNELS: readonly Channel[] = CHANNEL_NAMES;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** Events pushed from main to renderer: `<domain>:<noun-happened>`. */
export interface EventMap {
  /** issue 12: `diagnosis` is the full why of a 401 (null when none), apart from the explanation. */
  'tests:progress': {
    runId: string;
    done: number;
    total: number;
    credentialId: string;
    outcome: TestOutcome | 'held_back' | 'error';
    explanation: string;
    diagnosis: string | null;
    /** issue 9/15 (ui): a held_back row's hold (retryAt in ms since the epoch, UTC), for the app to say in its own words; absent otherwise. */
    hold?: { provider: string | null; status: number; retryAt: number };
  };
  'tests:finished': { runId: string; done: number; total: number; cancelled: boolean };
  'probes:progress': { runId: string; credentialId: string; done: number; total: number; method: string; path: string; observed: 'allowed' | 'denied' | 'skipped' | 'error'; mismatch: boolean };
  'probes:finished': { runId: string; credentialId: string; cancelled: boolean; mismatches: number };
  'vault:locked': { reason: 'user' | 'idle' | 'system' };
  'vault:unlocked': Record<string, never>;
  'vault:changed': { entity: 'workspace' | 'environment' | 'credential' | 'settings'; id: string | null };
  /**
   * A reminder came due: the shells show it as a notification. While the vault
   * is locked the text names no token; `credentialId` is null for a summary of several.
   */
  'reminders:due': { credentialId: string | null; title: string; body: string };
  /** issue 13: a folder scan's progress and its end (the report, or why not). */
  'scan:progress': { runId: string; files: number; bytes: number; current: string };
  'scan:finished': { runId: string; cancelled: boolean; report: ScanReport | null; error: ErrorPayload | null };
}
type MissingEvent = Exclude<keyof EventMap, EventName> | Exclude<EventName, keyof EventMap>;
const _eventsMatch: [MissingEvent] extends [never] ? true : MissingEvent = true;
void _eventsMatch;
export { EVENT_NAMES, type EventName };

/** The API the renderer sees as `window.tokenvault` (Electron preload) or through browser mode. */
export interface TokenvaultApi {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  /** Which shell serves the page; the UI words a few things differently (clipboard). */
  readonly shell: 'electron' | 'browser';
}

export type { ErrorPayload };
