import type { ErrorPayload } from '../../src-shared/errors';
import type { Channel, ChannelInput, ChannelOutput, EventMap, EventName, TokenvaultApi } from '../../src-shared/ipc/contract';
import { resetApiForTests } from '../lib/api';

/**
 * A fake of the typed API (what the Electron preload exposes as
 * window.tokenvault), for component and store tests: handlers per channel,
 * a log of calls, and events the test can push.
 */
export type FakeHandlers = {
  [C in Channel]?: (input: ChannelInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
};

export class FakeApiError extends Error {
  constructor(readonly payload: ErrorPayload) {
    super(payload.message);
  }
}

/** Throw this from a handler to answer with an error Result. */
export function apiError(code: ErrorPayload['code'], message: string, issues?: ErrorPayload['issues']): FakeApiError {
  return new FakeApiError({ code, message, ...(issues ? { issues } : {}) });
}

export interface FakeApi {
  api: TokenvaultApi;
  calls: { channel: Channel; input: unknown }[];
  handlers: FakeHandlers;
  emit<E extends EventName>(event: E, payload: EventMap[E]): void;
  listenerCount(event: EventName): number;
}

export function installFakeApi(handlers: FakeHandlers = {}, shell: 'electron' | 'browser' = 'electron'): FakeApi {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const calls: FakeApi['calls'] = [];
  const api: TokenvaultApi = {
    shell,
    async invoke(channel, input) {
      calls.push({ channel, input });
      const h = handlers[channel] as ((i: unknown) => unknown) | undefined;
      if (!h) return { ok: false, error: { code: 'INTERNAL', message: `fake API: no handler for ${channel}` } };
      try {
        return { ok: true, value: (await h(input)) as never };
      } catch (e) {
        if (e instanceof FakeApiError) return { ok: false, error: e.payload };
        throw e;
      }
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener as (p: unknown) => void);
      return () => listeners.get(event)!.delete(listener as (p: unknown) => void);
    },
  };
  window.tokenvault = api;
  resetApiForTests();
  return {
    api,
    calls,
    handlers,
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    listenerCount: (event) => listeners.get(event)?.size ?? 0,
  };
}

export function uninstallFakeApi(): void {
  delete window.tokenvault;
  resetApiForTests();
}
