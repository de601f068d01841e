import { VaultError } from '../../src-shared/errors';

export const ARM_MINUTES = 5;

/**
 * The production guardrail: a production environment is read-only until the
 * user arms it by typing the workspace's name, and only for a few minutes.
 * Kept in memory on purpose — a restart or a lock disarms everything.
 */
export class Arming {
  private readonly until = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  arm(environmentId: string, workspaceName: string, typed: string): number {
    if (typed.normalize('NFC').trim() !== workspaceName) {
      throw new VaultError('VALIDATION', `To arm production, type the workspace name exactly: ${workspaceName}`, {
        issues: [{ path: 'confirmName', message: 'does not match the workspace name' }],
      });
    }
    const until = this.now() + ARM_MINUTES * 60_000;
    this.until.set(environmentId, until);
    return until;
  }

  disarm(environmentId?: string): void {
    if (environmentId) this.until.delete(environmentId);
    else this.until.clear();
  }

  armedUntil(environmentId: string): number | null {
    const t = this.until.get(environmentId);
    if (t === undefined) return null;
    if (t <= this.now()) {
      this.until.delete(environmentId);
      return null;
    }
    return t;
  }

  isArmed(environmentId: string): boolean {
    return this.armedUntil(environmentId) !== null;
  }
}
