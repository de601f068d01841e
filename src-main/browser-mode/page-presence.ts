import { unrefTimers, type Timers } from '../services/auto-lock';

/** How long browser mode waits after its last page went away before it locks: a reload reconnects well within it. */
export const LAST_PAGE_GRACE_MS = 10_000;

/**
 * Locks the vault when the last page of browser mode is closed (issue 12).
 *
 * Each open page holds one event stream (`/api/events`), so the number of
 * open streams is the number of open pages. When it drops to zero a grace
 * period starts; a page that connects within it (a reload, a second tab
 * opening) cancels it, otherwise `lock` runs. A page loading while none is
 * connected (the reloading page fetching its HTML and scripts) starts the
 * grace period again, so a slow reload on a busy machine does not lock; a
 * closed page loads nothing, so closing still locks. API calls do not count:
 * a script polling the API is not a page. Closing the app window thus
 * locks the vault, and reopening the URL asks to unlock.
 */
export class PagePresence {
  private open = 0;
  private timer: unknown = null;
  private stopped = false;

  constructor(
    private readonly lock: () => void,
    private readonly graceMs: number = LAST_PAGE_GRACE_MS,
    private readonly timers: Timers = unrefTimers,
  ) {}

  /** A page connected its event stream. */
  opened(): void {
    this.open++;
    this.cancel();
  }

  /** A page's event stream closed (the page was closed, reloaded or navigated away). */
  closed(): void {
    this.open = Math.max(0, this.open - 1);
    if (this.open > 0 || this.stopped) return;
    this.arm();
  }

  private arm(): void {
    this.cancel();
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      if (this.open === 0) this.lock();
    }, this.graceMs);
  }

  /** A page is loading (a static file was served): while no page is connected, the grace period starts again. */
  seen(): void {
    if (this.open === 0 && this.timer !== null) this.arm();
  }

  /** Pages connected now. */
  get pages(): number {
    return this.open;
  }

  /** The server is closing: no lock from here on (its own shutdown closes the vault). */
  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private cancel(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
