import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveHome } from '../platform/home';
import { createAppServices } from '../services/app-services';
import { OsKeyStore } from '../vault/keychain';
import { defaultScanRoots } from '../services/leak-scan/folder-grants';
import { findAppBrowser } from './find-browser';
import { openInAppBrowser, type OpenedBrowser } from './open-browser';
import { startBrowserMode } from './server';

/**
 * Browser mode: the main-process services plus a loopback HTTP server for the
 * same renderer. Used when Electron's binary is missing, with --browser, and
 * by the end-to-end tests.
 */
async function run() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      'no-open': { type: 'boolean' },
      browser: { type: 'boolean' },
      port: { type: 'string' },
      home: { type: 'string' },
      // issue 12: folders "Scan a folder" may read besides the home folder (folder-grants.ts says why).
      'scan-root': { type: 'string', multiple: true },
    },
    strict: true,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a port number');
  const services = createAppServices({
    home: resolveHome(values.home),
    keyStore: new OsKeyStore(),
    shell: 'browser',
    scanFolders: { kind: 'allowlist', roots: defaultScanRoots(values['scan-root'] ?? []) },
  });
  const server = await startBrowserMode({ services, staticDir: join(__dirname, '..', 'renderer'), port });

  // The URL carries the session secret: it goes to stdout for the user, never to a log file.
  process.stdout.write(`Tokenvault is running in browser mode at ${server.url}\n`);
  let opened: OpenedBrowser | null = null;
  if (!values['no-open']) {
    const browser = findAppBrowser();
    if (browser) {
      opened = openInAppBrowser(browser, server.url, (line) => process.stdout.write(`${line}\n`));
    } else {
      process.stdout.write('No Chromium or Chrome found to open it in app mode: open the address above in your browser.\n');
    }
  }

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await opened?.close();
    await server.close();
    services.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

run().catch((e: unknown) => {
  process.stderr.write(`tokenvault: browser mode could not start: ${e instanceof Error ? e.message : 'unknown error'}\n`);
  process.exit(1);
});
