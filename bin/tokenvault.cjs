#!/usr/bin/env node
'use strict';
// The CLI is built by `npm run build` (scripts/build-node.mjs): a small
// launcher that loads only the bundle of the command asked for, through
// V8's code cache (see src-main/cli/launcher.ts).
const { join } = require('node:path');

const launcher = join(__dirname, '..', 'out', 'cli', 'launcher.cjs');
let loaded = false;
try {
  require.resolve(launcher);
  loaded = true;
} catch {
  process.stderr.write('tokenvault: the CLI is not built yet; run `npm run build` in the Tokenvault folder.\n');
  process.exitCode = 1;
}
if (loaded) require(launcher);
