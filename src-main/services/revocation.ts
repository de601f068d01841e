import { VaultError } from '../../src-shared/errors';
import { readJsonPath } from '../../src-shared/domain/json-path';
import type { CredentialSummary, Environment } from '../../src-shared/domain/types';
import type { RegenerateResult, RevocationPlan, RevokeResult, VerificationCall } from '../../src-shared/domain/revocation-types';
import type { ProviderDefinition } from '../../src-shared/providers';
import type { Vault } from '../vault/vault';
import type { RequestService } from './request-service';
import { ManagementApi } from './token-management';
import { ExpiryService } from './expiry-service';

/**
 * Revoking and regenerating tokens: through the provider's API where its
 * definition describes one (Strapi), else a checklist the user follows and a
 * verification call that proves the token dead. The vault changes only
 * after the provider (or the proof) says so; a failure changes nothing.
 */
export class RevocationService {
  readonly api: ManagementApi;
  private readonly expiry: ExpiryService;

  constructor(
    private readonly vault: Vault,
    private readonly requests: RequestService,
  ) {
    this.api = new ManagementApi(vault, requests);
    this.expiry = new ExpiryService(vault);
  }

  plan(credentialId: string): RevocationPlan {
    const { credential: c, env, def } = this.api.context(credentialId);
    const rev = def.revocation;
    const mode = rev.mode === 'api' && ManagementApi.request(def, 'revoke') ? 'api' : 'portal';
    const needs = mode === 'api' && this.api.needsSession(def, c);
    return {
      credentialId: c.id,
      mode,
      steps: rev.steps,
      url: revocationUrl(def, env),
      portalPage: def.portal.tokenPage ?? null,
      irreversible: rev.irreversible,
      needsManagementSession: needs,
      hasManagementSession: needs ? this.api.authorizer(def, env.id, c) !== null : false,
      confirmName: env.production ? c.name : null,
      hasRemoteId: c.remoteId !== null,
      canRegenerate: ManagementApi.request(def, 'regenerate') !== null,
      verifyWith: rev.verifyWith ?? null,
      revoked: c.status === 'revoked',
    };
  }

  /** API mode: revokes at the provider, then marks it revoked, wipes the value and proves it dead. */
  async revoke(credentialId: string, opts: { confirmName?: string } = {}): Promise<RevokeResult> {
    const { credential: c, env, ws, def } = this.api.context(credentialId);
    if (c.status === 'revoked') return alreadyRevoked(c);
    const request = ManagementApi.request(def, 'revoke');
    if (def.revocation.mode !== 'api' || !request) {
      throw new VaultError(
        'VALIDATION',
        `${def.name} has no API to revoke tokens: follow the checklist (the token's Revoke panel, or tokenvault revoke REF), then confirm that you revoked it so Tokenvault can verify it.`,
      );
    }
    if (!c.remoteId) {
      throw new VaultError('VALIDATION', `${c.name} has no remote id, so ${def.name} cannot be told which token to revoke. Run a sync to link it, set its remote id, or follow the checklist.`, {
        issues: [{ path: 'remoteId', message: 'is required to revoke through the API' }],
      });
    }
    const armedOnce = confirmation(c, env, opts.confirmName);
    const authorizer = this.api.requireAuthorizer(def, env, ws, c);
    const separate = authorizer.id !== c.id;
    // Read before anything changes: the verification call needs the value the wipe removes.
    const held = c.hasValue ? this.vault.secretForRequest(c.id) : null;
    const answer = await this.api.send(authorizer.id, request, { remoteId: c.remoteId, armedOnce });
    let gone = answer.classification === 'not_found' || (answer.classification === 'unauthorized' && !separate);
    if (!gone && answer.classification !== 'ok') throw ManagementApi.failure(def, `revoke ${c.name} at ${def.name}`, answer, separate);
    // An answer that should name the deleted token but does not: the provider no longer knew it (Strapi: {data: null}).
    if (!gone && request.responseFields?.id && readJsonPath(answer.json, request.responseFields.id) == null) gone = true;

    const wipe = !this.vault.getSettings().keepRevokedSecrets;
    const how = `${request.method} ${def.name} API → ${answer.status ?? answer.classification}`;
    this.vault.markRevoked(c.id, { wipeSecret: wipe, note: gone ? `already gone at ${def.name} (${how})` : `revoked through the API (${how})` });
    const verification = held ? await this.verify(c.id, def, held.value) : null;
    const parts = [gone ? `${def.name} no longer knew ${c.name}: it was already revoked or deleted there; now marked revoked here too.` : `Revoked ${c.name} at ${def.name}.`];
    parts.push(describeDeath(verification));
    parts.push(valueFate(wipe && c.hasValue));
    return { credentialId: c.id, revoked: true, alreadyRevoked: false, alreadyRevokedAtProvider: gone, stillAccepted: false, overridden: false, valueWiped: wipe && c.hasValue, verification, message: parts.join(' ') };
  }

  /**
   * "I revoked it" after the checklist: the verification call decides. Only
   * a 401 marks the token revoked; anything else changes nothing, unless the
   * user overrides (audited with what the call got).
   */
  async confirmManual(credentialId: string, opts: { override?: boolean } = {}): Promise<RevokeResult> {
    const { credential: c, def } = this.api.context(credentialId);
    if (c.status === 'revoked') return alreadyRevoked(c);
    if (!c.hasValue) throw new VaultError('VALIDATION', `${c.name} has no stored value to verify with.`);
    let verification: VerificationCall | null = null;
    let failure: string | null = null;
    try {
      verification = await this.verify(c.id, def, null);
    } catch (e) {
      if (!(e instanceof VaultError) || !opts.override) throw e;
      failure = e.message;
    }
    const wipe = !this.vault.getSettings().keepRevokedSecrets;
    const base = { credentialId: c.id, alreadyRevoked: false, alreadyRevokedAtProvider: false, verification };
    if (verification?.outcome === 'unauthorized') {
      this.vault.markRevoked(c.id, { wipeSecret: wipe, note: `revoked at ${def.name} by the user; verified: ${verification.method} → ${verification.status}` });
      return { ...base, revoked: true, stillAccepted: false, overridden: false, valueWiped: wipe, message: `Verified: ${def.name} now refuses ${c.name} (401). Marked revoked. ${valueFate(wipe)}` };
    }
    const got = verification ? `${verification.method} got ${verification.status ?? verification.outcome}` : `the verification call could not be sent (${failure})`;
    if (opts.override) {
      this.vault.markRevoked(c.id, { wipeSecret: wipe, note: `marked revoked by the user's override; ${got}` });
      // One state: revoked (on the user's word). `stillAccepted` means "nothing was changed", so it is false here; the 200 stays in `verification`.
      return {
        ...base,
        revoked: true,
        stillAccepted: false,
        overridden: true,
        valueWiped: wipe,
        message: `Marked ${c.name} revoked on your word, although ${got}; the override is recorded in the audit log. ${valueFate(wipe)}`,
      };
    }
    const stillAccepted = verification?.outcome === 'ok';
    return {
      ...base,
      revoked: false,
      stillAccepted,
      overridden: false,
      valueWiped: false,
      message: stillAccepted
        ? `${def.name} still accepts ${c.name} (${got}): it is not revoked yet. Nothing was changed. Revoke it in the portal, then confirm again.`
        : `The verification did not prove ${c.name} dead (${got}; only a 401 does). Nothing was changed; try again, or override if you are sure.`,
    };
  }

  /** The provider makes a new value (the old one dies at once); the vault keeps the new one, tested. */
  async regenerate(credentialId: string, opts: { confirmName?: string } = {}): Promise<RegenerateResult> {
    const { credential: c, env, ws, def } = this.api.context(credentialId);
    const request = ManagementApi.request(def, 'regenerate');
    if (!request) throw new VaultError('VALIDATION', `${def.name} has no API to regenerate tokens: rotate it instead (a new token, then revoke the old).`);
    if (c.status === 'revoked') throw new VaultError('VALIDATION', `${c.name} is revoked: it cannot be regenerated.`);
    if (!c.remoteId) {
      throw new VaultError('VALIDATION', `${c.name} has no remote id, so ${def.name} cannot be told which token to regenerate. Run a sync to link it, or set its remote id.`, {
        issues: [{ path: 'remoteId', message: 'is required to regenerate' }],
      });
    }
    const valuePath = request.responseFields?.value;
    if (!valuePath) throw new VaultError('VALIDATION', `${def.name}'s definition does not say where the regenerated value is in the answer.`);
    const armedOnce = confirmation(c, env, opts.confirmName);
    const authorizer = this.api.requireAuthorizer(def, env, ws, c);
    const answer = await this.api.send(authorizer.id, request, { remoteId: c.remoteId, armedOnce });
    if (answer.classification !== 'ok') throw ManagementApi.failure(def, `regenerate ${c.name} at ${def.name}`, answer, authorizer.id !== c.id);
    const value = readJsonPath(answer.json, valuePath);
    if (typeof value !== 'string' || value === '') {
      // The old value is probably dead already: say so plainly rather than keep a stale one silently.
      throw new VaultError(
        'PROVIDER_ERROR',
        `${def.name} answered the regeneration without a new value: the stored value may no longer work. Regenerate it in the ${def.name} admin panel and paste the new value.`,
      );
    }
    this.vault.replaceSecret(c.id, { value });
    // The new value may carry its own exp; the lifetime and the provider's record stay.
    const updated = this.expiry.apply(c.id);
    const verification = await this.verify(c.id, def, null).catch(() => null);
    const ok = verification?.outcome === 'ok';
    return {
      credentialId: c.id,
      previousFingerprint: c.fingerprint,
      fingerprint: updated.fingerprint,
      verification,
      message: `Regenerated ${c.name}: the vault holds the new value (${updated.fingerprint}); the old one no longer works at ${def.name}.${verification ? (ok ? ' The new value works.' : ` The test of the new value got ${verification.status ?? verification.outcome}.`) : ''}`,
    };
  }

  /** The provider's verification preset (else its one-click test) with the token, recorded in its history. */
  private async verify(credentialId: string, def: ProviderDefinition, heldValue: string | null): Promise<VerificationCall> {
    const presetId = def.revocation.verifyWith;
    const r = await this.requests.test(credentialId, {
      ...(presetId ? { presetId } : {}),
      ...(heldValue !== null ? { secretOverride: { value: heldValue } } : {}),
    });
    return { method: r.method, url: r.url, status: r.status, outcome: r.classification, explanation: r.explanation };
  }
}

/** What became of the value, said once, in the result's one message. */
function valueFate(wiped: boolean): string {
  return wiped ? 'Its value was wiped from the vault.' : 'Its value is kept in the vault (Settings: keep revoked values).';
}

function alreadyRevoked(c: CredentialSummary): RevokeResult {
  return {
    credentialId: c.id,
    revoked: true,
    alreadyRevoked: true,
    alreadyRevokedAtProvider: false,
    stillAccepted: false,
    overridden: false,
    valueWiped: false,
    verification: null,
    message: `${c.name} was already revoked; nothing was sent.`,
  };
}

/**
 * The production guardrail for a revoke or regenerate: the user types the
 * token's name, which arms this one request. A wrong name is refused anywhere.
 */
export function confirmation(c: CredentialSummary, env: Environment, confirmName: string | undefined): boolean {
  if (confirmName !== undefined && confirmName.normalize('NFC').trim() !== c.name) {
    throw new VaultError('VALIDATION', `To confirm, type the token's name exactly: ${c.name}`, {
      issues: [{ path: 'confirmName', message: "does not match the token's name" }],
    });
  }
  if (env.production && confirmName === undefined) {
    throw new VaultError('PRODUCTION_LOCKED', `${c.name} is a production token: type its name to confirm (confirmName).`);
  }
  return env.production;
}

function describeDeath(v: VerificationCall | null): string {
  if (!v) return 'No verification call could be sent.';
  if (v.outcome === 'unauthorized') return `Verified: the token now gets ${v.status} (${v.method}).`;
  if (v.outcome === 'ok') return `Warning: the verification call still got ${v.status}; the provider may take a moment to forget it. Test it again shortly.`;
  return `The verification call got ${v.status ?? v.outcome}: ${v.explanation}.`;
}

export function revocationUrl(def: ProviderDefinition, env: Environment): string | null {
  const rev = def.revocation;
  if (rev.mode === 'portal' && rev.url) return rev.url;
  const envDef = def.environments.find((e) => e.name.toLowerCase() === env.name.toLowerCase() || e.production === env.production);
  return envDef?.portalUrl ?? def.portal.links[0]?.url ?? null;
}
