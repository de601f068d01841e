#!/usr/bin/env node
// Runs the benchmarks inside a throwaway Secret Service session (so unlock is
// measured on the real keychain path) when dbus and gnome-keyring are there.
'use strict';
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
require('../scripts/keyring-session.cjs').reexecInKeyringSession(__filename);
const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'run.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
