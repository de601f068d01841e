import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export interface OpenedBrowser {
  /** The temporary profile folder the browser runs with (removed by `close`, or when the browser exits). */
  profile: string;
  /** Ends the browser window if it still runs, then removes its temporary profile. Never throws. */
  close(): Promise<void>;
}

/** How long `close` waits for the browser to end after SIGTERM before removing its profile anyway. */
const CLOSE_WAIT_MS = 3_000;

/**
 * Opens browser mode's address in a Chromium-family browser's app mode with a
 * fresh temporary profile (issue 12: `npm start` used to fail silently when the
 * browser could not start, and left the profile behind). `say` gets one line
 * when the browser cannot be started or quits with an error, so the user knows
 * to open the printed address themselves. The profile is removed when the
 * browser exits and again on `close` (the server stopping).
 */
export function openInAppBrowser(browser: string, url: string, say: (line: string) => void): OpenedBrowser {
  const profile = mkdtempSync(join(tmpdir(), 'tokenvault-browser-'));
  const removeProfile = () => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Best effort: a file still held open on some systems; the OS cleans its temporary folder.
    }
  };
  let child: ChildProcess;
  let closing = false;
  try {
    child = spawn(browser, [`--app=${url}`, `--user-data-dir=${profile}`, '--no-first-run', '--disable-sync', '--disable-background-networking'], {
      stdio: 'ignore',
    });
  } catch (e) {
    say(`Could not open ${basename(browser)} (${(e as Error).message}): open the address above in your browser.`);
    removeProfile();
    return { profile, close: async () => undefined };
  }
  const c = child;
  const exited = new Promise<void>((resolve) => {
    c.once('error', (e) => {
      say(`Could not open ${basename(browser)} (${e.message}): open the address above in your browser.`);
      removeProfile();
      resolve();
    });
    c.once('exit', (code) => {
      if (code !== 0 && code !== null && !closing) say(`${basename(browser)} quit with exit code ${code}: open the address above in your browser.`);
      removeProfile();
      resolve();
    });
  });
  // The browser window must not keep the server's terminal waiting.
  c.unref();
  return {
    profile,
    async close() {
      closing = true;
      if (c.exitCode === null && c.signalCode === null && c.pid !== undefined) {
        c.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, CLOSE_WAIT_MS)))]);
        clearTimeout(timer);
      }
      removeProfile();
    },
  };
}
