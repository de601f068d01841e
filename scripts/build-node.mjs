// Bundles the plain-Node entries (the CLI, browser mode) into one CommonJS
// file each: one file to read at start-up instead of a module graph, which is
// most of a short command's run time. Native addons stay external.
import { build } from 'esbuild';
import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // The import parsers (issue 14) are large and loaded only by `tokenvault import`:
  // required from node_modules at that moment instead of parsed at every start.
  external: ['better-sqlite3', '@napi-rs/keyring', 'electron', '@apidevtools/swagger-parser', 'postman-collection', '@usebruno/lang', 'yaml'],
  // Lazy `await import('pkg')` of an external must become require() in a
  // CommonJS bundle: Node's ESM resolver does not resolve extension-less
  // subpaths such as '@napi-rs/keyring/keytar'.
  supported: { 'dynamic-import': false },
  define: { 'process.env.TOKENVAULT_VERSION': JSON.stringify(pkg.version) },
  sourcemap: 'linked',
  logLevel: 'warning',
};

// Each file is written whole and renamed into place: test files that build in
// parallel (each spawns the CLI) must never run a half-written bundle.
async function buildAtomically(options) {
  const result = await build({ ...options, write: false });
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
}

await Promise.all([
  // Minified: a third of the bytes to read, hash against the code cache and
  // collect at start-up (stacks map back through the linked source map with
  // NODE_OPTIONS=--enable-source-maps).
  buildAtomically({ ...common, minify: true, legalComments: 'none', entryPoints: ['src-main/cli/entry.ts'], outfile: 'out/cli/tokenvault.cjs' }),
  buildAtomically({ ...common, entryPoints: ['src-main/browser-mode/entry.ts'], outfile: 'out/browser/browser-mode.cjs' }),
]);
