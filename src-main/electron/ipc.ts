import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Result } from '../../src-shared/errors';
import { dispatch } from '../ipc/dispatch';
import { createHandlers } from '../ipc/handlers';
import type { AppServices } from '../services/app-services';
import { IPC_EVENT, IPC_INVOKE } from './ipc-names';
import { APP_ORIGIN } from './security';

/**
 * Registers the one invoke handler. Before a call reaches the contract, the
 * sender must be the main frame of our own window, loaded from our own origin:
 * an iframe or a navigated-away page gets a refusal, not a handler.
 */
export function registerIpc(services: AppServices, getWindow: () => BrowserWindow | null): () => void {
  const handlers = createHandlers(services);
  ipcMain.handle(IPC_INVOKE, async (event: IpcMainInvokeEvent, channel: unknown, input: unknown): Promise<Result<unknown>> => {
    const win = getWindow();
    const frame = event.senderFrame;
    if (!win || event.sender !== win.webContents || !frame || frame !== win.webContents.mainFrame || !frame.url.startsWith(`${APP_ORIGIN}/`)) {
      return { ok: false, error: { code: 'VALIDATION', message: 'Refused: the call did not come from the Tokenvault window.' } };
    }
    return dispatch(handlers, channel, input, () => services.autoLock.activity());
  });
  const unsubscribe = services.events.subscribe((name, payload) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT, name, payload);
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE);
    unsubscribe();
  };
}
