import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { MemoryKeyStore } from './keychain';
import { probeKeychain, type ProbeableKeyStore } from './keychain-probe';

/**
 * issue 12: the first-run screen asks whether a keychain answers before it
 * recommends one. The real paths run the probe in a child Node process: one
 * without any session bus (the Linux desktop without a Secret Service), and
 * one under dbus-run-session with a throwaway gnome-keyring (as the rules of
 * the project say), when those programs are installed.
 */
const root = join(__dirname, '..', '..');
/** The probe bundled as the shipped code is (esbuild, CommonJS, the keyring external and loaded with require). */
function bundleProbe(): string {
  const out = buildSync({
    stdin: {
      contents: `import { OsKeyStore } from './keychain'; import { probeKeychain } from './keychain-probe';
        probeKeychain(new OsKeyStore()).then((r) => process.stdout.write(JSON.stringify(r)));`,
      resolveDir: __dirname,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['@napi-rs/keyring'],
    supported: { 'dynamic-import': false },
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function runProbe(wrap: (file: string) => [string, string[]], env: NodeJS.ProcessEnv) {
  const dir = mkdtempSync(join(tmpdir(), 'tokenvault-probe-'));
  try {
    const file = join(dir, 'probe.cjs');
    writeFileSync(file, bundleProbe());
    const [cmd, args] = wrap(file);
    const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...env, XDG_DATA_HOME: dir, NODE_PATH: join(root, 'node_modules') }, timeout: 60_000 });
    const json = /\{"available".*\}/.exec(r.stdout)?.[0];
    if (!json) throw new Error(`the probe printed nothing usable: ${r.stdout} ${r.stderr}`);
    return JSON.parse(json) as { available: boolean; reason: string | null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('probeKeychain', () => {
  it('reports a store that answers as available, and one that fails with its reason', async () => {
    const store = new MemoryKeyStore();
    expect(await probeKeychain(store)).toEqual({ available: true, reason: null });
    store.available = false;
    expect(await probeKeychain(store)).toEqual({ available: false, reason: 'no Secret Service on the session bus' });
  });

  it('counts a keychain that never answers as unreachable once the bound has passed', async () => {
    const hung: ProbeableKeyStore = { ...new MemoryKeyStore(), get: async () => null, set: async () => undefined, delete: async () => undefined, reachable: () => new Promise<void>(() => undefined) };
    expect(await probeKeychain(hung, 20)).toEqual({ available: false, reason: 'no answer within 0 s' });
  });

  it('finds no keychain when there is no session bus (Linux without a Secret Service)', { timeout: 60_000 }, () => {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(tmpdir(), 'no-such-bus')}` };
    const r = runProbe((file) => [process.execPath, [file]], env);
    expect(r.available).toBe(false);
    // The keyring library's own words about the bus, not a module that failed to load.
    expect(r.reason).toMatch(/platform storage|zbus|bus|D-Bus/i);
    expect(r.reason).not.toMatch(/Cannot find module/);
  });

  const haveKeyring = process.platform === 'linux' && which('dbus-run-session') && which('gnome-keyring-daemon');
  it.runIf(haveKeyring || process.env.TOKENVAULT_REQUIRE_KEYCHAIN === '1')('finds the keychain with a real Secret Service (dbus-run-session + gnome-keyring)', { timeout: 60_000 }, () => {
    const r = runProbe(
      (file) => ['dbus-run-session', ['--', 'sh', '-c', `printf %s throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "${process.execPath}" "${file}"`]],
      process.env,
    );
    expect(r, r.reason ?? "").toEqual({ available: true, reason: null });
  });
});
