#!/usr/bin/env node
'use strict';
// The CLI is one bundle (built by `npm run build`, scripts/build-node.mjs).
// Short commands spend most of their time compiling that bundle, so it is
// loaded through V8's code cache: the first run writes
// out/cli/tokenvault.cjs.v8cache next to it, later runs skip most of the
// compilation. V8 rejects a cache that does not match the bundle's source,
// so a stale cache only costs one slower start.
const { readFileSync, writeFileSync, renameSync } = require('node:fs');
const { join } = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const bundle = join(__dirname, '..', 'out', 'cli', 'tokenvault.cjs');
const cacheFile = `${bundle}.v8cache-${process.version}`;

let source;
try {
  source = readFileSync(bundle, 'utf8');
} catch {
  process.stderr.write('tokenvault: the CLI is not built yet; run `npm run build` in the Tokenvault folder.\n');
  process.exit(1);
}

let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}

const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData, importModuleDynamically: undefined });
const mod = new Module(bundle, module);
mod.filename = bundle;
mod.paths = Module._nodeModulePaths(join(__dirname, '..', 'out', 'cli'));
const requireFromBundle = Module.createRequire(bundle);

if (cachedData === undefined || script.cachedDataRejected) {
  // Written once the command has run, so the functions it compiled lazily are in the cache too.
  process.once('beforeExit', () => {
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {
      // A read-only install simply runs without the cache.
    }
  });
}

script.runInThisContext()(mod.exports, requireFromBundle, mod, bundle, join(__dirname, '..', 'out', 'cli'));
