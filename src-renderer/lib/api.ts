import type {
  Channel,
  ChannelInput,
  ChannelResult,
  EventMap,
  EventName,
  TokenvaultApi,
} from '../../src-shared/ipc/contract';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    tokenvault?: TokenvaultApi;
  }
}

const SESSION_KEY = 'tokenvault.session';
const SESSION_HEADER = 'X-Tokenvault-Session';

/**
 * Browser mode's session secret arrives in the URL fragment (never sent to a
 * server, never in logs). It is moved to sessionStorage and wiped from the
 * address bar so a screenshot or a shared screen does not show it.
 */
function takeSessionSecret(): string | null {
  const m = /(?:^#|&)s=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (m) {
    sessionStorage.setItem(SESSION_KEY, m[1]!);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return m[1]!;
  }
  return sessionStorage.getItem(SESSION_KEY);
}

function browserModeApi(): TokenvaultApi {
  const secret = takeSessionSecret();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let streaming = false;

  async function stream() {
    if (streaming || !secret) return;
    streaming = true;
    try {
      const res = await fetch('/api/events', { headers: { [SESSION_HEADER]: secret }, cache: 'no-store' });
      if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(frame)?.[1] as EventName | undefined;
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data !== undefined) for (const l of listeners.get(event) ?? []) l(JSON.parse(data));
        }
      }
    } catch {
      // The server went away (restart, quit): try again shortly.
    } finally {
      streaming = false;
      setTimeout(() => void stream(), 2000);
    }
  }

  return {
    shell: 'browser',
    async invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> {
      if (!secret) {
        return {
          ok: false,
          error: { code: 'USAGE', message: 'This page was opened without its session key. Open the address that `npm start` printed.' },
        };
      }
      try {
        const res = await fetch(`/api/invoke/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [SESSION_HEADER]: secret },
          body: JSON.stringify(input ?? {}),
          cache: 'no-store',
        });
        if (res.status === 401) {
          return { ok: false, error: { code: 'USAGE', message: 'The session key is no longer valid (Tokenvault was restarted). Open the new address it printed.' } };
        }
        return (await res.json()) as ChannelResult<C>;
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: 'Tokenvault is not running (the connection to it failed).' } };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      const set = listeners.get(event)!;
      const l = listener as (payload: unknown) => void;
      set.add(l);
      void stream();
      return () => set.delete(l);
    },
  };
}

let api: TokenvaultApi | null = null;

/** The typed API: Electron's preload bridge when present, else browser mode over loopback HTTP. */
export function getApi(): TokenvaultApi {
  api ??= window.tokenvault ?? browserModeApi();
  return api;
}

const lockedListeners = new Set<() => void>();

/**
 * Called whenever a call fails with LOCKED: the vault locked without the page
 * hearing the event (the event stream was reconnecting, say), and the UI must
 * drop what it shows just as if it had.
 */
export function onLockedError(listener: () => void): () => void {
  lockedListeners.add(listener);
  return () => lockedListeners.delete(listener);
}

/** Calls a channel and unwraps the Result, throwing an ApiError the UI can show in words. */
export async function call<C extends Channel>(channel: C, input: ChannelInput<C>) {
  const result = await getApi().invoke(channel, input);
  if (!result.ok) {
    const { code, message, issues, details } = result.error;
    if (code === 'LOCKED') for (const l of lockedListeners) l();
    throw new ApiError(code, message, issues ?? [], details ?? {});
  }
  return result.value;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[],
    /** Machine-readable facts, e.g. `retryAfterMs` after a wrong passphrase. */
    readonly details: Record<string, string | number | boolean | null> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** For tests: forget the cached API so the next call picks up `window.tokenvault` again. */
export function resetApiForTests(): void {
  api = null;
}
