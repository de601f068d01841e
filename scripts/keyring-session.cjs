// Runs a script inside a throwaway D-Bus session with a fresh, unlocked
// gnome-keyring, when both are installed: tests and benchmarks then use a
// real Secret Service without ever touching the user's own keychain.
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { randomBytes } = require('node:crypto');

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Re-runs `script` inside the session and exits with its code; returns (does nothing) when already inside or impossible. */
function reexecInKeyringSession(script, env = process.env) {
  if (env.TOKENVAULT_IN_KEYRING_SESSION || !onPath('dbus-run-session') || !onPath('gnome-keyring-daemon')) return;
  const dataHome = mkdtempSync(join(tmpdir(), 'tokenvault-keyring-'));
  const sh = 'printf %s "$TOKENVAULT_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; unset TOKENVAULT_KEYRING_PASSWORD; exec "$@"';
  const r = spawnSync('dbus-run-session', ['--', 'sh', '-c', sh, 'sh', process.execPath, ...process.execArgv, script, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...env, TOKENVAULT_IN_KEYRING_SESSION: '1', XDG_DATA_HOME: dataHome, TOKENVAULT_KEYRING_PASSWORD: randomBytes(16).toString('hex') },
  });
  rmSync(dataHome, { recursive: true, force: true });
  process.exit(r.status ?? 1);
}

module.exports = { reexecInKeyringSession };
