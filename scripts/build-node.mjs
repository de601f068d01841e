// Bundles the plain-Node entries (the CLI, browser mode) into one CommonJS
// file each: one file to read at start-up instead of a module graph, which is
// most of a short command's run time. Native addons stay external.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

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

// Issue 11 (a CLI that starts fast): besides the full CLI, one bundle per group of
// commands — each `xCommands` list that src-main/cli/main.ts imports from
// ./commands/ — so a process loads, compiles and runs the top level of only the
// code its command needs. The launcher picks the bundle from a manifest.
const mainSource = readFileSync('src-main/cli/main.ts', 'utf8');
const groups = [...mainSource.matchAll(/^import \{ (\w+) \} from '\.\/commands\/([\w-]+)';$/gm)].map(([, list, file]) => ({ list, file }));
if (groups.length === 0) throw new Error('build-node: found no command groups in src-main/cli/main.ts');
const groupEntry = ({ list, file }) => `
import { runCommand } from './run';
import type { EarlyUnlock } from './context';
import { ${list} } from './commands/${file}';
export const commands = ${list}.map((c) => ({
  words: c.words,
  valueOptions: Object.entries(c.options).filter(([, o]) => o.type === 'string').map(([n]) => n),
  ...(c.unlocksFirst ? { unlocksFirst: true } : {}),
}));
export const run = (argv: string[], early?: EarlyUnlock) => runCommand(argv, ${list}, () => 'Run tokenvault --help for the list of commands.', early);
`;

// The built-in provider definitions, validated here once instead of in every CLI
// process (src-shared/providers/index.ts reads them back). They must survive JSON
// unchanged, or the bundle would hold something other than what validation made.
const require = createRequire(import.meta.url);
const validator = await build({
  ...common,
  write: false,
  sourcemap: false,
  stdin: { contents: "export { validatedBuiltinsForBuild } from './index';", resolveDir: 'src-shared/providers', loader: 'ts' },
  outfile: 'out/cli/validate-builtins.cjs',
});
const validatorModule = { exports: {} };
new Function('module', 'exports', 'require', validator.outputFiles[0].text)(validatorModule, validatorModule.exports, require);
const validatedBuiltins = validatorModule.exports.validatedBuiltinsForBuild();
const asJson = JSON.stringify(validatedBuiltins);
if (!isDeepStrictEqual(JSON.parse(asJson), validatedBuiltins)) throw new Error('build-node: a validated built-in provider does not survive JSON');

// Issue 11: better-sqlite3's JavaScript (a dozen small files, each resolved,
// read and compiled without a code cache in every process) is bundled into the
// CLI, where the launcher's V8 code cache covers it; only its native addon is
// loaded from node_modules. The addon is the one better-sqlite3 would load
// itself: `bindings` is asked with better-sqlite3's own folder as the module
// root (a bundled `bindings` would look next to the bundle), after the
// build/Release file node-gyp writes, which is where it finds it.
const sqliteAddonFromPackage = {
  name: 'better-sqlite3-addon',
  setup(b) {
    b.onResolve({ filter: /^bindings$/ }, (args) => (/[\\/]better-sqlite3[\\/]/.test(args.importer) ? { path: 'bindings', namespace: 'better-sqlite3-addon' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'better-sqlite3-addon' }, () => ({
      loader: 'js',
      resolveDir: process.cwd(),
      contents: `
const { dirname, join } = require('node:path');
module.exports = function addon(name) {
  const root = dirname(require.resolve('better-sqlite3/package.json'));
  try {
    return require(join(root, 'build', 'Release', name));
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') throw e;
  }
  return require('bindings')({ bindings: name, module_root: root });
};`,
    }));
  },
};

// Issue 11: zod is loaded on first use in the CLI. Its schemas are built on first
// use already (src-shared/domain/lazy.ts), so `tokenvault test` or `token reveal`
// that validates nothing but a REF should not run zod's own module code at
// start either. Every `import … from 'zod'` gets a stand-in whose properties
// are zod's (their names listed here at build time), read from the real package
// — bundled as a module that runs when first required — on first access, which
// also sets zod's CLI configuration.
const zodExports = new Set(Object.keys(require('zod')));
const zodModule = require.resolve('zod').replace(/index\.cjs$/, 'index.js');
// The zod names the code uses: `ALIAS.name` for each `import * as ALIAS from 'zod'`, and named imports.
// Anything else (a default import, a re-export) fails the build rather than a command at run time.
const zodUsed = new Set();
for (const file of execFileSync('git', ['ls-files', 'src-main', 'src-shared'], { encoding: 'utf8' }).split('\n').filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^(import|export)\b[^;]*?from 'zod';/gms)) {
    if (/^import type \* as \w+ from 'zod';$/.test(m[0])) continue; // types only: erased
    const star = /^import \* as (\w+) from 'zod';$/.exec(m[0]);
    const named = /^import (?:type )?\{([^}]*)\} from 'zod';$/s.exec(m[0]);
    if (star) for (const u of text.matchAll(new RegExp(`\\b${star[1]}\\.(\\w+)`, 'g'))) zodUsed.add(u[1]);
    else if (named) for (const n of named[1].split(',')) zodUsed.add(n.replace(/^\s*type\s+/, '').split(/\s+as\s+/)[0].trim());
    else throw new Error(`build-node: ${file} imports zod in a form the CLI build does not know: ${m[0]}`);
  }
}
const zodNames = [...zodUsed].filter((n) => zodExports.has(n)).sort();
const zodOnFirstUse = {
  name: 'zod-on-first-use',
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, () => ({ path: 'zod', namespace: 'zod-on-first-use' }));
    b.onResolve({ filter: /^zod-used$/ }, () => ({ path: 'zod-used', namespace: 'zod-used' }));
    b.onLoad({ filter: /.*/, namespace: 'zod-used' }, () => ({
      loader: 'js',
      resolveDir: process.cwd(),
      contents: `export { ${zodNames.join(', ')} } from ${JSON.stringify(zodModule)};`,
    }));
    b.onLoad({ filter: /.*/, namespace: 'zod-on-first-use' }, () => ({
      loader: 'js',
      resolveDir: process.cwd(),
      contents: `
const NAMES = ${JSON.stringify(zodNames)};
let real = null;
function zod() {
  if (real === null) {
    real = require('zod-used');
    // A CLI process parses each schema about once: compiling zod's fast path (generated code) costs more than it saves.
    real.config({ jitless: true });
  }
  return real;
}
module.exports = new Proxy(Object.create(null), {
  get: (_, key) => (NAMES.includes(key) ? zod()[key] : undefined),
  has: (_, key) => NAMES.includes(key),
  ownKeys: () => [...NAMES],
  getOwnPropertyDescriptor: (_, key) => (NAMES.includes(key) ? { configurable: true, enumerable: key !== '__esModule', get: () => zod()[key] } : undefined),
});`,
    }));
  },
};

// Minified: a third of the bytes to read, hash against the code cache and
// collect at start-up (stacks map back through the linked source map with
// NODE_OPTIONS=--enable-source-maps).
const cli = {
  ...common,
  external: common.external.filter((x) => x !== 'better-sqlite3').concat(['bindings', 'better-sqlite3/package.json']),
  plugins: [sqliteAddonFromPackage, zodOnFirstUse],
  minify: true,
  legalComments: 'none',
  define: { ...common.define, __TOKENVAULT_VALIDATED_BUILTINS__: asJson },
};
await Promise.all([
  buildAtomically({ ...cli, entryPoints: ['src-main/cli/entry.ts'], outfile: 'out/cli/tokenvault.cjs' }),
  buildAtomically({ ...cli, entryPoints: ['src-main/cli/launcher-entry.ts'], outfile: 'out/cli/launcher.cjs' }),
  ...groups.map((g) =>
    buildAtomically({ ...cli, stdin: { contents: groupEntry(g), resolveDir: 'src-main/cli', sourcefile: `${g.file}.entry.ts`, loader: 'ts' }, outfile: `out/cli/commands/${g.file}.cjs` }),
  ),
  buildAtomically({ ...common, entryPoints: ['src-main/browser-mode/entry.ts'], outfile: 'out/browser/browser-mode.cjs' }),
]);

// The manifest: each command's words and value-taking options (read from the group
// bundles themselves) and the general help, printed by the full CLI.
const commands = groups.flatMap((g) => {
  const bundle = `commands/${g.file}.cjs`;
  return require(join(process.cwd(), 'out/cli', bundle)).commands.map((c) => ({ ...c, bundle }));
});
const help = execFileSync(process.execPath, ['out/cli/tokenvault.cjs', '--help'], { encoding: 'utf8' }).replace(/\n$/, '');
const manifest = 'out/cli/manifest.json';
const tmp = `${manifest}.${process.pid}.tmp`;
writeFileSync(tmp, JSON.stringify({ version: pkg.version, help, commands }, null, 1));
renameSync(tmp, manifest);
