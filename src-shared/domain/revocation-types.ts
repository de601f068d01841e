import type { TestOutcome } from './types';

/**
 * What the revocation, regeneration, sync and rotation channels answer. None
 * of these carries a token value: new values go straight into the vault.
 */

/** How to revoke one token, for the screen that asks. */
export interface RevocationPlan {
  credentialId: string;
  /** `api`: Tokenvault revokes it; `portal`: the user does, following `steps`, then confirms. */
  mode: 'api' | 'portal';
  /** The checklist (for `api`, the manual fallback). */
  steps: string[];
  /** Where to do it: the revocation page, else the provider's portal link; null when undocumented. */
  url: string | null;
  /** Where tokens live in the provider's portal, in its words ("Settings → API Tokens"). */
  portalPage: string | null;
  /** Documented as final (Regate). Every revocation is final in the vault. */
  irreversible: boolean;
  /** `api` mode needs a signed-in management session (Strapi: an admin login) in the same environment. */
  needsManagementSession: boolean;
  hasManagementSession: boolean;
  /** A production token: the name to type as `confirmName` for revoke/regenerate; null when none is needed. */
  confirmName: string | null;
  /** The token's id at the provider is known (api mode needs it; sync fills it). */
  hasRemoteId: boolean;
  canRegenerate: boolean;
  /** The test preset the verification call sends. */
  verifyWith: string | null;
  /** Already revoked in the vault. */
  revoked: boolean;
}

/** The call that proves a token dead (or a new one alive). */
export interface VerificationCall {
  method: string;
  url: string;
  status: number | null;
  outcome: TestOutcome;
  explanation: string;
}

export interface RevokeResult {
  credentialId: string;
  /** Now revoked in the vault. */
  revoked: boolean;
  /** It was revoked in the vault before this call; nothing was sent. */
  alreadyRevoked: boolean;
  /** The provider no longer knew the token (404, or absent from its answer). */
  alreadyRevokedAtProvider: boolean;
  /** Portal mode: the verification call still got through ("still accepted"); nothing was changed (so never with `revoked`). */
  stillAccepted: boolean;
  /** Marked revoked on the user's say-so although the verification did not prove it (audited). */
  overridden: boolean;
  /** The value was wiped from the vault (unless settings.keepRevokedSecrets). */
  valueWiped: boolean;
  /** The follow-up call; null when none could be sent (the message says why). */
  verification: VerificationCall | null;
  message: string;
}

export interface RegenerateResult {
  credentialId: string;
  previousFingerprint: string;
  fingerprint: string;
  /** The new value tested; the old one is dead at the provider. */
  verification: VerificationCall | null;
  message: string;
}

export interface SyncedToken {
  credentialId: string;
  remoteId: string;
  remoteName: string | null;
  tokenType: string | null;
  expiresAt: number | null;
  lastUsedAt: number | null;
  /** Fields updated in the vault: `expiresAt`, `tokenType`. */
  changed: string[];
  /** A change the vault refused (e.g. a type the provider model does not know). */
  problem: string | null;
}

export interface SyncReport {
  workspaceId: string;
  environmentId: string;
  at: number;
  /** `apply` was given: tokens missing remotely were marked revoked. */
  applied: boolean;
  matched: SyncedToken[];
  /** In the vault with a remote id, absent at the provider: revoked or deleted there. */
  missingRemotely: { credentialId: string; name: string; remoteId: string; markedRevoked: boolean }[];
  /** At the provider, not in the vault. Their values cannot be fetched (shown only once, at creation). */
  untracked: { remoteId: string; name: string | null; tokenType: string | null; createdAt: number | null; lastUsedAt: number | null; expiresAt: number | null }[];
  /**
   * In the vault without a remote id. `sameNameRemoteId`: the one provider
   * token of the same name (sync --apply links it); `sameNameRemoteIds`: every
   * one, when several share the name (link by hand: token edit REF --remote-id ID).
   * A provider token named here is not listed again as untracked.
   */
  unlinked: { credentialId: string; name: string; sameNameRemoteId: string | null; sameNameRemoteIds: string[] }[];
  /** Linked by this sync (`apply`): the vault token and the only provider token of the same name. Also listed in `matched`. */
  linked: { credentialId: string; name: string; remoteId: string }[];
}

export type RotationStepName = 'started' | 'value_provided' | 'tested' | 'switched' | 'finished' | 'abandoned';

export interface RotationFlowView {
  flowId: string;
  mode: 'create' | 'manual';
  step: RotationStepName;
  /** What the user does next: `provide-value`, `test`, `switch`, `finish`, or null when over. */
  next: 'provide-value' | 'test' | 'switch' | 'finish' | null;
  oldCredentialId: string;
  newCredentialId: string | null;
  /** Names as they are now (the switch swaps them: the current token keeps the familiar name). */
  oldName: string | null;
  newName: string | null;
  /** The new token was created at the provider by Tokenvault (abandoning deletes it there). */
  createdRemotely: boolean;
  overlapDays: number | null;
  /** When the old token is due to be revoked (switch + overlap). */
  revokePlannedAt: number | null;
  /** Production: the old token's name, to type as `confirmName` when finishing through the API. */
  confirmName: string | null;
  startedAt: number;
  updatedAt: number;
}

export interface RotationStartResult {
  flow: RotationFlowView;
  /** Manual mode (or no create API): where and how to create the new token. */
  instructions: { steps: string[]; url: string | null; portalPage: string | null } | null;
  message: string;
}

export interface RotationTestResult {
  flow: RotationFlowView;
  verification: VerificationCall;
  /** `ok`: the flow may switch. */
  passed: boolean;
  message: string;
}

export interface RotationFinishResult {
  flow: RotationFlowView;
  revocation: RevokeResult;
}

export interface RotationAbandonResult {
  flow: RotationFlowView;
  /** What happened to the new token, in words (deleted at the provider, kept unlinked, …). */
  message: string;
}
