import { providerRotationDays, type ProviderRotationDefaults } from '../../src-shared/expiry/rotation-policy';
import type { Vault } from '../vault/vault';

/**
 * Mirrors each workspace's provider advice (Coolset: rotate every 90 days) into
 * the plaintext policy table, as a number, so the reminders can apply it while
 * the vault is locked. The provider id stays sealed in the workspace; this
 * runs when it can be read: at unlock and after a workspace changes.
 */
export function syncProviderRotationDays(vault: Vault, defaults: ProviderRotationDefaults, workspaceId?: string): number {
  if (!vault.isUnlocked) return 0;
  let changed = 0;
  const workspaces = workspaceId === undefined ? vault.listWorkspaces() : vault.due.workspaceExists(workspaceId) ? [vault.getWorkspace(workspaceId)] : [];
  for (const ws of workspaces) {
    if ('corrupt' in ws) continue;
    const days = providerRotationDays(ws.providerId, defaults);
    if (vault.due.workspaceRotationDays(ws.id).providerRotationDays === days) continue;
    vault.due.setWorkspaceRotationDays(ws.id, { providerRotationDays: days });
    changed++;
  }
  return changed;
}
