import { VaultError } from '../../src-shared/errors';
import { readJsonPath } from '../../src-shared/domain/json-path';
import { isCorrupt, type CredentialSummary } from '../../src-shared/domain/types';
import type { SyncReport, SyncedToken } from '../../src-shared/domain/revocation-types';
import type { ManagementRequest } from '../../src-shared/providers';
import type { Vault } from '../vault/vault';
import type { Catalog } from './catalog';
import type { RequestService } from './request-service';
import { ManagementApi, readDate } from './token-management';
import { ExpiryService } from './expiry-service';

/** One token as the provider's list shows it (never a value: lists do not carry them). */
export interface RemoteToken {
  remoteId: string;
  name: string | null;
  tokenType: string | null;
  createdAt: number | null;
  lastUsedAt: number | null;
  expiresAt: number | null;
  /** Lifetime in ms when the list says; null for unlimited; undefined when not given. */
  lifespanMs: number | null | undefined;
}

const text = (v: unknown): string | null => (typeof v === 'string' || typeof v === 'number' ? String(v).slice(0, 200) : null);

/** Reads a list answer with the definition's response fields; items without an id are skipped. */
export function readTokenList(request: ManagementRequest, json: unknown): RemoteToken[] {
  const f = request.responseFields ?? {};
  const items = f.items ? readJsonPath(json, f.items) : json;
  if (!Array.isArray(items)) throw new VaultError('PROVIDER_ERROR', 'The token list answer is not a list where the provider definition says it is.');
  const out: RemoteToken[] = [];
  for (const item of items) {
    const remoteId = text(f.id ? readJsonPath(item, f.id) : undefined);
    if (!remoteId) continue;
    const lifespan = f.lifespanMs ? readJsonPath(item, f.lifespanMs) : undefined;
    out.push({
      remoteId,
      name: f.name ? text(readJsonPath(item, f.name)) : null,
      tokenType: f.tokenType ? text(readJsonPath(item, f.tokenType)) : null,
      createdAt: (f.createdAt ? readDate(readJsonPath(item, f.createdAt)) : null) ?? null,
      lastUsedAt: (f.lastUsedAt ? readDate(readJsonPath(item, f.lastUsedAt)) : null) ?? null,
      expiresAt: (f.expiresAt ? readDate(readJsonPath(item, f.expiresAt)) : null) ?? null,
      lifespanMs: lifespan === null ? null : typeof lifespan === 'number' ? lifespan : undefined,
    });
  }
  return out;
}

/**
 * Sync with the provider's token list: dates and types follow the provider,
 * tokens gone remotely are flagged (marked revoked only with `apply`, the
 * user's confirmation), and remote tokens the vault does not hold are listed.
 */
export class TokenSync {
  private readonly api: ManagementApi;

  constructor(
    private readonly vault: Vault,
    private readonly requests: RequestService,
    private readonly catalog: Catalog,
    private readonly now: () => number = Date.now,
  ) {
    this.api = new ManagementApi(vault, requests);
  }

  /** The provider's token list for one environment, through its management session. */
  async fetch(environmentId: string): Promise<RemoteToken[]> {
    const env = this.vault.getEnvironment(environmentId);
    const ws = this.vault.getWorkspace(env.workspaceId);
    const def = this.requests.providerOf(ws.providerId);
    const request = ManagementApi.request(def, 'list');
    if (!request) throw new VaultError('VALIDATION', `${def.name} has no API to list tokens.`);
    const authorizer = this.api.requireAuthorizer(def, env, ws, null);
    const answer = await this.api.send(authorizer.id, request, {});
    if (answer.classification !== 'ok') throw ManagementApi.failure(def, `list the tokens at ${def.name}`, answer, true);
    return readTokenList(request, answer.json);
  }

  async sync(input: { workspaceId: string; environmentId: string; apply?: boolean }): Promise<SyncReport> {
    const env = this.vault.getEnvironment(input.environmentId);
    if (env.workspaceId !== input.workspaceId) throw new VaultError('NOT_FOUND', 'That environment is not in that workspace.');
    const ws = this.vault.getWorkspace(env.workspaceId);
    const def = this.requests.providerOf(ws.providerId);
    const remote = await this.fetch(env.id);
    const byId = new Map(remote.map((r) => [r.remoteId, r]));
    const authKind = def.tokenManagement!.authorizedBy;
    const local = this.vault
      .listCredentials({ environmentId: env.id })
      .filter((c): c is CredentialSummary => !isCorrupt(c))
      // The management session itself is not one of the provider's tokens.
      .filter((c) => !(c.kind === authKind && this.api.needsSession(def, c)));
    const report: SyncReport = { workspaceId: ws.id, environmentId: env.id, at: this.now(), applied: input.apply === true, matched: [], missingRemotely: [], untracked: [], unlinked: [], linked: [] };
    const wipe = !this.vault.getSettings().keepRevokedSecrets;
    const seen = new Set<string>();
    // Provider tokens some vault token is already linked to can never be a new link.
    const taken = new Set(local.map((c) => c.remoteId).filter((id): id is string => Boolean(id)));
    for (const c of local) {
      if (!c.remoteId) {
        if (c.status === 'revoked') continue;
        const same = remote.filter((r) => r.name === c.name && !taken.has(r.remoteId));
        // Each provider token of that name is reported here, with this vault token, and nowhere else.
        for (const r of same) seen.add(r.remoteId);
        if (same.length === 1 && input.apply) {
          // Exactly one provider token has this name: that is this token at the provider.
          const r = same[0]!;
          const linked = this.catalog.updateCredential(c.id, { remoteId: r.remoteId });
          taken.add(r.remoteId);
          report.linked.push({ credentialId: c.id, name: c.name, remoteId: r.remoteId });
          report.matched.push(this.follow(linked, r));
          continue;
        }
        report.unlinked.push({ credentialId: c.id, name: c.name, sameNameRemoteId: same.length === 1 ? same[0]!.remoteId : null, sameNameRemoteIds: same.map((r) => r.remoteId) });
        continue;
      }
      const r = byId.get(c.remoteId);
      if (!r) {
        if (c.status === 'revoked') continue;
        if (input.apply) this.vault.markRevoked(c.id, { wipeSecret: wipe, note: `absent from ${def.name}'s token list (sync); marked revoked with the user's confirmation` });
        report.missingRemotely.push({ credentialId: c.id, name: c.name, remoteId: c.remoteId, markedRevoked: input.apply === true });
        continue;
      }
      seen.add(r.remoteId);
      report.matched.push(this.follow(c, r));
    }
    for (const r of remote) {
      if (seen.has(r.remoteId) || local.some((c) => c.remoteId === r.remoteId)) continue;
      const { lifespanMs: _l, ...shown } = r;
      report.untracked.push(shown);
    }
    return report;
  }

  /**
   * The provider's record joins the expiry sources (the earliest date wins);
   * the type follows the provider; its last-used date is kept when newer than ours.
   */
  private follow(c: CredentialSummary, r: RemoteToken): SyncedToken {
    const patch: Record<string, unknown> = {};
    if (r.tokenType && r.tokenType !== c.tokenType) patch.tokenType = r.tokenType;
    let problem: string | null = null;
    let changed = Object.keys(patch);
    if (changed.length > 0) {
      try {
        this.catalog.updateCredential(c.id, patch);
      } catch (e) {
        if (!(e instanceof VaultError)) throw e;
        problem = e.message;
        changed = [];
      }
    }
    if (c.status !== 'revoked') {
      const after = new ExpiryService(this.vault, this.now).apply(c.id, { providerAt: r.expiresAt });
      if (after.expiresAt !== c.expiresAt) changed = ['expiresAt', ...changed];
    }
    if (r.lastUsedAt !== null) this.vault.noteRemoteUse(c.id, r.lastUsedAt);
    return { credentialId: c.id, remoteId: r.remoteId, remoteName: r.name, tokenType: r.tokenType, expiresAt: r.expiresAt, lastUsedAt: r.lastUsedAt, changed, problem };
  }
}
