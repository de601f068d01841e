/** The two raw Electron IPC channels; every contract channel travels inside them. */
export const IPC_INVOKE = 'tokenvault:invoke';
export const IPC_EVENT = 'tokenvault:event';
