import { VaultError } from '../../src-shared/errors';
import { fillPathTemplate } from '../../src-shared/domain/path-template';
import { isCorrupt, type CredentialSummary, type Environment, type TestOutcome, type Workspace } from '../../src-shared/domain/types';
import { authFor, type ManagementRequest, type ProviderDefinition, type TokenManagement } from '../../src-shared/providers';
import type { Vault } from '../vault/vault';
import type { RequestService } from './request-service';
import { clause } from '../../src-shared/http/provider-message';

/** What a management request came back with: its outcome in words, and the parsed JSON answer (may hold new values). */
export interface ManagementAnswer {
  status: number | null;
  classification: TestOutcome;
  explanation: string;
  json: unknown;
}

export interface TokenContext {
  credential: CredentialSummary;
  env: Environment;
  ws: Workspace;
  def: ProviderDefinition;
}

/**
 * The provider's token-management API (list, create, regenerate, revoke), as
 * its definition describes it, sent through the request service so the
 * engine's rules (origin, transport, production guardrail) apply and each
 * call lands in the authorizing credential's history.
 */
export class ManagementApi {
  constructor(
    private readonly vault: Vault,
    private readonly requests: RequestService,
  ) {}

  context(credentialId: string): TokenContext {
    const credential = this.vault.getCredential(credentialId);
    const env = this.vault.getEnvironment(credential.environmentId);
    const ws = this.vault.getWorkspace(credential.workspaceId);
    return { credential, env, ws, def: this.requests.providerOf(ws.providerId) };
  }

  /**
   * Does a separate credential authorize management (Strapi: an admin
   * login), or may the token manage itself (a provider whose API tokens
   * revoke themselves)?
   */
  needsSession(def: ProviderDefinition, token: CredentialSummary | null): boolean {
    const tm = def.tokenManagement;
    if (!tm) return false;
    return authFor(def, tm.authorizedBy)?.purpose === 'management' || token?.kind !== tm.authorizedBy;
  }

  /**
   * The credential that authorizes management requests in this environment:
   * the token itself when it may manage itself, else the newest usable
   * credential of the authorizing kind (the admin session the user signed in with).
   */
  authorizer(def: ProviderDefinition, environmentId: string, token: CredentialSummary | null): CredentialSummary | null {
    const tm = def.tokenManagement;
    if (!tm) return null;
    if (token && !this.needsSession(def, token)) return token;
    const candidates = this.vault
      .listCredentials({ environmentId })
      .filter((c): c is CredentialSummary => !isCorrupt(c))
      .filter((c) => c.kind === tm.authorizedBy && c.id !== token?.id && c.status === 'active' && c.hasValue);
    candidates.sort((a, b) => b.updatedAt - a.updatedAt);
    return candidates[0] ?? null;
  }

  requireAuthorizer(def: ProviderDefinition, env: Environment, ws: Workspace, token: CredentialSummary | null): CredentialSummary {
    const found = this.authorizer(def, env.id, token);
    if (found) return found;
    const label = authFor(def, def.tokenManagement!.authorizedBy)?.label ?? def.tokenManagement!.authorizedBy;
    throw new VaultError(
      'SIGN_IN_REQUIRED',
      `Managing ${def.name} tokens needs a signed-in ${label} in ${ws.name}/${env.name}. Sign in first (in the app: Sign in on the token's Revoke panel; on the command line: tokenvault login "${ws.name}/${env.name}/admin" --email YOU), then try again.`,
      { details: { environmentId: env.id } },
    );
  }

  static request(def: ProviderDefinition, what: keyof Pick<TokenManagement, 'list' | 'create' | 'regenerate' | 'revoke'>): ManagementRequest | null {
    return def.tokenManagement?.[what] ?? null;
  }

  async send(
    authorizerId: string,
    request: ManagementRequest,
    opts: { remoteId?: string; body?: unknown; armedOnce?: boolean },
  ): Promise<ManagementAnswer> {
    const path = request.path.includes(':') || request.path.includes('{') ? fillPathTemplate(request.path, { id: opts.remoteId ?? '' }) : request.path;
    const { result, body } = await this.requests.sendWithBody(authorizerId, {
      method: request.method,
      path,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(opts.armedOnce ? { armedOnce: true } : {}),
    });
    try {
      let json: unknown = null;
      const text = body.toString('utf8');
      if (text.trim() !== '') {
        try {
          json = JSON.parse(text);
        } catch {
          json = null;
        }
      }
      return { status: result.status, classification: result.classification, explanation: result.explanation, json };
    } finally {
      body.fill(0);
    }
  }

  /** The error for a management answer that did not succeed; nothing was changed in the vault. */
  static failure(def: ProviderDefinition, what: string, a: ManagementAnswer, separateSession: boolean): VaultError {
    if (a.classification === 'unauthorized' && separateSession) {
      return new VaultError('SIGN_IN_REQUIRED', `${def.name} refused the management session (${clause(a.explanation)}). Sign in again, then retry; nothing was changed.`);
    }
    if (isUnreachable(a.classification)) {
      return new VaultError('NETWORK', `Could not ${what}: ${clause(a.explanation)}. Nothing was changed in the vault.`, { details: { status: null, outcome: a.classification } });
    }
    return new VaultError('PROVIDER_ERROR', `Could not ${what}: ${clause(a.explanation)}. Nothing was changed in the vault.`, {
      details: { status: a.status, outcome: a.classification },
    });
  }
}

/** The outcomes where the provider never answered: DNS, refused, reset, timeout, TLS. */
export function isUnreachable(outcome: TestOutcome): boolean {
  return outcome === 'network' || outcome === 'timeout' || outcome === 'tls';
}

/** An ISO date, epoch milliseconds or null from an API answer; undefined when absent or unreadable. */
export function readDate(v: unknown): number | null | undefined {
  if (v === null) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}
