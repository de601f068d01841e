/** Helpers for the emulators' own tests: a settable clock and a fetch that parses JSON. */

export interface FakeClock {
  now: () => number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function fakeClock(start = Date.parse('2025-01-01T00:00:00Z')): FakeClock {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    set(ms) {
      t = ms;
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null for an empty body. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  text: string;
}

export interface CallInit {
  method?: string;
  bearer?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  json?: unknown;
  redirect?: RequestRedirect;
  signal?: AbortSignal;
}

export async function call(url: string, init: CallInit = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.bearer !== undefined) headers.authorization = `Bearer ${init.bearer}`;
  if (init.apiKey !== undefined) headers['x-api-key'] = init.apiKey;
  let body: string | undefined;
  if (init.json !== undefined) {
    body = typeof init.json === 'string' ? init.json : JSON.stringify(init.json);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    ...(body === undefined ? {} : { body }),
    ...(init.redirect ? { redirect: init.redirect } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? null : JSON.parse(text), text };
}
