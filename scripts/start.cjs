#!/usr/bin/env node
// `npm start`: the Electron app when its binary is installed, otherwise (or
// with --browser) browser mode in a local Chromium/Chrome window.
'use strict';
const { spawn } = require('node:child_process');
const { join } = require('node:path');

const args = process.argv.slice(2);
const forceBrowser = args.includes('--browser');

function electronBinary() {
  try {
    // In plain Node, the electron package exports the path of its binary, or
    // throws when the binary was never downloaded.
    const path = require('electron');
    return typeof path === 'string' && require('node:fs').existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const root = join(__dirname, '..');

/** The app also needs better-sqlite3 built for Electron's ABI (scripts/postinstall.cjs). */
function electronSqlite() {
  const version = require(join(root, 'node_modules', 'electron', 'package.json')).version;
  return require('node:fs').existsSync(join(root, '.cache', 'electron-native', `electron-${version}`, 'better_sqlite3.node'));
}

let electron = forceBrowser ? null : electronBinary();
if (electron && !electronSqlite()) {
  console.log('Electron is installed but better-sqlite3 was not built for it (see npm install output); starting browser mode instead.');
  electron = null;
}
let child;
if (electron) {
  child = spawn(electron, [root, ...args], { stdio: 'inherit' });
} else {
  if (!forceBrowser && !electronBinary()) console.log('Electron is not installed here (its binary could not be downloaded); starting browser mode instead.');
  child = spawn(process.execPath, [join(root, 'out', 'browser', 'browser-mode.cjs'), ...args.filter((a) => a !== '--browser')], { stdio: 'inherit' });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
