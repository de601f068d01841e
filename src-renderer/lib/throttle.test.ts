import { describe, expect, it, vi } from 'vitest';
import { leadingThrottle } from './throttle';

describe('leadingThrottle', () => {
  it('fires on the first event, then at most once per interval, dropping the rest', () => {
    let t = 0;
    const fn = vi.fn();
    const throttled = leadingThrottle(fn, 30_000, () => t);
    throttled();
    throttled();
    t = 29_999;
    throttled();
    expect(fn).toHaveBeenCalledTimes(1);
    t = 30_000;
    throttled();
    expect(fn).toHaveBeenCalledTimes(2);
    throttled.reset();
    throttled();
    expect(fn).toHaveBeenCalledTimes(3);
  });
});
