import { VaultError } from '../../src-shared/errors';
import { readJsonPath } from '../../src-shared/domain/json-path';
import { LIMITS } from '../../src-shared/domain/limits';
import type { CredentialSummary, Environment, Workspace } from '../../src-shared/domain/types';
import type {
  RotationAbandonResult,
  RotationFinishResult,
  RotationFlowView,
  RotationStartResult,
  RotationTestResult,
} from '../../src-shared/domain/revocation-types';
import type { ProviderDefinition } from '../../src-shared/providers';
import { newId } from '../vault/ids';
import type { RotationFlowRecord, RotationMode } from '../vault/rotation-store';
import type { Vault } from '../vault/vault';
import type { RequestService } from './request-service';
import { revocationUrl, type RevocationService } from './revocation';
import { ManagementApi, readDate } from './token-management';
import type { TokenSync } from './token-sync';
import { ExpiryService } from './expiry-service';

const DAY_MS = 86_400_000;
export const MAX_OVERLAP_DAYS = 365;

/**
 * Rotation with no downtime, one explicit step at a time: a new token next
 * to the old (created through the provider's API, or pasted), tested, made
 * current, both valid for an overlap the user picks, then the old revoked.
 * Each step is stored (it survives a restart) and each may be abandoned: the
 * old token then stays untouched and current.
 *
 * Regenerating is not offered here: it kills the old value at once.
 */
export class RotationService {
  constructor(
    private readonly vault: Vault,
    private readonly requests: RequestService,
    private readonly revocation: RevocationService,
    private readonly sync: TokenSync,
    private readonly now: () => number = Date.now,
  ) {}

  list(): RotationFlowView[] {
    return this.vault.rotations.listOpen().map((f) => this.view(f));
  }

  get(flowId: string): RotationFlowView {
    return this.view(this.vault.rotations.get(flowId));
  }

  async start(credentialId: string, mode: RotationMode): Promise<RotationStartResult> {
    const { credential: c, env, ws, def } = this.revocation.api.context(credentialId);
    if (c.status === 'revoked') throw new VaultError('VALIDATION', `${c.name} is revoked: add a new token instead of rotating it.`);
    if (c.kind === 'jwt_session') throw new VaultError('VALIDATION', 'A login session is renewed by signing in again, not rotated.');
    if (c.supersededBy) throw new VaultError('VALIDATION', `${c.name} was already replaced by a newer token: rotate that one.`);
    const open = this.vault.rotations.openFor(c.id);
    if (open) throw new VaultError('CONFLICT', `${c.name} already has a rotation in progress: continue it or abandon it first.`, { details: { flowId: open.id } });

    if (mode === 'manual') {
      const flow = this.vault.rotations.create({ id: newId('rot'), oldCredentialId: c.id, mode });
      this.vault.recordEvent({ type: 'updated', credentialId: c.id, fingerprint: c.fingerprint, note: 'rotation started (manual)' });
      return {
        flow: this.view(flow),
        instructions: { steps: def.portal.createSteps, url: revocationUrl(def, env), portalPage: def.portal.tokenPage ?? null },
        message: `Create a new ${def.name} token${def.portal.tokenPage ? ` in ${def.portal.tokenPage}` : ''}, then paste its value. ${c.name} keeps working meanwhile.`,
      };
    }
    return this.startByApi(c, env, ws, def);
  }

  /** Creates the new token at the provider (same type and lifetime), and stores it beside the old. */
  private async startByApi(c: CredentialSummary, env: Environment, ws: Workspace, def: ProviderDefinition): Promise<RotationStartResult> {
    const request = ManagementApi.request(def, 'create');
    if (!request) throw new VaultError('VALIDATION', `${def.name} has no API to create tokens: rotate in manual mode (create it in the portal, then paste it).`);
    const authorizer = this.revocation.api.requireAuthorizer(def, env, ws, c);
    const remote = c.remoteId && ManagementApi.request(def, 'list') ? (await this.sync.fetch(env.id)).find((r) => r.remoteId === c.remoteId) : undefined;
    const tokenType = remote?.tokenType ?? c.tokenType;
    const fields = request.requestFields ?? {};
    if (fields.tokenType && !tokenType) {
      throw new VaultError('VALIDATION', `The type of ${c.name} is not known, so an identical token cannot be created: set its token type, sync, or rotate in manual mode.`);
    }
    const typeDef = def.roles?.kind === 'token_types' ? def.roles.types.find((t) => t.name === tokenType) : undefined;
    if (typeDef?.grants === 'permissions') {
      throw new VaultError('VALIDATION', `${c.name} is a ${tokenType} token: ${def.name}'s list does not show its permissions, so they cannot be copied. Rotate in manual mode (create it in the admin panel with the same permissions).`);
    }
    const lifespanMs = remote?.lifespanMs !== undefined ? remote.lifespanMs : lifespanOf(c, def);
    const name = rotationName(c.name, this.now());
    this.assertNameFree(ws, env, name);

    const body: Record<string, unknown> = {};
    if (fields.name) body[fields.name] = rotationName(remote?.name ?? c.name, this.now());
    if (fields.description) body[fields.description] = `Rotation of ${c.name} (Tokenvault)`;
    if (fields.tokenType) body[fields.tokenType] = tokenType;
    if (fields.lifespanMs) body[fields.lifespanMs] = lifespanMs;
    const answer = await this.revocation.api.send(authorizer.id, request, { body });
    if (answer.classification !== 'ok') throw ManagementApi.failure(def, `create the new token at ${def.name}`, answer, authorizer.id !== c.id);
    const f = request.responseFields ?? {};
    const value = f.value ? readJsonPath(answer.json, f.value) : undefined;
    const rawId = f.id ? readJsonPath(answer.json, f.id) : undefined;
    const remoteId = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : null;
    if (typeof value !== 'string' || value === '') {
      throw new VaultError('PROVIDER_ERROR', `${def.name} created a token but its answer holds no value where the definition says; delete it in the admin panel${remoteId ? ` (id ${remoteId})` : ''}. ${c.name} is untouched.`);
    }
    const expiresAt = (f.expiresAt ? readDate(readJsonPath(answer.json, f.expiresAt)) : undefined) ?? (lifespanMs ? this.now() + lifespanMs : null);

    let created: CredentialSummary;
    try {
      created = this.vault.addCredential({
        environmentId: env.id,
        name,
        kind: c.kind,
        ...(c.headerName ? { headerName: c.headerName } : {}),
        ...(c.role ? { role: c.role } : {}),
        scopes: c.scopes,
        ...(tokenType ? { tokenType } : {}),
        ...(remoteId ? { remoteId } : {}),
        tags: c.tags,
        description: c.description,
        expiresAt,
        rotationDays: c.rotationDays,
        secret: { value },
      });
    } catch (e) {
      // Never leave a live token nobody holds: take it back at the provider.
      if (remoteId) await this.deleteRemote(def, env, ws, c, remoteId).catch(() => false);
      throw e;
    }
    // Every source of the new token's end: the provider's answer, the lifetime asked for, its own exp.
    const providerAt = f.expiresAt ? readDate(readJsonPath(answer.json, f.expiresAt)) : undefined;
    new ExpiryService(this.vault, this.now).apply(created.id, {
      explicit: null,
      ...(providerAt !== undefined ? { providerAt } : {}),
      duration: lifespanMs ? { at: this.now() + lifespanMs } : null,
    });
    this.vault.setSupersedes(created.id, c.id);
    const flow = this.vault.rotations.create({ id: newId('rot'), oldCredentialId: c.id, mode: 'create' });
    const stored = this.vault.rotations.update(flow.id, { newCredentialId: created.id, createdRemotely: true, step: 'value_provided' });
    return {
      flow: this.view(stored),
      instructions: null,
      message: `Created ${created.name} at ${def.name} and stored it beside ${c.name}, which keeps working. Test the new one next.`,
    };
  }

  /** Manual mode: the value the user copied from the portal becomes the new token (replacing an earlier paste). */
  provideValue(flowId: string, value: string): RotationFlowView {
    const flow = this.open(flowId);
    if (flow.createdRemotely) throw new VaultError('VALIDATION', 'The provider gave the new value already: test it next.');
    if (!['started', 'value_provided', 'tested'].includes(flow.step)) throw stepError(flow, 'provide a value');
    const old = this.vault.getCredential(flow.oldCredentialId);
    if (old.hasValue && this.vault.secretForRequest(old.id).value === value.trim()) {
      throw new VaultError('VALIDATION', `That is the value of ${old.name} itself: paste the new token's value.`, { issues: [{ path: 'value', message: 'is the old value' }] });
    }
    let newId_ = flow.newCredentialId;
    if (newId_) {
      this.vault.replaceSecret(newId_, { value });
    } else {
      const env = this.vault.getEnvironment(old.environmentId);
      const ws = this.vault.getWorkspace(old.workspaceId);
      const name = rotationName(old.name, this.now());
      this.assertNameFree(ws, env, name);
      const created = this.vault.addCredential({
        environmentId: old.environmentId,
        name,
        kind: old.kind,
        ...(old.headerName ? { headerName: old.headerName } : {}),
        ...(old.role ? { role: old.role } : {}),
        scopes: old.scopes,
        ...(old.tokenType ? { tokenType: old.tokenType } : {}),
        tags: old.tags,
        description: old.description,
        rotationDays: old.rotationDays,
        secret: { value },
      });
      this.vault.setSupersedes(created.id, old.id);
      newId_ = created.id;
    }
    // A pasted value may be a JWT with its own exp.
    new ExpiryService(this.vault, this.now).apply(newId_);
    return this.view(this.vault.rotations.update(flow.id, { newCredentialId: newId_, step: 'value_provided' }));
  }

  /** The new token's one-click test; only `ok` lets the flow switch. */
  async test(flowId: string): Promise<RotationTestResult> {
    const flow = this.open(flowId);
    if (!flow.newCredentialId || flow.step === 'started') throw stepError(flow, 'test');
    const r = await this.requests.test(flow.newCredentialId);
    const passed = r.classification === 'ok';
    let step = flow.step;
    if (flow.step !== 'switched') step = passed ? 'tested' : 'value_provided';
    const updated = this.vault.rotations.update(flow.id, { step });
    return {
      flow: this.view(updated),
      verification: { method: r.method, url: r.url, status: r.status, outcome: r.classification, explanation: r.explanation },
      passed,
      message: passed ? 'The new token works.' : `The new token does not work yet (${r.explanation}): fix it before switching.`,
    };
  }

  /** The new token becomes current; the old stays valid for `overlapDays`, then is due to be revoked. */
  switch(flowId: string, overlapDays: number): RotationFlowView {
    const flow = this.open(flowId);
    if (flow.step !== 'tested' || !flow.newCredentialId) throw stepError(flow, 'switch (the new token must pass its test first)');
    if (!Number.isInteger(overlapDays) || overlapDays < 0 || overlapDays > MAX_OVERLAP_DAYS) {
      throw new VaultError('VALIDATION', `The overlap is a whole number of days from 0 to ${MAX_OVERLAP_DAYS}.`, { issues: [{ path: 'overlapDays', message: 'is out of range' }] });
    }
    this.vault.switchCurrent(flow.oldCredentialId, flow.newCredentialId);
    return this.view(this.vault.rotations.update(flow.id, { step: 'switched', overlapDays, revokePlannedAt: this.now() + overlapDays * DAY_MS }));
  }

  /** Revokes the old token (API, or the checklist's verification) and closes the flow when it is dead. */
  async finish(flowId: string, opts: { confirmName?: string; override?: boolean } = {}): Promise<RotationFinishResult> {
    const flow = this.open(flowId);
    if (flow.step !== 'switched') throw stepError(flow, 'finish (switch first)');
    const plan = this.revocation.plan(flow.oldCredentialId);
    const revocation =
      plan.mode === 'api' && plan.hasRemoteId
        ? await this.revocation.revoke(flow.oldCredentialId, opts.confirmName !== undefined ? { confirmName: opts.confirmName } : {})
        : await this.revocation.confirmManual(flow.oldCredentialId, opts.override ? { override: true } : {});
    const updated = revocation.revoked ? this.vault.rotations.update(flow.id, { step: 'finished' }) : flow;
    return { flow: this.view(updated), revocation };
  }

  /** Stops the rotation: the old token is current again, untouched; the new one is taken back where possible. */
  async abandon(flowId: string): Promise<RotationAbandonResult> {
    const flow = this.open(flowId);
    if (flow.step === 'switched' && flow.newCredentialId) this.vault.undoSwitch(flow.oldCredentialId, flow.newCredentialId);
    let message = 'Rotation abandoned; nothing was created.';
    if (flow.newCredentialId) {
      const nw = this.vault.getCredential(flow.newCredentialId);
      this.vault.setSupersedes(nw.id, null);
      message = `Rotation abandoned. ${nw.name} stays in the vault, unlinked, and still works at the provider: revoke it if you do not need it.`;
      if (flow.createdRemotely && nw.remoteId) {
        const { env, ws, def } = this.revocation.api.context(nw.id);
        const old = this.vault.getCredential(flow.oldCredentialId);
        const deleted = await this.deleteRemote(def, env, ws, old, nw.remoteId).catch(() => false);
        if (deleted) {
          this.vault.markRevoked(nw.id, { wipeSecret: !this.vault.getSettings().keepRevokedSecrets, note: 'rotation abandoned: deleted at the provider' });
          message = `Rotation abandoned. The new token ${nw.name} was deleted at ${def.name}.`;
        }
      }
    }
    const old = this.vault.getCredential(flow.oldCredentialId);
    this.vault.recordEvent({ type: 'updated', credentialId: old.id, fingerprint: old.fingerprint, note: 'rotation abandoned; this token stays current' });
    return { flow: this.view(this.vault.rotations.update(flow.id, { step: 'abandoned' })), message: `${message} ${old.name} is current, unchanged.` };
  }

  private async deleteRemote(def: ProviderDefinition, env: Environment, ws: Workspace, token: CredentialSummary, remoteId: string): Promise<boolean> {
    const request = ManagementApi.request(def, 'revoke');
    if (!request) return false;
    const authorizer = this.revocation.api.requireAuthorizer(def, env, ws, token);
    // The usual guardrail: in production only while armed, as for any write.
    const answer = await this.revocation.api.send(authorizer.id, request, { remoteId });
    return answer.classification === 'ok' || answer.classification === 'not_found';
  }

  private open(flowId: string): RotationFlowRecord {
    const flow = this.vault.rotations.get(flowId);
    if (flow.step === 'finished' || flow.step === 'abandoned') throw new VaultError('VALIDATION', `This rotation is over (${flow.step}).`);
    return flow;
  }

  private assertNameFree(ws: Workspace, env: Environment, name: string): void {
    try {
      this.vault.resolveCredential({ workspace: ws.id, environment: env.id, name });
    } catch (e) {
      if (e instanceof VaultError && e.code === 'NOT_FOUND') return;
      throw e;
    }
    throw new VaultError('CONFLICT', `A token named "${name}" already exists in ${ws.name}/${env.name}: rename it, or wait a minute.`);
  }

  private view(f: RotationFlowRecord): RotationFlowView {
    const name = (id: string | null) => {
      if (!id) return null;
      try {
        return this.vault.getCredential(id);
      } catch {
        return null;
      }
    };
    const old = name(f.oldCredentialId);
    const nw = name(f.newCredentialId);
    const production = old ? this.vault.getEnvironment(old.environmentId).production : false;
    const next = ({ started: 'provide-value', value_provided: 'test', tested: 'switch', switched: 'finish', finished: null, abandoned: null } as const)[f.step];
    return {
      flowId: f.id,
      mode: f.mode,
      step: f.step,
      next,
      oldCredentialId: f.oldCredentialId,
      newCredentialId: f.newCredentialId,
      oldName: old?.name ?? null,
      newName: nw?.name ?? null,
      createdRemotely: f.createdRemotely,
      overlapDays: f.overlapDays,
      revokePlannedAt: f.revokePlannedAt,
      confirmName: production && old ? old.name : null,
      startedAt: f.startedAt,
      updatedAt: f.updatedAt,
    };
  }
}

function stepError(flow: RotationFlowRecord, what: string): VaultError {
  return new VaultError('VALIDATION', `This rotation is at step "${flow.step}": it cannot ${what} now.`, { details: { step: flow.step } });
}

/**
 * `orders (rotation 2026-11-23 09:00 UTC)`, within the name limit. UTC, named:
 * the name also goes to the provider (Strapi's token list), read by people in
 * other zones, and it must not change with the zone of whoever looks.
 */
export function rotationName(base: string, now: number): string {
  const suffix = ` (rotation ${new Date(now).toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
  return `${base.slice(0, LIMITS.nameLength - suffix.length).trim()}${suffix}`;
}

/** The old token's lifetime, as the nearest option the provider offers; null (unlimited) when it never expires. */
function lifespanOf(c: CredentialSummary, def: ProviderDefinition): number | null {
  if (c.expiresAt === null) return null;
  const days = (c.expiresAt - c.rotatedAt) / DAY_MS;
  const options = def.lifetimes.options.filter((o) => o.days !== null).map((o) => o.days!);
  if (options.length === 0) return null;
  const best = options.reduce((a, b) => (Math.abs(b - days) < Math.abs(a - days) ? b : a));
  return best * DAY_MS;
}
