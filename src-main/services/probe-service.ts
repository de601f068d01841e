import { randomBytes } from 'node:crypto';
import { VaultError } from '../../src-shared/errors';
import type { CredentialSummary } from '../../src-shared/domain/types';
import { probePlan } from '../../src-shared/roles';
import type { ProbeCellReport, ProbeReport } from '../../src-shared/ipc/contract';
import type { ProviderDefinition } from '../../src-shared/providers';
import type { Vault } from '../vault/vault';
import type { EventBus } from './event-bus';
import type { RequestService } from './request-service';

export type { ProbeReport };
type ProbeCellResult = ProbeCellReport;
type Observed = NonNullable<ProbeCellReport['observed']>;

export const PROBE_CONCURRENCY = 2;
const MAX_RETRIES = 3;
const WINDOW_MARGIN_MS = 500;

/** A sliding-window limiter: never more than `limit` calls in any `windowMs`. */
class Window {
  private readonly sent: number[] = [];
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}
  /** How long to wait before the next call may go. */
  waitMs(now: number): number {
    while (this.sent.length && this.sent[0]! <= now - this.windowMs) this.sent.shift();
    return this.sent.length < this.limit ? 0 : this.sent[0]! + this.windowMs - now;
  }
  take(now: number) {
    this.sent.push(now);
  }
}

/**
 * "Probe permissions": calls every endpoint the provider's model documents
 * with the token and compares what happens with what the documents say.
 * Reads are sent as they are; writes only with the provider's declared
 * non-mutating probe request, and are otherwise skipped, saying so. Sandbox
 * by default; production needs the environment's name typed as confirmation.
 * Paced under the provider's documented burst and any Retry-After;
 * cancellable; resumable from the last report.
 */
export class ProbeService {
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly vault: Vault,
    private readonly requests: RequestService,
    private readonly events: EventBus,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly concurrency = PROBE_CONCURRENCY,
  ) {}

  report(credentialId: string): ProbeReport | null {
    this.vault.getCredential(credentialId);
    return this.vault.probeReport<ProbeReport>(credentialId);
  }

  /** The cells a probe would send, before anything is sent. */
  plan(credentialId: string, opts: { contentTypes?: string[] } = {}): ProbeReport {
    const c = this.vault.getCredential(credentialId);
    const env = this.vault.getEnvironment(c.environmentId);
    const def = this.providerOf(c);
    if (!def.roles) throw new VaultError('VALIDATION', `${def.name} has no documented permission model to probe against.`);
    const plan = probePlan(def.roles, grantOf(c), opts);
    const notes = [...plan.notes];
    const writes = def.probe?.writes;
    if (!writes && plan.cells.some((x) => x.write)) {
      notes.push(`Write endpoints are skipped: ${def.name} defines no request that tests a write without changing data.`);
    }
    return {
      credentialId,
      environmentId: env.id,
      environmentName: env.name,
      production: env.production,
      startedAt: this.now(),
      finishedAt: null,
      complete: false,
      cancelled: false,
      notes,
      cells: plan.cells.map((cell) => ({ ...cell, observed: null, status: null, note: '', mismatch: false })),
    };
  }

  start(credentialId: string, opts: { confirmEnvironment?: string; resume?: boolean; contentTypes?: string[] } = {}): { runId: string; total: number; done: Promise<ProbeReport> } {
    const report = this.plan(credentialId, opts.contentTypes ? { contentTypes: opts.contentTypes } : {});
    if (report.production && opts.confirmEnvironment?.trim() !== report.environmentName) {
      throw new VaultError('VALIDATION', `Probing calls every documented endpoint of a PRODUCTION environment. Type the environment name (${report.environmentName}) to confirm.`, {
        issues: [{ path: 'confirmEnvironment', message: `must be ${report.environmentName}` }],
      });
    }
    if (opts.resume) {
      const last = this.vault.probeReport<ProbeReport>(credentialId);
      if (last && !last.complete && last.environmentId === report.environmentId) {
        const done = new Map(last.cells.filter((x) => x.observed && x.observed !== 'error').map((x) => [`${x.method} ${x.path}`, x]));
        report.cells = report.cells.map((x) => done.get(`${x.method} ${x.path}`) ?? x);
        report.startedAt = last.startedAt;
      }
    }
    const runId = `probe_${randomBytes(8).toString('hex')}`;
    const ctrl = new AbortController();
    this.running.set(runId, ctrl);
    const done = this.run(runId, report, ctrl.signal).finally(() => this.running.delete(runId));
    return { runId, total: report.cells.length, done };
  }

  cancel(runId: string): boolean {
    const ctrl = this.running.get(runId);
    ctrl?.abort();
    return ctrl !== undefined;
  }

  private providerOf(c: CredentialSummary): ProviderDefinition {
    return this.requests.providerOf(this.vault.getWorkspace(c.workspaceId).providerId);
  }

  private async run(runId: string, report: ProbeReport, signal: AbortSignal): Promise<ProbeReport> {
    const c = this.vault.getCredential(report.credentialId);
    const def = this.providerOf(c);
    const writes = def.probe?.writes;
    // The tightest documented windows: the burst for every call, the write tier for writes.
    const tiers = def.rateLimits?.tiers ?? [];
    // A little wider than documented: the server starts its window when a call arrives, not when we send it.
    const windows = tiers.map((t) => ({ appliesTo: t.appliesTo, w: new Window(t.limit, t.windowSeconds * 1000 + WINDOW_MARGIN_MS) }));
    const todo = report.cells.filter((x) => x.observed === null || x.observed === 'error');
    let next = 0;
    let done = report.cells.length - todo.length;
    const emit = (cell: ProbeCellResult) =>
      this.events.emit('probes:progress', { runId, credentialId: report.credentialId, done, total: report.cells.length, method: cell.method, path: cell.path, observed: cell.observed ?? 'error', mismatch: cell.mismatch });

    const worker = async () => {
      while (next < todo.length && !signal.aborted) {
        const cell = todo[next++]!;
        if (cell.write && !writes) {
          Object.assign(cell, { observed: 'skipped', status: null, note: 'not sent: no non-mutating probe is defined for writes', mismatch: false });
        } else if (cell.write && report.production && !this.requests.isArmed(report.environmentId)) {
          Object.assign(cell, { observed: 'skipped', status: null, note: 'not sent: production is not armed for writes', mismatch: false });
        } else {
          await this.probeCell(cell, report.credentialId, windows, writes, signal);
        }
        if (signal.aborted && cell.observed === null) break;
        done++;
        emit(cell);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, todo.length) }, worker));
    report.cancelled = signal.aborted;
    report.complete = !signal.aborted && report.cells.every((x) => x.observed !== null);
    report.finishedAt = this.now();
    this.vault.saveProbeReport(report.credentialId, report);
    this.events.emit('probes:finished', {
      runId,
      credentialId: report.credentialId,
      cancelled: report.cancelled,
      mismatches: report.cells.filter((x) => x.mismatch).length,
    });
    return report;
  }

  private async probeCell(
    cell: ProbeCellResult,
    credentialId: string,
    windows: { appliesTo: 'all' | 'writes'; w: Window }[],
    writes: NonNullable<ProviderDefinition['probe']>['writes'],
    signal: AbortSignal,
  ): Promise<void> {
    for (let attempt = 0; attempt <= MAX_RETRIES && !signal.aborted; attempt++) {
      const applicable = windows.filter((x) => x.appliesTo === 'all' || cell.write);
      let wait = Math.max(0, ...applicable.map((x) => x.w.waitMs(this.now())));
      while (wait > 0 && !signal.aborted) {
        await this.sleep(wait);
        wait = Math.max(0, ...applicable.map((x) => x.w.waitMs(this.now())));
      }
      if (signal.aborted) return;
      for (const x of applicable) x.w.take(this.now());
      try {
        const r = await this.requests.test(credentialId, {
          method: cell.method,
          path: cell.path,
          ...(cell.write && writes ? { body: JSON.stringify(writes.body) } : {}),
          signal,
        });
        const status = r.status;
        let observed: Observed;
        let note = r.explanation;
        if (r.classification === 'redirected') {
          // Sent elsewhere (a login page, a loop): the answer says nothing about the token's rights.
          observed = 'error';
        } else if (cell.write && writes) {
          if (status !== null && writes.allowedStatuses.includes(status)) observed = 'allowed';
          else if (status !== null && writes.deniedStatuses.includes(status)) observed = 'denied';
          else {
            observed = 'error';
            if (status !== null && status < 300) note = `${status}: the write probe was ACCEPTED — the provider may have changed data; check it.`;
          }
        } else if (status !== null && status >= 200 && status < 300) observed = 'allowed';
        else if (status === 403) observed = 'denied';
        else observed = 'error';
        Object.assign(cell, { observed, status, note, mismatch: (observed === 'allowed' || observed === 'denied') && observed !== cell.documented });
        return;
      } catch (e) {
        if (e instanceof VaultError && e.code === 'RATE_LIMITED') {
          await this.sleep(Number(e.details?.retryAfterMs ?? 1000));
          continue;
        }
        if (e instanceof VaultError && e.code === 'CANCELLED') return;
        Object.assign(cell, { observed: 'error', status: null, note: e instanceof VaultError ? e.message : 'the request failed', mismatch: false });
        return;
      }
    }
    if (cell.observed === null && !signal.aborted) Object.assign(cell, { observed: 'error', status: 429, note: 'still rate limited after retries', mismatch: false });
  }
}

function grantOf(c: CredentialSummary) {
  return { role: c.role ?? undefined, scopes: c.scopes, tokenType: c.tokenType ?? undefined };
}
