import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseDotenv } from 'dotenv';
import { fingerprint } from '../../src-shared/domain/fingerprint';
import { seedCliVault } from './exec/test-seed';
import { CLI, runCli } from './test-cli';

// `tokenvault exec` and `tokenvault env`, run as a user runs them: the built
// CLI in a child process, against a passphrase vault in a temporary home.
const root = join(__dirname, '..', '..');
let home: string;
let env: Record<string, string>;

const SALES = 'sk_test_Sales0123456789abcdefXYZ';
// Every character a shell, dotenv, fish or PowerShell could trip over (a token is printable ASCII without spaces).
const NASTY = `q'"\`$HOME\\n\\'!*?#;&|<>(){}[]~%^=,x`;
const DOTENV_OK = `d'q"\\n$x#y`;
const PROD = 'prod_live_token_ABCDEFGHIJKLMNOP';

function tv(args: string[], input = '', extra: Record<string, string> = {}) {
  return runCli(args, { ...env, ...extra }, input);
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
  const seeded = await seedCliVault({
    workspaces: [
      {
        name: 'Acme Café',
        environments: [
          {
            name: 'sandbox',
            baseUrl: 'https://sandbox.example.com/v1',
            tokens: [
              { name: 'sales', value: SALES },
              { name: 'nasty one', value: NASTY },
              { name: 'dotenv', value: DOTENV_OK },
            ],
          },
          { name: 'production', baseUrl: 'https://api.example.com', production: true, tokens: [{ name: 'sales', value: PROD }] },
        ],
      },
      {
        name: 'Clash',
        environments: [
          {
            name: 'dev',
            baseUrl: 'https://dev.example.com',
            tokens: [
              { name: 'ci token', value: 'clash_value_one_1234567' },
              { name: 'ci', value: 'clash_value_two_1234567' },
            ],
          },
        ],
      },
    ],
  });
  home = seeded.home;
  env = seeded.env;
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

const SANDBOX = ['--workspace', 'Acme Café', '--env', 'sandbox', '--all'];

describe('tokenvault exec', () => {
  it('puts the chosen tokens and the base URL in the command environment, named by the rule', async () => {
    const r = await tv(['exec', ...SANDBOX, '--', process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.env))']);
    expect(r.code, r.stderr).toBe(0);
    const childEnv = JSON.parse(r.stdout) as Record<string, string>;
    expect(childEnv.ACME_CAFE_SANDBOX_SALES_TOKEN).toBe(SALES);
    expect(childEnv.ACME_CAFE_SANDBOX_NASTY_ONE_TOKEN).toBe(NASTY);
    expect(childEnv.ACME_CAFE_SANDBOX_BASE_URL).toBe('https://sandbox.example.com/v1');
    // Only the chosen environment; and nothing that would open the vault.
    expect(childEnv.ACME_CAFE_PRODUCTION_SALES_TOKEN).toBeUndefined();
    expect(childEnv.TOKENVAULT_PASSPHRASE_FILE).toBeUndefined();
  });

  it('maps single tokens with --map, by full reference or by name under --workspace/--env', async () => {
    const r = await tv(['exec', '--workspace', 'acme café', '--env', 'sandbox', '--map', 'MY_TOKEN=sales', '--map', 'OTHER=Acme Café/sandbox/dotenv', '--', 'sh', '-c', 'printf "%s|%s|%s" "$MY_TOKEN" "$OTHER" "$ACME_CAFE_SANDBOX_BASE_URL"']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${SALES}|${DOTENV_OK}|https://sandbox.example.com/v1`);
    expect((await tv(['exec', '--map', '1BAD=Acme Café/sandbox/sales', '--', 'true'])).code).toBe(2);
    expect((await tv(['exec', '--map', 'X=sales', '--', 'true'])).code).toBe(2);
    expect((await tv(['exec', '--workspace', 'Acme Café', '--', 'true'])).code).toBe(2);
  });

  it("passes the command's exit code, and 127 for a command that does not exist", async () => {
    expect((await tv(['exec', ...SANDBOX, '--', 'sh', '-c', 'exit 42'])).code).toBe(42);
    expect((await tv(['exec', ...SANDBOX, '--', 'true'])).code).toBe(0);
    expect((await tv(['exec', ...SANDBOX, '--', 'no-such-command-tokenvault'])).code).toBe(127);
  });

  it('refuses two tokens that map to one variable, naming both; nothing runs', async () => {
    const marker = join(home, 'ran-collision');
    const r = await tv(['exec', '--workspace', 'Clash', '--all', '--json', '--', 'touch', marker]);
    expect(r.code).toBe(2);
    expect(r.json().error.code).toBe('CONFLICT');
    expect(r.stderr).toContain('Clash/dev/ci token');
    expect(r.stderr).toMatch(/Clash\/dev\/ci(?! token)/);
    expect(r.stderr).toContain('CLASH_DEV_CI_TOKEN');
    expect(existsSync(marker)).toBe(false);
  });

  it('production guard: refused without a terminal unless --yes', async () => {
    const marker = join(home, 'ran-prod');
    const refused = await tv(['exec', '--workspace', 'Acme Café', '--env', 'production', '--all', '--json', '--', 'touch', marker]);
    expect(refused.code).toBe(1);
    expect(refused.json().error.code).toBe('PRODUCTION_LOCKED');
    expect(existsSync(marker)).toBe(false);
    const ok = await tv(['exec', '--workspace', 'Acme Café', '--env', 'production', '--all', '--yes', '--', 'sh', '-c', 'printf %s "$ACME_CAFE_PRODUCTION_SALES_TOKEN"']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(PROD);
  });

  it('production guard: asks on a terminal, and runs only after "yes"', async () => {
    // `script` gives the CLI a pseudo-terminal; the answer is typed on it.
    const cmd = (answer: string) =>
      spawnSync('script', ['-qec', `${process.execPath} ${CLI} exec --workspace 'Acme Café' --env production --all -- sh -c 'echo RAN:$ACME_CAFE_PRODUCTION_SALES_TOKEN'`, '/dev/null'], {
        env: { ...process.env, ...env },
        input: `${answer}\n`,
        encoding: 'utf8',
      });
    const yes = cmd('yes');
    expect(yes.stdout).toContain('PRODUCTION token');
    expect(yes.stdout).toContain(`RAN:${PROD}`);
    const no = cmd('no');
    expect(no.stdout).toContain('PRODUCTION token');
    expect(no.stdout).not.toContain('RAN:');
  });

  it('--mask rewrites values (also split across two writes, and base64-encoded) to fingerprints, keeping binary bytes', async () => {
    const bin = randomBytes(64 * 1024);
    const binFile = join(home, 'bin.dat');
    writeFileSync(binFile, bin);
    const script = `
      const v = process.env.ACME_CAFE_SANDBOX_SALES_TOKEN;
      process.stdout.write('first ' + v.slice(0, 9));
      setTimeout(() => {
        process.stdout.write(v.slice(9) + ' end\\n');
        process.stderr.write('b64 ' + Buffer.from(v).toString('base64') + '\\n');
        process.stdout.write(require('fs').readFileSync(${JSON.stringify(binFile)}));
      }, 50);`;
    const r = await new Promise<{ out: Buffer; err: string; code: number | null }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'exec', ...SANDBOX, '--mask', '--', process.execPath, '-e', script], { env: { ...process.env, ...env } });
      const out: Buffer[] = [];
      let err = '';
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => resolve({ out: Buffer.concat(out), err, code }));
    });
    expect(r.code).toBe(0);
    expect(r.out.equals(Buffer.concat([Buffer.from(`first ${fingerprint(SALES)} end\n`), bin]))).toBe(true);
    expect(r.err).toBe(`b64 ${fingerprint(SALES)}\n`);
  });

  it('forwards SIGTERM, SIGHUP and SIGINT to the command and waits for it', async () => {
    for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
      const r = await runWithSignal(['sh', '-c', `trap 'echo got-${sig}; exit 3' ${sig.slice(3)}; echo ready; while :; do sleep 0.05; done`], sig);
      expect(r.stdout).toContain(`got-${sig}`);
      expect(r.code).toBe(3);
    }
  });

  it('ends the way the command ended when a signal kills it', async () => {
    const r = await runWithSignal(['sh', '-c', 'echo ready; while :; do sleep 0.05; done'], 'SIGTERM');
    expect(r.signal).toBe('SIGTERM');
    const self = await runWithSignal(['sh', '-c', 'echo ready; kill -HUP $$'], null);
    expect(self.signal).toBe('SIGHUP');
  });

  // A signal sent the moment the command prints its first line once came before tokenvault's
  // handlers under load: tokenvault died alone and the command ran on (10 of 75 runs hung).
  it.runIf(process.env.TOKENVAULT_STRESS)('forwards a signal sent the moment the command starts, 40 times (npm run test:stress)', async () => {
    for (let i = 0; i < 40; i++) {
      const r = await runWithSignal(['sh', '-c', 'echo ready; while :; do sleep 0.05; done'], 'SIGTERM');
      expect(r.signal, `run ${i}`).toBe('SIGTERM');
    }
  }, 600_000);

  it('audits each token with the command name, never its arguments', async () => {
    await tv(['exec', '--map', 'T=Acme Café/sandbox/sales', '--', 'sh', '-c', 'echo secret-argument']);
    const audit = await tv(['audit', '--json', '--limit', '20', '--token', 'Acme Café/sandbox/sales']);
    const notes = (audit.json() as { type: string; note: string | null }[]).filter((e) => e.type === 'used').map((e) => e.note);
    expect(notes).toContain('exec sh as T');
    expect(JSON.stringify(audit.json())).not.toContain('secret-argument');
  });
});

function runWithSignal(command: string[], sig: NodeJS.Signals | null): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'exec', ...SANDBOX, '--', ...command], { env: { ...process.env, ...env } });
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!sent && sig && stdout.includes('ready')) {
        sent = true;
        child.kill(sig);
      }
    });
    // 'close', not 'exit': the command's last words (the trap's echo) can still be in the pipe when the process has exited.
    child.on('close', (code, signal) => resolve({ code, signal, stdout }));
  });
}

describe('tokenvault env', () => {
  const values = { ACME_CAFE_SANDBOX_SALES_TOKEN: SALES, ACME_CAFE_SANDBOX_NASTY_ONE_TOKEN: NASTY, ACME_CAFE_SANDBOX_DOTENV_TOKEN: DOTENV_OK, ACME_CAFE_SANDBOX_BASE_URL: 'https://sandbox.example.com/v1' };
  const names = Object.keys(values);
  let outDir: string;
  beforeAll(() => {
    outDir = join(home, 'out');
    mkdirSync(outDir);
  });

  it('POSIX export lines read back exactly in sh and bash', async () => {
    const r = await tv(['env', ...SANDBOX]);
    expect(r.code, r.stderr).toBe(0);
    const file = join(outDir, 'vars.sh');
    writeFileSync(file, r.stdout);
    for (const shell of ['sh', 'bash']) {
      const printed = execFileSync(shell, ['-c', `. "$1"; "${process.execPath}" -e 'process.stdout.write(JSON.stringify(process.env))'`, shell, file], { encoding: 'utf8' });
      const got = JSON.parse(printed) as Record<string, string>;
      for (const n of names) expect(got[n], `${shell} ${n}`).toBe(values[n as keyof typeof values]);
    }
  });

  it('fish lines read back exactly in fish', async () => {
    const fish = spawnSync('fish', ['--version']);
    if (fish.error) {
      // fish is not installed here: its quoting is checked by the parser-level test in env-vars.test.ts.
      return;
    }
    const r = await tv(['env', ...SANDBOX, '--format', 'fish']);
    const file = join(outDir, 'vars.fish');
    writeFileSync(file, r.stdout);
    const printed = execFileSync('fish', ['-c', `source ${file}; "${process.execPath}" -e 'process.stdout.write(JSON.stringify(process.env))'`], { encoding: 'utf8' });
    const got = JSON.parse(printed) as Record<string, string>;
    for (const n of names) expect(got[n], n).toBe(values[n as keyof typeof values]);
  });

  it('json and dotenv read back exactly with JSON.parse and the dotenv package', async () => {
    const j = await tv(['env', ...SANDBOX, '--format', 'json']);
    expect(JSON.parse(j.stdout)).toEqual(values);
    // NASTY holds all three quotes and a \n sequence: no exact .env form, and nothing is printed.
    const refused = await tv(['env', ...SANDBOX, '--format', 'dotenv']);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    const d = await tv(['env', '--workspace', 'Acme Café', '--env', 'sandbox', '--map', 'A=sales', '--map', 'B=dotenv', '--format', 'dotenv']);
    expect(d.code, d.stderr).toBe(0);
    const expected = { A: SALES, B: DOTENV_OK, ACME_CAFE_SANDBOX_BASE_URL: 'https://sandbox.example.com/v1' };
    expect(parseDotenv(d.stdout)).toEqual(expected);
    expect(parseDotenv(d.stdout, { fast: true } as never)).toEqual(expected);
  });

  it('refuses to write into a git work tree unless --force, by --output or by a redirect', async () => {
    const repo = join(home, 'repo');
    mkdirSync(join(repo, 'sub'), { recursive: true });
    execFileSync('git', ['init', '-q', repo]);
    const target = join(repo, 'sub', '.env');
    const refused = await tv(['env', ...SANDBOX, '--output', target]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('git work tree');
    expect(existsSync(target)).toBe(false);
    const forced = await tv(['env', ...SANDBOX, '--output', target, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(target, 'utf8')).toContain(SALES);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    // A shell redirect: stdout is a regular file inside the repository.
    const redirected = join(repo, 'redirected.env');
    const sh = spawnSync('sh', ['-c', `${process.execPath} ${CLI} env --workspace 'Acme Café' --env sandbox --all > "$1"`, 'sh', redirected], { env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(sh.status).toBe(2);
    expect(sh.stderr).toContain('git work tree');
    expect(readFileSync(redirected, 'utf8')).not.toContain(SALES);
    // Outside a repository both work.
    const outside = join(outDir, 'plain.env');
    expect((await tv(['env', ...SANDBOX, '--output', outside])).code).toBe(0);
  });

  it('refuses an unknown format', async () => {
    expect((await tv(['env', ...SANDBOX, '--format', 'yaml'])).code).toBe(2);
  });
});
