#!/usr/bin/env node
// `npm test`: build, type-check, lint, unit and integration tests (vitest),
// end-to-end tests (Playwright in Chromium), then one closing line
// `N passed, N failed` with the totals of all suites.
//
// Keychain tests need a Secret Service. When dbus-run-session and
// gnome-keyring-daemon are installed, the suites run inside a throwaway
// session bus with a fresh keyring (a new XDG_DATA_HOME, unlocked with a
// random password), so tests never touch the developer's own keychain.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, rmSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const results = join(root, 'test-results');
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

require('./keyring-session.cjs').reexecInKeyringSession(__filename, env);

if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
  const msg = 'No Secret Service session (install dbus and gnome-keyring): keychain tests will be skipped.';
  if (process.env.TOKENVAULT_REQUIRE_KEYCHAIN === '1') console.log(`${msg} TOKENVAULT_REQUIRE_KEYCHAIN=1 turns that into failures.`);
  else console.log(msg);
}

function run(label, cmd, args) {
  console.log(`\n=== ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  return r.status === 0;
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
mkdirSync(results, { recursive: true });
let passed = 0;
let failed = 0;

// Build, type-check and lint gate the run like tests do.
// They are not tests, so they add to the count only when they fail.
const check = (ok) => {
  if (!ok) failed++;
};
check(run('build (electron-vite)', npx, ['electron-vite', 'build', '--logLevel', 'warn']) && run('build (node entries)', process.execPath, ['scripts/build-node.mjs']));
for (const config of ['tsconfig.shared.json', 'tsconfig.main.json', 'tsconfig.renderer.json', 'tsconfig.tooling.json']) {
  check(run(`type-check ${config}`, npx, ['tsc', '-p', config]));
}
check(run('lint', npx, ['eslint', '.', '--max-warnings', '0']));

const vitestJson = join(results, 'vitest.json');
rmSync(vitestJson, { force: true });
run('unit and integration tests (vitest)', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests + (v.numRuntimeErrorTestSuites ?? 0);
  if (v.numTotalTests === 0) failed++;
} else {
  failed++;
}

const pwJson = join(results, 'playwright.json');
rmSync(pwJson, { force: true });
if (existsSync(join(root, 'playwright.config.ts'))) {
  run('end-to-end tests (Playwright, Chromium)', npx, ['playwright', 'test']);
  if (existsSync(pwJson)) {
    const s = JSON.parse(readFileSync(pwJson, 'utf8')).stats;
    passed += s.expected + s.flaky;
    failed += s.unexpected;
  } else {
    failed++;
  }
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
