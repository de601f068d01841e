/**
 * Runs `fn` at most once per `intervalMs`, on the leading edge: the first
 * event after a quiet period fires at once, later ones within the interval are
 * dropped (not deferred — for activity pings a dropped event is harmless, and
 * a trailing call would report activity that is already stale).
 */
export function leadingThrottle(fn: () => void, intervalMs: number, now: () => number = Date.now): { (): void; reset(): void } {
  let last = Number.NEGATIVE_INFINITY;
  const throttled = () => {
    const t = now();
    if (t - last < intervalMs) return;
    last = t;
    fn();
  };
  throttled.reset = () => {
    last = Number.NEGATIVE_INFINITY;
  };
  return throttled;
}
