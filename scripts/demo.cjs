#!/usr/bin/env node
// `npm run demo` — see scripts/demo.ts.
'use strict';
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'demo.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
