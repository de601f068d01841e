import { randomBytes } from 'node:crypto';
import { VaultError } from '../../src-shared/errors';
import { isCorrupt } from '../../src-shared/domain/types';
import type { TestOutcome } from '../../src-shared/domain/types';
import type { EventBus } from './event-bus';
import type { RequestService } from './request-service';
import type { Vault } from '../vault/vault';

export const TEST_ALL_CONCURRENCY = 4;

export interface TestAllOutcome {
  credentialId: string;
  outcome: TestOutcome | 'held_back' | 'error';
  explanation: string;
  /** Why a 401 (expired, revoked, another environment…), in full; null when there is none. */
  diagnosis: string | null;
  /** A held_back row's hold: who asked to wait and until when (ms since the epoch, UTC). */
  hold?: { provider: string | null; status: number; retryAt: number };
}

/**
 * "Test all": every token of a workspace or environment, a few at a time,
 * with progress events and cancellation. A token whose provider asked to
 * wait (Retry-After) is skipped, not sent.
 */
export class TestRunner {
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly vault: Vault,
    private readonly requests: RequestService,
    private readonly events: EventBus,
  ) {}

  start(filter: { workspaceId: string; environmentId?: string }): { runId: string; total: number; done: Promise<TestAllOutcome[]> } {
    this.vault.getWorkspace(filter.workspaceId);
    const ids = this.vault
      .listCredentials(filter.environmentId ? { environmentId: filter.environmentId } : { workspaceId: filter.workspaceId })
      .filter((c) => !isCorrupt(c) && c.status !== 'revoked')
      .map((c) => (c as { id: string }).id);
    const runId = `run_${randomBytes(8).toString('hex')}`;
    const ctrl = new AbortController();
    this.running.set(runId, ctrl);
    const done = this.run(runId, ids, ctrl.signal).finally(() => this.running.delete(runId));
    return { runId, total: ids.length, done };
  }

  cancel(runId: string): boolean {
    const ctrl = this.running.get(runId);
    ctrl?.abort();
    return ctrl !== undefined;
  }

  private async run(runId: string, ids: string[], signal: AbortSignal): Promise<TestAllOutcome[]> {
    const results: TestAllOutcome[] = [];
    let next = 0;
    const worker = async () => {
      while (next < ids.length && !signal.aborted) {
        const credentialId = ids[next++]!;
        let r: TestAllOutcome;
        try {
          const t = await this.requests.test(credentialId, { signal });
          r = { credentialId, outcome: t.classification, explanation: t.explanation, diagnosis: t.diagnosis?.message ?? null };
        } catch (e) {
          if (e instanceof VaultError && e.code === 'CANCELLED') break;
          const held = e instanceof VaultError && e.code === 'RATE_LIMITED';
          const d = held ? e.details : undefined;
          r = {
            credentialId,
            outcome: held ? 'held_back' : 'error',
            explanation: e instanceof VaultError ? e.message : 'The test failed.',
            diagnosis: null,
            ...(d && typeof d.retryAt === 'number'
              ? { hold: { provider: typeof d.provider === 'string' ? d.provider : null, status: typeof d.status === 'number' ? d.status : 429, retryAt: d.retryAt } }
              : {}),
          };
        }
        results.push(r);
        this.events.emit('tests:progress', { runId, done: results.length, total: ids.length, ...r });
      }
    };
    await Promise.all(Array.from({ length: Math.min(TEST_ALL_CONCURRENCY, ids.length) }, worker));
    this.events.emit('tests:finished', { runId, total: ids.length, done: results.length, cancelled: signal.aborted });
    return results;
  }
}
