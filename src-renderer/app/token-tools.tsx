import type { CredentialSummary, Environment, Workspace } from '../../src-shared/domain/types';
import { PermissionsButton, ProbeButton } from '../features/roles/components/roles-actions';
import { SignInButton } from '../features/tester/components/sign-in';
import { TestAllButton } from '../features/tester/components/test-all';
import { TokenTester } from '../features/tester/components/token-tester';
import { useCredentialsStore } from '../features/credentials/stores/credentials-store';
import { RevocationPanel } from '../features/revocation/components/revocation-panel';
import { UseInTerminalButton } from '../features/terminal/components/use-in-terminal';
import { jumpToCredential } from './jump';

/**
 * Where features meet: the tester's and the roles' tools on a token, and
 * their buttons in the token list's toolbar. Features do not import each
 * other; the app composes them here.
 */
export function tokenTools(workspace: Workspace, environment: Environment) {
  return (credential: CredentialSummary) => {
    const context = { credential, workspace, environment };
    return (
      <>
        <TokenTester
          context={context}
          onMoveTo={(environmentId) => useCredentialsStore.getState().actions.requestMove(credential.id, environmentId)}
          actions={
            <>
              <PermissionsButton context={context} />
              <ProbeButton context={context} />
              <UseInTerminalButton workspace={workspace} environment={environment} credential={credential} />
            </>
          }
        />
        <RevocationPanel
          key={credential.id}
          credential={credential}
          workspace={workspace}
          environment={environment}
          providerId={workspace.providerId}
          onOpenToken={(id) => void jumpToCredential({ credentialId: id })}
        />
      </>
    );
  };
}

export function ListTools({ workspace, environment, where }: { workspace: Workspace; environment: Environment; where: string }) {
  return (
    <>
      <TestAllButton workspaceId={workspace.id} environmentId={environment.id} where={where} />
      <SignInButton
        providerId={workspace.providerId}
        environmentId={environment.id}
        where={where}
        onSignedIn={(id) => useCredentialsStore.getState().actions.selectWhenLoaded(id)}
      />
    </>
  );
}
