/** Summary statistics over timings in milliseconds. */
export function summarize(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { n: s.length, median: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), min: round(s[0]!), max: round(s[s.length - 1]!) };
}

export function round(ms: number): number {
  return Math.round(ms * 10_000) / 10_000;
}

export function timeSync(fn: () => unknown): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export const tick = () => new Promise<void>((r) => setImmediate(r));
