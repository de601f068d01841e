import { existsSync } from 'node:fs';

/** Chromium-family browsers that can show the app in `--app` mode (one window, no tabs or address bar). */
const CANDIDATES: Record<string, string[]> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/usr/bin/microsoft-edge', '/usr/bin/brave-browser', '/snap/bin/chromium'],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    '/Applications/Brave Browser.app/Contents/MacOS/Brave Browser',
  ],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  ],
};

export function findAppBrowser(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string | null {
  const explicit = env.TOKENVAULT_BROWSER;
  if (explicit) return existsSync(explicit) ? explicit : null;
  return (CANDIDATES[platform] ?? []).find((p) => existsSync(p)) ?? null;
}
