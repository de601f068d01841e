import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { tempHome } from '../vault/test-support';

/** Whatever the CLI printed as JSON; each test asserts the shape it needs. */
export type Json = ReturnType<typeof JSON.parse>;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  json: () => Json;
}

const REPO = join(__dirname, '..', '..');
export const CLI = join(REPO, 'bin', 'tokenvault.cjs');

/**
 * Runs the built CLI as a child process, asynchronously: the emulators a test
 * starts answer from the test's own process, which a synchronous spawn would block.
 */
export function runCli(args: string[], env: Record<string, string>, input = ''): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // 'close', not 'exit': under load the last of stdout can still be in the pipe when the process has exited.
    child.on('close', (code) => resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) }));
    child.stdin.end(input);
  });
}

export interface PassphraseCli {
  /** The test's temporary folder (removed after the file's tests); the passphrase file is in it. */
  readonly root: string;
  /** TOKENVAULT_HOME of each run unless one names another. */
  readonly home: string;
  readonly passFile: string;
  /**
   * Runs the built CLI synchronously (no emulator in the test's process to
   * answer) with TOKENVAULT_HOME and TOKENVAULT_PASSPHRASE_FILE set; `home`
   * runs against another vault folder, `env` adds variables to this run.
   */
  tv(args: string[], input?: string, opts?: { home?: string; env?: Record<string, string> }): CliRun;
  /**
   * Creates the passphrase vault and one bearer token in it, `Acme/sandbox/ci`
   * (base URL https://api.example.com) holding `secret`, each step expected to
   * exit 0: the set-up of tests about one token.
   */
  seedOneToken(secret: string): void;
}

/** The passphrase every CLI test vault is made with. */
export const TEST_PASSPHRASE = 'correct horse battery staple';

/**
 * The set-up of a CLI test file that runs the built bundle against a
 * passphrase vault: registers a `beforeAll` that rebuilds the CLI bundle
 * (tests run the code in `out/`, never a stale build) and makes a temporary
 * folder with an owner-only passphrase file, and an `afterAll` that removes
 * it. `vaultDir` is the vault's folder below it ('' for the folder itself);
 * `env` is added to every run (a `TZ`, a `LANG`).
 */
export function usePassphraseCli(opts: { vaultDir?: string; env?: Record<string, string> } = {}): PassphraseCli {
  let root = '';
  beforeAll(() => {
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build-node.mjs')], { cwd: REPO });
    root = tempHome();
    writeFileSync(join(root, 'pass.txt'), `${TEST_PASSPHRASE}\n`, { mode: 0o600 });
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });
  const fixture: PassphraseCli = {
    get root() {
      return root;
    },
    get home() {
      return opts.vaultDir ? join(root, opts.vaultDir) : root;
    },
    get passFile() {
      return join(root, 'pass.txt');
    },
    tv(args, input = '', run = {}) {
      const r = spawnSync(process.execPath, [CLI, ...args], {
        input,
        encoding: 'utf8',
        env: { ...process.env, TOKENVAULT_HOME: run.home ?? fixture.home, TOKENVAULT_PASSPHRASE_FILE: fixture.passFile, ...opts.env, ...run.env },
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
    },
    seedOneToken(secret) {
      expect(fixture.tv(['init', '--passphrase']).code).toBe(0);
      expect(fixture.tv(['workspace', 'add', 'Acme']).code).toBe(0);
      expect(fixture.tv(['env', 'add', 'Acme', 'sandbox', '--base-url', 'https://api.example.com']).code).toBe(0);
      expect(fixture.tv(['token', 'add', 'Acme/sandbox/ci', '--kind', 'bearer'], `${secret}\n`).code).toBe(0);
    },
  };
  return fixture;
}
