import type { Clock } from './http-util';

/**
 * Fixed-window rate limiting per key (Regen Therapy: standard 100/hour,
 * burst 10/minute, write operations 50/hour). A window opens at a key's first
 * request and closes `windowMs` later; a request refused with 429 is not
 * counted. The headers describe the binding window: the one with the fewest
 * requests left (ties: the one that resets first); on a 429, the exceeded
 * window that resets last, since only then does a retry succeed.
 */

export interface RateWindow {
  /** A token for the IETF `RateLimit-Policy` field, e.g. `burst`. */
  name: string;
  limit: number;
  windowMs: number;
  /** `write` windows count only write requests. */
  appliesTo: 'all' | 'write';
}

export interface RateDecision {
  allowed: boolean;
  /** X-RateLimit-* (and, when asked, IETF RateLimit / RateLimit-Policy); plus Retry-After on a 429. */
  headers: Record<string, string>;
  /** The window the headers describe. */
  window: string;
  /** Seconds to wait, on a 429. */
  retryAfter?: number;
}

interface Counter {
  start: number;
  count: number;
}

export class FixedWindowLimiter {
  private readonly counters = new Map<string, Counter>();

  constructor(
    readonly windows: readonly RateWindow[],
    private readonly now: Clock,
    private readonly ietf = false,
  ) {}

  reset(): void {
    this.counters.clear();
  }

  hit(key: string, isWrite: boolean): RateDecision | null {
    const applicable = this.windows.filter((w) => w.appliesTo === 'all' || isWrite);
    if (applicable.length === 0) return null;
    const now = this.now();
    const live = applicable.map((w) => {
      const id = `${w.name}\u0000${key}`;
      let c = this.counters.get(id);
      if (!c || now >= c.start + w.windowMs) {
        c = { start: now, count: 0 };
        this.counters.set(id, c);
      }
      return { w, c, reset: c.start + w.windowMs };
    });

    const exceeded = live.filter((x) => x.c.count >= x.w.limit);
    if (exceeded.length > 0) {
      const worst = exceeded.reduce((a, b) => (b.reset > a.reset ? b : a));
      const retryAfter = Math.max(1, Math.ceil((worst.reset - now) / 1000));
      return {
        allowed: false,
        window: worst.w.name,
        retryAfter,
        headers: { ...this.headersFor(worst.w, 0, worst.reset, now), 'retry-after': String(retryAfter) },
      };
    }

    for (const x of live) x.c.count += 1;
    const binding = live.reduce((a, b) => {
      const ra = a.w.limit - a.c.count;
      const rb = b.w.limit - b.c.count;
      return rb < ra || (rb === ra && b.reset < a.reset) ? b : a;
    });
    return {
      allowed: true,
      window: binding.w.name,
      headers: this.headersFor(binding.w, binding.w.limit - binding.c.count, binding.reset, now),
    };
  }

  private headersFor(w: RateWindow, remaining: number, resetMs: number, now: number): Record<string, string> {
    const h: Record<string, string> = {
      'x-ratelimit-limit': String(w.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
    };
    if (this.ietf) {
      // draft-ietf-httpapi-ratelimit-headers-08 and later: structured-field lists.
      h['ratelimit-policy'] = this.windows.map((x) => `"${x.name}";q=${x.limit};w=${Math.round(x.windowMs / 1000)}`).join(', ');
      h['ratelimit'] = `"${w.name}";r=${remaining};t=${Math.max(0, Math.ceil((resetMs - now) / 1000))}`;
    }
    return h;
  }
}
