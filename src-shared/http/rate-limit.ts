import { parseDictionary, parseList, type Item } from 'structured-headers';

/**
 * What a response says about the caller's rate limit, from whichever header
 * family the API uses: `X-RateLimit-*` (Regen Therapy, GitHub style),
 * `Retry-After` (RFC 9110), and the IETF `RateLimit` / `RateLimit-Policy`
 * fields (draft-ietf-httpapi-ratelimit-headers, both the dictionary form
 * `limit=100, remaining=50, reset=30` and the newer list form
 * `"default";r=50;t=30` with `"default";q=100;w=3600`). Parsed with a
 * structured-fields parser, never with ad-hoc splitting.
 */
export interface RateLimitState {
  limit: number | null;
  remaining: number | null;
  /** When the window resets, ms since the epoch. */
  resetAt: number | null;
  /** When a Retry-After asks the client to come back, ms since the epoch. */
  retryAt: number | null;
  /** Window length in seconds, from a RateLimit-Policy. */
  windowSeconds: number | null;
  /** Which headers said so. */
  sources: string[];
  /** issue-9: a header whose value made no sense (a reset in the past, or implausibly far ahead), in words. */
  notes?: string[];
}

type Headers = Record<string, string | undefined>;

const num = (s: string | undefined): number | null => {
  if (s === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(s)) return null;
  return Number(s);
};

/** A reset this far in the past is a wrong value, not clock skew. */
const PAST_TOLERANCE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * A reset header's number as an instant, ms since the epoch (UTC), whichever
 * unit the API chose: epoch milliseconds (≥ 10^12, i.e. after 2001-09-09 in
 * ms), epoch seconds (≥ 10^9, after 2001-09-09 in seconds), else seconds from
 * now (a delta, as the IETF draft specifies, and as many APIs send
 * `X-RateLimit-Reset`). A result in the past (beyond a minute of clock skew),
 * or further ahead than the window allows (a day when the window is unknown
 * or shorter than a day), is implausible: null, with a note naming the header.
 */
export function readReset(header: string, value: number, now: number, windowSeconds: number | null = null): { at: number | null; note: string | null } {
  const at = value >= 1e12 ? value : value >= 1e9 ? value * 1000 : now + value * 1000;
  const unit = value >= 1e12 ? 'epoch milliseconds' : value >= 1e9 ? 'epoch seconds' : 'seconds from now';
  const maxAhead = Math.max(DAY_MS, (windowSeconds ?? 0) * 1000 + 60_000);
  if (at < now - PAST_TOLERANCE_MS) {
    return { at: null, note: `${header}: ${value} (read as ${unit}) is ${new Date(at).toISOString()}, in the past: ignored.` };
  }
  if (at > now + maxAhead) {
    const when = Number.isFinite(at) && at < 8.64e15 ? new Date(at).toISOString() : 'beyond any date';
    return { at: null, note: `${header}: ${value} (read as ${unit}) is ${when}, more than ${Math.round(maxAhead / 3_600_000)} h ahead: implausible for this limit, ignored.` };
  }
  return { at: Math.max(at, now), note: null };
}

export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (value === undefined) return null;
  const seconds = num(value);
  if (seconds !== null) return now + seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : date;
}

export function parseRateLimit(headers: Headers, now: number): RateLimitState | null {
  const h = (name: string) => headers[name.toLowerCase()];
  const state: RateLimitState = { limit: null, remaining: null, resetAt: null, retryAt: null, windowSeconds: null, sources: [] };
  const notes: string[] = [];
  // The window (from a RateLimit-Policy) bounds how far ahead a reset may plausibly be.
  const policyHeader = h('ratelimit-policy');
  const policy = policyHeader !== undefined ? parseIetfPolicy(policyHeader) : null;
  const reset = (header: string, value: number): number | null => {
    const r = readReset(header, value, now, policy?.window ?? null);
    if (r.note) notes.push(r.note);
    return r.at;
  };

  const xl = num(h('x-ratelimit-limit'));
  const xr = num(h('x-ratelimit-remaining'));
  const xs = num(h('x-ratelimit-reset'));
  if (xl !== null || xr !== null || xs !== null) {
    state.limit = xl;
    state.remaining = xr;
    state.resetAt = xs === null ? null : reset('X-RateLimit-Reset', xs);
    state.sources.push('X-RateLimit');
  }

  const ietf = h('ratelimit');
  if (ietf !== undefined) {
    const parsed = parseIetfRateLimit(ietf);
    if (parsed) {
      state.limit ??= parsed.limit;
      state.remaining ??= parsed.remaining;
      if (state.resetAt === null && parsed.reset !== null) state.resetAt = reset('RateLimit reset', parsed.reset);
      state.sources.push('RateLimit');
    }
  }
  if (policy) {
    state.limit ??= policy.quota;
    state.windowSeconds = policy.window;
    state.sources.push('RateLimit-Policy');
  }
  // Older drafts used one header per field.
  const dl = num(h('ratelimit-limit'));
  const dr = num(h('ratelimit-remaining'));
  const ds = num(h('ratelimit-reset'));
  if (dl !== null || dr !== null || ds !== null) {
    state.limit ??= dl;
    state.remaining ??= dr;
    if (state.resetAt === null && ds !== null) state.resetAt = reset('RateLimit-Reset', ds);
    state.sources.push('RateLimit-*');
  }

  const retryAt = parseRetryAfter(h('retry-after'), now);
  if (retryAt !== null) {
    state.retryAt = retryAt;
    state.sources.push('Retry-After');
  }
  if (notes.length > 0) state.notes = notes;
  return state.sources.length > 0 ? state : null;
}

function itemNumber(item: Item | undefined): number | null {
  const v = item?.[0];
  return typeof v === 'number' ? v : null;
}

function parseIetfRateLimit(value: string): { limit: number | null; remaining: number | null; reset: number | null } | null {
  try {
    // Newer drafts: a list of named policies with parameters r (remaining) and t (reset seconds).
    const list = parseList(value);
    const first = list[0];
    if (first && typeof first[0] === 'string' && first[1] instanceof Map && (first[1].has('r') || first[1].has('t'))) {
      const params = first[1];
      const r = params.get('r');
      const t = params.get('t');
      return { limit: null, remaining: typeof r === 'number' ? r : null, reset: typeof t === 'number' ? t : null };
    }
  } catch {
    // not the list form; try the dictionary form below
  }
  try {
    const dict = parseDictionary(value);
    if (!dict.has('limit') && !dict.has('remaining') && !dict.has('reset')) return null;
    return {
      limit: itemNumber(dict.get('limit') as Item | undefined),
      remaining: itemNumber(dict.get('remaining') as Item | undefined),
      reset: itemNumber(dict.get('reset') as Item | undefined),
    };
  } catch {
    return null;
  }
}

function parseIetfPolicy(value: string): { quota: number | null; window: number | null } | null {
  try {
    const list = parseList(value);
    const first = list[0];
    if (!first) return null;
    // Newer form: "default";q=100;w=3600. Older form: 100;w=3600.
    if (typeof first[0] === 'number') {
      const w = first[1].get('w');
      return { quota: first[0], window: typeof w === 'number' ? w : null };
    }
    const q = first[1].get('q');
    const w = first[1].get('w');
    return { quota: typeof q === 'number' ? q : null, window: typeof w === 'number' ? w : null };
  } catch {
    return null;
  }
}
