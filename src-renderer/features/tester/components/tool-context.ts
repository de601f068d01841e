import type { CredentialSummary, Environment, Workspace } from '../../../../src-shared/domain/types';

/** Where a token lives: what the tools need to word production guardrails and find the provider. */
export interface TokenContext {
  credential: CredentialSummary;
  workspace: Workspace;
  environment: Environment;
}
