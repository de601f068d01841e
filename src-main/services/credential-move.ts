import { VaultError } from '../../src-shared/errors';
import type { CredentialSummary } from '../../src-shared/domain/types';
import type { Vault } from '../vault/vault';

/** What a move needs: the token, where it goes, and (into production) the confirmation. */
export interface MoveRequest {
  credentialId: string;
  environmentId: string;
  /** A new name in the target environment; absent keeps the name. */
  name?: string;
  /** Into production from anywhere else: the target workspace's name, typed (as arming asks). */
  confirmName?: string;
  /** The token's `updatedAt` when the user chose the move; CONFLICT when it changed since. */
  expectedUpdatedAt?: number;
}

/** True when moving this token there puts it into production from outside it: the case that needs the typed name. */
export function moveNeedsConfirmation(vault: Vault, credentialId: string, environmentId: string): boolean {
  const c = vault.getCredential(credentialId);
  const from = vault.getEnvironment(c.environmentId);
  const to = vault.getEnvironment(environmentId);
  return to.production && !(from.production && from.id === to.id);
}

/**
 * Moves a token to another environment or workspace (the fix for a token
 * filed under the wrong one). Moving into production is the one direction
 * that can hurt (a sandbox token's requests would then go to live systems),
 * so it needs the target workspace's name typed, compared like arming does
 * (trimmed, NFC, exact case). Errors: NOT_FOUND, CONFLICT (name taken there),
 * PRODUCTION_LOCKED (name missing or wrong; nothing moved), CONFLICT
 * (`expectedUpdatedAt` given and the token was saved elsewhere since).
 */
export function moveCredential(vault: Vault, req: MoveRequest): CredentialSummary {
  if (moveNeedsConfirmation(vault, req.credentialId, req.environmentId)) {
    const to = vault.getEnvironment(req.environmentId);
    const ws = vault.getWorkspace(to.workspaceId);
    const typed = (req.confirmName ?? '').normalize('NFC').trim();
    if (typed !== ws.name.normalize('NFC')) {
      throw new VaultError(
        'PRODUCTION_LOCKED',
        req.confirmName === undefined
          ? `${ws.name}/${to.name} is PRODUCTION: type the workspace name "${ws.name}" to move a token into it.`
          : `The name typed does not match "${ws.name}"; nothing was moved.`,
        { issues: [{ path: 'confirmName', message: `must be the workspace name "${ws.name}"` }] },
      );
    }
  }
  return vault.moveCredential(req.credentialId, req.environmentId, req.name, req.expectedUpdatedAt);
}
