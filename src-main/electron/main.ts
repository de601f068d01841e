import { app, BrowserWindow, clipboard, dialog, Menu, nativeImage, net, powerMonitor, protocol, shell, Tray } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveHome } from '../platform/home';
import { createAppServices, type AppServices } from '../services/app-services';
import { OsKeyStore } from '../vault/keychain';
import { electronNativeBinding } from '../vault/native-binding';
import { registerIpc } from './ipc';
import { showReminderNotifications } from './notifications';
import { APP_ORIGIN, APP_SCHEME, hardenSession, hardenWebContents } from './security';
import { loadWindowState, saveWindowState } from './window-state';

// Lifecycle only: everything the app does lives in services shared with browser mode.

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const appRoot = join(__dirname, '..', '..');
const rendererDir = join(appRoot, 'out', 'renderer');
const home = resolveHome();
let services: AppServices | null = null;
let win: BrowserWindow | null = null;
let tray: Tray | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));
  app.whenReady().then(start, (e) => {
    console.error('Tokenvault could not start:', e instanceof Error ? e.message : 'unknown error');
    app.exit(1);
  });
}

function start(): void {
  hardenSession();
  // Serve the renderer from app://tokenvault/ rather than file://, so the
  // origin is ours alone and no other local file can be loaded.
  protocol.handle(APP_SCHEME, (request) => {
    const { pathname } = new URL(request.url);
    const file = normalize(join(rendererDir, pathname === '/' ? 'index.html' : decodeURIComponent(pathname)));
    if (!file.startsWith(rendererDir + sep)) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });

  const nativeBinding = electronNativeBinding(appRoot);
  services = createAppServices({
    home,
    keyStore: new OsKeyStore(),
    shell: 'electron',
    clipboard,
    revealInFolder: (file) => shell.showItemInFolder(file),
    // issue 12: the folder to scan comes from the OS picker, never from the page.
    scanFolders: { kind: 'picker', pick: pickFolder },
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  registerIpc(services, () => win);
  showReminderNotifications(services, () => (win ? win.show() : createWindow()));
  createWindow();
  createTray();

  // Lock when the OS locks the screen or sleeps: an unattended unlocked vault is the risk.
  powerMonitor.on('lock-screen', () => services?.autoLock.lockNow('system'));
  powerMonitor.on('suspend', () => services?.autoLock.lockNow('system'));

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

function createWindow(): void {
  const state = loadWindowState(home);
  win = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Tokenvault',
    webPreferences: {
      preload: join(__dirname, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win?.show());
  win.on('close', () => {
    if (!win) return;
    const b = win.getNormalBounds();
    saveWindowState(home, { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
  });
  win.on('closed', () => {
    win = null;
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

/** The OS folder picker, attached to the window; null when the user cancels. */
async function pickFolder(): Promise<string | null> {
  const options: Electron.OpenDialogOptions = { title: 'Scan a folder', properties: ['openDirectory', 'dontAddToRecent'] };
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

function createTray(): void {
  const icon = nativeImage.createFromPath(join(appRoot, 'resources', 'trayTemplate.png'));
  tray = new Tray(icon.isEmpty() ? nativeImage.createEmpty() : icon);
  tray.setToolTip('Tokenvault');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Lock now', click: () => services?.autoLock.lockNow('user') },
      { label: 'Show Tokenvault', click: () => (win ? win.show() : createWindow()) },
      { type: 'separator' },
      { label: 'Quit', click: () => app.quit() },
    ]),
  );
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  tray?.destroy();
  services?.close();
  services = null;
});
