import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { resolveHome } from '../platform/home';
import { findCommand, type CommandSpec } from './args';
import type { EarlyUnlock } from './context';
import { startKeyPrefetch } from './key-prefetch';

/**
 * What the launcher needs to know without loading any command (written by
 * scripts/build-node.mjs next to the bundles, out/cli/manifest.json): the
 * general help (the text `tokenvault --help` prints, taken from the full
 * bundle at build time), and for each command its words, the options that
 * take a value (so the command words are found exactly as the parser finds
 * them), the bundle that holds it, and whether it unlocks the vault first.
 */
export interface CliManifest {
  version: string;
  help: string;
  commands: { words: string[]; valueOptions: string[]; bundle: string; unlocksFirst?: boolean }[];
}

/**
 * The bundle (a path relative to out/cli) that holds the command `argv`
 * names, found by the parser's own `findCommand`; null for a line that names
 * none (help, an unknown command), which the full bundle answers.
 */
export function pickBundle(argv: readonly string[], manifest: CliManifest): string | null {
  return pickCommand(argv, manifest)?.bundle ?? null;
}

/** The manifest's entry for the command `argv` names (see pickBundle); null for none. */
export function pickCommand(argv: readonly string[], manifest: CliManifest): CliManifest['commands'][number] | null {
  type Entry = CommandSpec & { entry: CliManifest['commands'][number] };
  const specs: Entry[] = manifest.commands.map((c) => ({
    words: c.words,
    usage: '',
    summary: '',
    positionals: [0, 0],
    options: Object.fromEntries(c.valueOptions.map((n) => [n, { type: 'string' as const }])),
    entry: c,
  }));
  return findCommand<Entry>([...argv], specs)?.spec.entry ?? null;
}

/** The `--home DIR` (or `--home=DIR`) of a command line, before any `--`; undefined when it has none. */
export function homeOption(argv: readonly string[]): string | undefined {
  let home: string | undefined;
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    const a = argv[i]!;
    if (a === '--home') home = argv[++i];
    else if (a.startsWith('--home=')) home = a.slice('--home='.length);
  }
  return home;
}

/**
 * For a command that unlocks first and no TOKENVAULT_SESSION (a session does
 * not use the keychain): the keychain read of the data directory the command
 * will use, started now (key-prefetch.ts) so it overlaps loading the command.
 */
export function earlyUnlock(argv: readonly string[], entry: CliManifest['commands'][number], env: NodeJS.ProcessEnv = process.env): EarlyUnlock | undefined {
  if (!entry.unlocksFirst) return undefined;
  const home = resolveHome(homeOption(argv), env);
  return { home, prefetch: env.TOKENVAULT_SESSION ? null : startKeyPrefetch(home), processExits: true };
}

/**
 * Loads a CommonJS bundle through V8's code cache: the first run writes
 * BUNDLE.v8cache-NODEVERSION next to it, later runs skip most of the
 * compilation. V8 rejects a cache that does not match the bundle's source, so
 * a stale cache only costs one slower start. Returns the bundle's exports.
 */
export function loadBundle(file: string, parent: NodeJS.Module | undefined): unknown {
  return loadBundleWithCache(file, parent).exports;
}

/**
 * loadBundle, also returning `saveCache`: writes the code cache now when this
 * run has to write one (no cache yet, or V8 rejected it), else does nothing;
 * for a caller that ends the process with `process.exit`, which skips the
 * `beforeExit` that would write it. Safe to call more than once.
 */
export function loadBundleWithCache(file: string, parent: NodeJS.Module | undefined): { exports: unknown; saveCache: () => void } {
  const cacheFile = `${file}.v8cache-${process.version}`;
  const source = readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const mod = new Module(file, parent);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  let saveCache = () => undefined;
  if (cachedData === undefined || script.cachedDataRejected) {
    saveCache = () => {
      saveCache = () => undefined;
      try {
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // A read-only install simply runs without the cache.
      }
    };
    // Written once the command has run, so the functions it compiled lazily are in the cache too.
    process.once('beforeExit', () => saveCache());
  }
  (script.runInThisContext() as (...args: unknown[]) => void)(mod.exports, Module.createRequire(file), mod, file, dirname(file));
  return { exports: mod.exports, saveCache: () => saveCache() };
}

/**
 * Ends the process with `code` once standard output and error have taken
 * everything written to them. For a one-shot command that is done: a natural
 * exit would first tear down the whole environment (its heap, handles and
 * the addons' cleanup, the database's close-time checkpoint among them),
 * which costs a short command a few milliseconds for nothing (issue 11).
 */
export function exitWhenFlushed(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending > 0) return;
    // A failed write's 'error' event comes on a later tick: let it arrive first.
    setImmediate(() => process.exit(outputFailure ? 1 : code));
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

/** The first failure to write standard output other than EPIPE; see guardOutput. */
let outputFailure: NodeJS.ErrnoException | null = null;
/** The reader of standard output went away: later failures (the stream destroyed) follow from that. */
let readerGone = false;

function noteOutputError(e: NodeJS.ErrnoException | null): void {
  if (!e || readerGone || outputFailure) return;
  if (e.code === 'EPIPE') {
    readerGone = true;
    return;
  }
  outputFailure = e;
  process.stderr.write(`tokenvault: could not write the output (${e.code ?? 'error'}).\n`);
}

/**
 * Makes a failure to write standard output an answer instead of a crash:
 * - EPIPE (the reader went away: `tokenvault audit | head -1`) is ignored,
 *   and the command finishes as it would have (its audit events still
 *   written); what it prints after that goes nowhere, as in any Unix tool;
 * - any other failure (a full disk: `> /dev/full`) makes the exit code 1,
 *   with one line on standard error, since the output the user asked for
 *   was not delivered.
 * Without a listener Node throws the stream's error from a later tick: an
 * "unhandled 'error' event" stack trace, or, with the early exit of one-shot
 * commands, exit 0 with nothing written (found by a trial).
 */
export function guardOutput(): void {
  process.stdout.on('error', noteOutputError);
  // Standard error going away (EPIPE or otherwise) leaves nowhere to say anything.
  process.stderr.on('error', () => undefined);
  process.once('exit', () => {
    if (outputFailure) process.exitCode = 1;
  });
}

/**
 * `tokenvault …` (issue 11, a CLI that starts fast): answers `--help` and
 * `--version` from the manifest, runs a command from the bundle of its group
 * only (so `tokenvault test` never loads the backup, import, scan or calendar
 * code), and anything else — an unknown command, a build without a manifest —
 * through the full bundle, which answers exactly as before.
 */
export function launch(dir: string, argv: string[], parent: NodeJS.Module | undefined): void {
  guardOutput();
  let manifest: CliManifest | null;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as CliManifest;
  } catch {
    manifest = null;
  }
  if (manifest && (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help')) {
    process.stdout.write(`${manifest.help}\n`);
    process.exitCode = argv.length === 0 ? 2 : 0;
    return;
  }
  if (manifest && argv[0] === '--version') {
    process.stdout.write(`${manifest.version}\n`);
    return;
  }
  const entry = manifest ? pickCommand(argv, manifest) : null;
  if (entry === null) {
    // The full CLI runs itself when loaded (entry.ts).
    loadBundle(join(dir, 'tokenvault.cjs'), parent);
    return;
  }
  const early = earlyUnlock(argv, entry);
  const bundle = loadBundleWithCache(join(dir, entry.bundle), parent);
  const group = bundle.exports as { run(argv: string[], early?: EarlyUnlock): Promise<number> };
  const finish = (code: number) => {
    process.exitCode = code;
    // A command that unlocks first is one-shot (test, token reveal): done when its run is.
    if (early?.processExits) {
      bundle.saveCache();
      exitWhenFlushed(code);
    }
  };
  group.run(argv, early).then(finish, () => {
    // The context was not closed (runCommand always closes it, so this is a bug):
    // a natural exit lets the audit log's pending flush run.
    process.stderr.write('tokenvault: unexpected failure\n');
    process.exitCode = 1;
  });
}
