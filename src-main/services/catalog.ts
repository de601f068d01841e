import { VaultError } from '../../src-shared/errors';
import type { CredentialSummary, Environment, Workspace } from '../../src-shared/domain/types';
import { validateGrant } from '../../src-shared/roles';
import { documentedApiKeyHeader } from '../../src-shared/providers/lookup';
import { refuseUnusedGrantFields } from '../vault/grant-guard';
import type { Vault } from '../vault/vault';
import type { ProviderRegistry } from './provider-registry';
import { ExpiryService } from './expiry-service';

/**
 * The vault's write paths that need to know the providers: a workspace picks
 * a known provider and starts with its documented environments; a token's
 * role, scopes and token type must be names the provider's documents use.
 * Every shell (IPC, browser mode, CLI) adds through here.
 */
export class Catalog {
  constructor(
    private readonly vault: Vault,
    private readonly providers: ProviderRegistry,
    readonly expiry: ExpiryService = new ExpiryService(vault),
  ) {
    // The vault's own grant check then knows the user's provider definitions too.
    vault.grants.useProviders((id) => providers.get(id));
  }

  /**
   * Adds a workspace; a known provider's documented environments (those with
   * a base URL) come with it, all of them or only those named in
   * `presetEnvironments` (names as the definition spells them; [] for none).
   */
  addWorkspace(input: unknown, presetEnvironments?: readonly string[]): { workspace: Workspace; environments: Environment[] } {
    const providerId = (input as { providerId?: unknown } | null)?.providerId;
    const def = typeof providerId === 'string' ? this.providers.require(providerId) : null;
    const workspace = this.vault.addWorkspace(input);
    // Environments with a documented base URL come for free; the user edits them later.
    const environments: Environment[] = [];
    for (const env of def?.environments ?? []) {
      if (!env.defaultBaseUrl) continue;
      if (presetEnvironments && !presetEnvironments.includes(env.name)) continue;
      environments.push(this.vault.addEnvironment({ workspaceId: workspace.id, name: env.name, baseUrl: env.defaultBaseUrl, production: env.production }));
    }
    return { workspace, environments };
  }

  updateWorkspace(id: string, patch: unknown): Workspace {
    const providerId = (patch as { providerId?: unknown } | null)?.providerId;
    if (typeof providerId === 'string') this.providers.require(providerId);
    return this.vault.updateWorkspace(id, patch);
  }

  /**
   * Adds a token with its effective expiry: the earliest of the date entered
   * (`expiresAt`, or `expiresOn` for a calendar date), the lifetime chosen
   * (`expiresAfter`), and the value's own JWT `exp` or refresh-token end.
   */
  addCredential(input: unknown): CredentialSummary {
    if (typeof input !== 'object' || input === null) return this.vault.addCredential(input);
    const copy = this.withDocumentedHeader(input);
    const change = this.expiry.takeInputFields(copy);
    const normalized = this.normalizeGrant(copy, copy.environmentId) as Record<string, unknown>;
    const secret = copy.secret as { value?: unknown; refreshToken?: unknown } | undefined;
    const kind = copy.kind;
    if (typeof secret?.value !== 'string' || typeof kind !== 'string') return this.vault.addCredential(normalized);
    const { record, at } = this.expiry.preview(kind as CredentialSummary['kind'], { value: secret.value.trim(), ...(typeof secret.refreshToken === 'string' ? { refreshToken: secret.refreshToken.trim() } : {}) }, change);
    const created = this.vault.addCredential({ ...normalized, expiresAt: at });
    this.vault.expiry.save(created.id, record, at);
    return this.vault.getCredential(created.id);
  }

  updateCredential(id: string, patch: unknown): CredentialSummary {
    const current = this.vault.getCredential(id);
    const p = { ...((patch ?? {}) as Record<string, unknown>) };
    const change = this.expiry.takeInputFields(p);
    const touchesExpiry = change.explicit !== undefined || change.duration !== undefined;
    delete p.expiresAt;
    // A bad field throws before anything is stored; the expiry follows the rest of the patch.
    const updated = this.updateGrant(id, current, p);
    return touchesExpiry ? this.expiry.apply(updated.id, change) : updated;
  }

  private updateGrant(id: string, current: CredentialSummary, p: Record<string, unknown>): CredentialSummary {
    if (!('role' in p) && !('scopes' in p) && !('tokenType' in p)) return this.vault.updateCredential(id, p);
    const merged = { role: current.role ?? undefined, scopes: current.scopes, tokenType: current.tokenType ?? undefined, ...p };
    const normalized = this.normalizeGrant(merged, current.environmentId) as Record<string, unknown>;
    const out: Record<string, unknown> = { ...p };
    for (const k of ['role', 'scopes', 'tokenType'] as const) if (k in p) out[k] = normalized[k];
    return this.vault.updateCredential(id, out);
  }

  /**
   * The header an API key goes in, as its workspace's provider documents it
   * (Regen Therapy: `X-API-Key`, shared/seeds/001), or null when the provider
   * documents none or the workspace has no provider.
   */
  documentedHeader(environmentId: string): string | null {
    let def;
    try {
      const ws = this.vault.getWorkspace(this.vault.getEnvironment(environmentId).workspaceId);
      def = ws.providerId ? this.providers.get(ws.providerId) : null;
    } catch {
      return null; // the vault reports a missing environment in its own words
    }
    return documentedApiKeyHeader(def);
  }

  /** A new token's input with `headerName` filled from its provider's documents when an API key names none; a given header is kept. */
  withDocumentedHeader(input: object): Record<string, unknown> {
    const copy = { ...(input as Record<string, unknown>) };
    if (copy.kind === 'api_key' && (copy.headerName === undefined || copy.headerName === null || copy.headerName === '') && typeof copy.environmentId === 'string') {
      const header = this.documentedHeader(copy.environmentId);
      if (header !== null) copy.headerName = header;
    }
    return copy;
  }

  /** Checks a new token's role, scopes and token type against its provider without saving anything; throws VALIDATION as addCredential would. */
  checkGrant(input: unknown, environmentId: string): void {
    this.normalizeGrant(input, environmentId);
  }

  /** Roles and scopes as the provider's documents spell them, or VALIDATION listing the known ones. */
  private normalizeGrant(input: unknown, environmentId: unknown): unknown {
    if (typeof input !== 'object' || input === null || typeof environmentId !== 'string') return input;
    const c = input as { role?: unknown; scopes?: unknown; tokenType?: unknown };
    if (c.role === undefined && c.scopes === undefined && c.tokenType === undefined) return input;
    let env: Environment;
    try {
      env = this.vault.getEnvironment(environmentId);
    } catch {
      return input; // the vault reports the missing environment in its own words
    }
    const ws = this.vault.getWorkspace(env.workspaceId);
    const def = ws.providerId ? this.providers.get(ws.providerId) : null;
    if (!def?.roles) return input;
    const grant = {
      ...(typeof c.role === 'string' ? { role: c.role } : {}),
      ...(Array.isArray(c.scopes) ? { scopes: c.scopes as string[] } : {}),
      ...(typeof c.tokenType === 'string' ? { tokenType: c.tokenType } : {}),
    };
    const v = validateGrant(def.roles, grant);
    if (!v.ok) {
      throw new VaultError('VALIDATION', v.issues.map((i) => `${i.path} ${i.message}`).join('; '), {
        issues: v.issues.map((i) => ({ path: i.path, message: i.message })),
      });
    }
    // A field the model does not decide by would be kept but never checked:
    // say which fields this provider uses instead of storing a silent no-op.
    refuseUnusedGrantFields(def, c);
    const g = v.grant;
    return {
      ...c,
      ...(g.role !== null ? { role: g.role } : {}),
      ...(Array.isArray(c.scopes) ? { scopes: g.scopes } : {}),
      ...(g.tokenType !== null ? { tokenType: g.tokenType } : {}),
    };
  }
}
