import { contextBridge, ipcRenderer } from 'electron';
import { CHANNEL_NAMES, EVENT_NAMES, type EventName } from '../../src-shared/ipc/channel-names';
import type { Channel, TokenvaultApi } from '../../src-shared/ipc/contract';
import { IPC_EVENT, IPC_INVOKE } from './ipc-names';

/**
 * The only thing the renderer gets from Electron: `window.tokenvault`, built
 * from the contract. No ipcRenderer, no Node; only channel names on the
 * contract's list can be called, and only plain values cross.
 */
const allowed = new Set<string>(CHANNEL_NAMES);
const events = new Set<string>(EVENT_NAMES);

const api: TokenvaultApi = {
  shell: 'electron',
  invoke(channel, input) {
    if (!allowed.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'VALIDATION', message: `Unknown channel ${String(channel)}.` } });
    }
    return ipcRenderer.invoke(IPC_INVOKE, channel as Channel, input);
  },
  on(event, listener) {
    if (!events.has(event)) return () => undefined;
    const wrapped = (_e: unknown, name: EventName, payload: unknown) => {
      if (name === event) (listener as (p: unknown) => void)(payload);
    };
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT, wrapped);
  },
};

contextBridge.exposeInMainWorld('tokenvault', api);
