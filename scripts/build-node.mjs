// Bundles the plain-Node entries (the CLI, browser mode) into one CommonJS
// file each: one file to read at start-up instead of a module graph, which is
// most of a short command's run time. Native addons stay external.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['better-sqlite3', '@napi-rs/keyring', 'electron'],
  // Lazy `await import('pkg')` of an external must become require() in a
  // CommonJS bundle: Node's ESM resolver does not resolve extension-less
  // subpaths such as '@napi-rs/keyring/keytar'.
  supported: { 'dynamic-import': false },
  define: { 'process.env.TOKENVAULT_VERSION': JSON.stringify(pkg.version) },
  sourcemap: 'linked',
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['src-main/cli/entry.ts'], outfile: 'out/cli/tokenvault.cjs' }),
  build({ ...common, entryPoints: ['src-main/browser-mode/entry.ts'], outfile: 'out/browser/browser-mode.cjs' }),
]);
