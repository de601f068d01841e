import { describe, expect, it } from 'vitest';
import type { Timers } from '../services/auto-lock';
import { PagePresence } from './page-presence';

/** Timers the test fires by hand: what happens when the grace period ends, not how long it takes. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 1;
  const timers: Timers = {
    setTimeout: (fn) => {
      pending.set(next, fn);
      return next++;
    },
    clearTimeout: (h) => void pending.delete(h as number),
  };
  return {
    timers,
    pending: () => pending.size,
    fire() {
      const fns = [...pending.values()];
      pending.clear();
      for (const fn of fns) fn();
    },
  };
}

describe('PagePresence (browser mode locks when its last page closes)', () => {
  it('locks when the grace period ends with no page open', () => {
    const t = manualTimers();
    let locks = 0;
    const p = new PagePresence(() => locks++, 5_000, t.timers);
    p.opened();
    p.closed();
    expect(locks).toBe(0);
    t.fire();
    expect(locks).toBe(1);
  });

  it('does not lock on a reload: the page reconnects within the grace period', () => {
    const t = manualTimers();
    let locks = 0;
    const p = new PagePresence(() => locks++, 5_000, t.timers);
    p.opened();
    p.closed(); // the reload drops the stream…
    p.opened(); // …and the reloaded page connects again
    expect(t.pending()).toBe(0);
    t.fire();
    expect(locks).toBe(0);
  });

  it('a request while no page is connected (a slow reload loading) starts the grace period again; closing still locks', () => {
    const t = manualTimers();
    let locks = 0;
    const p = new PagePresence(() => locks++, 5_000, t.timers);
    p.seen(); // before any page: nothing pending, nothing armed
    expect(t.pending()).toBe(0);
    p.opened();
    p.closed();
    p.seen();
    expect(t.pending()).toBe(1);
    t.fire();
    expect(locks).toBe(1);
  });

  it('does not lock while another page stays open, nor before any page opened, nor after stop', () => {
    const t = manualTimers();
    let locks = 0;
    const p = new PagePresence(() => locks++, 5_000, t.timers);
    expect(t.pending()).toBe(0);
    p.opened();
    p.opened();
    p.closed();
    expect(p.pages).toBe(1);
    expect(t.pending()).toBe(0);
    p.stop();
    p.closed();
    t.fire();
    expect(locks).toBe(0);
  });
});
