import { defineConfig } from '@playwright/test';
import type { Shell } from './e2e/fixtures/app';

/**
 * End-to-end tests against the built app (the test script builds first):
 * browser mode in Debian's Chromium, and the same specs through Electron
 * where its binary is installed (the `electron` project skips itself when
 * it is not). Never downloads a browser.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig<{ shell: Shell }>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/playwright-artifacts',
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // A deadline for a hung test, not a duration: a loaded 2-core machine runs these several times slower.
  timeout: 600_000,
  // Deadlines for states (an expect waits only until the state holds): room for a loaded machine.
  expect: { timeout: 30_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'browser-mode', use: { browserName: 'chromium', shell: 'browser' } },
    { name: 'electron', use: { browserName: 'chromium', shell: 'electron' } },
  ],
});
