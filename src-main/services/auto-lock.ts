import type { Vault } from '../vault/vault';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Timers that never keep a process (the CLI, a test) alive by themselves. */
export const unrefTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Locks the vault after the idle time in the settings. Activity is reported by
 * the shells (every API call, and the renderer's throttled input pings); the
 * OS lock-screen and suspend lock at once through `lockNow`.
 */
export class AutoLock {
  private handle: unknown = null;
  private deadline: number | null = null;
  /** The setting, read once and again after any settings change (this process's, or another's seen by the vault's watch). */
  private minutes: number | null = null;

  constructor(
    private readonly vault: Vault,
    /** Told why, just before the vault locks (so the `locked` event can carry the reason). */
    private readonly beforeLock: (reason: 'idle' | 'system' | 'user') => void,
    private readonly now: () => number = Date.now,
    private readonly timers: Timers = unrefTimers,
  ) {
    vault.on('unlocked', () => this.activity());
    vault.on('locked', () => this.cancel());
    vault.on('changed', (e) => {
      if (e.entity === 'settings') this.minutes = null;
    });
  }

  /** Restarts the idle countdown; returns ms until auto-lock, or null when off or locked. */
  activity(): number | null {
    this.cancel();
    if (!this.vault.isUnlocked) return null;
    // Every API call lands here: the settings are read on a change, not per call (issue 9's overhead).
    const minutes = (this.minutes ??= this.vault.getSettings().autoLockMinutes);
    if (minutes === 0) return null;
    const ms = minutes * 60_000;
    this.deadline = this.now() + ms;
    this.handle = this.timers.setTimeout(() => this.lockNow('idle'), ms);
    return ms;
  }

  lockNow(reason: 'idle' | 'system' | 'user'): void {
    this.cancel();
    if (!this.vault.isUnlocked) return;
    this.beforeLock(reason);
    this.vault.lock();
  }

  get lockAt(): number | null {
    return this.deadline;
  }

  private cancel(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
    this.deadline = null;
  }
}
