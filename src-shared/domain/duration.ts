/**
 * Durations as users type them: `90d`, `2w`, `12h`, `1y` (a year counts as 365
 * days, never a calendar year, so `1y` means the same on every date).
 */
const UNIT_MS = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
} as const;

const DURATION_RE = /^(\d{1,6})\s*([mhdwy])$/;

export function parseDuration(text: string): number | null {
  const m = DURATION_RE.exec(text.trim().toLowerCase());
  if (!m) return null;
  const amount = Number(m[1]);
  if (amount <= 0) return null;
  return amount * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

export const DAY_MS = UNIT_MS.d;

/** `90d` → 90; only whole days make sense for rotation policies. */
export function parseDays(text: string): number | null {
  const ms = parseDuration(text);
  if (ms === null || ms % DAY_MS !== 0) return null;
  return ms / DAY_MS;
}
