import type { CredentialSummary, Environment, Workspace } from '../../../../src-shared/domain/types';

/** The token a roles screen is about, and where it lives (its provider, its production flag). */
export interface TokenContext {
  credential: CredentialSummary;
  workspace: Workspace;
  environment: Environment;
}
