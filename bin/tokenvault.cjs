#!/usr/bin/env node
'use strict';
// The CLI is bundled by `npm run build` (scripts/build-cli.mjs).
try {
  require('../out/cli/tokenvault.cjs');
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && /out[\\/]cli/.test(e.message)) {
    process.stderr.write('tokenvault: the CLI is not built yet; run `npm run build` in the Tokenvault folder.\n');
    process.exit(1);
  }
  throw e;
}
