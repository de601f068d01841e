import { VaultError } from '../../src-shared/errors';
import { readJsonPath } from '../../src-shared/domain/json-path';
import type { CredentialSummary, Environment } from '../../src-shared/domain/types';
import type { TestResult } from '../../src-shared/ipc/contract';
import type { RateLimitState } from '../../src-shared/http/rate-limit';
import { compileSecrets, type SecretMatcher } from '../../src-shared/http/redact';
import { authFor, presetsFor, tokenFormatWarning, type JwtSessionAuth, type ProviderDefinition, type TestPreset } from '../../src-shared/providers';
import { check, type CheckResult } from '../../src-shared/roles';
import { sendRequestWithBody, type EngineRequest } from '../http/engine';
import type { DecodeProblem } from '../http/body';
import type { Vault } from '../vault/vault';
import type { Arming } from './arming';
import type { ProviderRegistry } from './provider-registry';
import { ExpiryService } from './expiry-service';
import { describeExpirySource, jwtExpiry as jwtExpirySource } from '../../src-shared/expiry/expiry-sources';
import { systemTimeZone } from '../../src-shared/expiry/calendar';
import { formatDueDate, type DateDisplay } from '../../src-shared/expiry/format-due';
import { clause } from '../../src-shared/http/provider-message';
import { isUnreachable } from './token-management';
import { requireStoredValue, valueUnavailableReason } from '../../src-shared/domain/value-state';
import { historyDetail } from './test-history-detail';

export interface RequestOptions {
  presetId?: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  /**
   * The credential proxy's calls (issue 13): a request passed on, not a test —
   * no identity reading from a preset's fields, no diagnosis calls to other
   * environments on a 401 — keeping up to `maxBodyBytes` of the answer.
   */
  forward?: { maxBodyBytes: number };
  signal?: AbortSignal;
  /**
   * Main process only, never from a channel's input: the caller took a
   * confirmation that names the token (revoking in production), which arms
   * this one request and nothing else.
   */
  armedOnce?: boolean;
  /**
   * Main process only: the value to send instead of the stored one — a
   * revoked token's wiped value, held in memory for its verification call.
   */
  secretOverride?: { value: string };
  /** Send despite an open rate-limit hold (the user's explicit override; audited). */
  force?: boolean;
}

/** The longest a hold lasts, whatever a server asks: a day (ms). */
const MAX_HOLD_MS = 86_400_000;

export type Diagnosis = NonNullable<TestResult['diagnosis']>;
export type { TestResult };

const GENERIC_PROVIDER = 'bearer';

/**
 * One-click tests and hand-made requests with a stored credential: picks the
 * provider's preset, applies the production guardrail and any open
 * Retry-After window, renews a JWT session when needed, sends through the
 * engine, explains a 401, and records the outcome (never a value or a body).
 */
export class RequestService {
  private readonly rateLimits = new Map<string, RateLimitState>();
  private readonly expiry: ExpiryService;
  /**
   * Each credential's compiled redaction matcher, for the secrets it was compiled from:
   * compiled once per credential and value rather than per test (issue 9's overhead).
   * Emptied when the vault locks, so no value outlives the unlocked vault here.
   */
  private readonly matchers = new Map<string, { secrets: readonly string[]; matcher: SecretMatcher }>();

  constructor(
    private readonly vault: Vault,
    private readonly providers: ProviderRegistry,
    private readonly arming: Arming,
    private readonly now: () => number = Date.now,
  ) {
    this.expiry = new ExpiryService(vault, now);
    vault.on('locked', () => this.matchers.clear());
  }

  providerOf(workspaceProviderId: string | null): ProviderDefinition {
    return this.providers.get(workspaceProviderId ?? GENERIC_PROVIDER) ?? this.providers.require(GENERIC_PROVIDER);
  }

  isArmed(environmentId: string): boolean {
    return this.arming.isArmed(environmentId);
  }

  rateLimitState(credentialId: string): RateLimitState | null {
    return this.rateLimits.get(credentialId) ?? null;
  }

  /** The documented answer to "may this token make this call?" */
  preflight(credential: CredentialSummary, method: string, path: string): CheckResult | null {
    return this.preflightFor(this.providerOf(this.vault.getWorkspace(credential.workspaceId).providerId), credential, method, path);
  }

  /** Dates in the messages this service writes: the user's locale, in the zone chosen in Settings (else the system's), named. */
  private display(): DateDisplay {
    return { locale: new Intl.DateTimeFormat().resolvedOptions().locale, timeZone: this.vault.getSettings().timeZone ?? systemTimeZone() };
  }

  private preflightFor(def: ProviderDefinition, credential: CredentialSummary, method: string, path: string): CheckResult | null {
    // Nothing recorded to check against: no opinion, rather than a "denied" that only means "unknown".
    if (!def.roles || (!credential.role && credential.scopes.length === 0 && !credential.tokenType)) return null;
    return check(def.roles, { role: credential.role ?? undefined, scopes: credential.scopes, tokenType: credential.tokenType ?? undefined }, method, path.split('?')[0]!);
  }

  async test(credentialId: string, opts: RequestOptions = {}): Promise<TestResult> {
    const { result, body } = await this.exchange(credentialId, opts);
    body.fill(0);
    return result;
  }

  /**
   * The same request, with the whole response body for the main process's
   * own reading (token management answers carry new values and lists). The
   * caller zeroes the body and never passes the result's preview on.
   */
  async sendWithBody(credentialId: string, opts: RequestOptions): Promise<{ result: TestResult; body: Buffer; decodeProblem: DecodeProblem | null }> {
    return this.exchange(credentialId, opts);
  }

  private async exchange(credentialId: string, opts: RequestOptions): Promise<{ result: TestResult; body: Buffer; decodeProblem: DecodeProblem | null }> {
    // Everything a test reads before it sends, in one read transaction: one view of the vault, and one
    // round of file locking instead of one per statement (issue 9's overhead; see MetaCache.readTogether).
    const { credential, env, def, preset, method, path, hold, stored } = this.vault.readTogether(() => {
      const credential = this.vault.getCredential(credentialId);
      const env = this.vault.getEnvironment(credential.environmentId);
      const ws = this.vault.getWorkspace(credential.workspaceId);
      const def = this.providerOf(ws.providerId);
      const preset = this.pickPreset(def, credential, opts.presetId);
      const method = (opts.method ?? preset?.method ?? 'GET').toUpperCase();
      const path = opts.path ?? preset?.path;
      if (!path) {
        throw new VaultError('VALIDATION', `${def.name} has no test preset for this kind of token: give a method and a path.`, {
          issues: [{ path: 'path', message: 'is required' }],
        });
      }

      // A hold lives in the vault, so every process honours it (CLI, browser mode, the app).
      const hold = this.vault.rateHolds.active(env.id, credentialId, this.now());
      if (hold && !opts.force) {
        // How to send anyway is each shell's to say (the CLI's --force, the app's "Test anyway"): no option named here.
        const waitMs = hold.until - this.now();
        throw new VaultError(
          'RATE_LIMITED',
          `Held back: ${def.name} answered ${hold.status} and asked to wait (${hold.source}) until ${formatDueDate(hold.until, this.display())} — ${Math.ceil(waitMs / 1000)} s left. Nothing was sent.`,
          { details: { retryAfterMs: waitMs, retryAt: hold.until, status: hold.status, provider: def.name } },
        );
      }
      // The stored value, when it is the one to send: read in the same view; a failure (a damaged
      // record) is raised below, after the override's audit event, where it always was.
      const stored = opts.secretOverride || valueUnavailableReason(credential) !== null ? null : attempt(() => this.vault.secretForRequest(credentialId));
      return { credential, env, def, preset, method, path, hold, stored };
    });
    if (hold) {
      this.vault.recordEvent({
        type: 'tested',
        credentialId,
        fingerprint: credential.fingerprint,
        note: `rate-limit hold overridden by the user: ${def.name} had asked to wait until ${new Date(hold.until).toISOString()} (${hold.status})`,
      });
    }

    const warnings: string[] = [];
    if (!opts.secretOverride) requireStoredValue(credential);
    let secret: { value: string; refreshToken?: string } = opts.secretOverride ?? settle(stored!);
    if (credential.kind === 'jwt_session') {
      secret = await this.freshSession(credential, env, def, secret, warnings);
    }
    const secrets = [secret.value, ...(secret.refreshToken ? [secret.refreshToken] : [])];
    let scrub = this.matcherFor(credentialId, secrets);
    const request: EngineRequest = {
      baseUrl: env.baseUrl,
      method,
      path,
      credential: { kind: credential.kind, headerName: credential.headerName, value: secret.value },
      secrets,
      scrub,
      production: env.production,
      armed: opts.armedOnce === true || this.arming.isArmed(env.id),
      providerName: def.name,
      documentedErrors: documentedErrors(def),
      ...(opts.headers ? { headers: opts.headers } : {}),
      ...(opts.body !== undefined ? { body: opts.body } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.forward ? { maxBodyBytes: opts.forward.maxBodyBytes } : {}),
    };
    const preflight = this.preflightFor(def, credential, method, path);
    let sent = await sendRequestWithBody(request, this.now);

    // A JWT session gets one renewal and one retry on a 401.
    if (sent.status === 401 && credential.kind === 'jwt_session' && secret.refreshToken) {
      const renewed = await this.refreshSession(credential, env, def, secret).catch(() => null);
      if (renewed) {
        secrets.push(renewed.value, ...(renewed.refreshToken ? [renewed.refreshToken] : []));
        scrub = compileSecrets(secrets);
        sent = await sendRequestWithBody({ ...request, credential: { ...request.credential!, value: renewed.value }, secrets, scrub }, this.now);
        warnings.push('The access token was rejected; the session was renewed and the call retried.');
      }
    }
    const { body, decodeProblem, ...result } = sent;
    if (result.rateLimit) this.rateLimits.set(credentialId, result.rateLimit);
    this.updateHold(env.id, credentialId, result, hold !== null);

    const identity = result.classification === 'ok' && preset?.identity && !opts.forward ? readIdentity(body, preset.identity) : null;
    if (identity) {
      this.vault.setCredentialIdentity(credentialId, identity);
      const mismatch = this.identityMismatch(credential, identity);
      if (mismatch) warnings.push(mismatch);
    }

    const diagnosis = result.classification === 'unauthorized' && !opts.forward ? await this.diagnose(credential, env, def, preset, secret.value, opts.signal) : null;
    // A 403 the documents foresaw says its reason once, through `preflight`; any other answer to a denied call is news worth a warning.
    if (preflight?.decision === 'denied' && result.classification !== 'forbidden') warnings.push(`The documented ${preflight.rule ? 'rules' : 'model'} deny this call: ${preflight.rule}`);

    this.vault.recordTestSoon(credentialId, result.classification, {
      method,
      path: scrub.redact(path),
      status: result.status,
      explanation: diagnosis ? `${result.explanation} — ${diagnosis.message}` : result.explanation,
      totalMs: Math.round(result.timings.totalMs * 10) / 10,
      rateLimitRemaining: result.rateLimit?.remaining ?? null,
      // issue 12: the result in full for the clickable history, less headers and body (never kept).
      detail: historyDetail({ ...result, presetId: preset?.id ?? null, preflight, diagnosis, identity, warnings }, scrub),
    });
    return { result: { ...result, credentialId, presetId: preset?.id ?? null, preflight, diagnosis, identity, warnings }, body, decodeProblem };
  }

  /** The credential's matcher for exactly these secrets: the cached one while the value is the same, else a new one. */
  private matcherFor(credentialId: string, secrets: readonly string[]): SecretMatcher {
    const known = this.matchers.get(credentialId);
    if (known && known.secrets.length === secrets.length && known.secrets.every((s, i) => s === secrets[i])) return known.matcher;
    const matcher = compileSecrets(secrets);
    this.matchers.set(credentialId, { secrets: [...secrets], matcher });
    return matcher;
  }

  /**
   * A 429 or 503 that says when to come back opens a hold (Retry-After, in
   * seconds or as an HTTP date; for a 429 without one, the window's reset
   * when nothing is left); any other answer ends an open one.
   */
  private updateHold(environmentId: string, credentialId: string, r: Omit<TestResult, 'credentialId' | 'presetId' | 'preflight' | 'diagnosis' | 'identity' | 'warnings'>, hadHold: boolean): void {
    const now = this.now();
    if (r.status === 429 || r.status === 503) {
      const rl = r.rateLimit;
      const fromReset = r.status === 429 && rl?.remaining === 0 && rl.resetAt !== null ? rl.resetAt : null;
      const until = rl?.retryAt ?? fromReset;
      if (until !== null && until > now) {
        this.vault.rateHolds.hold({
          environmentId,
          credentialId,
          until: Math.min(until, now + MAX_HOLD_MS),
          status: r.status,
          source: rl?.retryAt ? 'Retry-After' : 'reset',
          setAt: now,
        });
      }
    } else if (hadHold && r.status !== null) {
      this.vault.rateHolds.release(environmentId, credentialId);
    }
  }

  /** The preset a test sends: the one asked for, else the provider's safest one-click call for this kind of token. */
  pickPreset(def: ProviderDefinition, c: CredentialSummary, presetId?: string): TestPreset | null {
    const presets = presetsFor(def, c.kind);
    if (presetId) {
      const p = def.testPresets.find((x) => x.id === presetId);
      if (!p) throw new VaultError('NOT_FOUND', `${def.name} has no preset "${presetId}". Presets: ${def.testPresets.map((x) => x.id).join(', ') || 'none'}.`);
      return p;
    }
    // A one-click test sends only a safe call; an identity call is preferred, it tells the most.
    return presets.find((p) => p.safe && p.identity && !p.pathEditable) ?? presets.find((p) => p.safe && !p.pathEditable) ?? presets.find((p) => p.safe) ?? null;
  }

  /**
   * Why a 401: expired or revoked by our own records, a value that does not
   * look like this provider's tokens, a token of another environment (the same
   * safe call succeeds there), or simply invalid.
   */
  private async diagnose(
    c: CredentialSummary,
    env: Environment,
    def: ProviderDefinition,
    preset: TestPreset | null,
    value: string,
    signal?: AbortSignal,
  ): Promise<Diagnosis> {
    if (c.status === 'revoked') return { cause: 'revoked', message: 'this token was revoked (by our records): it can never work again.' };
    if (c.expiresAt !== null && c.expiresAt <= this.now()) {
      const when = formatDueDate(c.expiresAt, this.display(), { date: c.expiresOn });
      if (c.kind === 'jwt_session' && c.expirySource === 'jwt_exp') {
        return { cause: 'expired', message: `this sign-in lapsed on ${when}: signed out — sign in again.` };
      }
      const from = c.expirySource ? `, by ${describeExpirySource(c.expirySource)}` : '';
      return { cause: 'expired', message: `this token expired on ${when}${from}.` };
    }
    const format = tokenFormatWarning(def, c.kind, value);
    if (format) return { cause: 'format', message: `the value does not look like a ${def.name} token: ${format}` };
    if (preset?.safe) {
      const others = (this.vault.listEnvironments(env.workspaceId).filter((e) => !('corrupt' in e) && e.id !== env.id) as Environment[]).sort(
        (a, b) => Number(a.production) - Number(b.production),
      );
      for (const other of others) {
        try {
          const r = await sendRequestWithBody(
            {
              baseUrl: other.baseUrl,
              method: preset.method,
              path: preset.path,
              credential: { kind: c.kind, headerName: c.headerName, value },
              secrets: [value],
              production: other.production,
              armed: false,
              providerName: def.name,
              timeoutMs: 10_000,
              ...(signal ? { signal } : {}),
            },
            this.now,
          );
          if (r.classification === 'ok') {
            return {
              cause: 'other_environment',
              message: `valid in ${other.name}, rejected by ${env.name}: this token belongs to ${other.name}.`,
              environment: { id: other.id, name: other.name, production: other.production },
            };
          }
        } catch {
          // An unreachable or unsafe other environment tells us nothing.
        }
      }
    }
    return { cause: 'invalid', message: 'the provider does not accept this token: it is invalid, or was revoked at the provider.' };
  }

  private identityMismatch(c: CredentialSummary, identity: { account: string | null; company: string | null }): string | null {
    const label = identity.company ?? identity.account;
    if (!label) return null;
    for (const other of this.vault.listCredentials({ workspaceId: c.workspaceId })) {
      if ('corrupt' in other || other.id === c.id || !other.identity) continue;
      const theirs = other.identity.company ?? other.identity.account;
      if (theirs && theirs !== label) {
        return `This token belongs to ${label}, but ${other.name} in the same workspace belongs to ${theirs}: is it filed under the right workspace?`;
      }
    }
    return null;
  }

  // ------------------------------------------------------------ JWT sessions

  /** Logs in with email and password (used once, never stored) and keeps the session as a credential. */
  async login(input: { environmentId: string; name: string; email: string; password: string }): Promise<CredentialSummary> {
    const env = this.vault.getEnvironment(input.environmentId);
    const ws = this.vault.getWorkspace(env.workspaceId);
    const def = this.providerOf(ws.providerId);
    const auth = authFor(def, 'jwt_session') as JwtSessionAuth | null;
    if (!auth) throw new VaultError('VALIDATION', `${def.name} has no login session to sign in to.`);
    const tokens = await this.callSessionEndpoint(env, def, auth.login.method, auth.login.path, { [auth.login.emailField]: input.email, [auth.login.passwordField]: input.password }, auth, [input.password]);
    const created = this.vault.addCredential({
      environmentId: env.id,
      name: input.name,
      kind: 'jwt_session',
      description: `Session of ${input.email}`,
      secret: { value: tokens.accessToken, ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}) },
      expiresAt: tokens.refreshExpiresAt,
    });
    // The session's end from every source: the refresh token's (its own exp, or the documented lifetime), else the access token's.
    this.expiry.apply(created.id, { explicit: null, refreshAt: tokens.refreshLifetimeAt });
    // The login answer says who this session is (Regen: data.user.email).
    if (tokens.account) {
      this.vault.setCredentialIdentity(created.id, { account: tokens.account, company: null });
      return this.vault.getCredential(created.id);
    }
    return created;
  }

  private async freshSession(
    c: CredentialSummary,
    env: Environment,
    def: ProviderDefinition,
    secret: { value: string; refreshToken?: string },
    warnings: string[],
  ): Promise<{ value: string; refreshToken?: string }> {
    const exp = jwtExpiry(secret.value);
    if (exp === null || exp > this.now() + 5_000) return secret;
    if (!secret.refreshToken) {
      warnings.push('The access token has expired and there is no refresh token: log in again.');
      return secret;
    }
    const renewed = await this.refreshSession(c, env, def, secret).catch((e: unknown) => {
      warnings.push(`Renewing the session failed: ${e instanceof VaultError ? e.message : 'the refresh call failed'}`);
      return null;
    });
    return renewed ?? secret;
  }

  private async refreshSession(
    c: CredentialSummary,
    env: Environment,
    def: ProviderDefinition,
    secret: { value: string; refreshToken?: string },
  ): Promise<{ value: string; refreshToken?: string }> {
    const auth = authFor(def, 'jwt_session') as JwtSessionAuth | null;
    if (!auth?.refresh || !secret.refreshToken) {
      throw new VaultError('VALIDATION', `${def.name} documents no refresh request: log in again.`);
    }
    try {
      const tokens = await this.callSessionEndpoint(env, def, auth.refresh.method, auth.refresh.path, { [auth.refresh.bodyField]: secret.refreshToken }, auth, [secret.refreshToken, secret.value]);
      const next = { value: tokens.accessToken, refreshToken: tokens.refreshToken ?? secret.refreshToken };
      this.vault.updateSessionSecret(c.id, next, tokens.refreshExpiresAt ?? c.expiresAt);
      this.expiry.apply(c.id, tokens.refreshLifetimeAt !== null ? { refreshAt: tokens.refreshLifetimeAt } : {});
      return next;
    } catch (e) {
      // The refresh token itself was refused: the session is over.
      if (e instanceof VaultError && e.details?.status === 401) this.vault.updateCredential(c.id, { status: 'expired' });
      throw e;
    }
  }

  private async callSessionEndpoint(
    env: Environment,
    def: ProviderDefinition,
    method: string,
    path: string,
    payload: Record<string, string>,
    auth: JwtSessionAuth,
    secrets: string[],
  ): Promise<{ accessToken: string; refreshToken: string | null; refreshExpiresAt: number | null; refreshLifetimeAt: number | null; account: string | null }> {
    const r = await sendRequestWithBody(
      { baseUrl: env.baseUrl, method, path, body: JSON.stringify(payload), credential: null, secrets, production: false, armed: true, providerName: def.name },
      this.now,
    );
    try {
      if (r.classification !== 'ok') {
        // A server that cannot be reached is never bad input: NETWORK, exit 1, with the engine's classification.
        if (isUnreachable(r.classification)) {
          throw new VaultError('NETWORK', `Could not reach ${def.name}: ${clause(r.explanation)}. Nothing was changed.`, { details: { status: null, outcome: r.classification } });
        }
        // The provider's own words (Strapi: "Invalid credentials") are in the explanation.
        const code = r.status !== null && r.status >= 500 ? 'PROVIDER_ERROR' : 'VALIDATION';
        throw new VaultError(code, `${clause(r.explanation)}.`, { details: { status: r.status, outcome: r.classification } });
      }
      let json: unknown;
      try {
        json = JSON.parse(r.body.toString('utf8'));
      } catch {
        throw new VaultError('VALIDATION', `${def.name} answered the login with something other than JSON.`);
      }
      const access = readJsonPath(json, auth.responseFields.accessToken);
      const refresh = auth.responseFields.refreshToken ? readJsonPath(json, auth.responseFields.refreshToken) : null;
      if (typeof access !== 'string' || access.length === 0) {
        throw new VaultError('VALIDATION', `${def.name}'s answer has no access token at ${auth.responseFields.accessToken}.`);
      }
      const refreshLifetime = auth.refreshTokenLifetimeSeconds;
      const account = auth.responseFields.account ? readJsonPath(json, auth.responseFields.account) : null;
      return {
        account: typeof account === 'string' ? account.slice(0, 200) : null,
        accessToken: access,
        refreshToken: typeof refresh === 'string' && refresh ? refresh : null,
        refreshExpiresAt: refreshLifetime ? this.now() + refreshLifetime * 1000 : jwtExpiry(access),
        refreshLifetimeAt: refreshLifetime ? this.now() + refreshLifetime * 1000 : null,
      };
    } finally {
      r.body.fill(0);
    }
  }
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** `fn`'s value or what it threw, to be raised later by `settle`. */
function attempt<T>(fn: () => T): Attempt<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The value of an `attempt`, or its error thrown now. */
function settle<T>(a: Attempt<T>): T {
  if (!a.ok) throw a.error;
  return a.value;
}

/** The `exp` of a JWT in ms, or null for anything that is not a JWT with one. No signature check: we only read a date. */
export function jwtExpiry(token: string): number | null {
  // NumericDate may be fractional seconds: whole milliseconds, as every stored date is.
  return jwtExpirySource(token)?.at ?? null;
}

function readIdentity(body: Buffer, fields: { account?: string; company?: string }): { account: string | null; company: string | null } | null {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).slice(0, 200) : null);
  const account = fields.account ? str(readJsonPath(json, fields.account)) : null;
  const company = fields.company ? str(readJsonPath(json, fields.company)) : null;
  return account || company ? { account, company } : null;
}

/** The engine's view of a definition's documented errors, worked out once per definition object. */
const documentedByDefinition = new WeakMap<ProviderDefinition, NonNullable<EngineRequest['documentedErrors']>>();
function documentedErrors(def: ProviderDefinition): NonNullable<EngineRequest['documentedErrors']> {
  let known = documentedByDefinition.get(def);
  if (!known) {
    known = def.errorShapes.map((e) => ({ status: e.status, meaning: e.meaning, ...(bodyMarker(e.body) ? { bodyIncludes: bodyMarker(e.body)! } : {}) }));
    documentedByDefinition.set(def, known);
  }
  return known;
}

/** A distinctive piece of a documented error body (its detail/message text), to tell two bodies with one status apart. */
function bodyMarker(body: unknown): string | undefined {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const m = /"(?:detail|message|error)"\s*:\s*"([^"]{6,})"/.exec(text);
  return m?.[1];
}
