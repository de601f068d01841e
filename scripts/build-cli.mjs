// Bundles the CLI into one CommonJS file: one file to read at start-up instead
// of a module graph, which is most of a short command's run time. Native
// addons stay external (they are loaded from node_modules).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src-main/cli/entry.ts'],
  outfile: 'out/cli/tokenvault.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['better-sqlite3', '@napi-rs/keyring', 'electron'],
  define: { 'process.env.TOKENVAULT_VERSION': JSON.stringify(pkg.version) },
  sourcemap: 'linked',
  logLevel: 'warning',
});
