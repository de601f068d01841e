import { lazy, Suspense, type ComponentProps, type ComponentType } from 'react';

/**
 * Views that most sessions never open, loaded on demand (issue 15): each is a
 * separate chunk fetched the first time it renders, so the first load (unlock
 * screen, token list) carries less JavaScript. `npm run bench` reports the
 * first-load and total sizes.
 *
 * Each export has the same name and props as the view it wraps: making a view
 * lazy is changing its import to this module, nothing else. The fallback is
 * empty: the chunk comes from the app's own origin in a few milliseconds, and
 * a spinner for that long would only flicker.
 */
function onDemand<M, K extends keyof M & string>(load: () => Promise<M>, name: K) {
  type View = M[K] extends ComponentType<infer P> ? ComponentType<P> : never;
  const Lazy = lazy(async () => ({ default: (await load())[name] as View }));
  function OnDemand(props: ComponentProps<View>) {
    return (
      <Suspense fallback={null}>
        {/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- props are View's own, forwarded unchanged */}
        <Lazy {...(props as any)} />
      </Suspense>
    );
  }
  OnDemand.displayName = `OnDemand(${name})`;
  return OnDemand as unknown as View;
}

export const SettingsDialog = onDemand(() => import('../features/settings/components/settings-dialog'), 'SettingsDialog');
/** Backup, restore, import and export. */
export const TransferDialog = onDemand(() => import('../features/transfer/components/transfer-dialog'), 'TransferDialog');
/** The due view and its timeline chart (recharts, the largest dependency). */
export const DueView = onDemand(() => import('../features/due/components/due-view'), 'DueView');
/** The audit log view. */
export const AuditView = onDemand(() => import('../features/audit/components/audit-view'), 'AuditView');
/** A provider's permissions matrix. */
export const PermissionsDialog = onDemand(() => import('../features/roles/components/permissions-dialog'), 'PermissionsDialog');
export const ProbeDialog = onDemand(() => import('../features/roles/components/probe-dialog'), 'ProbeDialog');

// Dialogs opened by a click, never needed to show the token list (issue 15:
// they kept the first load over its budget, and through the provider schema,
// the role model and the request form they pulled zod into it).
/** The provider editor (with the provider-definition schema). */
export const ProvidersDialog = onDemand(() => import('../features/providers/components/providers-dialog'), 'ProvidersDialog');
export const ScanDialog = onDemand(() => import('../features/scan/components/scan-dialog'), 'ScanDialog');
/** The request panel (any call with a token). */
export const RequestDialog = onDemand(() => import('../features/tester/components/request-dialog'), 'RequestDialog');
export const CredentialFormDialog = onDemand(() => import('../features/credentials/components/credential-form-dialog'), 'CredentialFormDialog');
export const MoveCredentialDialog = onDemand(() => import('../features/credentials/components/move-credential-dialog'), 'MoveCredentialDialog');
export const AddWorkspaceDialog = onDemand(() => import('../features/workspaces/components/add-workspace-dialog'), 'AddWorkspaceDialog');
export const AddEnvironmentDialog = onDemand(() => import('../features/workspaces/components/add-environment-dialog'), 'AddEnvironmentDialog');
export const EditWorkspaceDialog = onDemand(() => import('../features/workspaces/components/manage-dialogs'), 'EditWorkspaceDialog');
export const EditEnvironmentDialog = onDemand(() => import('../features/workspaces/components/manage-dialogs'), 'EditEnvironmentDialog');
export const RevokeDialog = onDemand(() => import('../features/revocation/components/revoke-dialog'), 'RevokeDialog');
export const RegenerateDialog = onDemand(() => import('../features/revocation/components/regenerate-dialog'), 'RegenerateDialog');
export const RotateWizard = onDemand(() => import('../features/revocation/components/rotate-wizard'), 'RotateWizard');
export const SyncDialog = onDemand(() => import('../features/revocation/components/sync-dialog'), 'SyncDialog');
/** First run's "Restore from backup…". */
export const RestoreNewVault = onDemand(() => import('../features/vault/components/restore-new-vault'), 'RestoreNewVault');
