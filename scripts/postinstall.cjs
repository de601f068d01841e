#!/usr/bin/env node
// After `npm install`: fetch Electron's binary where the network allows it,
// and build better-sqlite3 for Electron's ABI. Both are best effort: on a
// machine that cannot download them (CI, air-gapped builds) the install still
// succeeds, the CLI, tests and browser mode work, and one line says what is missing.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, cpSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const electronDir = join(root, 'node_modules', 'electron');
if (!existsSync(electronDir) || process.env.TOKENVAULT_SKIP_ELECTRON === '1') process.exit(0);

function electronPath() {
  try {
    delete require.cache[require.resolve('electron')];
    const p = require('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

if (!electronPath()) {
  // package.json's allowScripts keeps npm from running this during install (it
  // would fail the whole install when offline); we run it here instead, with a
  // time limit, and carry on when it fails.
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 120_000 });
}
if (!electronPath()) {
  console.log('tokenvault: the Electron binary could not be downloaded; `npm start` will use browser mode (everything else works).');
  process.exit(0);
}

// better-sqlite3 for Electron's ABI, in a copy so node_modules keeps the Node build.
const version = require(join(electronDir, 'package.json')).version;
const target = join(root, '.cache', 'electron-native', `electron-${version}`);
if (existsSync(join(target, 'better_sqlite3.node'))) process.exit(0);
const work = join(root, '.cache', 'electron-native', 'build');
rmSync(work, { recursive: true, force: true });
cpSync(join(root, 'node_modules', 'better-sqlite3'), work, { recursive: true });
const gyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [join(root, 'node_modules', 'better-sqlite3'), root] });
const r = spawnSync(process.execPath, [gyp, 'rebuild', '--release', `--target=${version}`, '--dist-url=https://electronjs.org/headers', '--runtime=electron'], {
  cwd: work,
  stdio: 'ignore',
  timeout: 600_000,
});
const built = join(work, 'build', 'Release', 'better_sqlite3.node');
if (r.status === 0 && existsSync(built)) {
  mkdirSync(target, { recursive: true });
  cpSync(built, join(target, 'better_sqlite3.node'));
  console.log(`tokenvault: built better-sqlite3 for Electron ${version}.`);
} else {
  console.log('tokenvault: could not build better-sqlite3 for Electron (needs its headers and a C++ toolchain); `npm start` will use browser mode.');
}
rmSync(work, { recursive: true, force: true });
